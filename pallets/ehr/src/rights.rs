//! Who may read a patient's records, add to them, or register a patient: the rules the calls
//! apply and the view functions answer with, so that clients ask the chain rather than copy
//! them.

use crate::{pallet::*, types::*};
use frame::prelude::*;

/// A right of this runtime.
pub type RightOf<T> = Right<BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
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

	/// The break-glass access `professional` holds open to `patient` at `now`.
	fn open_emergency(
		patient: &T::AccountId,
		professional: &T::AccountId,
		now: BlockNumberFor<T>,
	) -> Option<RightOf<T>> {
		let id = OpenEmergencies::<T>::get(patient, professional)?;
		let access = EmergencyAccesses::<T>::get(id).filter(|access| access.is_open_at(now))?;
		Some(Right::Emergency {
			id,
			expires_at: access.expires_at,
			key_released: access.key_envelope.is_some(),
		})
	}

	/// Whether `professional` holds open emergency access to `patient` at `now`.
	pub(crate) fn has_open_emergency(
		patient: &T::AccountId,
		professional: &T::AccountId,
		now: BlockNumberFor<T>,
	) -> bool {
		Self::open_emergency(patient, professional, now).is_some()
	}

	/// How `reader` may read `patient`'s records at `now`: as the patient, or as an active
	/// professional with a live grant (preferred, since it carries the key) or open emergency
	/// access.
	///
	/// Errors: `PatientSuspended`, `PatientRemoved` (the patient reading its own),
	/// `NotAllowedToRead`, `ProfessionalSuspended`, `ProfessionalRemoved`, `GrantRevoked`,
	/// `GrantExpired`. (Its callers check first that `patient` is one: `NotPatient`.)
	pub(crate) fn read_right(
		reader: &T::AccountId,
		patient: &T::AccountId,
		now: BlockNumberFor<T>,
	) -> Result<RightOf<T>, Error<T>> {
		if Self::patient_signed_by(reader).as_ref() == Some(patient) {
			Self::acting_patient(reader)?;
			return Ok(Right::Patient);
		}
		match Self::active_professional(reader) {
			Ok(_) => {},
			Err(Error::<T>::NotProfessional) => return Err(Error::<T>::NotAllowedToRead),
			Err(e) => return Err(e),
		}
		match Self::live_grant(patient, reader, now, Error::<T>::NotAllowedToRead) {
			Ok(grant) => Ok(Right::Grant {
				scope: grant.scope,
				expires_at: grant.expires_at,
				key_epoch: grant.key_epoch,
			}),
			Err(refused) => Self::open_emergency(patient, reader, now).ok_or(refused),
		}
	}

	/// How active professional `author` may add an entry to the chain of `patient`, whose
	/// record is `record`, at `now`: with a live read-write grant of the record's key epoch,
	/// or else with open emergency access. Under break-glass, the entry's `kind` must be one
	/// the consortium's emergency policy lets it add (`None`: any of them, so at least one an
	/// entry may have).
	///
	/// Errors: `PatientRemoved`, `NotGranted`, `GrantRevoked`, `GrantExpired`,
	/// `ReadOnlyGrant`, `GrantKeyEpochStale`, `EmergencyWriteNotAllowed`.
	pub(crate) fn write_right(
		author: &T::AccountId,
		patient: &T::AccountId,
		record: &PatientOf<T>,
		kind: Option<DocumentKind>,
		now: BlockNumberFor<T>,
	) -> Result<RightOf<T>, Error<T>> {
		ensure!(record.status != PatientStatus::Removed, Error::<T>::PatientRemoved);
		let granted =
			Self::live_grant(patient, author, now, Error::<T>::NotGranted).and_then(|grant| {
				ensure!(grant.scope == GrantScope::ReadWrite, Error::<T>::ReadOnlyGrant);
				ensure!(grant.key_epoch == record.key_epoch, Error::<T>::GrantKeyEpochStale);
				Ok(Right::Grant {
					scope: grant.scope,
					expires_at: grant.expires_at,
					key_epoch: grant.key_epoch,
				})
			});
		let refused = match granted {
			Ok(right) => return Ok(right),
			Err(refused) => refused,
		};
		let right = Self::open_emergency(patient, author, now).ok_or(refused)?;
		let policy = EmergencyPolicySetting::<T>::get();
		let allowed = match kind {
			Some(kind) => policy.may_write(kind),
			None => policy.writable.iter().any(|kind| *kind != DocumentKind::Genesis),
		};
		ensure!(allowed, Error::<T>::EmergencyWriteNotAllowed);
		Ok(right)
	}

	/// How `who` may register a patient: as an active professional (with a grant), or as a
	/// serving admin who is no professional (without one).
	///
	/// Errors: `NotAllowedToRegister`, `ProfessionalSuspended`, `ProfessionalRemoved`.
	pub(crate) fn registrar(
		who: &T::AccountId,
	) -> Result<(Registrar, Option<T::AccountId>), Error<T>> {
		match Self::active_professional(who) {
			Ok(professional) => Ok((Registrar::Professional, professional.hospital)),
			Err(Error::<T>::NotProfessional) => {
				let admin = Self::serving_admin(who).ok_or(Error::<T>::NotAllowedToRegister)?;
				Ok((Registrar::Admin, admin.hospital))
			},
			Err(e) => Err(e),
		}
	}

	/// How `author` may add an entry (of `kind`, if given) to `patient`'s chain at `now`, as
	/// `add_record` decides before it looks at the entry itself.
	///
	/// Errors: `NotProfessional`, `ProfessionalSuspended`, `ProfessionalRemoved`,
	/// `NotPatient`, and those of [`Self::write_right`].
	pub(crate) fn may_write(
		author: &T::AccountId,
		patient: &T::AccountId,
		kind: Option<DocumentKind>,
		now: BlockNumberFor<T>,
	) -> Result<RightOf<T>, Error<T>> {
		Self::active_professional(author)?;
		let record = Patients::<T>::get(patient).ok_or(Error::<T>::NotPatient)?;
		Self::write_right(author, patient, &record, kind, now)
	}

	/// The block a transaction sent now is included in at the earliest, for which the view
	/// functions answer.
	pub(crate) fn next_block() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number().saturating_add(One::one())
	}
}
