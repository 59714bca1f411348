//! The command-line shell: arguments, secrets, human output.

pub mod args;
pub mod fuzz;
pub mod render;
pub mod secrets;
