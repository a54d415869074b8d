//! The library's error type. Every message says what went wrong in the user's words and, where
//! there is one, what to do next.

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
	/// The chain refused a transaction or a query failed.
	#[error("{0}")]
	Chain(String),
	/// A pallet error: the chain ran the call and refused it.
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
	/// The caller lacks the right to do what it asked.
	#[error("{0}")]
	Denied(String),
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

/// The client's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
