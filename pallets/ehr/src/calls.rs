//! The pallet's calls, spliced into the pallet by `#[import_section]`: each checks its origin
//! and hands over to the module of its concept.

use frame::pallet_section;

#[pallet_section]
mod calls {
	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Make `admin` an administrator of `hospital`, or of the whole consortium (`None`).
		///
		/// Origin: [`Config::ConsortiumOrigin`]. Errors: `NotHospital`, `TooManyAdmins`,
		/// `AlreadyAdmin`, `AccountHasAnotherRole`, `CountOverflow`. Event: `AdminAdded`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_admin())]
		pub fn add_admin(
			origin: OriginFor<T>,
			admin: T::AccountId,
			hospital: Option<T::AccountId>,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			Self::do_add_admin(admin, hospital)
		}

		/// Remove `admin` from the administrators, whichever hospital it serves; never the
		/// consortium's last one.
		///
		/// Origin: [`Config::ConsortiumOrigin`]. Errors: `NotAdmin` (the target), `LastAdmin`.
		/// Event: `AdminRemoved`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_admin())]
		pub fn remove_admin(origin: OriginFor<T>, admin: T::AccountId) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			Self::do_remove_admin(admin)
		}

		/// Make `admin` an administrator of the signing hospital: a hospital appoints its own
		/// admins, who register and manage its staff.
		///
		/// Origin: [`Config::HospitalOrigin`]. Errors: `TooManyAdmins`, `AlreadyAdmin`,
		/// `AccountHasAnotherRole`, `CountOverflow`. Event: `AdminAdded`.
		#[pallet::call_index(28)]
		#[pallet::weight(T::WeightInfo::appoint_admin())]
		pub fn appoint_admin(origin: OriginFor<T>, admin: T::AccountId) -> DispatchResult {
			let hospital = T::HospitalOrigin::ensure_origin(origin)?;
			Self::do_add_admin(admin, Some(hospital))
		}

		/// Remove one of the signing hospital's own admins.
		///
		/// Origin: [`Config::HospitalOrigin`]. Errors: `NotAdmin` (the target), `NotOwnStaff`
		/// (an admin of another hospital or of the consortium).
		/// Event: `AdminRemoved`.
		#[pallet::call_index(29)]
		#[pallet::weight(T::WeightInfo::dismiss_admin())]
		pub fn dismiss_admin(origin: OriginFor<T>, admin: T::AccountId) -> DispatchResult {
			let hospital = T::HospitalOrigin::ensure_origin(origin)?;
			let record = Admins::<T>::get(&admin).ok_or(Error::<T>::NotAdmin)?;
			ensure!(record.hospital.as_ref() == Some(&hospital), Error::<T>::NotOwnStaff);
			Self::do_remove_admin(admin)
		}

		/// Register `professional` with its public details and encryption key.
		///
		/// The professional joins the staff of the admin's hospital (of the consortium, for the
		/// consortium's admins), whose admins manage it from then on.
		///
		/// Origin: an admin. Errors: `NotAdmin`, `AlreadyProfessional`, `CountOverflow`.
		/// Event: `ProfessionalRegistered`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::register_professional())]
		pub fn register_professional(
			origin: OriginFor<T>,
			professional: T::AccountId,
			kind: ProfessionalKind,
			display_name: NameOf<T>,
			specialty: NameOf<T>,
			licence_commitment: H256,
			organisation: NameOf<T>,
			encryption_key: [u8; 32],
		) -> DispatchResult {
			let by = Self::ensure_admin(origin)?;
			Self::do_register_professional(
				by,
				professional,
				kind,
				display_name,
				specialty,
				licence_commitment,
				organisation,
				encryption_key,
			)
		}

		/// Suspend an active professional.
		///
		/// Origin: an admin managing the professional. Errors: `NotAdmin`, `NotProfessional`,
		/// `NotOwnStaff`, `ProfessionalNotActive`.
		/// Event: `ProfessionalSuspended`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::suspend_professional())]
		pub fn suspend_professional(
			origin: OriginFor<T>,
			professional: T::AccountId,
		) -> DispatchResult {
			let by = Self::ensure_admin(origin)?;
			Self::do_suspend_professional(by, professional)
		}

		/// Reinstate a suspended professional.
		///
		/// Origin: an admin managing the professional. Errors: `NotAdmin`, `NotProfessional`,
		/// `NotOwnStaff`, `ProfessionalRemoved`,
		/// `ProfessionalNotSuspended`. Event: `ProfessionalReinstated`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::reinstate_professional())]
		pub fn reinstate_professional(
			origin: OriginFor<T>,
			professional: T::AccountId,
		) -> DispatchResult {
			let by = Self::ensure_admin(origin)?;
			Self::do_reinstate_professional(by, professional)
		}

		/// Remove a professional for good; its registration and history are kept.
		///
		/// Origin: an admin managing the professional. Errors: `NotAdmin`, `NotProfessional`,
		/// `NotOwnStaff`, `ProfessionalRemoved`.
		/// Event: `ProfessionalRemoved`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::remove_professional())]
		pub fn remove_professional(
			origin: OriginFor<T>,
			professional: T::AccountId,
		) -> DispatchResult {
			let by = Self::ensure_admin(origin)?;
			Self::do_remove_professional(by, professional)
		}

		/// Register `patient` and start its record chain with a genesis entry.
		///
		/// The patient's keys come from the patient's own device: `consent` is the patient's
		/// signature over [`registration_consent`] (this chain, the registrar, the encryption key
		/// and the escrow envelope), so nobody registers an account without its holder.
		/// `escrow_envelope` is the patient's first record key wrapped for the consortium's
		/// emergency key. When a professional registers the patient and passes
		/// `registrar_envelope` (the same key wrapped for it), it also gets a read-write grant, so
		/// the patient is on its "my patients" list at once.
		///
		/// Origin: an active professional or an admin. Errors: `NotAllowedToRegister`,
		/// `ProfessionalSuspended`, `ProfessionalRemoved`, `NotProfessional` (an admin that is
		/// no professional passed `registrar_envelope`), `AlreadyPatient`,
		/// `AccountHasAnotherRole`, `DuplicateInsurance`, `EmptyEnvelope`, `InvalidConsent`,
		/// `CountOverflow`.
		/// Events: `PatientRegistered`, and `AccessGranted` for the registrar's grant.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::register_patient())]
		pub fn register_patient(
			origin: OriginFor<T>,
			patient: T::AccountId,
			insurance_commitment: H256,
			encryption_key: [u8; 32],
			escrow_envelope: EnvelopeOf<T>,
			registrar_envelope: Option<EnvelopeOf<T>>,
			consent: T::Signature,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_register_patient(
				by,
				patient,
				insurance_commitment,
				encryption_key,
				escrow_envelope,
				registrar_envelope,
				consent,
			)
		}

		/// Replace the patient's own encryption key.
		///
		/// Origin: the patient. Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`. Event:
		/// `PatientKeyUpdated`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::update_patient_key())]
		pub fn update_patient_key(
			origin: OriginFor<T>,
			encryption_key: [u8; 32],
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_update_patient_key(patient, encryption_key)
		}

		/// Point to the patient's encrypted profile document, or clear the pointer.
		///
		/// Origin: the patient. Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`. Event:
		/// `PatientProfileUpdated`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_profile())]
		pub fn set_profile(origin: OriginFor<T>, profile: Option<LocatorOf<T>>) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_set_profile(patient, profile)
		}

		/// Grant `professional` access, or renew its grant, with `envelope`: the record key of
		/// `key_epoch` wrapped for the professional. `key_epoch` must be the patient's current
		/// epoch, so an envelope made for another epoch can never land under this one. A
		/// revoked grant that this one replaces is kept in [`PastGrants`].
		///
		/// Origin: the patient. Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`,
		/// `NotProfessional`, `ProfessionalSuspended`, `ProfessionalRemoved`,
		/// `GrantForWrongKeyEpoch`, `ExpiryInPast`, `EmptyEnvelope`. Event: `AccessGranted`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::grant_access())]
		pub fn grant_access(
			origin: OriginFor<T>,
			professional: T::AccountId,
			scope: GrantScope,
			expires_at: Option<BlockNumberFor<T>>,
			key_epoch: u32,
			envelope: EnvelopeOf<T>,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_grant_access(patient, professional, scope, expires_at, key_epoch, envelope)
		}

		/// Revoke `professional`'s grant and advance the patient's key epoch, in one step with
		/// handing the new epoch's key to the grantees the patient keeps.
		///
		/// `escrow_envelope` is the new epoch's record key wrapped for the consortium's emergency
		/// key; `regrants` carry it wrapped for other grantees, each of which must hold a live
		/// grant (its scope and expiry stay). Either all of it happens or none: a refused revoke
		/// hands out no key of the next epoch.
		///
		/// Origin: the patient. Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`,
		/// `NotGranted`, `GrantRevoked`, `EmptyEnvelope`, `KeyEpochOverflow`,
		/// `RegrantWithoutGrant`, `DuplicateRegrant`. Events: `AccessRevoked`, then `AccessGranted`
		/// for each re-grant.
		#[pallet::call_index(10)]
		// A revoke also closes the revoked professional's open emergency access to the patient.
		#[pallet::weight(T::WeightInfo::revoke_access(regrants.len() as u32)
			.saturating_add(T::WeightInfo::close_emergency_access()))]
		pub fn revoke_access(
			origin: OriginFor<T>,
			professional: T::AccountId,
			escrow_envelope: EnvelopeOf<T>,
			regrants: RegrantsOf<T>,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_revoke_access(patient, professional, escrow_envelope, regrants)
		}

		/// Break the glass: open time-boxed access to `patient` for `duration` blocks, the
		/// current one included.
		///
		/// Only kinds of professional the [`EmergencyPolicySetting`] names may, not while an
		/// earlier access of theirs waits for review or after one was judged unjustified (until
		/// an admin clears it), and at most `max_opens` times per period.
		///
		/// Origin: an active professional. Errors: `NotProfessional`, `ProfessionalSuspended`,
		/// `ProfessionalRemoved`, `KindMayNotBreakGlass`, `NotPatient`, `ZeroDuration`,
		/// `EmergencyDurationTooLong`, `EmergencyAlreadyOpen`, `EmergencyAccessBarred`,
		/// `EmergencyReviewPending`, `TooManyEmergencyAccesses`, `EmergencyCounterOverflow`.
		/// Event: `EmergencyAccessOpened`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::open_emergency_access())]
		pub fn open_emergency_access(
			origin: OriginFor<T>,
			patient: T::AccountId,
			reason: EmergencyReason,
			duration: BlockNumberFor<T>,
		) -> DispatchResult {
			let professional = ensure_signed(origin)?;
			Self::do_open_emergency_access(professional, patient, reason, duration)
		}

		/// Close emergency access `id` before it expires.
		///
		/// Origin: the patient, or an admin managing the access's professional. Errors:
		/// `UnknownEmergencyAccess`, `NotAllowedToClose`, `EmergencyNotOpen`. Event: `EmergencyAccessClosed`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::close_emergency_access())]
		pub fn close_emergency_access(origin: OriginFor<T>, id: u64) -> DispatchResult {
			let by = ensure_signed(origin)?;
			Self::do_close_emergency_access(by, id)
		}

		/// Hand the patient's record key, unwrapped from the escrow envelope and wrapped for the
		/// professional, to the professional of open emergency access `id`.
		///
		/// Origin: [`Config::ConsortiumOrigin`]. Errors: `UnknownEmergencyAccess`,
		/// `EmergencyNotOpen`, `KeyAlreadyReleased`, `NotProfessional`, `ProfessionalSuspended`,
		/// `ProfessionalRemoved`, `EmptyEnvelope`. Event: `EmergencyKeyReleased`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::release_emergency_key())]
		pub fn release_emergency_key(
			origin: OriginFor<T>,
			id: u64,
			envelope: EnvelopeOf<T>,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			Self::do_release_emergency_key(id, envelope)
		}

		/// Record the review of an emergency access that has ended. The professional may break
		/// the glass again once all its accesses are reviewed; an `Unjustified` outcome bars it
		/// until an admin calls [`Pallet::clear_emergency_bar`].
		///
		/// Origin: an admin managing the access's professional. Errors: `NotAdmin`,
		/// `UnknownEmergencyAccess`, `NotOwnStaff`, `CannotReviewOwnAccess`, `EmergencyStillOpen`,
		/// `AlreadyReviewed`. Event: `EmergencyAccessReviewed`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::review_emergency_access())]
		pub fn review_emergency_access(
			origin: OriginFor<T>,
			id: u64,
			outcome: ReviewOutcome,
		) -> DispatchResult {
			let by = Self::ensure_admin(origin)?;
			Self::do_review_emergency_access(by, id, outcome)
		}

		/// Append an entry to `patient`'s chain. The author and its specialty are taken from the
		/// caller's registration; every other hashed field comes from `entry`, and `hash` is the
		/// SHA-256 the author mined.
		///
		/// Origin: an active professional with a live read-write grant of the current key epoch,
		/// or with open emergency access for a document kind the break-glass policy lets it
		/// write. An amendment is written by the amended entry's author or a holder of a
		/// read-write grant. Nothing is written to a removed patient's chain. Errors:
		/// `NotProfessional`, `ProfessionalSuspended`, `ProfessionalRemoved`, `NotPatient`,
		/// `PatientRemoved`, `NotGranted`, `GrantRevoked`, `GrantExpired`,
		/// `ReadOnlyGrant`, `GrantKeyEpochStale`, `EmergencyWriteNotAllowed`,
		/// `InvalidDocumentKind`, `WrongIndex`, `BrokenLink`, `WrongKeyEpoch`,
		/// `InvalidAmendment`, `NotAllowedToAmend`, `DifficultyTooLow`,
		/// `TimestampOutOfRange`, `WrongEntryHash`, `InsufficientProofOfWork`, `ChainFull`,
		/// `CountOverflow`. Event: `RecordAdded`.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::add_record())]
		pub fn add_record(
			origin: OriginFor<T>,
			patient: T::AccountId,
			entry: EntryInput<LocatorOf<T>>,
			hash: H256,
		) -> DispatchResult {
			let author = ensure_signed(origin)?;
			Self::do_add_record(author, patient, entry, hash)
		}

		/// Record that the caller read entry `index` of `patient`'s chain.
		///
		/// Origin: the patient, or an active professional with a live grant or open emergency
		/// access. Errors: `NotPatient`, `UnknownRecord`, `PatientSuspended`, `PatientRemoved`,
		/// `NotAllowedToRead`,
		/// `ProfessionalSuspended`, `ProfessionalRemoved`, `GrantRevoked`, `GrantExpired`.
		/// Event: `RecordAccessed`.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::log_access())]
		pub fn log_access(
			origin: OriginFor<T>,
			patient: T::AccountId,
			index: u32,
		) -> DispatchResult {
			let reader = ensure_signed(origin)?;
			Self::do_log_access(reader, patient, index)
		}

		/// Set the proof-of-work difficulty for new entries.
		///
		/// Origin: [`Config::ConsortiumOrigin`]. Errors: `DifficultyOutOfBounds`. Event:
		/// `DifficultySet`.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::set_difficulty())]
		pub fn set_difficulty(origin: OriginFor<T>, difficulty: u8) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			ensure!(
				(T::MinDifficulty::get()..=T::MaxDifficulty::get()).contains(&difficulty),
				Error::<T>::DifficultyOutOfBounds
			);
			Difficulty::<T>::put(difficulty);
			Self::deposit_event(Event::DifficultySet { difficulty });
			Ok(())
		}

		/// Advance the patient's key epoch without revoking anyone: after an emergency key was
		/// released, say, so that the break-glass reader cannot read what is written next.
		///
		/// `escrow_envelope` and `regrants` are as for [`Pallet::revoke_access`].
		///
		/// Origin: the patient. Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`,
		/// `EmptyEnvelope`, `KeyEpochOverflow`, `RegrantWithoutGrant`, `DuplicateRegrant`. Events:
		/// `RecordKeyRotated`, then `AccessGranted` for each re-grant.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::rotate_record_key(regrants.len() as u32))]
		pub fn rotate_record_key(
			origin: OriginFor<T>,
			escrow_envelope: EnvelopeOf<T>,
			regrants: RegrantsOf<T>,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_rotate_record_key(patient, escrow_envelope, regrants)
		}

		/// Set which professional kinds may break the glass, what emergency access may write,
		/// and how many accesses a professional may open per period.
		///
		/// Origin: [`Config::ConsortiumOrigin`]. Errors: `InvalidEmergencyPolicy`.
		/// Event: `EmergencyPolicySet`.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::set_emergency_policy())]
		pub fn set_emergency_policy(
			origin: OriginFor<T>,
			policy: EmergencyPolicyOf<T>,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			ensure!(Self::policy_is_valid(&policy), Error::<T>::InvalidEmergencyPolicy);
			EmergencyPolicySetting::<T>::put(&policy);
			Self::deposit_event(Event::EmergencyPolicySet { policy });
			Ok(())
		}

		/// Move the patient to `account`, a signing key only the patient holds (when a registrar
		/// made its first one, say), with a new `encryption_key` and the next key epoch, whose
		/// record key comes from the new key's secret: `escrow_envelope` and `regrants` as for
		/// [`Pallet::revoke_access`]. `consent` is `account`'s signature over
		/// [`move_consent`]. The patient's records, grants and history stay; its old account signs
		/// no more, so whoever else knew the old key can no longer act or read what comes next.
		///
		/// Origin: the patient. Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`,
		/// `AccountHasAnotherRole`, `InvalidConsent`, and those of `revoke_access`'s re-grants.
		/// Events: `PatientAccountMoved`, then `AccessGranted` for each re-grant.
		#[pallet::call_index(26)]
		#[pallet::weight(T::WeightInfo::move_patient_account(regrants.len() as u32))]
		pub fn move_patient_account(
			origin: OriginFor<T>,
			account: T::AccountId,
			encryption_key: [u8; 32],
			escrow_envelope: EnvelopeOf<T>,
			regrants: RegrantsOf<T>,
			consent: T::Signature,
		) -> DispatchResult {
			let signer = ensure_signed(origin)?;
			Self::do_move_patient_account(
				signer,
				account,
				encryption_key,
				escrow_envelope,
				regrants,
				consent,
			)
		}

		/// Record that the caller read `patient`'s profile (its name and contacts: health data).
		///
		/// Origin: the patient, or an active professional with a live grant or open emergency
		/// access. Errors: `NotPatient`, `NoProfile`, `PatientSuspended`, `PatientRemoved`,
		/// `NotAllowedToRead`, `ProfessionalSuspended`, `ProfessionalRemoved`, `GrantRevoked`,
		/// `GrantExpired`. Event: `ProfileAccessed`.
		#[pallet::call_index(27)]
		#[pallet::weight(T::WeightInfo::log_profile_access())]
		pub fn log_profile_access(origin: OriginFor<T>, patient: T::AccountId) -> DispatchResult {
			let reader = ensure_signed(origin)?;
			Self::do_log_profile_access(reader, patient)
		}

		/// Set how many transactions each role may send per window of blocks.
		///
		/// Origin: [`Config::ConsortiumOrigin`]. Errors: `InvalidQuotas`. Event: `QuotasSet`.
		#[pallet::call_index(25)]
		#[pallet::weight(T::WeightInfo::set_quotas())]
		pub fn set_quotas(
			origin: OriginFor<T>,
			quotas: Quotas<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			// Every role keeps at least one transaction per window of at most an hour or so, so
			// that no setting locks admins out for longer.
			ensure!(
				!quotas.window.is_zero()
					&& quotas.window <= T::MaxQuotaWindow::get()
					&& quotas.admin > 0
					&& quotas.professional > 0
					&& quotas.patient > 0,
				Error::<T>::InvalidQuotas
			);
			QuotaSetting::<T>::put(&quotas);
			Self::deposit_event(Event::QuotasSet { quotas });
			Ok(())
		}

		/// Suspend a patient's account (abuse): it can no longer transact; its records stay and
		/// professionals still read and write them.
		///
		/// Origin: an admin managing the patient's registrar. Errors: `NotAdmin`, `NotPatient`,
		/// `NotOwnStaff`, `PatientNotActive`.
		/// Event: `PatientSuspended`.
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::suspend_patient())]
		pub fn suspend_patient(origin: OriginFor<T>, patient: T::AccountId) -> DispatchResult {
			let by = Self::ensure_admin(origin)?;
			Self::do_suspend_patient(by, patient)
		}

		/// Reinstate a suspended patient's account.
		///
		/// Origin: an admin managing the patient's registrar. Errors: `NotAdmin`, `NotPatient`,
		/// `NotOwnStaff`, `PatientRemoved`,
		/// `PatientNotSuspended`. Event: `PatientReinstated`.
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::reinstate_patient())]
		pub fn reinstate_patient(origin: OriginFor<T>, patient: T::AccountId) -> DispatchResult {
			let by = Self::ensure_admin(origin)?;
			Self::do_reinstate_patient(by, patient)
		}

		/// Close a patient's account for good (created by mistake or abuse): it can no longer
		/// transact and nothing more is written to its chain; its records stay.
		///
		/// Origin: an admin managing the patient's registrar. Errors: `NotAdmin`, `NotPatient`,
		/// `NotOwnStaff`, `PatientRemoved`.
		/// Event: `PatientRemoved`.
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::remove_patient())]
		pub fn remove_patient(origin: OriginFor<T>, patient: T::AccountId) -> DispatchResult {
			let by = Self::ensure_admin(origin)?;
			Self::do_remove_patient(by, patient)
		}

		/// Free the insurance commitment a removed patient held (a squatter's, say), so that the
		/// person it belongs to can be registered under it.
		///
		/// Origin: an admin managing the patient's registrar. Errors: `NotAdmin`, `NotPatient`,
		/// `NotOwnStaff`, `PatientNotRemoved`,
		/// `InsuranceNotHeld`. Event: `InsuranceReleased`.
		#[pallet::call_index(24)]
		#[pallet::weight(T::WeightInfo::release_insurance())]
		pub fn release_insurance(origin: OriginFor<T>, patient: T::AccountId) -> DispatchResult {
			let by = Self::ensure_admin(origin)?;
			Self::do_release_insurance(by, patient)
		}

		/// Let a professional that an "unjustified" review barred break the glass again.
		///
		/// Origin: an admin managing the professional. Errors: `NotAdmin`, `NotOwnStaff`,
		/// `CannotReviewOwnAccess`, `NotBarred`. Event: `EmergencyBarCleared`.
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::clear_emergency_bar())]
		pub fn clear_emergency_bar(
			origin: OriginFor<T>,
			professional: T::AccountId,
		) -> DispatchResult {
			let by = Self::ensure_admin(origin)?;
			Self::do_clear_emergency_bar(by, professional)
		}

		/// Record the notice of a message about `patient` to `to`: the sealed blob's SHA-256
		/// `digest` and its `locator` in the off-chain stores. The sender and every recipient
		/// must be able to read the patient's records (the patient, or a professional with a
		/// live grant or open emergency access).
		///
		/// Origin: the patient or such a professional. Errors: `NotPatient`, `PatientRemoved`,
		/// and those of reading for the sender (`NotAllowedToRead`, `GrantRevoked`, ...);
		/// `NoRecipients`, `MessageToSelf`, `DuplicateRecipient`, `RecipientMayNotRead`,
		/// `EmptyLocator`, `CountOverflow`. Event: `MessagePosted`.
		#[pallet::call_index(30)]
		#[pallet::weight(T::WeightInfo::post_message(to.len() as u32))]
		pub fn post_message(
			origin: OriginFor<T>,
			patient: T::AccountId,
			to: RecipientsOf<T>,
			digest: H256,
			locator: LocatorOf<T>,
		) -> DispatchResult {
			let from = ensure_signed(origin)?;
			Self::do_post_message(from, patient, to, digest, locator)
		}

		/// Append several entries to `patient`'s chain in one call, in order, each linked to
		/// the one before it (the first to the chain's head): a study of many images, a
		/// laboratory's run of results. Each entry is checked as [`Pallet::add_record`] checks
		/// one, and emits its own `RecordAdded`; if one fails, none is added.
		///
		/// Origin: as for [`Pallet::add_record`], for every entry's kind. Errors: `EmptyBatch`,
		/// and those of [`Pallet::add_record`]. Events: `RecordAdded`, one per entry.
		#[pallet::call_index(31)]
		#[pallet::weight(T::WeightInfo::add_records(entries.len() as u32))]
		pub fn add_records(
			origin: OriginFor<T>,
			patient: T::AccountId,
			entries: EntriesOf<T>,
		) -> DispatchResult {
			let author = ensure_signed(origin)?;
			ensure!(!entries.is_empty(), Error::<T>::EmptyBatch);
			Self::do_add_records(author, patient, entries.into_inner())
		}
	}
}
