//! The pallet's events and errors, spliced into the pallet by `#[import_section]`.

use frame::pallet_section;

#[pallet_section]
mod events {
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account became an admin: of `hospital`, or of the whole consortium (`None`).
		AdminAdded { admin: T::AccountId, hospital: Option<T::AccountId> },
		/// An admin was removed.
		AdminRemoved { admin: T::AccountId },
		/// An admin registered a professional.
		ProfessionalRegistered {
			professional: T::AccountId,
			kind: ProfessionalKind,
			by: T::AccountId,
		},
		/// An admin suspended a professional.
		ProfessionalSuspended { professional: T::AccountId, by: T::AccountId },
		/// An admin reinstated a suspended professional.
		ProfessionalReinstated { professional: T::AccountId, by: T::AccountId },
		/// An admin removed a professional for good.
		ProfessionalRemoved { professional: T::AccountId, by: T::AccountId },
		/// A patient was registered and its chain started with `genesis_hash`.
		PatientRegistered { patient: T::AccountId, by: T::AccountId, genesis_hash: H256 },
		/// An admin suspended a patient's account.
		PatientSuspended { patient: T::AccountId, by: T::AccountId },
		/// An admin reinstated a suspended patient's account.
		PatientReinstated { patient: T::AccountId, by: T::AccountId },
		/// An admin closed a patient's account for good; its records stay.
		PatientRemoved { patient: T::AccountId, by: T::AccountId },
		/// An admin freed the insurance commitment a removed patient held, so that the person
		/// it belongs to can be registered.
		InsuranceReleased { patient: T::AccountId, by: T::AccountId },
		/// A patient moved to a new signing account and encryption key, and its record key to
		/// `key_epoch`; its first account signs no more.
		PatientAccountMoved { patient: T::AccountId, account: T::AccountId, key_epoch: u32 },
		/// A patient changed its encryption key.
		PatientKeyUpdated { patient: T::AccountId },
		/// A patient changed (or cleared) its profile pointer.
		PatientProfileUpdated { patient: T::AccountId },
		/// A patient granted (or renewed) a professional's access.
		AccessGranted {
			patient: T::AccountId,
			professional: T::AccountId,
			scope: GrantScope,
			expires_at: Option<BlockNumberFor<T>>,
			key_epoch: u32,
		},
		/// A patient revoked a professional's access; later documents use `key_epoch`.
		AccessRevoked { patient: T::AccountId, professional: T::AccountId, key_epoch: u32 },
		/// A patient moved to a new record key without revoking anyone; later documents use
		/// `key_epoch`.
		RecordKeyRotated { patient: T::AccountId, key_epoch: u32 },
		/// A professional broke the glass on a patient's records.
		EmergencyAccessOpened {
			id: u64,
			patient: T::AccountId,
			professional: T::AccountId,
			reason: EmergencyReason,
			expires_at: BlockNumberFor<T>,
		},
		/// An emergency access was closed before it expired.
		EmergencyAccessClosed { id: u64, by: T::AccountId },
		/// The consortium handed the patient's record key to the professional of an emergency
		/// access.
		EmergencyKeyReleased { id: u64 },
		/// An admin reviewed an emergency access.
		EmergencyAccessReviewed { id: u64, by: T::AccountId, outcome: ReviewOutcome },
		/// A professional added an entry to a patient's chain.
		RecordAdded {
			patient: T::AccountId,
			index: u32,
			author: T::AccountId,
			kind: DocumentKind,
			hash: H256,
			amends: Option<u32>,
		},
		/// A reader recorded that it read an entry.
		RecordAccessed { patient: T::AccountId, index: u32, reader: T::AccountId },
		/// A reader recorded that it read the patient's profile.
		ProfileAccessed { patient: T::AccountId, reader: T::AccountId },
		/// The consortium changed the proof-of-work difficulty.
		DifficultySet { difficulty: u8 },
		/// The consortium changed the transaction quotas.
		QuotasSet { quotas: Quotas<BlockNumberFor<T>> },
		/// The consortium changed the break-glass policy.
		EmergencyPolicySet { policy: EmergencyPolicyOf<T> },
		/// An admin lifted the bar an "unjustified" review put on a professional's break-glass
		/// access.
		EmergencyBarCleared { professional: T::AccountId, by: T::AccountId },
		/// A message about a patient was sealed to `to` and its notice kept at `index`.
		MessagePosted {
			patient: T::AccountId,
			index: u32,
			from: T::AccountId,
			to: BoundedVec<T::AccountId, T::MaxMessageRecipients>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not an administrator.
		NotAdmin,
		/// The account is already an administrator.
		AlreadyAdmin,
		/// The consortium's last administrator cannot be removed.
		LastAdmin,
		/// The hospital has as many admins as it may have.
		TooManyAdmins,
		/// The account is not a hospital of the consortium.
		NotHospital,
		/// The admin manages another hospital's staff: professionals, the patients they
		/// registered and their emergency accesses are managed by their own hospital's admins
		/// or by the consortium's.
		NotOwnStaff,
		/// The account is not a registered professional.
		NotProfessional,
		/// The account is already registered as a professional.
		AlreadyProfessional,
		/// The professional is suspended.
		ProfessionalSuspended,
		/// The professional was removed and can never act or be granted again.
		ProfessionalRemoved,
		/// The professional is not suspended, so there is nothing to reinstate.
		ProfessionalNotSuspended,
		/// The professional is not active, so it cannot be suspended.
		ProfessionalNotActive,
		/// The caller may not register patients: only active professionals and admins may.
		NotAllowedToRegister,
		/// The account is not a registered patient.
		NotPatient,
		/// The account is already registered as a patient.
		AlreadyPatient,
		/// Another patient is registered under this insurance commitment.
		DuplicateInsurance,
		/// A key envelope must not be empty.
		EmptyEnvelope,
		/// The expiry block has already passed.
		ExpiryInPast,
		/// The professional holds no grant from the patient.
		NotGranted,
		/// The grant has been revoked.
		GrantRevoked,
		/// The grant has expired.
		GrantExpired,
		/// The grant allows reading only.
		ReadOnlyGrant,
		/// The grant's key envelope is of an older key epoch; the patient must renew it.
		GrantKeyEpochStale,
		/// The patient's key epoch cannot advance any further.
		KeyEpochOverflow,
		/// An emergency access must last at least one block.
		ZeroDuration,
		/// The emergency access would last longer than the pallet allows.
		EmergencyDurationTooLong,
		/// The professional already holds an open emergency access to this patient.
		EmergencyAlreadyOpen,
		/// No emergency access has this id.
		UnknownEmergencyAccess,
		/// The emergency access has been closed or has expired.
		EmergencyNotOpen,
		/// The emergency access is still open; close it or let it expire first.
		EmergencyStillOpen,
		/// Only the patient or an admin may close an emergency access.
		NotAllowedToClose,
		/// The emergency access has already been reviewed.
		AlreadyReviewed,
		/// Too many emergency accesses for a counter to hold.
		EmergencyCounterOverflow,
		/// The entry's index is not the next index of the patient's chain.
		WrongIndex,
		/// The entry's previous hash is not the hash of the chain's head.
		BrokenLink,
		/// The given entry hash is not the SHA-256 of the entry's fields.
		WrongEntryHash,
		/// The entry hash does not have the required leading zero bits.
		InsufficientProofOfWork,
		/// The entry's difficulty is below the chain's current difficulty.
		DifficultyTooLow,
		/// The entry's key epoch is not the patient's current key epoch.
		WrongKeyEpoch,
		/// The entry's timestamp lies too far from the chain's time.
		TimestampOutOfRange,
		/// Genesis entries are made by the pallet and cannot be submitted.
		InvalidDocumentKind,
		/// An entry may only amend an earlier, non-genesis entry of the same chain.
		InvalidAmendment,
		/// The patient's chain has no entry at this index.
		UnknownRecord,
		/// The record chain cannot grow any further.
		ChainFull,
		/// The caller may not read this patient's records.
		NotAllowedToRead,
		/// The difficulty lies outside the allowed bounds.
		DifficultyOutOfBounds,
		/// A count would overflow.
		CountOverflow,
		/// The grant names a key epoch that is not the patient's current one.
		GrantForWrongKeyEpoch,
		/// A re-grant names a professional without a live grant, or the one being revoked.
		RegrantWithoutGrant,
		/// A re-grant names the same professional twice.
		DuplicateRegrant,
		/// Professionals of this kind may not break the glass.
		KindMayNotBreakGlass,
		/// The professional has an emergency access that still waits for an admin review.
		EmergencyReviewPending,
		/// An admin judged an earlier emergency access unjustified; it must clear the bar first.
		EmergencyAccessBarred,
		/// The professional opened as many emergency accesses as the period allows.
		TooManyEmergencyAccesses,
		/// Emergency access may not add documents of this kind.
		EmergencyWriteNotAllowed,
		/// Only the entry's author or a holder of a read-write grant may amend it.
		NotAllowedToAmend,
		/// The key of this emergency access has already been released.
		KeyAlreadyReleased,
		/// The professional is not barred from break-glass access.
		NotBarred,
		/// A quota window of zero blocks or longer than `MaxQuotaWindow`, or a role without any
		/// transaction.
		InvalidQuotas,
		/// The patient revoked this professional's access: it may not break the glass on the
		/// patient's records until the patient grants it again.
		RevokedByPatient,
		/// An admin does not review its own emergency access, nor lift its own bar.
		CannotReviewOwnAccess,
		/// The break-glass policy's period is zero blocks.
		InvalidEmergencyPolicy,
		/// The account already holds a role that must not be mixed with this one (a patient
		/// cannot be a professional or an admin).
		AccountHasAnotherRole,
		/// The patient has no profile.
		NoProfile,
		/// The patient's consent does not verify: it must be signed by the patient's key over
		/// this chain, this registrar (or patient) and these keys.
		InvalidConsent,
		/// An admin has suspended the patient's account.
		PatientSuspended,
		/// An admin has closed the patient's account.
		PatientRemoved,
		/// The patient's account is not active.
		PatientNotActive,
		/// The patient's account is not suspended.
		PatientNotSuspended,
		/// Only a removed patient's insurance commitment can be released.
		PatientNotRemoved,
		/// The patient no longer holds its insurance commitment.
		InsuranceNotHeld,
		/// A message needs at least one recipient besides its sender.
		NoRecipients,
		/// A message's recipient is its sender.
		MessageToSelf,
		/// A message names the same recipient twice.
		DuplicateRecipient,
		/// A message's recipient may not read the patient's records, so may not read messages
		/// about it.
		RecipientMayNotRead,
		/// A storage locator must not be empty.
		EmptyLocator,
		/// A batch of entries must hold at least one.
		EmptyBatch,
	}
}
