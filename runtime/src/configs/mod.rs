//! One `Config` implementation per pallet.

use polkadot_sdk::{
	frame_support::{
		derive_impl,
		dispatch::DispatchClass,
		parameter_types,
		traits::{ConstBool, ConstU128, ConstU32, ConstU64},
		weights::{constants::WEIGHT_REF_TIME_PER_SECOND, Weight},
	},
	frame_system::limits::{BlockLength, BlockWeights},
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_runtime::Perbill,
	sp_version::RuntimeVersion,
	*,
};

use super::{
	weights::{BlockExecutionWeight, ExtrinsicBaseWeight},
	AccountId, Aura, Block, BlockNumber, Consortium, Council, Hash, Nonce, PalletInfo, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, RuntimeTask, SessionKeys, DAYS,
	HOURS, MINUTES, SLOT_DURATION, VERSION,
};

mod no_funds;
mod validators;

pub use no_funds::NoFunds;
pub use validators::{ConsortiumSessions, ForgetStaleKeys, HospitalValidator, HospitalValidators};

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Two seconds of compute per six-second block.
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	/// [`MAXIMUM_BLOCK_WEIGHT`], of which ordinary transactions may use the normal dispatch
	/// ratio and operational ones the rest; an empty block and each transaction cost what they
	/// were measured to cost on this chain ([`crate::weights`]), not polkadot-sdk's defaults.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |class| class.base_extrinsic = ExtrinsicBaseWeight::get())
		.for_class(DispatchClass::Normal, |class| {
			class.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |class| {
			class.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			class.reserved = Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(Perbill::from_percent(10))
		// Checked by the runtime's integrity test (frame_system validates the classes).
		.build_or_panic();
	/// 5 MiB blocks, of which normal transactions may fill the normal dispatch ratio.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	pub const SS58Prefix: u8 = 42;
}

/// The calls members need, and nothing that would let one of them put arbitrary bytes into
/// blocks or state (`System::remark` above all: possibly clear health data, in every node's
/// database for good):
///
/// - the EHR pallet's, the consortium's, a hospital's node keys (`Session::set_keys`; not
///   `purge_keys`, which could leave the chain without validators) and the block's timestamp
///   inherent;
/// - council motions whose call is itself one of these (or a vote to disapprove or kill a
///   motion) and that need at least the ayes the consortium's threshold asks for now, votes and
///   closes; not `execute`, which no decision takes;
/// - the runtime upgrade the consortium approved, with exactly its code;
/// - sudo, on a chain with a sudo key (the development chain's).
///
/// The filter applies at the pool ([`pallet_ehr::CheckMembership`]) and when a call is
/// dispatched, a motion's included.
pub struct MembersCalls;

impl MembersCalls {
	/// Whether `code` is the runtime the consortium approved.
	fn is_approved_code(code: &[u8]) -> bool {
		let key = frame_support::storage::storage_prefix(b"System", b"AuthorizedUpgrade");
		frame_support::storage::unhashed::get::<(Hash, bool)>(&key).is_some_and(|(hash, _)| {
			hash == <polkadot_sdk::sp_runtime::traits::BlakeTwo256 as polkadot_sdk::sp_runtime::traits::Hash>::hash(code)
		})
	}

	/// Whether a motion may carry `call`.
	fn is_motion(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Council(
				pallet_collective::Call::disapprove_proposal { .. }
				| pallet_collective::Call::kill { .. },
			) => true,
			RuntimeCall::Council(_) | RuntimeCall::Sudo(_) => false,
			other => <Self as frame_support::traits::Contains<RuntimeCall>>::contains(other),
		}
	}
}

impl frame_support::traits::Contains<RuntimeCall> for MembersCalls {
	fn contains(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Ehr(_) | RuntimeCall::Consortium(_) | RuntimeCall::Timestamp(_) => true,
			RuntimeCall::Session(pallet_session::Call::set_keys { .. }) => true,
			RuntimeCall::Council(pallet_collective::Call::propose {
				threshold, proposal, ..
			}) => *threshold >= Consortium::ayes_needed() && Self::is_motion(proposal),
			RuntimeCall::Council(
				pallet_collective::Call::vote { .. }
				| pallet_collective::Call::close { .. }
				| pallet_collective::Call::disapprove_proposal { .. }
				| pallet_collective::Call::kill { .. },
			) => true,
			RuntimeCall::System(frame_system::Call::apply_authorized_upgrade { code }) => {
				Self::is_approved_code(code)
			},
			RuntimeCall::Sudo(_) => pallet_sudo::Key::<Runtime>::exists(),
			_ => false,
		}
	}
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type BaseCallFilter = MembersCalls;
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// A storage item read and written in ParityDB, measured on this chain.
	type DbWeight = crate::weights::ParityDbWeight;
	type Version = Version;
	/// Feeless: accounts hold no balance.
	type AccountData = ();
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	/// frame_system's transaction extensions, measured on this chain.
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	/// Only a hospital of the consortium sets keys, and its account is its validator's id.
	type ValidatorIdOf = HospitalValidator;
	/// Sessions last as long as the consortium chose (ten minutes unless it chose otherwise);
	/// the consortium pallet ends them, for their measured weight.
	type ShouldEndSession = ConsortiumSessions;
	type NextSessionRotation = ConsortiumSessions;
	type SessionManager = HospitalValidators;
	type SessionHandler =
		<SessionKeys as polkadot_sdk::sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	/// Feeless: keys cost no deposit.
	type Currency = NoFunds;
	type KeyDeposit = ConstU128<0>;
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
	/// A revoke or key rotation hands the new key to up to 64 grantees at once.
	pub const EhrMaxRegrants: u32 = 64;
	/// Admins a hospital may appoint: each transacts with an admin's quota and priority.
	pub const EhrMaxAdminsPerHospital: u32 = 16;
	/// 4,096 key epochs: the length of the clients' record-key hash chain.
	pub const EhrMaxKeyEpoch: u32 = 4095;
	/// A message goes to the patient and a care team of up to fifteen.
	pub const EhrMaxMessageRecipients: u32 = 16;
	/// A study of up to 64 images (or a laboratory's run of 64 results) in one transaction.
	pub const EhrMaxBatchEntries: u32 = 64;
	/// A quota window lasts at most an hour.
	pub const EhrMaxQuotaWindow: BlockNumber = HOURS;
}

/// The council the consortium's hospitals vote in.
pub type CouncilInstance = pallet_collective::Instance1;

/// A decision of the consortium: a council motion whose ayes meet the consortium's threshold
/// (two thirds of the hospitals unless they chose otherwise) or, on the development chain,
/// the sudo key.
pub type ConsortiumDecision = frame_support::traits::EitherOfDiverse<
	frame_system::EnsureRoot<AccountId>,
	pallet_consortium::EnsureApproved<Runtime>,
>;

parameter_types! {
	/// Hospitals have two days to vote on a motion.
	pub const CouncilMotionDuration: BlockNumber = 2 * DAYS;
	pub const CouncilMaxProposals: u32 = 32;
	pub const ConsortiumMaxHospitals: u32 = 32;
	/// Sessions last ten minutes unless the consortium chose otherwise: a hospital's node joins
	/// or leaves the validators within twenty, and one block in a hundred (a session's end)
	/// carries no transactions.
	pub const ConsortiumDefaultSessionLength: BlockNumber = 10 * MINUTES;
	pub const ConsortiumMinSessionLength: BlockNumber = MINUTES;
	pub const ConsortiumMaxSessionLength: BlockNumber = DAYS;
	/// A motion's call may take at most half a block.
	pub CouncilMaxProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilInstance> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = ConsortiumMaxHospitals;
	/// Nobody is prime: a hospital that does not vote by the end of a motion counts as nay.
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// The members are the consortium's hospitals, which only pallet-consortium changes.
	type SetMembersOrigin = frame_system::EnsureNever<()>;
	type MaxProposalWeight = CouncilMaxProposalWeight;
	type DisapproveOrigin = ConsortiumDecision;
	type KillOrigin = ConsortiumDecision;
	/// Feeless: proposing costs no deposit (the quotas bound how often).
	type Consideration = ();
}

impl pallet_consortium::Config for Runtime {
	type ConsortiumOrigin = ConsortiumDecision;
	type Votes = pallet_collective::EnsureMembers<AccountId, CouncilInstance, 1>;
	type MembersChanged = Council;
	type MembersInitialized = Council;
	type OnAdmission = validators::ForgetStaleKeys;
	type Finality = validators::ForcedFinalityChange;
	type Sessions = ConsortiumSessions;
	type MaxHospitals = ConsortiumMaxHospitals;
	type MaxNameLen = EhrMaxNameLen;
	type DefaultSessionLength = ConsortiumDefaultSessionLength;
	type MinSessionLength = ConsortiumMinSessionLength;
	type MaxSessionLength = ConsortiumMaxSessionLength;
	type WeightInfo = ConsortiumWeights;
}

/// pallet-consortium's benchmarked weights, with what the council spends when its members
/// change (rewriting the votes of every open motion) on top, and on admission what forgetting
/// an earlier membership's node keys costs.
pub struct ConsortiumWeights;

impl ConsortiumWeights {
	/// The council's change of members, with every seat and motion taken.
	fn council_change() -> Weight {
		use pallet_collective::WeightInfo;
		pallet_collective::weights::SubstrateWeight::<Runtime>::set_members(
			ConsortiumMaxHospitals::get(),
			ConsortiumMaxHospitals::get(),
			CouncilMaxProposals::get(),
		)
	}
}

impl pallet_consortium::WeightInfo for ConsortiumWeights {
	fn admit_hospital() -> Weight {
		use pallet_session::WeightInfo;
		pallet_consortium::weights::SubstrateWeight::<Runtime>::admit_hospital()
			.saturating_add(Self::council_change())
			.saturating_add(pallet_session::weights::SubstrateWeight::<Runtime>::purge_keys())
	}
	fn remove_hospital() -> Weight {
		pallet_consortium::weights::SubstrateWeight::<Runtime>::remove_hospital()
			.saturating_add(Self::council_change())
	}
	fn set_threshold() -> Weight {
		pallet_consortium::weights::SubstrateWeight::<Runtime>::set_threshold()
	}
	fn authorize_upgrade() -> Weight {
		pallet_consortium::weights::SubstrateWeight::<Runtime>::authorize_upgrade()
	}
	fn set_session_length() -> Weight {
		pallet_consortium::weights::SubstrateWeight::<Runtime>::set_session_length()
	}
	fn set_node() -> Weight {
		pallet_consortium::weights::SubstrateWeight::<Runtime>::set_node()
	}
	fn note_stalled() -> Weight {
		pallet_consortium::weights::SubstrateWeight::<Runtime>::note_stalled()
	}
	fn end_session(hospitals: u32) -> Weight {
		pallet_consortium::weights::SubstrateWeight::<Runtime>::end_session(hospitals)
	}
}

impl pallet_ehr::Config for Runtime {
	type UnixTime = pallet_timestamp::Pallet<Runtime>;
	type Signature = super::Signature;
	type ConsortiumOrigin = ConsortiumDecision;
	type AdminOrigin = pallet_ehr::EnsureAdmin<Runtime>;
	type HospitalOrigin = pallet_ehr::EnsureHospital<Runtime>;
	type Hospitals = Consortium;
	type MaxAdminsPerHospital = EhrMaxAdminsPerHospital;
	type MaxRegrants = EhrMaxRegrants;
	type MaxMessageRecipients = EhrMaxMessageRecipients;
	type MaxBatchEntries = EhrMaxBatchEntries;
	type MaxKeyEpoch = EhrMaxKeyEpoch;
	type MaxQuotaWindow = EhrMaxQuotaWindow;
	type MaxNameLen = EhrMaxNameLen;
	type MaxLocatorLen = EhrMaxLocatorLen;
	type MaxEnvelopeLen = EhrMaxEnvelopeLen;
	type MaxEmergencyDuration = EhrMaxEmergencyDuration;
	type MinDifficulty = EhrMinDifficulty;
	type MaxDifficulty = EhrMaxDifficulty;
	type MaxTimestampDrift = EhrMaxTimestampDrift;
	type MaxChainPage = EhrMaxChainPage;
	type WeightInfo = pallet_ehr::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Sr25519BenchmarkKeys;
}

/// Patients' keys for the benchmarks: sr25519 keys made in the benchmark's keystore.
#[cfg(feature = "runtime-benchmarks")]
pub struct Sr25519BenchmarkKeys;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_ehr::BenchmarkHelper<AccountId, super::Signature> for Sr25519BenchmarkKeys {
	fn sign(seed: u32, message: &[u8]) -> (AccountId, super::Signature) {
		use polkadot_sdk::{
			sp_core::{crypto::KeyTypeId, sr25519},
			sp_io::crypto::{sr25519_generate, sr25519_sign},
			sp_runtime::{traits::IdentifyAccount, MultiSigner},
		};
		const KEYS: KeyTypeId = KeyTypeId(*b"ehrb");
		let public = sr25519_generate(KEYS, Some(alloc::format!("//Patient{seed}").into_bytes()));
		// The key was made just above, so it signs; an empty signature would fail the benchmark.
		let signature = sr25519_sign(KEYS, &public, message)
			.unwrap_or_else(|| sr25519::Signature::from_raw([0; 64]));
		(MultiSigner::from(public).into_account(), signature.into())
	}

	fn hospital() -> Option<AccountId> {
		pallet_consortium::Hospitals::<Runtime>::iter_keys().next()
	}
}
