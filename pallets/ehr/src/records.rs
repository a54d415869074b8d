//! Record chains: the genesis entry, appending entries, and logging reads.

use crate::{pallet::*, types::*};
use codec::Encode;
use frame::{deps::sp_io::hashing::sha2_256, hashing::H256, prelude::*, traits::UnixTime};

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
		Self::do_add_records(author, patient, [(entry, hash)])
	}

	/// Appends `entries` to `patient`'s chain in order, each checked against the chain as the
	/// entries before it left it. Errors: see [`Pallet::add_record`].
	pub(crate) fn do_add_records(
		author: T::AccountId,
		patient: T::AccountId,
		entries: impl IntoIterator<Item = (EntryInput<LocatorOf<T>>, H256)>,
	) -> DispatchResult {
		let professional = Self::active_professional(&author)?;
		let mut record = Patients::<T>::get(&patient).ok_or(Error::<T>::NotPatient)?;
		let now = frame_system::Pallet::<T>::block_number();
		let difficulty = Difficulty::<T>::get();
		let clock = Self::now_millis();
		let mut added: u64 = 0;
		for (entry, hash) in entries {
			let right = Self::write_right(&author, &patient, &record, Some(entry.kind), now)?;
			ensure!(entry.kind != DocumentKind::Genesis, Error::<T>::InvalidDocumentKind);
			ensure!(entry.index == record.record_count, Error::<T>::WrongIndex);
			ensure!(entry.prev_hash == record.head, Error::<T>::BrokenLink);
			ensure!(entry.key_epoch == record.key_epoch, Error::<T>::WrongKeyEpoch);
			if let Some(amended) = entry.amends {
				ensure!(amended >= 1 && amended < entry.index, Error::<T>::InvalidAmendment);
				// Under break-glass, a professional corrects only what it wrote itself.
				if matches!(right, Right::Emergency { .. }) {
					ensure!(
						Records::<T>::get(&patient, amended)
							.is_some_and(|e| e.body.author == author),
						Error::<T>::NotAllowedToAmend
					);
				}
			}
			ensure!(entry.difficulty >= difficulty, Error::<T>::DifficultyTooLow);
			ensure!(
				entry.timestamp.abs_diff(clock) <= T::MaxTimestampDrift::get(),
				Error::<T>::TimestampOutOfRange
			);

			let body = Self::entry_body(author.clone(), professional.specialty.clone(), entry);
			ensure!(body.hash() == hash, Error::<T>::WrongEntryHash);
			ensure!(meets_difficulty(&hash, body.difficulty), Error::<T>::InsufficientProofOfWork);

			record.record_count =
				record.record_count.checked_add(1).ok_or(Error::<T>::ChainFull)?;
			record.head = hash;
			let (index, kind, amends) = (body.index, body.kind, body.amends);
			Records::<T>::insert(&patient, index, RecordEntry { body, hash, block: now });
			Self::deposit_event(Event::RecordAdded {
				patient: patient.clone(),
				index,
				author: author.clone(),
				kind,
				hash,
				amends,
			});
			added += 1;
		}
		let total = RecordCount::<T>::get().checked_add(added).ok_or(Error::<T>::CountOverflow)?;
		Patients::<T>::insert(&patient, record);
		RecordCount::<T>::put(total);
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
		Self::read_right(&reader, &patient, frame_system::Pallet::<T>::block_number())?;
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
		Self::read_right(&reader, &patient, frame_system::Pallet::<T>::block_number())?;
		Self::deposit_event(Event::ProfileAccessed { patient, reader });
		Ok(())
	}
}
