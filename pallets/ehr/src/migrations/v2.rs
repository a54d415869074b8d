//! Storage version 1 → 2: patients' account status and break-glass standings.
//!
//! - [`Patients`] gain a `status` (an admin may suspend or remove an account); every patient of
//!   version 1 is active.
//! - Version 2 keeps, per professional, how many of its emergency accesses wait for review
//!   ([`EmergencyStandings`]); a professional may not break the glass again until they are
//!   reviewed. The accesses opened under version 1 are counted here, so that one left
//!   unreviewed before the upgrade still holds its professional back afterwards.
//!
//! The break-glass policy starts at its default; no other stored type changes.

use crate::{pallet::*, types::*};
use alloc::collections::BTreeMap;
#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;
use frame::{
	deps::frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade},
	hashing::H256,
	prelude::*,
};

/// A patient as version 1 stored it: no status.
#[derive(codec::Decode)]
pub struct PatientV1<AccountId, BlockNumber, Locator, Envelope> {
	insurance_commitment: H256,
	encryption_key: [u8; 32],
	registered_by: AccountId,
	registered_at: BlockNumber,
	profile: Option<Locator>,
	key_epoch: u32,
	escrow_envelope: Envelope,
	record_count: u32,
	head: H256,
}

type PatientV1Of<T> = PatientV1<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	LocatorOf<T>,
	EnvelopeOf<T>,
>;

/// Gives every patient a status and counts each professional's unreviewed emergency accesses
/// into its standing.
pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

impl<T: Config> InnerMigrateV1ToV2<T> {
	/// The unreviewed accesses of each professional, from [`EmergencyAccesses`].
	fn unreviewed() -> BTreeMap<T::AccountId, u32> {
		let mut counts = BTreeMap::new();
		for access in EmergencyAccesses::<T>::iter_values().filter(|a| a.review.is_none()) {
			let count: &mut u32 = counts.entry(access.professional).or_default();
			*count = count.saturating_add(1);
		}
		counts
	}
}

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut patients = 0u64;
		Patients::<T>::translate::<PatientV1Of<T>, _>(|_, old| {
			patients = patients.saturating_add(1);
			Some(Patient {
				insurance_commitment: old.insurance_commitment,
				encryption_key: old.encryption_key,
				registered_by: old.registered_by,
				registered_at: old.registered_at,
				profile: old.profile,
				key_epoch: old.key_epoch,
				escrow_envelope: old.escrow_envelope,
				record_count: old.record_count,
				head: old.head,
				status: PatientStatus::Active,
			})
		});
		let accesses = NextEmergencyId::<T>::get();
		let counts = Self::unreviewed();
		let written = counts.len() as u64;
		for (professional, unreviewed) in counts {
			EmergencyStandings::<T>::mutate(&professional, |standing| {
				standing.unreviewed = unreviewed
			});
		}
		T::DbWeight::get().reads_writes(
			accesses.saturating_add(patients).saturating_add(1),
			written.saturating_add(patients),
		)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, frame::try_runtime::TryRuntimeError> {
		use codec::Encode;
		Ok((UnreviewedEmergencyCount::<T>::get(), PatientCount::<T>::get()).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), frame::try_runtime::TryRuntimeError> {
		use codec::Decode;
		let (before, patients) = <(u32, u32)>::decode(&mut &state[..])
			.map_err(|_| "the pre-upgrade state does not decode")?;
		ensure!(
			Patients::<T>::iter_values().filter(|p| p.status == PatientStatus::Active).count()
				as u32 == patients,
			"a patient was lost or is not active after the upgrade"
		);
		let counted: u32 = EmergencyStandings::<T>::iter_values()
			.fold(0u32, |sum, standing| sum.saturating_add(standing.unreviewed));
		ensure!(counted == before, "standings do not add up to the unreviewed accesses");
		Ok(())
	}
}

/// The migration from storage version 1 to 2, for the runtime's `Migrations`.
pub type MigrateV1ToV2<T> = VersionedMigration<
	1,
	2,
	InnerMigrateV1ToV2<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

#[cfg(test)]
mod tests {
	use super::*;
	use crate::mock::*;
	use frame::deps::frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade};

	fn access(professional: u64, review: Option<(u64, ReviewOutcome)>) -> EmergencyAccessOf<Test> {
		EmergencyAccess {
			patient: 20,
			professional,
			reason: EmergencyReason::Other,
			opened_at: 1,
			expires_at: 2,
			closed: None,
			key_envelope: None,
			review,
		}
	}

	#[test]
	fn unreviewed_accesses_of_version_one_hold_their_professional_back() {
		new_test_ext().execute_with(|| {
			// State as version 1 left it: three accesses, two of them unreviewed, no standings.
			StorageVersion::new(1).put::<Pallet<Test>>();
			EmergencyAccesses::<Test>::insert(0, access(10, None));
			EmergencyAccesses::<Test>::insert(1, access(10, Some((1, ReviewOutcome::Justified))));
			EmergencyAccesses::<Test>::insert(2, access(11, None));
			NextEmergencyId::<Test>::put(3);
			UnreviewedEmergencyCount::<Test>::put(2);

			MigrateV1ToV2::<Test>::on_runtime_upgrade();

			assert_eq!(EmergencyStandings::<Test>::get(10).unreviewed, 1);
			assert_eq!(EmergencyStandings::<Test>::get(11).unreviewed, 1);
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(2));
		});
	}

	#[test]
	fn patients_of_version_one_become_active_with_everything_kept() {
		use codec::Encode;
		new_test_ext().execute_with(|| {
			StorageVersion::new(1).put::<Pallet<Test>>();
			// A version-1 patient: the version-2 layout without the trailing status byte.
			let old = PatientOf::<Test> {
				insurance_commitment: H256::repeat_byte(1),
				encryption_key: [2; 32],
				registered_by: 10,
				registered_at: 3,
				profile: Some(BoundedVec::truncate_from(b"sha256/ab".to_vec())),
				key_epoch: 4,
				escrow_envelope: BoundedVec::truncate_from(vec![5; 48]),
				record_count: 6,
				head: H256::repeat_byte(7),
				status: PatientStatus::Active,
			};
			let mut bytes = old.encode();
			bytes.pop();
			frame::deps::sp_io::storage::set(&Patients::<Test>::hashed_key_for(20), &bytes);
			assert!(Patients::<Test>::try_get(20).is_err(), "the old layout does not decode");

			MigrateV1ToV2::<Test>::on_runtime_upgrade();

			assert_eq!(Patients::<Test>::get(20), Some(old));
		});
	}

	#[test]
	fn runs_only_from_version_one() {
		new_test_ext().execute_with(|| {
			StorageVersion::new(2).put::<Pallet<Test>>();
			EmergencyAccesses::<Test>::insert(0, access(10, None));
			NextEmergencyId::<Test>::put(1);
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(EmergencyStandings::<Test>::get(10).unreviewed, 0);
		});
	}
}
