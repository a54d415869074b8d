//! The validators are the hospitals: each validates once the consortium admitted it and its
//! node's keys are set, and stops when the consortium removes it.

use super::{AccountId, BlockNumber, Consortium, Runtime};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		traits::{Contains, EstimateNextSessionRotation},
		weights::Weight,
	},
	sp_runtime::{traits::Convert, DispatchResult, Permill},
	*,
};

/// A session's number (`sp_staking::SessionIndex`).
type SessionIndex = u32;

/// A hospital's validator id is its account; no other account has one, so only hospitals set
/// session keys.
pub struct HospitalValidator;

impl Convert<AccountId, Option<AccountId>> for HospitalValidator {
	fn convert(account: AccountId) -> Option<AccountId> {
		Consortium::contains(&account).then_some(account)
	}
}

/// Chooses each session's validators: the consortium's hospitals whose node keys are set, in
/// the consortium's (sorted) order. A set without any is never chosen (the chain would stop), and an
/// unchanged set is not chosen again (so that GRANDPA's set changes only when the hospitals
/// do).
pub struct HospitalValidators;

impl HospitalValidators {
	/// The hospitals with keys.
	fn with_keys() -> Vec<AccountId> {
		pallet_consortium::Members::<Runtime>::get()
			.into_iter()
			.filter(|hospital| pallet_session::NextKeys::<Runtime>::contains_key(hospital))
			.collect()
	}
}

impl pallet_session::SessionManager<AccountId> for HospitalValidators {
	fn new_session(_: SessionIndex) -> Option<Vec<AccountId>> {
		let next = Self::with_keys();
		// The queued set in any order (a chain founded by migration keeps its validators in
		// their former order): the same accounts are no change.
		let mut queued = pallet_session::QueuedKeys::<Runtime>::get()
			.into_iter()
			.map(|(validator, _)| validator)
			.collect::<Vec<_>>();
		queued.sort();
		(!next.is_empty() && next != queued).then_some(next)
	}

	fn end_session(_: SessionIndex) {}

	fn start_session(_: SessionIndex) {}
}

/// Forgets the node keys a hospital set in an earlier membership when the consortium admits it
/// again, so that its node validates only once the hospital sets keys anew (its old node may be
/// long gone). The keys of the current and queued sets are copies: the sessions under way keep
/// them.
pub struct ForgetStaleKeys;

impl pallet_consortium::OnAdmission<AccountId> for ForgetStaleKeys {
	fn admitted(hospital: &AccountId) -> Weight {
		if !pallet_session::NextKeys::<Runtime>::contains_key(hospital) {
			return <Runtime as frame_system::Config>::DbWeight::get().reads(1);
		}
		let origin = frame_system::RawOrigin::Signed(hospital.clone());
		// The hospital has a validator id now, which is all purging asks.
		let _ = pallet_session::Pallet::<Runtime>::purge_keys(origin.into());
		use pallet_session::WeightInfo;
		pallet_session::weights::SubstrateWeight::<Runtime>::purge_keys()
	}
}

/// The sessions of the consortium's length (`pallet_consortium::SessionLength`): the
/// consortium pallet ends each, at every multiple of the length, for the rotation's measured
/// weight; the session pallet's own hook never does (it would charge the whole block, and
/// every session's last block would carry no one's transaction). Estimates the next end from
/// the length.
pub struct ConsortiumSessions;

impl ConsortiumSessions {
	fn length() -> BlockNumber {
		pallet_consortium::SessionLength::<Runtime>::get().max(1)
	}
}

impl pallet_consortium::Sessions<AccountId> for ConsortiumSessions {
	fn rotate() {
		pallet_session::Pallet::<Runtime>::rotate_session();
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_keys(hospitals: &[AccountId]) {
		use codec::Decode;
		use sp_runtime::traits::TrailingZeroInput;
		let _ = pallet_session::NextKeys::<Runtime>::clear(u32::MAX, None);
		for hospital in hospitals {
			// Keys of its own for each hospital (a key held twice would be refused), as a
			// hospital's `Session::set_keys` leaves them; a rotation reads nothing else.
			let raw: &[u8; 32] = hospital.as_ref();
			let mut bytes = [0u8; 64];
			bytes[..32].copy_from_slice(raw);
			bytes[32..].copy_from_slice(raw);
			if let Ok(keys) = crate::SessionKeys::decode(&mut TrailingZeroInput::new(&bytes)) {
				pallet_session::NextKeys::<Runtime>::insert(hospital, keys);
			}
		}
	}
}

impl pallet_session::ShouldEndSession<BlockNumber> for ConsortiumSessions {
	/// Never by the session pallet's hook: the consortium pallet's ends sessions.
	fn should_end_session(_: BlockNumber) -> bool {
		false
	}
}

impl EstimateNextSessionRotation<BlockNumber> for ConsortiumSessions {
	fn average_session_length() -> BlockNumber {
		Self::length()
	}

	fn estimate_current_session_progress(now: BlockNumber) -> (Option<Permill>, Weight) {
		let length = Self::length();
		let progress = Permill::from_rational(now % length + 1, length);
		(Some(progress), <Runtime as frame_system::Config>::DbWeight::get().reads(1))
	}

	fn estimate_next_session_rotation(now: BlockNumber) -> (Option<BlockNumber>, Weight) {
		let length = Self::length();
		let next = now.saturating_add(length - now % length);
		(Some(next), <Runtime as frame_system::Config>::DbWeight::get().reads(1))
	}
}

/// GRANDPA's forced change of its set, which the consortium decides when finality stalls
/// (`Consortium::note_stalled`): GRANDPA schedules it at the next session's start.
pub struct ForcedFinalityChange;

impl pallet_consortium::NoteStalled<BlockNumber> for ForcedFinalityChange {
	fn note_stalled(delay: BlockNumber, best_finalized: BlockNumber) -> DispatchResult {
		pallet_grandpa::Pallet::<Runtime>::note_stalled(
			frame_system::RawOrigin::Root.into(),
			delay,
			best_finalized,
		)
	}
}
