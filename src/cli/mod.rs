//! The command-line shell: arguments, secrets, human output.

pub mod args;
pub mod render;
pub mod secrets;
pub mod vectors;
