//! Grants (patient → professional) and emergency access (break-glass).

use crate::{pallet::*, types::*};
use frame::prelude::*;

impl<T: Config> Pallet<T> {
	/// Errors: `NotPatient`, `NotProfessional`, `ProfessionalSuspended`, `ProfessionalRemoved`,
	/// `ExpiryInPast`, `EmptyEnvelope`.
	pub(crate) fn do_grant_access(
		patient: T::AccountId,
		professional: T::AccountId,
		scope: GrantScope,
		expires_at: Option<BlockNumberFor<T>>,
		envelope: EnvelopeOf<T>,
	) -> DispatchResult {
		let record = Patients::<T>::get(&patient).ok_or(Error::<T>::NotPatient)?;
		Self::active_professional(&professional)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(expires_at.is_none_or(|end| end >= now), Error::<T>::ExpiryInPast);
		ensure!(!envelope.is_empty(), Error::<T>::EmptyEnvelope);
		Self::insert_grant(&patient, &professional, scope, expires_at, envelope, record.key_epoch);
		Ok(())
	}

	/// Writes a grant and its index entry and emits `AccessGranted`.
	pub(crate) fn insert_grant(
		patient: &T::AccountId,
		professional: &T::AccountId,
		scope: GrantScope,
		expires_at: Option<BlockNumberFor<T>>,
		envelope: EnvelopeOf<T>,
		key_epoch: u32,
	) {
		let granted_at = frame_system::Pallet::<T>::block_number();
		Grants::<T>::insert(
			patient,
			professional,
			Grant { scope, expires_at, envelope, key_epoch, granted_at, revoked_at: None },
		);
		GrantsByProfessional::<T>::insert(professional, patient, ());
		Self::deposit_event(Event::AccessGranted {
			patient: patient.clone(),
			professional: professional.clone(),
			scope,
			expires_at,
			key_epoch,
		});
	}

	/// Errors: `NotPatient`, `NotGranted`, `GrantRevoked`, `EmptyEnvelope`, `KeyEpochOverflow`.
	pub(crate) fn do_revoke_access(
		patient: T::AccountId,
		professional: T::AccountId,
		escrow_envelope: EnvelopeOf<T>,
	) -> DispatchResult {
		let mut record = Patients::<T>::get(&patient).ok_or(Error::<T>::NotPatient)?;
		let mut grant = Grants::<T>::get(&patient, &professional).ok_or(Error::<T>::NotGranted)?;
		ensure!(grant.revoked_at.is_none(), Error::<T>::GrantRevoked);
		ensure!(!escrow_envelope.is_empty(), Error::<T>::EmptyEnvelope);
		record.key_epoch = record.key_epoch.checked_add(1).ok_or(Error::<T>::KeyEpochOverflow)?;
		record.escrow_envelope = escrow_envelope;
		grant.revoked_at = Some(frame_system::Pallet::<T>::block_number());
		let key_epoch = record.key_epoch;
		Grants::<T>::insert(&patient, &professional, grant);
		Patients::<T>::insert(&patient, record);
		Self::deposit_event(Event::AccessRevoked { patient, professional, key_epoch });
		Ok(())
	}

	/// Errors: `NotProfessional`, `ProfessionalSuspended`, `ProfessionalRemoved`, `NotPatient`,
	/// `ZeroDuration`, `EmergencyDurationTooLong`, `EmergencyAlreadyOpen`,
	/// `EmergencyCounterOverflow`.
	pub(crate) fn do_open_emergency_access(
		professional: T::AccountId,
		patient: T::AccountId,
		reason: EmergencyReason,
		duration: BlockNumberFor<T>,
	) -> DispatchResult {
		Self::active_professional(&professional)?;
		ensure!(Patients::<T>::contains_key(&patient), Error::<T>::NotPatient);
		ensure!(!duration.is_zero(), Error::<T>::ZeroDuration);
		ensure!(duration <= T::MaxEmergencyDuration::get(), Error::<T>::EmergencyDurationTooLong);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			!Self::has_open_emergency(&patient, &professional, now),
			Error::<T>::EmergencyAlreadyOpen
		);
		let id = NextEmergencyId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::EmergencyCounterOverflow)?;
		let unreviewed = UnreviewedEmergencyCount::<T>::get()
			.checked_add(1)
			.ok_or(Error::<T>::EmergencyCounterOverflow)?;
		let expires_at = now.saturating_add(duration);
		EmergencyAccesses::<T>::insert(
			id,
			EmergencyAccess {
				patient: patient.clone(),
				professional: professional.clone(),
				reason,
				opened_at: now,
				expires_at,
				closed: None,
				key_envelope: None,
				review: None,
			},
		);
		OpenEmergencies::<T>::insert(&patient, &professional, id);
		NextEmergencyId::<T>::put(next);
		UnreviewedEmergencyCount::<T>::put(unreviewed);
		Self::deposit_event(Event::EmergencyAccessOpened {
			id,
			patient,
			professional,
			reason,
			expires_at,
		});
		Ok(())
	}

	/// Whether `professional` holds open emergency access to `patient` at `now`.
	pub(crate) fn has_open_emergency(
		patient: &T::AccountId,
		professional: &T::AccountId,
		now: BlockNumberFor<T>,
	) -> bool {
		OpenEmergencies::<T>::get(patient, professional)
			.and_then(EmergencyAccesses::<T>::get)
			.is_some_and(|access| access.is_open_at(now))
	}

	/// Errors: `UnknownEmergencyAccess`, `NotAllowedToClose`, `EmergencyNotOpen`.
	pub(crate) fn do_close_emergency_access(by: T::AccountId, id: u64) -> DispatchResult {
		let mut access =
			EmergencyAccesses::<T>::get(id).ok_or(Error::<T>::UnknownEmergencyAccess)?;
		ensure!(
			by == access.patient || Admins::<T>::contains_key(&by),
			Error::<T>::NotAllowedToClose
		);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(access.is_open_at(now), Error::<T>::EmergencyNotOpen);
		access.closed = Some((now, by.clone()));
		OpenEmergencies::<T>::remove(&access.patient, &access.professional);
		EmergencyAccesses::<T>::insert(id, access);
		Self::deposit_event(Event::EmergencyAccessClosed { id, by });
		Ok(())
	}

	/// Errors: `UnknownEmergencyAccess`, `EmergencyNotOpen`, `EmptyEnvelope`.
	pub(crate) fn do_release_emergency_key(
		by: T::AccountId,
		id: u64,
		envelope: EnvelopeOf<T>,
	) -> DispatchResult {
		let mut access =
			EmergencyAccesses::<T>::get(id).ok_or(Error::<T>::UnknownEmergencyAccess)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(access.is_open_at(now), Error::<T>::EmergencyNotOpen);
		ensure!(!envelope.is_empty(), Error::<T>::EmptyEnvelope);
		access.key_envelope = Some(envelope);
		EmergencyAccesses::<T>::insert(id, access);
		Self::deposit_event(Event::EmergencyKeyReleased { id, by });
		Ok(())
	}

	/// Errors: `UnknownEmergencyAccess`, `EmergencyStillOpen`, `AlreadyReviewed`.
	pub(crate) fn do_review_emergency_access(
		by: T::AccountId,
		id: u64,
		outcome: ReviewOutcome,
	) -> DispatchResult {
		let mut access =
			EmergencyAccesses::<T>::get(id).ok_or(Error::<T>::UnknownEmergencyAccess)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(!access.is_open_at(now), Error::<T>::EmergencyStillOpen);
		ensure!(access.review.is_none(), Error::<T>::AlreadyReviewed);
		access.review = Some((by.clone(), outcome));
		EmergencyAccesses::<T>::insert(id, access);
		UnreviewedEmergencyCount::<T>::mutate(|n| *n = n.saturating_sub(1));
		Self::deposit_event(Event::EmergencyAccessReviewed { id, by, outcome });
		Ok(())
	}
}
