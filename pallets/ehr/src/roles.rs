//! Administrators, professionals and patients.

use crate::{pallet::*, types::*};
use frame::{hashing::H256, prelude::*};

impl<T: Config> Pallet<T> {
	/// Errors: `AlreadyAdmin`, `CountOverflow`.
	pub(crate) fn do_add_admin(by: T::AccountId, admin: T::AccountId) -> DispatchResult {
		ensure!(!Admins::<T>::contains_key(&admin), Error::<T>::AlreadyAdmin);
		let count = AdminCount::<T>::get().checked_add(1).ok_or(Error::<T>::CountOverflow)?;
		Admins::<T>::insert(&admin, ());
		AdminCount::<T>::put(count);
		Self::keep_account(&admin);
		Self::deposit_event(Event::AdminAdded { admin, by });
		Ok(())
	}

	/// Errors: `NotAdmin` (the target is no admin), `LastAdmin`.
	pub(crate) fn do_remove_admin(by: T::AccountId, admin: T::AccountId) -> DispatchResult {
		ensure!(Admins::<T>::contains_key(&admin), Error::<T>::NotAdmin);
		let count = AdminCount::<T>::get();
		ensure!(count > 1, Error::<T>::LastAdmin);
		Admins::<T>::remove(&admin);
		AdminCount::<T>::put(count - 1);
		Self::deposit_event(Event::AdminRemoved { admin, by });
		Ok(())
	}

	/// Errors: `AlreadyProfessional`, `CountOverflow`.
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_register_professional(
		by: T::AccountId,
		professional: T::AccountId,
		kind: ProfessionalKind,
		display_name: NameOf<T>,
		specialty: NameOf<T>,
		licence_commitment: H256,
		organisation: NameOf<T>,
		encryption_key: [u8; 32],
	) -> DispatchResult {
		ensure!(!Professionals::<T>::contains_key(&professional), Error::<T>::AlreadyProfessional);
		let count =
			ProfessionalCount::<T>::get().checked_add(1).ok_or(Error::<T>::CountOverflow)?;
		let active =
			ActiveProfessionalCount::<T>::get().checked_add(1).ok_or(Error::<T>::CountOverflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		Professionals::<T>::insert(
			&professional,
			Professional {
				kind,
				display_name,
				specialty,
				licence_commitment,
				organisation,
				encryption_key,
				status: ProfessionalStatus::Active,
				registered_by: by.clone(),
				registered_at: now,
				status_changed_at: now,
			},
		);
		ProfessionalCount::<T>::put(count);
		ActiveProfessionalCount::<T>::put(active);
		Self::keep_account(&professional);
		Self::deposit_event(Event::ProfessionalRegistered { professional, kind, by });
		Ok(())
	}

	/// Errors: `NotProfessional`, `ProfessionalNotActive`.
	pub(crate) fn do_suspend_professional(
		by: T::AccountId,
		professional: T::AccountId,
	) -> DispatchResult {
		let mut record =
			Professionals::<T>::get(&professional).ok_or(Error::<T>::NotProfessional)?;
		ensure!(record.status == ProfessionalStatus::Active, Error::<T>::ProfessionalNotActive);
		Self::set_status(&professional, &mut record, ProfessionalStatus::Suspended);
		Self::deposit_event(Event::ProfessionalSuspended { professional, by });
		Ok(())
	}

	/// Errors: `NotProfessional`, `ProfessionalRemoved`, `ProfessionalNotSuspended`.
	pub(crate) fn do_reinstate_professional(
		by: T::AccountId,
		professional: T::AccountId,
	) -> DispatchResult {
		let mut record =
			Professionals::<T>::get(&professional).ok_or(Error::<T>::NotProfessional)?;
		ensure!(record.status != ProfessionalStatus::Removed, Error::<T>::ProfessionalRemoved);
		ensure!(
			record.status == ProfessionalStatus::Suspended,
			Error::<T>::ProfessionalNotSuspended
		);
		Self::set_status(&professional, &mut record, ProfessionalStatus::Active);
		Self::deposit_event(Event::ProfessionalReinstated { professional, by });
		Ok(())
	}

	/// Errors: `NotProfessional`, `ProfessionalRemoved`.
	pub(crate) fn do_remove_professional(
		by: T::AccountId,
		professional: T::AccountId,
	) -> DispatchResult {
		let mut record =
			Professionals::<T>::get(&professional).ok_or(Error::<T>::NotProfessional)?;
		ensure!(record.status != ProfessionalStatus::Removed, Error::<T>::ProfessionalRemoved);
		Self::set_status(&professional, &mut record, ProfessionalStatus::Removed);
		Self::deposit_event(Event::ProfessionalRemoved { professional, by });
		Ok(())
	}

	/// Writes `status` and keeps the active count in step. The caller has checked the change
	/// is a real one, so the count moves by at most one and cannot leave `0..=professionals`.
	fn set_status(who: &T::AccountId, record: &mut ProfessionalOf<T>, status: ProfessionalStatus) {
		let was_active = record.status == ProfessionalStatus::Active;
		let is_active = status == ProfessionalStatus::Active;
		if was_active && !is_active {
			ActiveProfessionalCount::<T>::mutate(|n| *n = n.saturating_sub(1));
		} else if !was_active && is_active {
			ActiveProfessionalCount::<T>::mutate(|n| *n = n.saturating_add(1));
		}
		record.status = status;
		record.status_changed_at = frame_system::Pallet::<T>::block_number();
		Professionals::<T>::insert(who, record);
	}

	/// The active professional `who`, or the error that says why it may not act.
	///
	/// Errors: `NotProfessional`, `ProfessionalSuspended`, `ProfessionalRemoved`.
	pub(crate) fn active_professional(who: &T::AccountId) -> Result<ProfessionalOf<T>, Error<T>> {
		let record = Professionals::<T>::get(who).ok_or(Error::<T>::NotProfessional)?;
		match record.status {
			ProfessionalStatus::Active => Ok(record),
			ProfessionalStatus::Suspended => Err(Error::<T>::ProfessionalSuspended),
			ProfessionalStatus::Removed => Err(Error::<T>::ProfessionalRemoved),
		}
	}

	/// Errors: `NotAllowedToRegister`, `ProfessionalSuspended`, `ProfessionalRemoved`,
	/// `NotProfessional` (an admin passing a registrar envelope), `AlreadyPatient`,
	/// `DuplicateInsurance`, `EmptyEnvelope`, `CountOverflow`.
	pub(crate) fn do_register_patient(
		by: T::AccountId,
		patient: T::AccountId,
		insurance_commitment: H256,
		encryption_key: [u8; 32],
		escrow_envelope: EnvelopeOf<T>,
		registrar_envelope: Option<EnvelopeOf<T>>,
	) -> DispatchResult {
		// A professional registers as itself; an admin who is no professional may register too,
		// but gets no grant.
		let registrar_is_professional = match Self::active_professional(&by) {
			Ok(_) => true,
			Err(Error::<T>::NotProfessional) => {
				ensure!(Admins::<T>::contains_key(&by), Error::<T>::NotAllowedToRegister);
				false
			},
			Err(e) => return Err(e.into()),
		};
		ensure!(!Patients::<T>::contains_key(&patient), Error::<T>::AlreadyPatient);
		ensure!(
			!PatientByInsurance::<T>::contains_key(insurance_commitment),
			Error::<T>::DuplicateInsurance
		);
		ensure!(!escrow_envelope.is_empty(), Error::<T>::EmptyEnvelope);
		if let Some(envelope) = &registrar_envelope {
			// Only a professional can hold a grant; an admin registering alone passes none.
			ensure!(registrar_is_professional, Error::<T>::NotProfessional);
			ensure!(!envelope.is_empty(), Error::<T>::EmptyEnvelope);
		}
		let count = PatientCount::<T>::get().checked_add(1).ok_or(Error::<T>::CountOverflow)?;
		let records = RecordCount::<T>::get().checked_add(1).ok_or(Error::<T>::CountOverflow)?;

		let now = frame_system::Pallet::<T>::block_number();
		let genesis = Self::genesis_entry(&by, &patient, &insurance_commitment, &encryption_key);
		let genesis_hash = genesis.hash;
		Records::<T>::insert(&patient, 0, genesis);
		Patients::<T>::insert(
			&patient,
			Patient {
				insurance_commitment,
				encryption_key,
				registered_by: by.clone(),
				registered_at: now,
				profile: None,
				key_epoch: 0,
				escrow_envelope,
				record_count: 1,
				head: genesis_hash,
			},
		);
		PatientByInsurance::<T>::insert(insurance_commitment, &patient);
		PatientCount::<T>::put(count);
		RecordCount::<T>::put(records);
		Self::keep_account(&patient);
		Self::deposit_event(Event::PatientRegistered {
			patient: patient.clone(),
			by: by.clone(),
			genesis_hash,
		});

		if let Some(envelope) = registrar_envelope {
			Self::insert_grant(&patient, &by, GrantScope::ReadWrite, None, envelope, 0);
		}
		Ok(())
	}

	/// Errors: `NotPatient`.
	pub(crate) fn do_update_patient_key(
		patient: T::AccountId,
		encryption_key: [u8; 32],
	) -> DispatchResult {
		Patients::<T>::try_mutate(&patient, |record| -> DispatchResult {
			let record = record.as_mut().ok_or(Error::<T>::NotPatient)?;
			record.encryption_key = encryption_key;
			Ok(())
		})?;
		Self::deposit_event(Event::PatientKeyUpdated { patient });
		Ok(())
	}

	/// Errors: `NotPatient`.
	pub(crate) fn do_set_profile(
		patient: T::AccountId,
		profile: Option<LocatorOf<T>>,
	) -> DispatchResult {
		Patients::<T>::try_mutate(&patient, |record| -> DispatchResult {
			let record = record.as_mut().ok_or(Error::<T>::NotPatient)?;
			record.profile = profile;
			Ok(())
		})?;
		Self::deposit_event(Event::PatientProfileUpdated { patient });
		Ok(())
	}
}
