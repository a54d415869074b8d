//! Administrators, professionals and patients.

use crate::{pallet::*, types::*};
use frame::{hashing::H256, prelude::*, traits::Verify};

impl<T: Config> Pallet<T> {
	/// Whether `who` is a patient or signs for one.
	pub(crate) fn is_patient_account(who: &T::AccountId) -> bool {
		Patients::<T>::contains_key(who) || PatientOfAccount::<T>::contains_key(who)
	}

	/// Whether `who` holds any role: admin, professional, patient or a patient's signer.
	pub(crate) fn holds_any_role(who: &T::AccountId) -> bool {
		Admins::<T>::contains_key(who)
			|| Professionals::<T>::contains_key(who)
			|| Self::is_patient_account(who)
	}

	/// The hash of this chain's genesis block, which consents are bound to.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// Errors: `NotHospital`, `TooManyAdmins`, `AlreadyAdmin`, `AccountHasAnotherRole`,
	/// `CountOverflow`.
	pub(crate) fn do_add_admin(
		admin: T::AccountId,
		hospital: Option<T::AccountId>,
	) -> DispatchResult {
		ensure!(hospital.as_ref().is_none_or(T::Hospitals::contains), Error::<T>::NotHospital);
		ensure!(!Admins::<T>::contains_key(&admin), Error::<T>::AlreadyAdmin);
		ensure!(!Self::is_patient_account(&admin), Error::<T>::AccountHasAnotherRole);
		let count = AdminCount::<T>::get().checked_add(1).ok_or(Error::<T>::CountOverflow)?;
		match &hospital {
			Some(hospital) => {
				let of_hospital = HospitalAdminCount::<T>::get(hospital);
				ensure!(of_hospital < T::MaxAdminsPerHospital::get(), Error::<T>::TooManyAdmins);
				HospitalAdminCount::<T>::insert(hospital, of_hospital.saturating_add(1));
			},
			None => ConsortiumAdminCount::<T>::mutate(|n| *n = n.saturating_add(1)),
		}
		Admins::<T>::insert(&admin, Admin { hospital: hospital.clone() });
		AdminCount::<T>::put(count);
		Self::keep_account(&admin);
		Self::deposit_event(Event::AdminAdded { admin, hospital });
		Ok(())
	}

	/// Errors: `NotAdmin` (the target is no admin), `LastAdmin` (the consortium's last).
	pub(crate) fn do_remove_admin(admin: T::AccountId) -> DispatchResult {
		let record = Admins::<T>::get(&admin).ok_or(Error::<T>::NotAdmin)?;
		match &record.hospital {
			Some(hospital) => HospitalAdminCount::<T>::mutate_exists(hospital, |n| {
				*n = n.map(|n| n.saturating_sub(1)).filter(|n| *n > 0)
			}),
			None => {
				let of_consortium = ConsortiumAdminCount::<T>::get();
				ensure!(of_consortium > 1, Error::<T>::LastAdmin);
				ConsortiumAdminCount::<T>::put(of_consortium - 1);
			},
		}
		Admins::<T>::remove(&admin);
		AdminCount::<T>::mutate(|n| *n = n.saturating_sub(1));
		Self::deposit_event(Event::AdminRemoved { admin });
		Ok(())
	}

	/// Errors: `AlreadyProfessional`, `AccountHasAnotherRole`, `CountOverflow`.
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
		ensure!(!Self::is_patient_account(&professional), Error::<T>::AccountHasAnotherRole);
		let hospital = Admins::<T>::get(&by).and_then(|admin| admin.hospital);
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
				hospital,
			},
		);
		ProfessionalCount::<T>::put(count);
		ActiveProfessionalCount::<T>::put(active);
		Self::keep_account(&professional);
		Self::deposit_event(Event::ProfessionalRegistered { professional, kind, by });
		Ok(())
	}

	/// The professional `by` may manage, and its record.
	///
	/// Errors: `NotProfessional`, `NotAdmin`, `NotOwnStaff`.
	fn managed_professional(
		by: &T::AccountId,
		professional: &T::AccountId,
	) -> Result<ProfessionalOf<T>, DispatchError> {
		let record = Professionals::<T>::get(professional).ok_or(Error::<T>::NotProfessional)?;
		Self::ensure_manages(by, record.hospital.as_ref())?;
		Ok(record)
	}

	/// Errors: `NotProfessional`, `NotOwnStaff`, `ProfessionalNotActive`.
	pub(crate) fn do_suspend_professional(
		by: T::AccountId,
		professional: T::AccountId,
	) -> DispatchResult {
		let mut record = Self::managed_professional(&by, &professional)?;
		ensure!(record.status == ProfessionalStatus::Active, Error::<T>::ProfessionalNotActive);
		Self::set_status(&professional, &mut record, ProfessionalStatus::Suspended);
		Self::deposit_event(Event::ProfessionalSuspended { professional, by });
		Ok(())
	}

	/// Errors: `NotProfessional`, `NotOwnStaff`, `ProfessionalRemoved`,
	/// `ProfessionalNotSuspended`.
	pub(crate) fn do_reinstate_professional(
		by: T::AccountId,
		professional: T::AccountId,
	) -> DispatchResult {
		let mut record = Self::managed_professional(&by, &professional)?;
		ensure!(record.status != ProfessionalStatus::Removed, Error::<T>::ProfessionalRemoved);
		ensure!(
			record.status == ProfessionalStatus::Suspended,
			Error::<T>::ProfessionalNotSuspended
		);
		Self::set_status(&professional, &mut record, ProfessionalStatus::Active);
		Self::deposit_event(Event::ProfessionalReinstated { professional, by });
		Ok(())
	}

	/// Errors: `NotProfessional`, `NotOwnStaff`, `ProfessionalRemoved`.
	pub(crate) fn do_remove_professional(
		by: T::AccountId,
		professional: T::AccountId,
	) -> DispatchResult {
		let mut record = Self::managed_professional(&by, &professional)?;
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
	/// `AccountHasAnotherRole`, `DuplicateInsurance`, `EmptyEnvelope`, `CountOverflow`.
	pub(crate) fn do_register_patient(
		by: T::AccountId,
		patient: T::AccountId,
		insurance_commitment: H256,
		encryption_key: [u8; 32],
		escrow_envelope: EnvelopeOf<T>,
		registrar_envelope: Option<EnvelopeOf<T>>,
		consent: T::Signature,
	) -> DispatchResult {
		// A professional registers as itself; an admin who is no professional may register too,
		// but gets no grant. The patient's account is managed by the registrar's hospital.
		let (registrar, hospital) = Self::registrar(&by)?;
		let registrar_is_professional = registrar == Registrar::Professional;
		ensure!(!Patients::<T>::contains_key(&patient), Error::<T>::AlreadyPatient);
		// A patient is never also a professional or an admin: a removed professional must not
		// keep acting through a patient account, nor a registrar register itself.
		ensure!(!Self::holds_any_role(&patient), Error::<T>::AccountHasAnotherRole);
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
		let consented =
			registration_consent(&Self::genesis_hash(), &by, &encryption_key, &escrow_envelope);
		ensure!(consent.verify(&consented[..], &patient), Error::<T>::InvalidConsent);
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
				status: PatientStatus::Active,
			},
		);
		PatientByInsurance::<T>::insert(insurance_commitment, &patient);
		if let Some(hospital) = hospital {
			PatientHospital::<T>::insert(&patient, hospital);
		}
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

	/// Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`.
	pub(crate) fn do_update_patient_key(
		signer: T::AccountId,
		encryption_key: [u8; 32],
	) -> DispatchResult {
		let (patient, mut record) = Self::acting_patient(&signer)?;
		record.encryption_key = encryption_key;
		Patients::<T>::insert(&patient, record);
		Self::deposit_event(Event::PatientKeyUpdated { patient });
		Ok(())
	}

	/// Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`.
	pub(crate) fn do_set_profile(
		signer: T::AccountId,
		profile: Option<LocatorOf<T>>,
	) -> DispatchResult {
		let (patient, mut record) = Self::acting_patient(&signer)?;
		record.profile = profile;
		Patients::<T>::insert(&patient, record);
		Self::deposit_event(Event::PatientProfileUpdated { patient });
		Ok(())
	}

	/// The patient whose transactions `signer` signs: the patient itself, or the account it
	/// moved to with [`Pallet::move_patient_account`]. A patient's first account signs no more
	/// once it has moved.
	pub fn patient_signed_by(signer: &T::AccountId) -> Option<T::AccountId> {
		PatientOfAccount::<T>::get(signer).or_else(|| {
			(Patients::<T>::contains_key(signer) && !PatientAccount::<T>::contains_key(signer))
				.then(|| signer.clone())
		})
	}

	/// The patient `signer` signs for and its record, if the patient may act.
	///
	/// Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`.
	pub(crate) fn acting_patient(
		signer: &T::AccountId,
	) -> Result<(T::AccountId, PatientOf<T>), Error<T>> {
		let patient = Self::patient_signed_by(signer).ok_or(Error::<T>::NotPatient)?;
		let record = Patients::<T>::get(&patient).ok_or(Error::<T>::NotPatient)?;
		match record.status {
			PatientStatus::Active => Ok((patient, record)),
			PatientStatus::Suspended => Err(Error::<T>::PatientSuspended),
			PatientStatus::Removed => Err(Error::<T>::PatientRemoved),
		}
	}

	/// Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`, `AccountHasAnotherRole`,
	/// `InvalidConsent`, and those of [`Self::advance_epoch`].
	pub(crate) fn do_move_patient_account(
		signer: T::AccountId,
		account: T::AccountId,
		encryption_key: [u8; 32],
		escrow_envelope: EnvelopeOf<T>,
		regrants: RegrantsOf<T>,
		consent: T::Signature,
	) -> DispatchResult {
		let (patient, mut record) = Self::acting_patient(&signer)?;
		ensure!(!Self::holds_any_role(&account), Error::<T>::AccountHasAnotherRole);
		let consented =
			move_consent(&Self::genesis_hash(), &patient, &encryption_key, &escrow_envelope);
		ensure!(consent.verify(&consented[..], &account), Error::<T>::InvalidConsent);
		let regrants = Self::advance_epoch(&patient, None, &mut record, escrow_envelope, regrants)?;
		record.encryption_key = encryption_key;
		let key_epoch = record.key_epoch;
		Patients::<T>::insert(&patient, record);
		if let Some(previous) = PatientAccount::<T>::get(&patient) {
			PatientOfAccount::<T>::remove(previous);
		}
		PatientAccount::<T>::insert(&patient, &account);
		PatientOfAccount::<T>::insert(&account, &patient);
		Self::keep_account(&account);
		Self::deposit_event(Event::PatientAccountMoved {
			patient: patient.clone(),
			account,
			key_epoch,
		});
		Self::apply_regrants(&patient, regrants, key_epoch);
		Ok(())
	}

	/// Errors: `NotPatient`, `NotOwnStaff`, `PatientNotActive`.
	pub(crate) fn do_suspend_patient(by: T::AccountId, patient: T::AccountId) -> DispatchResult {
		let mut record = Self::managed_patient(&by, &patient)?;
		ensure!(record.status == PatientStatus::Active, Error::<T>::PatientNotActive);
		record.status = PatientStatus::Suspended;
		Patients::<T>::insert(&patient, record);
		Self::deposit_event(Event::PatientSuspended { patient, by });
		Ok(())
	}

	/// Errors: `NotPatient`, `NotOwnStaff`, `PatientRemoved`, `PatientNotSuspended`.
	pub(crate) fn do_reinstate_patient(by: T::AccountId, patient: T::AccountId) -> DispatchResult {
		let mut record = Self::managed_patient(&by, &patient)?;
		ensure!(record.status != PatientStatus::Removed, Error::<T>::PatientRemoved);
		ensure!(record.status == PatientStatus::Suspended, Error::<T>::PatientNotSuspended);
		record.status = PatientStatus::Active;
		Patients::<T>::insert(&patient, record);
		Self::deposit_event(Event::PatientReinstated { patient, by });
		Ok(())
	}

	/// Errors: `NotPatient`, `NotOwnStaff`, `PatientRemoved`.
	pub(crate) fn do_remove_patient(by: T::AccountId, patient: T::AccountId) -> DispatchResult {
		let mut record = Self::managed_patient(&by, &patient)?;
		ensure!(record.status != PatientStatus::Removed, Error::<T>::PatientRemoved);
		record.status = PatientStatus::Removed;
		Patients::<T>::insert(&patient, record);
		Self::deposit_event(Event::PatientRemoved { patient, by });
		Ok(())
	}

	/// The patient `by` may manage, and its record: a patient is managed by the admins of the
	/// hospital that registered it ([`PatientHospital`]) and by the consortium's.
	///
	/// Errors: `NotPatient`, `NotAdmin`, `NotOwnStaff`.
	fn managed_patient(
		by: &T::AccountId,
		patient: &T::AccountId,
	) -> Result<PatientOf<T>, DispatchError> {
		let record = Patients::<T>::get(patient).ok_or(Error::<T>::NotPatient)?;
		Self::ensure_manages(by, PatientHospital::<T>::get(patient).as_ref())?;
		Ok(record)
	}

	/// Errors: `NotPatient`, `NotOwnStaff`, `PatientNotRemoved`, `InsuranceNotHeld`.
	pub(crate) fn do_release_insurance(by: T::AccountId, patient: T::AccountId) -> DispatchResult {
		let record = Self::managed_patient(&by, &patient)?;
		ensure!(record.status == PatientStatus::Removed, Error::<T>::PatientNotRemoved);
		let commitment = record.insurance_commitment;
		ensure!(
			PatientByInsurance::<T>::get(commitment).as_ref() == Some(&patient),
			Error::<T>::InsuranceNotHeld
		);
		PatientByInsurance::<T>::remove(commitment);
		Self::deposit_event(Event::InsuranceReleased { patient, by });
		Ok(())
	}
}
