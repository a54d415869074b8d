//! The `ehr` command's groups, one module each, over a shared [`Context`]: what each actor
//! does, the consortium's decisions, and the local keystore.

pub mod admin;
pub mod audit;
pub mod consortium;
pub mod context;
pub mod key;
pub mod output;
pub mod parse;
pub mod patient;
pub mod professional;
pub mod reader;

pub use context::Context;
