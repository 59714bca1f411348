//! The command-line shell: arguments, secrets, human output.

pub mod args;
pub mod fuzz;
pub mod post;
pub mod render;
pub mod secrets;
pub mod vectors;
