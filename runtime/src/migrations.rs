//! The runtime's own migrations, for what no single pallet can migrate by itself.

use super::{AccountId, Consortium, Runtime};
use alloc::format;
#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{traits::OnRuntimeUpgrade, weights::Weight},
	sp_core::crypto::ByteArray,
	*,
};

/// Seats the validators of a chain that ran without a consortium (spec version 101 and
/// earlier) as its founding hospitals, so that the hospitals running the chain can decide
/// from the first block of the new runtime: each Aura authority's account (the account of
/// the same sr25519 key), named "Validator 1", "Validator 2", … in authority order, to be
/// renamed by the consortium. Does nothing on a chain that has hospitals.
pub struct SeatValidatorsAsHospitals;

impl SeatValidatorsAsHospitals {
	/// The accounts of the current Aura authorities, in their order.
	fn validators() -> impl Iterator<Item = AccountId> {
		pallet_aura::Authorities::<Runtime>::get()
			.into_iter()
			.filter_map(|aura| <[u8; 32]>::try_from(aura.as_slice()).ok().map(AccountId::new))
	}
}

impl OnRuntimeUpgrade for SeatValidatorsAsHospitals {
	fn on_runtime_upgrade() -> Weight {
		if !pallet_consortium::Members::<Runtime>::get().is_empty() {
			return <Runtime as frame_system::Config>::DbWeight::get().reads(1);
		}
		let founders = Self::validators()
			.enumerate()
			.map(|(index, account)| {
				let name = format!("Validator {}", index + 1).into_bytes();
				(account, name.try_into().unwrap_or_default())
			})
			.collect();
		Consortium::found(founders)
			.saturating_add(<Runtime as frame_system::Config>::DbWeight::get().reads(1))
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
		use codec::Encode;
		let seated = pallet_consortium::Members::<Runtime>::get().to_vec();
		let expected = if seated.is_empty() { Self::validators().collect() } else { seated };
		Ok(expected.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use codec::Decode;
		let mut expected = Vec::<AccountId>::decode(&mut &state[..])
			.map_err(|_| "the pre-upgrade state decodes")?;
		expected.sort();
		expected.dedup();
		let members = pallet_consortium::Members::<Runtime>::get().to_vec();
		frame_support::ensure!(members == expected, "the validators are the hospitals");
		let council = pallet_collective::Members::<Runtime, crate::configs::CouncilInstance>::get();
		frame_support::ensure!(council == members, "the council's members are the hospitals");
		Consortium::do_try_state().map_err(Into::into)
	}
}
