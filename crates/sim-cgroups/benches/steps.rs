//! Placeholder until this crate's benchmark is written.
fn main() {}
