//! Client of the EHR consortium chain: the library behind the `ehr` command.
//!
//! - [`keys`]: accounts (sr25519 + X25519 from one phrase) and the encrypted keystore;
//! - [`crypto`]: document encryption, record keys per epoch, HPKE envelopes, commitments;
//! - [`store`]: content-addressed ciphertext blobs in replicated off-chain stores;
//! - [`pow`]: the per-entry proof of work;
//! - [`prescription`]: prescriptions rendered as PDF documents;
//! - [`chain`]: the node connection and transactions, with types generated from the
//!   committed runtime metadata (`artifacts/ehr.scale`);
//! - [`state`]: the chain's state at one block, which an operation reads everything from;
//! - [`Client`]: a connected client, which each actor's module extends with what that actor
//!   does:
//!   - [`admin`]: registering and managing professionals and patients, reviewing emergency
//!     accesses, and the lists an admin works from;
//!   - [`professional`]: "my patients", adding and amending documents;
//!   - [`patient`]: "my doctors", the profile, granting, revoking, rotating and moving keys;
//!   - [`emergency`]: breaking the glass, and closing the access;
//!   - [`reader`]: reading documents and profiles (logged on chain), listing and verifying a
//!     patient's chain;
//!   - [`audit`]: the pallet's events (described from the runtime's metadata), by range or
//!     by account, and the dashboard;
//!   - [`registration`]: registering a patient with its own keys and consent;
//!   - [`consortium`]: the hospitals' decisions, as motions of the chain's council;
//!   - [`messages`]: sealed messages about a patient between it and its professionals;
//!   - [`bench`](mod@bench): measuring the chain: a load generator, a doctor's wait, the client's own
//!     pipeline;
//! - [`member`]: the roles an account acts in;
//! - [`views`]: what operations return, as users see it;
//! - [`seeds`]: a patient's record seeds across key epochs and moves to a new key;
//! - [`config`]: settings from a file and the environment;
//! - [`error`]: what an operation fails with, in classes a program handles alike (each with
//!   the exit status `ehr` uses).
//!
//! Who may read or add to a patient's records, or register a patient, is the runtime's
//! answer (pallet-ehr's `access`, `may_add` and `may_register` view functions), which the
//! client asks before it sends anything, and turns into the key it opens the records with.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod access;
pub mod admin;
pub mod audit;
pub mod bench;
pub mod chain;
mod client;
pub mod config;
pub mod consortium;
pub mod crypto;
mod documents;
pub mod emergency;
pub mod error;
pub mod keys;
pub mod member;
pub mod messages;
pub mod patient;
pub mod pow;
pub mod prescription;
pub mod professional;
pub mod reader;
pub mod registration;
pub mod seeds;
pub mod state;
pub mod store;
pub mod views;

pub use client::Client;
pub use error::{Class, Error, Result};

/// Types, calls, storage and events generated from the runtime's metadata.
#[subxt::subxt(
	runtime_metadata_path = "artifacts/ehr.scale",
	derive_for_all_types = "Clone, PartialEq, Eq, ::subxt::ext::codec::Encode, ::subxt::ext::codec::Decode"
)]
pub mod runtime {}
