//! Client of the EHR consortium chain: the library behind the `ehr` command.
//!
//! - [`keys`]: accounts (sr25519 + X25519 from one phrase) and the encrypted keystore;
//! - [`crypto`]: document encryption, record keys per epoch, HPKE envelopes, commitments;
//! - [`store`]: content-addressed ciphertext blobs in replicated off-chain stores;
//! - [`pow`]: the per-entry proof of work;
//! - [`chain`]: the node connection, queries and transactions, with types generated from the
//!   committed runtime metadata (`artifacts/ehr.scale`);
//! - [`ops`]: what users do (add a document, read, grant, revoke, verify, audit);
//! - [`consortium`]: the hospitals' decisions, as motions of the chain's council;
//! - [`registration`]: registering a patient with its own keys and consent;
//! - [`seeds`]: a patient's record seeds across key epochs and moves to a new key;
//! - [`config`]: settings from a file and the environment.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod chain;
pub mod config;
pub mod consortium;
pub mod crypto;
mod error;
pub mod keys;
pub mod ops;
pub mod pow;
pub mod registration;
pub mod seeds;
pub mod store;

pub use error::{Error, Result};

/// Types, calls, storage and events generated from the runtime's metadata.
#[subxt::subxt(
	runtime_metadata_path = "artifacts/ehr.scale",
	derive_for_all_types = "Clone, PartialEq, Eq, ::subxt::ext::codec::Encode, ::subxt::ext::codec::Decode"
)]
pub mod runtime {}
