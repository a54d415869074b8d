//! A test runtime with `frame_system`, this pallet and the collective its hospitals vote in,
//! wired as the chain's runtime wires them.

use crate::{self as pallet_consortium, NodeId};
use frame::{
	deps::{
		sp_core::{ed25519, Pair},
		sp_runtime::BuildStorage,
	},
	testing_prelude::*,
};
use polkadot_sdk::pallet_collective;

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Collective: pallet_collective::<Instance1>,
		Consortium: pallet_consortium,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Motions last ten blocks.
pub const MOTION_DURATION: u64 = 10;

parameter_types! {
	pub const MaxHospitals: u32 = 8;
	pub const MaxNameLen: u32 = 32;
	pub const DefaultSessionLength: u64 = 100;
	pub const MinSessionLength: u64 = 10;
	pub const MaxSessionLength: u64 = 14_400;
	pub MaxProposalWeight: Weight = Weight::from_parts(1_000_000_000_000, u64::MAX);
	/// The sessions the pallet ended.
	pub static Rotations: u32 = 0;
}

/// Counts the sessions the pallet ends.
pub struct CountedSessions;

impl pallet_consortium::Sessions<u64> for CountedSessions {
	fn rotate() {
		Rotations::set(Rotations::get() + 1);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_keys(_: &[u64]) {}
}

impl pallet_collective::Config<pallet_collective::Instance1> for Test {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = ConstU64<MOTION_DURATION>;
	type MaxProposals = ConstU32<16>;
	type MaxMembers = MaxHospitals;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = ();
	type SetMembersOrigin = frame_system::EnsureNever<()>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = frame_system::EnsureNever<()>;
	type KillOrigin = frame_system::EnsureNever<()>;
	type Consideration = ();
}

impl pallet_consortium::Config for Test {
	type ConsortiumOrigin = pallet_consortium::EnsureApproved<Test>;
	type Votes = pallet_collective::EnsureMembers<u64, pallet_collective::Instance1, 1>;
	type MembersChanged = Collective;
	type MembersInitialized = Collective;
	type OnAdmission = ();
	type Finality = ();
	type Sessions = CountedSessions;
	type MaxHospitals = MaxHospitals;
	type MaxNameLen = MaxNameLen;
	type DefaultSessionLength = DefaultSessionLength;
	type MinSessionLength = MinSessionLength;
	type MaxSessionLength = MaxSessionLength;
	type WeightInfo = ();
}

/// The network key of the tests' node `index`.
fn node_key(index: u64) -> ed25519::Pair {
	let mut seed = [0u8; 32];
	seed[..8].copy_from_slice(&index.to_le_bytes());
	ed25519::Pair::from_seed(&seed)
}

/// The tests' node `index` (hospital `h`'s is `node(h)`).
pub fn node(index: u64) -> NodeId {
	NodeId(node_key(index).public().0)
}

/// Node `index`'s proof that it may be `hospital`'s.
pub fn proof(index: u64, hospital: u64) -> ed25519::Signature {
	node_key(index).sign(&Consortium::node_claim(&hospital))
}

/// The founding hospitals of every test, each with its [`node`].
pub const FOUNDERS: [u64; 4] = [1, 2, 3, 4];

/// Test externalities with [`FOUNDERS`] as the hospitals, at block 1.
pub fn new_test_ext() -> TestState {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		collective: Default::default(),
		consortium: pallet_consortium::GenesisConfig {
			hospitals: FOUNDERS
				.iter()
				.map(|h| (*h, format!("Hospital {h}"), Some(node(*h))))
				.collect(),
			threshold: None,
			session_length: None,
		},
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = TestState::new(storage);
	// The benchmarks make node keys in a keystore, as the node's benchmark command has one.
	ext.register_extension(polkadot_sdk::sp_keystore::KeystoreExt::new(
		polkadot_sdk::sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in fresh externalities and checks the pallet's invariants afterwards.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Consortium::do_try_state().expect("invariants hold after the test");
	});
}
