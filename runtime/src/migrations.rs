//! The runtime's own migrations, for what no single pallet can migrate by itself.

use super::{AccountId, Consortium, Runtime, SessionKeys};
use alloc::{format, vec::Vec};
use polkadot_sdk::{
	frame_support::{traits::OnRuntimeUpgrade, weights::Weight},
	sp_core::crypto::ByteArray,
	sp_runtime::traits::OpaqueKeys,
	*,
};

/// Founds the consortium of a chain that ran without one (spec version 101 and earlier): its
/// validators become its founding hospitals and their Aura and GRANDPA keys their session keys,
/// so that the hospitals running the chain decide from the first block of the new runtime and
/// the validator set carries on unchanged.
///
/// Each Aura authority's account is the account of the same sr25519 key; its GRANDPA key is
/// the one at the same position (both lists are in genesis order on such a chain). The
/// hospitals are named "Validator 1", "Validator 2", … in authority order, for the
/// consortium to rename. Does nothing on a chain that has hospitals, and leaves the sessions
/// alone on one whose sessions already have validators.
pub struct FoundConsortium;

impl FoundConsortium {
	/// The current validators: account, Aura key, GRANDPA key.
	fn validators() -> Vec<(AccountId, SessionKeys)> {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let grandpa = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
		if aura.len() != grandpa.len() {
			frame_support::defensive!(
				"FoundConsortium: Aura and GRANDPA name different numbers of validators; no consortium founded"
			);
			return Vec::new();
		}
		aura.into_iter()
			.zip(grandpa)
			.filter_map(|(aura, (grandpa, _))| {
				let account = AccountId::new(<[u8; 32]>::try_from(aura.as_slice()).ok()?);
				Some((account, SessionKeys { aura, grandpa }))
			})
			.collect()
	}

	/// Registers `validators`' keys with the session pallet as their own `set_keys` would,
	/// as the current and the queued validator set.
	fn start_sessions(validators: &[(AccountId, SessionKeys)]) -> Weight {
		for (account, keys) in validators {
			for id in SessionKeys::key_ids() {
				pallet_session::KeyOwner::<Runtime>::insert(
					(*id, keys.get_raw(*id).to_vec()),
					account,
				);
			}
			pallet_session::NextKeys::<Runtime>::insert(account, keys);
			if frame_system::Pallet::<Runtime>::inc_consumers_without_limit(account).is_err() {
				frame_system::Pallet::<Runtime>::inc_providers(account);
			}
		}
		pallet_session::Validators::<Runtime>::put(
			validators.iter().map(|(account, _)| account.clone()).collect::<Vec<_>>(),
		);
		pallet_session::QueuedKeys::<Runtime>::put(validators.to_vec());
		let count = validators.len() as u64;
		<Runtime as frame_system::Config>::DbWeight::get().reads_writes(count, 4 * count + 2)
	}
}

impl OnRuntimeUpgrade for FoundConsortium {
	fn on_runtime_upgrade() -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		if !pallet_consortium::Members::<Runtime>::get().is_empty() {
			return db.reads(1);
		}
		let validators = Self::validators();
		let founders = validators
			.iter()
			.enumerate()
			.map(|(index, (account, _))| {
				let name = format!("Validator {}", index + 1).into_bytes();
				// Such a chain never recorded its validators' nodes: each hospital names its own.
				(account.clone(), name.try_into().unwrap_or_default(), None)
			})
			.collect();
		let mut weight = Consortium::found(founders).saturating_add(db.reads(3));
		if pallet_session::Validators::<Runtime>::get().is_empty() && !validators.is_empty() {
			weight = weight.saturating_add(Self::start_sessions(&validators));
		}
		weight
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
		use codec::Encode;
		let seated = pallet_consortium::Members::<Runtime>::get().to_vec();
		let founders: Vec<AccountId> = if seated.is_empty() {
			Self::validators().into_iter().map(|(account, _)| account).collect()
		} else {
			seated
		};
		let authorities = pallet_aura::Authorities::<Runtime>::get().to_vec();
		Ok((founders, authorities).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use codec::Decode;
		use polkadot_sdk::sp_consensus_aura::sr25519::AuthorityId as AuraId;
		let (mut founders, authorities) = <(Vec<AccountId>, Vec<AuraId>)>::decode(&mut &state[..])
			.map_err(|_| "the pre-upgrade state decodes")?;
		founders.sort();
		founders.dedup();
		let members = pallet_consortium::Members::<Runtime>::get().to_vec();
		frame_support::ensure!(members == founders, "the validators are the hospitals");
		let council = pallet_collective::Members::<Runtime, crate::configs::CouncilInstance>::get();
		frame_support::ensure!(council == members, "the council's members are the hospitals");
		frame_support::ensure!(
			pallet_aura::Authorities::<Runtime>::get().to_vec() == authorities,
			"the validator set carries on unchanged"
		);
		frame_support::ensure!(
			!pallet_session::Validators::<Runtime>::get().is_empty(),
			"the sessions have validators"
		);
		Consortium::do_try_state().map_err(Into::into)
	}
}
