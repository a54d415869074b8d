//! Grants (patient → professional), key epochs, and emergency access (break-glass).

use crate::{pallet::*, types::*};
use alloc::{collections::BTreeSet, vec::Vec};
use frame::prelude::*;

/// A re-grant with the live grant it renews.
pub(crate) type CheckedRegrant<T> =
	(Regrant<<T as frame_system::Config>::AccountId, EnvelopeOf<T>>, GrantOf<T>);

impl<T: Config> Pallet<T> {
	/// Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`, `NotProfessional`,
	/// `ProfessionalSuspended`, `ProfessionalRemoved`, `GrantForWrongKeyEpoch`, `ExpiryInPast`,
	/// `EmptyEnvelope`.
	pub(crate) fn do_grant_access(
		signer: T::AccountId,
		professional: T::AccountId,
		scope: GrantScope,
		expires_at: Option<BlockNumberFor<T>>,
		key_epoch: u32,
		envelope: EnvelopeOf<T>,
	) -> DispatchResult {
		let (patient, record) = Self::acting_patient(&signer)?;
		Self::active_professional(&professional)?;
		ensure!(key_epoch == record.key_epoch, Error::<T>::GrantForWrongKeyEpoch);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(expires_at.is_none_or(|end| end >= now), Error::<T>::ExpiryInPast);
		ensure!(!envelope.is_empty(), Error::<T>::EmptyEnvelope);
		if let Some(old) = Grants::<T>::get(&patient, &professional) {
			if old.revoked_at.is_some() {
				Self::keep_past_grant(&patient, &professional, old);
			}
		}
		Self::insert_grant(&patient, &professional, scope, expires_at, envelope, record.key_epoch);
		Ok(())
	}

	/// Moves a revoked grant that a new one replaces into [`PastGrants`].
	fn keep_past_grant(patient: &T::AccountId, professional: &T::AccountId, grant: GrantOf<T>) {
		let seq = NextPastGrant::<T>::get();
		PastGrants::<T>::insert((patient, professional, seq), grant);
		NextPastGrant::<T>::put(seq.wrapping_add(1));
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

	/// Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`, `NotGranted`, `GrantRevoked`,
	/// and those of [`Self::advance_epoch`].
	pub(crate) fn do_revoke_access(
		signer: T::AccountId,
		professional: T::AccountId,
		escrow_envelope: EnvelopeOf<T>,
		regrants: RegrantsOf<T>,
	) -> DispatchResult {
		let (patient, mut record) = Self::acting_patient(&signer)?;
		let mut grant = Grants::<T>::get(&patient, &professional).ok_or(Error::<T>::NotGranted)?;
		ensure!(grant.revoked_at.is_none(), Error::<T>::GrantRevoked);
		let regrants = Self::advance_epoch(
			&patient,
			Some(&professional),
			&mut record,
			escrow_envelope,
			regrants,
		)?;
		let now = frame_system::Pallet::<T>::block_number();
		grant.revoked_at = Some(now);
		let key_epoch = record.key_epoch;
		Grants::<T>::insert(&patient, &professional, grant);
		Patients::<T>::insert(&patient, record);
		// Break-glass access the revoked professional holds ends with the grant: no escrowed
		// key of the new epoch may be released to it.
		if let Some(id) = OpenEmergencies::<T>::get(&patient, &professional) {
			if let Some(mut access) = EmergencyAccesses::<T>::get(id).filter(|a| a.is_open_at(now))
			{
				access.closed = Some((now, patient.clone()));
				EmergencyAccesses::<T>::insert(id, access);
				OpenEmergencies::<T>::remove(&patient, &professional);
				Self::deposit_event(Event::EmergencyAccessClosed { id, by: patient.clone() });
			}
		}
		Self::deposit_event(Event::AccessRevoked {
			patient: patient.clone(),
			professional,
			key_epoch,
		});
		Self::apply_regrants(&patient, regrants, key_epoch);
		Ok(())
	}

	/// Errors: `NotPatient`, `PatientSuspended`, `PatientRemoved`, and those of
	/// [`Self::advance_epoch`].
	pub(crate) fn do_rotate_record_key(
		signer: T::AccountId,
		escrow_envelope: EnvelopeOf<T>,
		regrants: RegrantsOf<T>,
	) -> DispatchResult {
		let (patient, mut record) = Self::acting_patient(&signer)?;
		let regrants = Self::advance_epoch(&patient, None, &mut record, escrow_envelope, regrants)?;
		let key_epoch = record.key_epoch;
		Patients::<T>::insert(&patient, record);
		Self::deposit_event(Event::RecordKeyRotated { patient: patient.clone(), key_epoch });
		Self::apply_regrants(&patient, regrants, key_epoch);
		Ok(())
	}

	/// Advances `record` to the next key epoch with its new escrow envelope, after checking the
	/// re-grants: each names a distinct professional, other than `revoked`, that holds a live
	/// grant, and brings an envelope. Writes nothing; returns the re-grants with the grants they
	/// renew.
	///
	/// Errors: `EmptyEnvelope`, `KeyEpochOverflow`, `RegrantWithoutGrant`, `DuplicateRegrant`,
	/// `NotProfessional`, `ProfessionalSuspended`, `ProfessionalRemoved`.
	pub(crate) fn advance_epoch(
		patient: &T::AccountId,
		revoked: Option<&T::AccountId>,
		record: &mut PatientOf<T>,
		escrow_envelope: EnvelopeOf<T>,
		regrants: RegrantsOf<T>,
	) -> Result<Vec<CheckedRegrant<T>>, DispatchError> {
		ensure!(!escrow_envelope.is_empty(), Error::<T>::EmptyEnvelope);
		ensure!(record.key_epoch < T::MaxKeyEpoch::get(), Error::<T>::KeyEpochOverflow);
		let now = frame_system::Pallet::<T>::block_number();
		let mut seen = BTreeSet::new();
		let mut checked = Vec::with_capacity(regrants.len());
		for regrant in regrants {
			ensure!(seen.insert(regrant.professional.clone()), Error::<T>::DuplicateRegrant);
			ensure!(!regrant.envelope.is_empty(), Error::<T>::EmptyEnvelope);
			ensure!(Some(&regrant.professional) != revoked, Error::<T>::RegrantWithoutGrant);
			Self::active_professional(&regrant.professional)?;
			let grant = Grants::<T>::get(patient, &regrant.professional)
				.filter(|grant| grant.is_live_at(now))
				.ok_or(Error::<T>::RegrantWithoutGrant)?;
			checked.push((regrant, grant));
		}
		record.key_epoch = record.key_epoch.saturating_add(1);
		record.escrow_envelope = escrow_envelope;
		Ok(checked)
	}

	/// Renews each checked grant with its new envelope of `key_epoch`, scope and expiry kept.
	pub(crate) fn apply_regrants(
		patient: &T::AccountId,
		regrants: Vec<CheckedRegrant<T>>,
		key_epoch: u32,
	) {
		for (regrant, grant) in regrants {
			Self::insert_grant(
				patient,
				&regrant.professional,
				grant.scope,
				grant.expires_at,
				regrant.envelope,
				key_epoch,
			);
		}
	}

	/// Errors: `NotProfessional`, `ProfessionalSuspended`, `ProfessionalRemoved`,
	/// `KindMayNotBreakGlass`, `NotPatient`, `PatientRemoved`, `RevokedByPatient`, `ZeroDuration`,
	/// `EmergencyDurationTooLong`,
	/// `EmergencyAlreadyOpen`, `EmergencyAccessBarred`, `EmergencyReviewPending`,
	/// `TooManyEmergencyAccesses`, `EmergencyCounterOverflow`.
	pub(crate) fn do_open_emergency_access(
		professional: T::AccountId,
		patient: T::AccountId,
		reason: EmergencyReason,
		duration: BlockNumberFor<T>,
	) -> DispatchResult {
		let record = Self::active_professional(&professional)?;
		let policy = EmergencyPolicySetting::<T>::get();
		ensure!(policy.admits(record.kind), Error::<T>::KindMayNotBreakGlass);
		let status = Patients::<T>::get(&patient).ok_or(Error::<T>::NotPatient)?.status;
		ensure!(status != PatientStatus::Removed, Error::<T>::PatientRemoved);
		ensure!(
			Grants::<T>::get(&patient, &professional).is_none_or(|g| g.revoked_at.is_none()),
			Error::<T>::RevokedByPatient
		);
		ensure!(!duration.is_zero(), Error::<T>::ZeroDuration);
		ensure!(duration <= T::MaxEmergencyDuration::get(), Error::<T>::EmergencyDurationTooLong);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			!Self::has_open_emergency(&patient, &professional, now),
			Error::<T>::EmergencyAlreadyOpen
		);
		let mut standing = EmergencyStandings::<T>::get(&professional);
		ensure!(!standing.barred, Error::<T>::EmergencyAccessBarred);
		ensure!(standing.unreviewed == 0, Error::<T>::EmergencyReviewPending);
		if standing.opens == 0 || now >= standing.period_start.saturating_add(policy.period) {
			standing.period_start = now;
			standing.opens = 0;
		}
		ensure!(standing.opens < policy.max_opens, Error::<T>::TooManyEmergencyAccesses);
		standing.opens = standing.opens.saturating_add(1);
		standing.unreviewed = standing.unreviewed.saturating_add(1);

		let id = NextEmergencyId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::EmergencyCounterOverflow)?;
		let unreviewed = UnreviewedEmergencyCount::<T>::get()
			.checked_add(1)
			.ok_or(Error::<T>::EmergencyCounterOverflow)?;
		// The block it opens in is the first of its `duration` blocks.
		let expires_at = now.saturating_add(duration).saturating_sub(One::one());
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
		EmergencyStandings::<T>::insert(&professional, standing);
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

	/// Errors: `UnknownEmergencyAccess`, `NotAllowedToClose`, `EmergencyNotOpen`.
	pub(crate) fn do_close_emergency_access(by: T::AccountId, id: u64) -> DispatchResult {
		let mut access =
			EmergencyAccesses::<T>::get(id).ok_or(Error::<T>::UnknownEmergencyAccess)?;
		ensure!(
			Self::patient_signed_by(&by).as_ref() == Some(&access.patient)
				|| Self::serving_admin(&by).is_some_and(|admin| {
					admin.manages(Self::hospital_of(&access.professional).as_ref())
				}),
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

	/// Errors: `UnknownEmergencyAccess`, `EmergencyNotOpen`,
	/// `KeyAlreadyReleased`, `NotProfessional`, `ProfessionalSuspended`, `ProfessionalRemoved`,
	/// `EmptyEnvelope`.
	pub(crate) fn do_release_emergency_key(id: u64, envelope: EnvelopeOf<T>) -> DispatchResult {
		let mut access =
			EmergencyAccesses::<T>::get(id).ok_or(Error::<T>::UnknownEmergencyAccess)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(access.is_open_at(now), Error::<T>::EmergencyNotOpen);
		ensure!(access.key_envelope.is_none(), Error::<T>::KeyAlreadyReleased);
		Self::active_professional(&access.professional)?;
		ensure!(!envelope.is_empty(), Error::<T>::EmptyEnvelope);
		access.key_envelope = Some(envelope);
		EmergencyAccesses::<T>::insert(id, access);
		Self::deposit_event(Event::EmergencyKeyReleased { id });
		Ok(())
	}

	/// Errors: `UnknownEmergencyAccess`, `NotAdmin`, `NotOwnStaff`, `CannotReviewOwnAccess`,
	/// `EmergencyStillOpen`, `AlreadyReviewed`.
	pub(crate) fn do_review_emergency_access(
		by: T::AccountId,
		id: u64,
		outcome: ReviewOutcome,
	) -> DispatchResult {
		let mut access =
			EmergencyAccesses::<T>::get(id).ok_or(Error::<T>::UnknownEmergencyAccess)?;
		Self::ensure_manages(&by, Self::hospital_of(&access.professional).as_ref())?;
		ensure!(by != access.professional, Error::<T>::CannotReviewOwnAccess);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(!access.is_open_at(now), Error::<T>::EmergencyStillOpen);
		ensure!(access.review.is_none(), Error::<T>::AlreadyReviewed);
		access.review = Some((by.clone(), outcome));
		EmergencyStandings::<T>::mutate(&access.professional, |standing| {
			standing.unreviewed = standing.unreviewed.saturating_sub(1);
			if outcome == ReviewOutcome::Unjustified {
				standing.barred = true;
			}
		});
		EmergencyAccesses::<T>::insert(id, access);
		UnreviewedEmergencyCount::<T>::mutate(|n| *n = n.saturating_sub(1));
		Self::deposit_event(Event::EmergencyAccessReviewed { id, by, outcome });
		Ok(())
	}

	/// Errors: `NotAdmin`, `NotOwnStaff`, `CannotReviewOwnAccess`, `NotBarred`.
	pub(crate) fn do_clear_emergency_bar(
		by: T::AccountId,
		professional: T::AccountId,
	) -> DispatchResult {
		Self::ensure_manages(&by, Self::hospital_of(&professional).as_ref())?;
		ensure!(by != professional, Error::<T>::CannotReviewOwnAccess);
		EmergencyStandings::<T>::try_mutate(&professional, |standing| -> DispatchResult {
			ensure!(standing.barred, Error::<T>::NotBarred);
			standing.barred = false;
			Ok(())
		})?;
		Self::deposit_event(Event::EmergencyBarCleared { professional, by });
		Ok(())
	}
}
