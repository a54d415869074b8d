//! # EHR consortium runtime
//!
//! The runtime every hospital's node runs: Aura block production, GRANDPA finality, timestamp,
//! the consortium ([`pallet_consortium`], its hospitals, deciding by motions of the `Council`
//! collective), sessions whose validators are the hospitals that set their node's keys
//! ([`configs::HospitalValidators`]), and [`pallet_ehr`], the index of patients' health
//! records.
//!
//! It is feeless and permissioned: there is no balances or transaction-payment pallet,
//! [`pallet_ehr::CheckMembership`] admits signed transactions from members only (hospitals,
//! admins, active professionals, active patients) and only for the calls members need
//! ([`configs::MembersCalls`]), and [`pallet_ehr::CheckNonceWithinQuota`] bounds what each
//! account gets into blocks.
//!
//! What binds every hospital (admitting hospitals, administrators, settings, key releases,
//! runtime upgrades) takes a motion approved by the consortium's threshold of hospitals
//! ([`configs::ConsortiumDecision`]). Sudo is present, but only the `development` preset sets
//! a key.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` and `impl_runtime_apis` generate large amounts of code.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
mod migrations;
pub mod weights;

use polkadot_sdk::{
	sp_runtime::{
		generic, impl_opaque_keys,
		traits::{BlakeTwo256, IdentifyAccount, Verify},
		MultiAddress, MultiSignature,
	},
	*,
};
use sp_version::RuntimeVersion;

pub use pallet_consortium;
pub use pallet_ehr;

/// Types the node needs without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as sp_runtime::traits::Hash>::Output;
}

impl_opaque_keys! {
	/// The keys a validator (a hospital's node) holds.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime's version. Bump `spec_version` with every change of the runtime's logic.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("ehr-runtime"),
	impl_name: alloc::borrow::Cow::Borrowed("ehr-runtime"),
	authoring_version: 1,
	spec_version: 110,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Target block time. Slots cannot change once the chain runs.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// Aura slot duration.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// Transaction signature.
pub type Signature = MultiSignature;
/// An account: the public key of the signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// A transaction index.
pub type Nonce = u32;
/// A block hash.
pub type Hash = sp_core::H256;
/// A block number.
pub type BlockNumber = u32;
/// The address format.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The checks every transaction passes. Membership comes right after the zero-sender check, so
/// an outsider is told it is no member before anything else is looked at. The nonce is checked
/// with the sender's quota (encoded and named as `frame_system::CheckNonce`, so wallets fill it).
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	pallet_ehr::CheckMembership<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	pallet_ehr::CheckNonceWithinQuota<Runtime>,
	frame_system::CheckWeight<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to run on upgrade, oldest first; each runs only from the storage version it
/// starts at.
#[allow(unused_parens)]
type Migrations = (
	pallet_ehr::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_ehr::migrations::v3::MigrateV2ToV3<Runtime>,
	pallet_consortium::migrations::v2::MigrateV1ToV2<Runtime>,
	migrations::FoundConsortium,
);

/// Dispatches to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	// Its hooks and genesis run in index order, after the consortium's (the hospitals it
	// chooses validators from).
	#[runtime::pallet_index(7)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(5)]
	pub type Council = pallet_collective<Instance1>;

	#[runtime::pallet_index(6)]
	pub type Consortium = pallet_consortium;

	#[runtime::pallet_index(10)]
	pub type Ehr = pallet_ehr;
}

#[cfg(test)]
mod tests;
