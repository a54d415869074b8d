//! The `ehr` command's groups, one module each, over a shared [`Context`]: what each actor
//! does, the consortium's decisions, and the local keystore.

pub mod admin;
pub mod audit;
pub mod bench;
pub mod consortium;
pub mod context;
pub mod key;
pub mod message;
pub mod output;
pub mod parse;
pub mod patient;
pub mod professional;
pub mod reader;

pub use context::Context;

use std::path::Path;

use ehr_client::Error;

/// The bytes of input file `path`; a file that is not there is a usage error, as a missing
/// document is.
pub fn read_input(path: &Path) -> Result<Vec<u8>, Error> {
	std::fs::read(path).map_err(|e| match e.kind() {
		std::io::ErrorKind::NotFound => Error::FileNotFound(path.display().to_string()),
		_ => Error::Io(e),
	})
}

/// Creates output file `path`, which must not exist yet.
pub fn create_output(path: &Path) -> Result<std::fs::File, Error> {
	std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| {
		match e.kind() {
			std::io::ErrorKind::AlreadyExists => Error::OutputExists(path.to_path_buf()),
			_ => Error::Io(e),
		}
	})
}
