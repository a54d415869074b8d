//! The pallets whose benchmarks the node's `benchmark pallet` command runs.

polkadot_sdk::frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_consortium, Consortium]
	[pallet_ehr, Ehr]
);
