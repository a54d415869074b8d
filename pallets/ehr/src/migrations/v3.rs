//! Storage version 2 → 3: administrators of a hospital.
//!
//! - [`Admins`] hold an [`Admin`] (the hospital it serves) instead of nothing; every admin of
//!   version 2 becomes an admin of the whole consortium, as it was, and is counted in
//!   [`ConsortiumAdminCount`]. (No hospital has admins yet, nor a patient a hospital.)
//! - [`Professionals`] gain the `hospital` whose admins manage them; every professional of
//!   version 2 was registered by an admin of the consortium, so it has none and stays managed
//!   by the consortium's admins.

use crate::{pallet::*, types::*};
#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;
use frame::{
	deps::frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade},
	hashing::H256,
	prelude::*,
};

/// A professional as version 2 stored it: no hospital.
#[derive(codec::Encode, codec::Decode)]
pub struct ProfessionalV2<AccountId, BlockNumber, Name> {
	kind: ProfessionalKind,
	display_name: Name,
	specialty: Name,
	licence_commitment: H256,
	organisation: Name,
	encryption_key: [u8; 32],
	status: ProfessionalStatus,
	registered_by: AccountId,
	registered_at: BlockNumber,
	status_changed_at: BlockNumber,
}

type ProfessionalV2Of<T> =
	ProfessionalV2<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, NameOf<T>>;

/// Makes every admin one of the consortium and every professional the consortium's staff.
pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut admins = 0u64;
		Admins::<T>::translate::<(), _>(|_, ()| {
			admins = admins.saturating_add(1);
			Some(Admin { hospital: None })
		});
		ConsortiumAdminCount::<T>::put(u32::try_from(admins).unwrap_or(u32::MAX));
		let mut professionals = 0u64;
		Professionals::<T>::translate::<ProfessionalV2Of<T>, _>(|_, old| {
			professionals = professionals.saturating_add(1);
			Some(Professional {
				kind: old.kind,
				display_name: old.display_name,
				specialty: old.specialty,
				licence_commitment: old.licence_commitment,
				organisation: old.organisation,
				encryption_key: old.encryption_key,
				status: old.status,
				registered_by: old.registered_by,
				registered_at: old.registered_at,
				status_changed_at: old.status_changed_at,
				hospital: None,
			})
		});
		let entries = admins.saturating_add(professionals);
		T::DbWeight::get().reads_writes(entries, entries.saturating_add(1))
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, frame::try_runtime::TryRuntimeError> {
		use codec::Encode;
		Ok((AdminCount::<T>::get(), ProfessionalCount::<T>::get()).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), frame::try_runtime::TryRuntimeError> {
		use codec::Decode;
		let (admins, professionals) = <(u32, u32)>::decode(&mut &state[..])
			.map_err(|_| "the pre-upgrade state does not decode")?;
		ensure!(
			Admins::<T>::iter_values().filter(|a| a.hospital.is_none()).count() as u32 == admins,
			"an admin was lost or no longer serves the whole consortium"
		);
		ensure!(ConsortiumAdminCount::<T>::get() == admins, "the consortium's admins miscounted");
		ensure!(
			Professionals::<T>::iter_values().filter(|p| p.hospital.is_none()).count() as u32
				== professionals,
			"a professional was lost or belongs to a hospital after the upgrade"
		);
		Ok(())
	}
}

/// The migration from storage version 2 to 3, for the runtime's `Migrations`.
pub type MigrateV2ToV3<T> = VersionedMigration<
	2,
	3,
	InnerMigrateV2ToV3<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

#[cfg(test)]
mod tests {
	use super::*;
	use crate::mock::*;
	use codec::{Decode, Encode};
	use frame::deps::frame_support::{
		assert_ok,
		traits::{GetStorageVersion, OnRuntimeUpgrade},
	};

	fn professional_v2() -> ProfessionalV2Of<Test> {
		ProfessionalV2 {
			kind: ProfessionalKind::Laboratory,
			display_name: BoundedVec::truncate_from(b"Lab".to_vec()),
			specialty: BoundedVec::truncate_from(b"haematology".to_vec()),
			licence_commitment: H256::repeat_byte(9),
			organisation: BoundedVec::truncate_from(b"City Lab".to_vec()),
			encryption_key: [3; 32],
			status: ProfessionalStatus::Suspended,
			registered_by: ADMIN,
			registered_at: 4,
			status_changed_at: 5,
		}
	}

	/// Writes state as version 2 left it: admins mapped to nothing, professionals without a
	/// hospital.
	fn version_two_state() {
		StorageVersion::new(2).put::<Pallet<Test>>();
		frame::deps::sp_io::storage::set(&Admins::<Test>::hashed_key_for(ADMIN), &[]);
		frame::deps::sp_io::storage::set(
			&Professionals::<Test>::hashed_key_for(10),
			&professional_v2().encode(),
		);
		ProfessionalCount::<Test>::put(1);
		assert!(Professionals::<Test>::try_get(10).is_err(), "the old layout does not decode");
		assert!(Admins::<Test>::try_get(ADMIN).is_err(), "the old layout does not decode");
	}

	#[test]
	fn admins_of_version_two_serve_the_whole_consortium() {
		new_test_ext().execute_with(|| {
			version_two_state();
			MigrateV2ToV3::<Test>::on_runtime_upgrade();
			assert_eq!(Admins::<Test>::get(ADMIN), Some(Admin { hospital: None }));
			assert_eq!(AdminCount::<Test>::get(), 1);
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(3));
		});
	}

	#[test]
	fn professionals_of_version_two_are_the_consortiums_with_everything_kept() {
		new_test_ext().execute_with(|| {
			version_two_state();
			MigrateV2ToV3::<Test>::on_runtime_upgrade();
			// Version 3's layout is version 2's with the hospital appended: `None` here.
			let expected = [professional_v2().encode(), vec![0]].concat();
			let expected = ProfessionalOf::<Test>::decode(&mut &expected[..]).expect("v3 layout");
			assert_eq!(Professionals::<Test>::get(10), Some(expected));
			// The consortium's admin still manages the professional; a hospital's does not.
			assert_ok!(Ehr::reinstate_professional(RuntimeOrigin::signed(ADMIN), 10));
		});
	}

	#[test]
	fn members_of_version_two_transact_until_the_migration_runs() {
		use crate::CheckMembership;
		use frame::deps::{
			frame_support::dispatch::DispatchInfo,
			sp_runtime::{traits::DispatchTransaction, transaction_validity::TransactionSource},
		};
		new_test_ext().execute_with(|| {
			// The upgrade's block enacted the new code; the pool checks transactions on its
			// state before the next block runs the migration.
			version_two_state();
			let check = |who: u64| {
				CheckMembership::<Test>::new().validate_only(
					Some(who).into(),
					&RuntimeCall::System(frame_system::Call::remark { remark: vec![] }),
					&DispatchInfo::default(),
					0,
					TransactionSource::External,
					0,
				)
			};
			assert_eq!(Ehr::role_of(&10), Some(Role::Professional));
			assert_eq!(Ehr::role_of(&ADMIN), Some(Role::Admin));
			assert!(check(10).is_ok(), "a professional's transaction waits for the migration");
			assert!(check(99).is_err(), "an outsider is still refused");
			assert_eq!(Ehr::role_of(&99), None);

			MigrateV2ToV3::<Test>::on_runtime_upgrade();
			// Suspended in version 2, the professional is no member once it is read.
			assert_eq!(Ehr::role_of(&10), None);
			assert_eq!(Ehr::role_of(&ADMIN), Some(Role::Admin));
		});
	}

	#[test]
	fn runs_only_from_version_two() {
		new_test_ext().execute_with(|| {
			StorageVersion::new(3).put::<Pallet<Test>>();
			frame::deps::sp_io::storage::set(&Admins::<Test>::hashed_key_for(7), &[]);
			MigrateV2ToV3::<Test>::on_runtime_upgrade();
			assert!(Admins::<Test>::try_get(7).is_err(), "left as it was");
		});
	}
}
