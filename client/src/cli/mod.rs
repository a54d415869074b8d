//! Command groups of the `ehr` binary, one module each.

pub mod consortium;
pub mod parse;
