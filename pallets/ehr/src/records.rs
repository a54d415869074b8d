//! Record chains: the genesis entry, appending entries, and logging reads.

use crate::{pallet::*, types::*};
use codec::Encode;
use frame::{deps::sp_io::hashing::sha2_256, hashing::H256, prelude::*, traits::UnixTime};

/// What lets a professional add an entry to a chain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum WriteRight {
	/// A live read-write grant of the current key epoch.
	Grant,
	/// Open break-glass access.
	Emergency,
}

impl<T: Config> Pallet<T> {
	/// The chain's time in Unix milliseconds.
	fn now_millis() -> u64 {
		u64::try_from(T::UnixTime::now().as_millis()).unwrap_or(u64::MAX)
	}

	/// The first entry of `patient`'s chain. It commits to the patient's account, insurance
	/// commitment and encryption key, so the chain cannot be moved to another patient. The
	/// pallet cannot mine, so it records difficulty 0, which every hash meets.
	pub(crate) fn genesis_entry(
		registrar: &T::AccountId,
		patient: &T::AccountId,
		insurance_commitment: &H256,
		encryption_key: &[u8; 32],
	) -> RecordEntryOf<T> {
		let body = EntryBody {
			index: 0,
			prev_hash: H256::zero(),
			content_commitment: H256(
				(patient, insurance_commitment, encryption_key).using_encoded(sha2_256),
			),
			ciphertext_hash: H256::zero(),
			locator: Default::default(),
			kind: DocumentKind::Genesis,
			author: registrar.clone(),
			specialty: Default::default(),
			key_epoch: 0,
			amends: None,
			timestamp: Self::now_millis(),
			nonce: 0,
			difficulty: 0,
		};
		let hash = body.hash();
		RecordEntry { body, hash, block: frame_system::Pallet::<T>::block_number() }
	}

	/// The grant `who` holds from `patient`, if it may be used at `now`.
	///
	/// Errors: `missing` when there is no grant, `GrantRevoked`, `GrantExpired`.
	fn live_grant(
		patient: &T::AccountId,
		who: &T::AccountId,
		now: BlockNumberFor<T>,
		missing: Error<T>,
	) -> Result<GrantOf<T>, Error<T>> {
		let grant = Grants::<T>::get(patient, who).ok_or(missing)?;
		ensure!(grant.revoked_at.is_none(), Error::<T>::GrantRevoked);
		ensure!(grant.is_live_at(now), Error::<T>::GrantExpired);
		Ok(grant)
	}

	/// How `author` may write to `patient`'s chain now, whose key epoch is `key_epoch`: with a
	/// live read-write grant of that epoch, or else with open emergency access.
	///
	/// Errors: `NotGranted`, `GrantRevoked`, `GrantExpired`, `ReadOnlyGrant`,
	/// `GrantKeyEpochStale`.
	fn write_right(
		author: &T::AccountId,
		patient: &T::AccountId,
		key_epoch: u32,
		now: BlockNumberFor<T>,
	) -> Result<WriteRight, Error<T>> {
		let granted =
			Self::live_grant(patient, author, now, Error::<T>::NotGranted).and_then(|grant| {
				ensure!(grant.scope == GrantScope::ReadWrite, Error::<T>::ReadOnlyGrant);
				ensure!(grant.key_epoch == key_epoch, Error::<T>::GrantKeyEpochStale);
				Ok(())
			});
		match granted {
			Ok(()) => Ok(WriteRight::Grant),
			Err(_) if Self::has_open_emergency(patient, author, now) => Ok(WriteRight::Emergency),
			Err(refused) => Err(refused),
		}
	}

	/// The hashed body of `entry` as `author`, of `specialty`, writes it.
	pub(crate) fn entry_body(
		author: T::AccountId,
		specialty: NameOf<T>,
		entry: EntryInput<LocatorOf<T>>,
	) -> EntryBodyOf<T> {
		EntryBody {
			index: entry.index,
			prev_hash: entry.prev_hash,
			content_commitment: entry.content_commitment,
			ciphertext_hash: entry.ciphertext_hash,
			locator: entry.locator,
			kind: entry.kind,
			author,
			specialty,
			key_epoch: entry.key_epoch,
			amends: entry.amends,
			timestamp: entry.timestamp,
			nonce: entry.nonce,
			difficulty: entry.difficulty,
		}
	}

	/// Errors: see [`Pallet::add_record`].
	pub(crate) fn do_add_record(
		author: T::AccountId,
		patient: T::AccountId,
		entry: EntryInput<LocatorOf<T>>,
		hash: H256,
	) -> DispatchResult {
		let professional = Self::active_professional(&author)?;
		let mut record = Patients::<T>::get(&patient).ok_or(Error::<T>::NotPatient)?;
		ensure!(record.status != PatientStatus::Removed, Error::<T>::PatientRemoved);
		let now = frame_system::Pallet::<T>::block_number();
		let right = Self::write_right(&author, &patient, record.key_epoch, now)?;
		if right == WriteRight::Emergency {
			ensure!(
				EmergencyPolicySetting::<T>::get().may_write(entry.kind),
				Error::<T>::EmergencyWriteNotAllowed
			);
		}

		ensure!(entry.kind != DocumentKind::Genesis, Error::<T>::InvalidDocumentKind);
		ensure!(entry.index == record.record_count, Error::<T>::WrongIndex);
		ensure!(entry.prev_hash == record.head, Error::<T>::BrokenLink);
		ensure!(entry.key_epoch == record.key_epoch, Error::<T>::WrongKeyEpoch);
		if let Some(amended) = entry.amends {
			ensure!(amended >= 1 && amended < entry.index, Error::<T>::InvalidAmendment);
			// Under break-glass, a professional corrects only what it wrote itself.
			if right == WriteRight::Emergency {
				ensure!(
					Records::<T>::get(&patient, amended).is_some_and(|e| e.body.author == author),
					Error::<T>::NotAllowedToAmend
				);
			}
		}
		ensure!(entry.difficulty >= Difficulty::<T>::get(), Error::<T>::DifficultyTooLow);
		let clock = Self::now_millis();
		ensure!(
			entry.timestamp.abs_diff(clock) <= T::MaxTimestampDrift::get(),
			Error::<T>::TimestampOutOfRange
		);

		let body = Self::entry_body(author.clone(), professional.specialty, entry);
		ensure!(body.hash() == hash, Error::<T>::WrongEntryHash);
		ensure!(meets_difficulty(&hash, body.difficulty), Error::<T>::InsufficientProofOfWork);

		record.record_count = record.record_count.checked_add(1).ok_or(Error::<T>::ChainFull)?;
		let total = RecordCount::<T>::get().checked_add(1).ok_or(Error::<T>::CountOverflow)?;
		record.head = hash;
		let (index, kind, amends) = (body.index, body.kind, body.amends);
		Records::<T>::insert(&patient, index, RecordEntry { body, hash, block: now });
		Patients::<T>::insert(&patient, record);
		RecordCount::<T>::put(total);
		Self::deposit_event(Event::RecordAdded { patient, index, author, kind, hash, amends });
		Ok(())
	}

	/// Errors: see [`Pallet::log_access`].
	pub(crate) fn do_log_access(
		reader: T::AccountId,
		patient: T::AccountId,
		index: u32,
	) -> DispatchResult {
		let record = Patients::<T>::get(&patient).ok_or(Error::<T>::NotPatient)?;
		ensure!(index < record.record_count, Error::<T>::UnknownRecord);
		Self::ensure_may_read(&reader, &patient)?;
		Self::deposit_event(Event::RecordAccessed { patient, index, reader });
		Ok(())
	}

	/// Errors: see [`Pallet::log_profile_access`].
	pub(crate) fn do_log_profile_access(
		reader: T::AccountId,
		patient: T::AccountId,
	) -> DispatchResult {
		let record = Patients::<T>::get(&patient).ok_or(Error::<T>::NotPatient)?;
		ensure!(record.profile.is_some(), Error::<T>::NoProfile);
		Self::ensure_may_read(&reader, &patient)?;
		Self::deposit_event(Event::ProfileAccessed { patient, reader });
		Ok(())
	}

	/// Whether `reader` may read `patient`'s records now: as the patient, or as an active
	/// professional with a live grant or open emergency access.
	///
	/// Errors: `PatientSuspended`, `PatientRemoved`, `NotAllowedToRead`,
	/// `ProfessionalSuspended`, `ProfessionalRemoved`, `GrantRevoked`, `GrantExpired`.
	fn ensure_may_read(reader: &T::AccountId, patient: &T::AccountId) -> DispatchResult {
		if Self::patient_signed_by(reader).as_ref() == Some(patient) {
			Self::acting_patient(reader)?;
			return Ok(());
		}
		match Self::active_professional(reader) {
			Ok(_) => {},
			Err(Error::<T>::NotProfessional) => return Err(Error::<T>::NotAllowedToRead.into()),
			Err(e) => return Err(e.into()),
		}
		let now = frame_system::Pallet::<T>::block_number();
		if !Self::has_open_emergency(patient, reader, now) {
			Self::live_grant(patient, reader, now, Error::<T>::NotAllowedToRead)?;
		}
		Ok(())
	}
}
