//! A test runtime with only `frame_system` and this pallet.

use crate as pallet_ehr;
use core::{
	cell::{Cell, RefCell},
	time::Duration,
};
pub use frame::deps::sp_runtime::testing::TestSignature;
use frame::{deps::sp_runtime::BuildStorage, testing_prelude::*, traits::UnixTime};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Ehr: pallet_ehr,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

thread_local! {
	static NOW_MILLIS: Cell<u64> = const { Cell::new(START_MILLIS) };
	static HOSPITALS: RefCell<Vec<u64>> = RefCell::new(vec![HOSPITAL, OTHER_HOSPITAL]);
}

/// The consortium's hospitals in these tests: [`HOSPITAL`] and [`OTHER_HOSPITAL`] until a test
/// calls [`remove_hospital`].
pub struct MockHospitals;
impl Contains<u64> for MockHospitals {
	fn contains(who: &u64) -> bool {
		HOSPITALS.with(|h| h.borrow().contains(who))
	}
}

/// Takes `hospital` out of the consortium, as its vote would.
pub fn remove_hospital(hospital: u64) {
	HOSPITALS.with(|h| h.borrow_mut().retain(|&other| other != hospital));
}

/// The wall-clock time tests start at (2026-01-01T00:00:00Z).
pub const START_MILLIS: u64 = 1_767_225_600_000;
/// Milliseconds per block in the test runtime.
pub const MILLIS_PER_BLOCK: u64 = 6_000;

/// The test clock; [`run_to_block`] moves it with the block number.
pub struct MockTime;
impl UnixTime for MockTime {
	fn now() -> Duration {
		Duration::from_millis(NOW_MILLIS.with(|t| t.get()))
	}
}

parameter_types! {
	pub const MaxNameLen: u32 = 64;
	pub const MaxLocatorLen: u32 = 128;
	pub const MaxEnvelopeLen: u32 = 256;
	pub const MaxEmergencyDuration: u64 = 100;
	pub const MinDifficulty: u8 = 1;
	pub const MaxDifficulty: u8 = 24;
	pub const MaxTimestampDrift: u64 = 60_000;
	pub const MaxChainPage: u32 = 50;
	pub const MaxRegrants: u32 = 8;
	pub const MaxMessageRecipients: u32 = 4;
	pub const MaxBatchEntries: u32 = 4;
	pub const MaxAdminsPerHospital: u32 = 2;
	pub const MaxKeyEpoch: u32 = 4095;
	pub const MaxQuotaWindow: u64 = 100;
}

impl pallet_ehr::Config for Test {
	type UnixTime = MockTime;
	type Signature = TestSignature;
	type ConsortiumOrigin = frame_system::EnsureRoot<u64>;
	type AdminOrigin = pallet_ehr::EnsureAdmin<Test>;
	type HospitalOrigin = pallet_ehr::EnsureHospital<Test>;
	type Hospitals = MockHospitals;
	type MaxAdminsPerHospital = MaxAdminsPerHospital;
	type MaxRegrants = MaxRegrants;
	type MaxMessageRecipients = MaxMessageRecipients;
	type MaxBatchEntries = MaxBatchEntries;
	type MaxKeyEpoch = MaxKeyEpoch;
	type MaxQuotaWindow = MaxQuotaWindow;
	type MaxNameLen = MaxNameLen;
	type MaxLocatorLen = MaxLocatorLen;
	type MaxEnvelopeLen = MaxEnvelopeLen;
	type MaxEmergencyDuration = MaxEmergencyDuration;
	type MinDifficulty = MinDifficulty;
	type MaxDifficulty = MaxDifficulty;
	type MaxTimestampDrift = MaxTimestampDrift;
	type MaxChainPage = MaxChainPage;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestKeys;
}

/// Benchmark keys of the test runtime: account `1_000 + seed`, signing as [`TestSignature`]
/// does.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestKeys;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_ehr::BenchmarkHelper<u64, TestSignature> for TestKeys {
	fn sign(seed: u32, message: &[u8]) -> (u64, TestSignature) {
		let account = 1_000 + u64::from(seed);
		(account, TestSignature(account, message.to_vec()))
	}

	fn hospital() -> Option<u64> {
		Some(HOSPITAL)
	}
}

/// The genesis admin of every test.
pub const ADMIN: u64 = 1;

/// The account a hospital of the consortium votes with (the consortium itself decides as
/// root in these tests).
pub const HOSPITAL: u64 = 90;

/// A second hospital, whose staff [`HOSPITAL`]'s admins do not manage.
pub const OTHER_HOSPITAL: u64 = 91;

/// Test externalities with [`ADMIN`] as the only admin, at block 1.
pub fn new_test_ext() -> TestState {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		ehr: pallet_ehr::GenesisConfig { admins: vec![ADMIN], difficulty: None },
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = TestState::new(storage);
	ext.execute_with(|| {
		NOW_MILLIS.with(|t| t.set(START_MILLIS));
		HOSPITALS.with(|h| *h.borrow_mut() = vec![HOSPITAL, OTHER_HOSPITAL]);
		System::set_block_number(1);
	});
	ext
}

/// Runs `test` in fresh externalities and checks the pallet's invariants afterwards.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Ehr::do_try_state().expect("invariants hold after the test");
	});
}

/// Moves the chain (and its clock) to block `n`.
pub fn run_to_block(n: u64) {
	let now = System::block_number();
	if n > now {
		NOW_MILLIS.with(|t| t.set(t.get() + (n - now) * MILLIS_PER_BLOCK));
	}
	System::set_block_number(n);
}

/// Sets the test clock without moving blocks.
pub fn set_time(millis: u64) {
	NOW_MILLIS.with(|t| t.set(millis));
}

/// The test clock.
pub fn now_millis() -> u64 {
	NOW_MILLIS.with(|t| t.get())
}
