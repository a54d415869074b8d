//! One `Config` implementation per pallet.

use polkadot_sdk::{
	frame_support::{
		derive_impl,
		dispatch::DispatchClass,
		parameter_types,
		traits::{ConstBool, ConstU32, ConstU64},
		weights::{
			constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
			Weight,
		},
	},
	frame_system::limits::{BlockLength, BlockWeights},
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_runtime::Perbill,
	sp_version::RuntimeVersion,
	*,
};

use super::{
	AccountId, Aura, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, RuntimeTask, HOURS, SLOT_DURATION, VERSION,
};

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	/// Two seconds of compute per six-second block.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// 5 MiB blocks, of which normal transactions may fill the normal dispatch ratio.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	type DbWeight = ParityDbWeight;
	type Version = Version;
	/// Feeless: accounts hold no balance.
	type AccountData = ();
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const EhrMaxNameLen: u32 = 128;
	pub const EhrMaxLocatorLen: u32 = 256;
	pub const EhrMaxEnvelopeLen: u32 = 512;
	/// Break-glass access lasts at most a day.
	pub const EhrMaxEmergencyDuration: BlockNumber = 24 * HOURS;
	pub const EhrMinDifficulty: u8 = 1;
	pub const EhrMaxDifficulty: u8 = 24;
	/// Ten minutes between an author's clock and the chain's.
	pub const EhrMaxTimestampDrift: u64 = 10 * 60 * 1000;
	pub const EhrMaxChainPage: u32 = 256;
}

impl pallet_ehr::Config for Runtime {
	type UnixTime = pallet_timestamp::Pallet<Runtime>;
	type MaxNameLen = EhrMaxNameLen;
	type MaxLocatorLen = EhrMaxLocatorLen;
	type MaxEnvelopeLen = EhrMaxEnvelopeLen;
	type MaxEmergencyDuration = EhrMaxEmergencyDuration;
	type MinDifficulty = EhrMinDifficulty;
	type MaxDifficulty = EhrMaxDifficulty;
	type MaxTimestampDrift = EhrMaxTimestampDrift;
	type MaxChainPage = EhrMaxChainPage;
	type WeightInfo = pallet_ehr::weights::SubstrateWeight<Runtime>;
}
