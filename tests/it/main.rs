//! The integration tests: one test binary, one module a subject, and
//! `util` for what they share (running `qamus`, `../shared/`). One binary
//! links the library once, and `cargo test` runs its tests in parallel
//! with each other; `cargo test --test it MODULE::` runs one module's.
//!
//! `tests/memory.rs` stays a binary of its own: it installs a counting
//! global allocator, and runs its tests one at a time, for the whole of its
//! process.

mod util;

mod bad_input;
mod ci;
mod cli;
mod corpus;
mod formats;
mod glossary_cmd;
mod inflection_table;
mod matching;
mod output;
mod outputs;
mod properties;
mod realworld;
mod report;
mod scale;
mod seeds;
mod shipped_glossary;
