//! The library's error type. Every message says what went wrong in the user's words and, where
//! there is one, what to do next; [`Error::class`] sorts errors into the classes a program
//! handles alike, and `ehr` exits with each class's own status:
//!
//! | status | [`Class`]            | what went wrong                                              |
//! |-------:|----------------------|--------------------------------------------------------------|
//! | 1      | [`Class::Other`]     | anything else (a query that failed, no randomness)           |
//! | 2      | [`Class::Usage`]     | the command line or an input file was not acceptable         |
//! | 3      | [`Class::Key`]       | a key could not be found, read or unlocked                   |
//! | 4      | [`Class::Config`]    | the configuration is missing or invalid                      |
//! | 5      | [`Class::Node`]      | the node cannot be reached, or is not one to trust           |
//! | 6      | [`Class::NotFound`]  | what was asked about is not on chain                         |
//! | 7      | [`Class::Denied`]    | the chain's rules give the signer no right to do it          |
//! | 8      | [`Class::Refused`]   | the chain refused a transaction sent                         |
//! | 9      | [`Class::Store`]     | an off-chain store failed or holds no good copy              |
//! | 10     | [`Class::Integrity`] | data does not verify: a document, a chain, a key's envelope  |
//! | 11     | [`Class::Local`]     | a local file could not be read or written, or already exists |

use std::path::PathBuf;

use crate::chain::PalletError;

/// Everything the client can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// Input the user gave was not acceptable.
	#[error("{0}")]
	Input(String),
	/// A file could not be read or written.
	#[error("file error: {0}")]
	Io(#[from] std::io::Error),
	/// A named file was not found.
	#[error("file not found: {0}")]
	FileNotFound(String),
	/// The file to write exists, and overwriting was not asked for.
	#[error("{} exists; choose another file or pass --force", .0.display())]
	OutputExists(PathBuf),
	/// The file is larger than the configured limit.
	#[error("{path} is {size} bytes, more than the limit of {limit} bytes (set max_document_bytes to change it)")]
	FileTooLarge {
		/// The file.
		path: String,
		/// Its size.
		size: u64,
		/// The limit.
		limit: u64,
	},
	/// A cryptographic check failed.
	#[error("{0}")]
	Crypto(&'static str),
	/// The operating system's random source failed.
	#[error("no randomness from the operating system: {0}")]
	Random(String),
	/// A key could not be found, read or unlocked.
	#[error("{0}")]
	Key(String),
	/// The keystore's passphrase did not unlock the key.
	#[error("wrong passphrase for key `{0}`")]
	WrongPassphrase(String),
	/// The configuration is missing or invalid.
	#[error("configuration: {0}")]
	Config(String),
	/// The node could not be reached.
	#[error("cannot reach the node at {url}: {reason} (is it running? set --node or EHR_NODE)")]
	Unreachable {
		/// Where it was looked for.
		url: String,
		/// Why the connection failed.
		reason: String,
	},
	/// The node is not one the settings let the client trust.
	#[error("refusing the node at {url}: {reason}")]
	UntrustedNode {
		/// The node's URL.
		url: String,
		/// Why, and what to do about it.
		reason: String,
	},
	/// The patient's seed chain has no epoch left.
	#[error("the patient's record key cannot be rotated any more: all {epochs} of its key epochs are used, so a revoke needs the patient to move to fresh keys first")]
	EpochsExhausted {
		/// How many key epochs a patient has.
		epochs: u32,
	},
	/// A query or a subscription failed.
	#[error("{0}")]
	Chain(String),
	/// An account does not hold the role an operation needs.
	#[error("{who} is not a registered {role}")]
	NotRegistered {
		/// The account.
		who: String,
		/// The role it lacks: "professional", "patient", "admin".
		role: &'static str,
	},
	/// The runtime answered that the signer may not do what it asked: the error the call
	/// would fail with, so nothing was sent.
	#[error("{message}")]
	NoRight {
		/// The pallet's error, as the runtime's metadata names it.
		error: PalletError,
		/// What it means for the user, and what to do.
		message: String,
	},
	/// An open emergency access whose record key the consortium has not released yet.
	#[error("your emergency access {access} is open, but the consortium has not released the patient's record key to it yet: ask the hospitals to vote its release (ehr consortium propose release-key {access})")]
	KeyNotReleased {
		/// The emergency access.
		access: u64,
	},
	/// A check of the client's own refused the operation before anything was sent.
	#[error("{0}")]
	Denied(String),
	/// The node's transaction pool refused a transaction.
	#[error("the node refused {call}: {reason}")]
	RefusedAtPool {
		/// The call.
		call: String,
		/// Why, in the user's words.
		reason: String,
	},
	/// A pallet error: the chain ran the call in a block and refused it.
	#[error("the chain refused {call}: {error}{}", if .docs.is_empty() { String::new() } else { format!(" ({})", .docs) })]
	Refused {
		/// The call.
		call: String,
		/// The pallet's error name.
		error: String,
		/// The error's documentation.
		docs: String,
	},
	/// Something the caller asked about does not exist on chain.
	#[error("{0}")]
	NotFound(String),
	/// An off-chain store failed.
	#[error("store {store}: {reason}")]
	Store {
		/// The store's URL.
		store: String,
		/// What went wrong.
		reason: String,
	},
	/// No replica holds a good copy of a blob.
	#[error("no store holds a good copy of {0}: every replica is missing or corrupt")]
	NoGoodReplica(String),
	/// The chain's data does not verify.
	#[error("{0}")]
	Integrity(String),
}

/// The classes of [`Error`] a program handles alike; see the module's documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
	/// Anything else.
	Other,
	/// The command line or an input was not acceptable.
	Usage,
	/// A key could not be found, read or unlocked.
	Key,
	/// The configuration is missing or invalid.
	Config,
	/// The node cannot be reached or trusted.
	Node,
	/// Not on chain.
	NotFound,
	/// No right to do it.
	Denied,
	/// The chain refused a transaction.
	Refused,
	/// An off-chain store failed.
	Store,
	/// Data does not verify.
	Integrity,
	/// A local file could not be read or written.
	Local,
}

impl Class {
	/// The status `ehr` exits with.
	pub fn exit_code(self) -> u8 {
		match self {
			Class::Other => 1,
			Class::Usage => 2,
			Class::Key => 3,
			Class::Config => 4,
			Class::Node => 5,
			Class::NotFound => 6,
			Class::Denied => 7,
			Class::Refused => 8,
			Class::Store => 9,
			Class::Integrity => 10,
			Class::Local => 11,
		}
	}
}

impl Error {
	/// The class of this error.
	pub fn class(&self) -> Class {
		match self {
			Error::Input(_) | Error::FileNotFound(_) | Error::FileTooLarge { .. } => Class::Usage,
			Error::Key(_) | Error::WrongPassphrase(_) => Class::Key,
			Error::Config(_) => Class::Config,
			Error::Unreachable { .. } | Error::UntrustedNode { .. } => Class::Node,
			Error::NotFound(_) | Error::NotRegistered { .. } => Class::NotFound,
			Error::NoRight { .. }
			| Error::KeyNotReleased { .. }
			| Error::Denied(_)
			| Error::EpochsExhausted { .. } => Class::Denied,
			Error::RefusedAtPool { .. } | Error::Refused { .. } => Class::Refused,
			Error::Store { .. } | Error::NoGoodReplica(_) => Class::Store,
			Error::Integrity(_) | Error::Crypto(_) => Class::Integrity,
			Error::Io(_) | Error::OutputExists(_) => Class::Local,
			Error::Chain(_) | Error::Random(_) => Class::Other,
		}
	}
}

/// The client's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_class_has_its_own_exit_status() {
		let classes = [
			Class::Other,
			Class::Usage,
			Class::Key,
			Class::Config,
			Class::Node,
			Class::NotFound,
			Class::Denied,
			Class::Refused,
			Class::Store,
			Class::Integrity,
			Class::Local,
		];
		let codes: std::collections::BTreeSet<u8> = classes.iter().map(|c| c.exit_code()).collect();
		assert_eq!(codes.len(), classes.len());
		assert!(!codes.contains(&0), "0 is success");
	}
}
