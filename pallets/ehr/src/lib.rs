//! # EHR pallet
//!
//! The consortium chain's index of patients' health records. Documents stay off chain,
//! encrypted; this pallet keeps who may do what, who wrote which document with its
//! commitments and storage locator, who may read it, and every grant, revoke, emergency access
//! and read.
//!
//! ## Roles
//!
//! - **Administrators** register, suspend, reinstate and remove health professionals, manage
//!   patients' accounts and review emergency accesses. The consortium's admins (set at genesis
//!   or by its vote) manage everyone; a hospital's admins (appointed by the hospital, or by the
//!   consortium's vote) manage that hospital's staff, the patients its staff registered and its
//!   staff's emergency accesses, and act only while the hospital is in the consortium, at
//!   most [`Config::MaxAdminsPerHospital`] of them. The consortium's last admin can never be
//!   removed.
//! - **Health professionals** (doctors, nurses, pharmacists, labs, imaging centres, insurers)
//!   register patients, write documents to the records they hold a write grant (or emergency
//!   access) for, and log their reads.
//! - **Patients** grant and revoke access, change their encryption key and profile pointer. They
//!   never edit or delete an entry.
//!
//! Only members (admins, active professionals, active patients) may submit transactions, only
//! for the calls members need, and within a quota per role: [`CheckMembership`] and
//! [`CheckNonceWithinQuota`] refuse everything else at the transaction pool and in blocks.
//!
//! ## Records
//!
//! Each patient's entries form an append-only hash chain that starts with a genesis entry made
//! at registration. An entry's hash is `SHA-256(SCALE(EntryBody))` and must start with
//! `difficulty` zero bits. [`Pallet::add_record`] checks the link to the chain's head, recomputes
//! the hash and checks the proof of work; nothing is ever updated or deleted, and a correction is
//! a new entry that `amends` an earlier one.
//!
//! ## Key epochs
//!
//! A patient's documents are encrypted under a record key of the patient's current epoch. A
//! revoke, a rotation and a move to a new key advance the epoch (handing the new key to the
//! grantees kept in the same call), so that documents written afterwards use a key the revoked
//! party never had; an entry must name the current epoch, a writer's grant must carry the
//! current epoch's envelope, and a grant names the epoch its envelope is for.
//!
//! ## Dispatchable functions
//!
//! - Admins: [`Pallet::add_admin`], [`Pallet::remove_admin`] (the consortium's vote),
//!   [`Pallet::appoint_admin`], [`Pallet::dismiss_admin`] (a hospital),
//!   [`Pallet::suspend_patient`], [`Pallet::reinstate_patient`], [`Pallet::remove_patient`],
//!   [`Pallet::release_insurance`], [`Pallet::clear_emergency_bar`].
//! - The consortium's settings ([`Config::ConsortiumOrigin`]): [`Pallet::set_difficulty`],
//!   [`Pallet::set_emergency_policy`], [`Pallet::set_quotas`].
//! - Professionals: [`Pallet::register_professional`], [`Pallet::suspend_professional`],
//!   [`Pallet::reinstate_professional`], [`Pallet::remove_professional`].
//! - Patients: [`Pallet::register_patient`] (with the patient's consent),
//!   [`Pallet::update_patient_key`], [`Pallet::set_profile`], [`Pallet::move_patient_account`].
//! - Grants and key epochs: [`Pallet::grant_access`], [`Pallet::revoke_access`],
//!   [`Pallet::rotate_record_key`].
//! - Emergency access: [`Pallet::open_emergency_access`], [`Pallet::close_emergency_access`],
//!   [`Pallet::release_emergency_key`], [`Pallet::review_emergency_access`].
//! - Records and reads: [`Pallet::add_record`], [`Pallet::log_access`],
//!   [`Pallet::log_profile_access`].
//!
//! ## Storage
//!
//! - [`Admins`], [`Professionals`] (kept after removal) and [`Patients`], each with its count;
//!   [`PatientByInsurance`] keeps insurance commitments unique.
//! - [`Grants`] (patient, then professional) and its mirror [`GrantsByProfessional`], so both
//!   "my doctors" and "my patients" are prefix walks. Revoked grants stay, marked revoked.
//! - [`EmergencyAccesses`] by id, forever; [`OpenEmergencies`] indexes the latest one of a pair.
//! - [`Records`]: every entry of every chain, by patient and index; [`Difficulty`].
//!
//! Every account that holds a role gets one provider reference from this pallet (the chain has
//! no balances), so that it exists, its nonce is kept and its transactions pass `CheckNonce`.
//! The reference is never dropped, so a nonce never resets and no old transaction replays.
//!
//! ## Queries
//!
//! View functions return the totals ([`Pallet::counts`]), a page of a patient's chain
//! ([`Pallet::patient_chain`]), "my patients" ([`Pallet::patients_of`]) and "my doctors"
//! ([`Pallet::doctors_of`]).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod access;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod extension;
mod invariants;
pub mod migrations;
mod origins;
mod records;
mod roles;
pub mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use extension::{refusal, CheckMembership, CheckNonceWithinQuota, ADMIN_PRIORITY};
pub use origins::{EnsureAdmin, EnsureHospital};
pub use types::*;
pub use weights::WeightInfo;

// `register_professional` takes every public detail of a professional as its own parameter, so
// that wallets show each field by name; the call-building code FRAME generates then has eight.
#[allow(clippy::too_many_arguments)]
#[frame::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame::{
		hashing::H256,
		prelude::*,
		traits::{IdentifyAccount, UnixTime, Verify},
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	/// A bounded display name, specialty or organisation.
	pub type NameOf<T> = BoundedVec<u8, <T as Config>::MaxNameLen>;
	/// A bounded storage locator.
	pub type LocatorOf<T> = BoundedVec<u8, <T as Config>::MaxLocatorLen>;
	/// A bounded key envelope.
	pub type EnvelopeOf<T> = BoundedVec<u8, <T as Config>::MaxEnvelopeLen>;
	/// An administrator of this runtime.
	pub type AdminOf<T> = Admin<<T as frame_system::Config>::AccountId>;
	/// A professional of this runtime.
	pub type ProfessionalOf<T> =
		Professional<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, NameOf<T>>;
	/// A patient of this runtime.
	pub type PatientOf<T> = Patient<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		LocatorOf<T>,
		EnvelopeOf<T>,
	>;
	/// A grant of this runtime.
	pub type GrantOf<T> = Grant<BlockNumberFor<T>, EnvelopeOf<T>>;
	/// Re-grants made with a new key epoch, in the call that advances it.
	pub type RegrantsOf<T> = BoundedVec<
		Regrant<<T as frame_system::Config>::AccountId, EnvelopeOf<T>>,
		<T as Config>::MaxRegrants,
	>;
	/// The break-glass policy of this runtime.
	pub type EmergencyPolicyOf<T> = EmergencyPolicy<BlockNumberFor<T>>;
	/// An emergency access of this runtime.
	pub type EmergencyAccessOf<T> =
		EmergencyAccess<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, EnvelopeOf<T>>;
	/// The hashed body of an entry of this runtime.
	pub type EntryBodyOf<T> =
		EntryBody<<T as frame_system::Config>::AccountId, LocatorOf<T>, NameOf<T>>;
	/// A stored entry of this runtime.
	pub type RecordEntryOf<T> = RecordEntry<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		LocatorOf<T>,
		NameOf<T>,
	>;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Wall-clock time, to bound the timestamps authors stamp on entries.
		type UnixTime: UnixTime;

		/// Longest display name, specialty or organisation, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// Longest storage locator, in bytes.
		#[pallet::constant]
		type MaxLocatorLen: Get<u32>;

		/// Longest key envelope, in bytes.
		#[pallet::constant]
		type MaxEnvelopeLen: Get<u32>;

		/// The signature a patient's key makes, to consent to its registration or to a move of
		/// its account (the runtime's transaction signature).
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>> + Parameter;

		/// Who decides what binds every hospital: administrators, the proof-of-work difficulty,
		/// the quotas, the break-glass policy and the release of escrowed keys. In a runtime, a
		/// motion of the consortium's hospitals (`pallet_consortium::EnsureApproved`).
		type ConsortiumOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who acts as an administrator day to day (registering professionals and patients'
		/// accounts, reviewing emergency accesses), succeeding with the admin's account: in a
		/// runtime, [`EnsureAdmin`]. What an admin may do to whom depends on its [`Admins`]
		/// entry: a hospital's admin manages that hospital's staff.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// A hospital of the consortium acting alone, succeeding with its account: it appoints
		/// and dismisses its own admins. In a runtime, [`EnsureHospital`].
		type HospitalOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// The accounts the consortium's hospitals vote with: members, which transact with an
		/// admin's quota and priority (to propose, vote and close motions).
		type Hospitals: Contains<Self::AccountId>;

		/// Most admins a hospital may have: each transacts with an admin's quota and priority.
		#[pallet::constant]
		type MaxAdminsPerHospital: Get<u32>;

		/// Most grantees a revoke or key rotation re-grants in the same call.
		#[pallet::constant]
		type MaxRegrants: Get<u32>;

		/// Highest key epoch a patient's record key may reach. Clients derive every epoch's key
		/// from one hash chain of `MaxKeyEpoch + 1` links.
		#[pallet::constant]
		type MaxKeyEpoch: Get<u32>;

		/// Longest quota window the consortium may set, in blocks: no setting can hold an
		/// account's quota, an admin's included, for longer.
		#[pallet::constant]
		type MaxQuotaWindow: Get<BlockNumberFor<Self>>;

		/// Longest emergency access, in blocks.
		#[pallet::constant]
		type MaxEmergencyDuration: Get<BlockNumberFor<Self>>;

		/// Lowest proof-of-work difficulty an admin may set, in leading zero bits.
		#[pallet::constant]
		type MinDifficulty: Get<u8>;

		/// Highest proof-of-work difficulty an admin may set, in leading zero bits.
		#[pallet::constant]
		type MaxDifficulty: Get<u8>;

		/// How far, in milliseconds, an entry's timestamp may lie from the chain's time.
		#[pallet::constant]
		type MaxTimestampDrift: Get<u64>;

		/// Most entries [`Pallet::patient_chain`] returns in one page.
		#[pallet::constant]
		type MaxChainPage: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Makes patients' keys and consents for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::Signature>;
	}

	/// The administrators: the consortium's own, and each hospital's.
	#[pallet::storage]
	pub type Admins<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, AdminOf<T>, OptionQuery>;

	/// Number of entries in [`Admins`].
	#[pallet::storage]
	pub type AdminCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Number of the consortium's own admins (of no single hospital) in [`Admins`]: never
	/// fewer than one.
	#[pallet::storage]
	pub type ConsortiumAdminCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Number of each hospital's admins in [`Admins`], at most
	/// [`Config::MaxAdminsPerHospital`].
	#[pallet::storage]
	pub type HospitalAdminCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Registered health professionals, whatever their status.
	#[pallet::storage]
	pub type Professionals<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ProfessionalOf<T>, OptionQuery>;

	/// Number of entries in [`Professionals`].
	#[pallet::storage]
	pub type ProfessionalCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Number of professionals whose status is active.
	#[pallet::storage]
	pub type ActiveProfessionalCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Registered patients.
	#[pallet::storage]
	pub type Patients<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PatientOf<T>, OptionQuery>;

	/// Number of entries in [`Patients`].
	#[pallet::storage]
	pub type PatientCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The hospital whose admins manage a patient's account: its registrar's, when it
	/// registered the patient. A patient without one is managed by the consortium's admins
	/// only.
	#[pallet::storage]
	pub type PatientHospital<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId, OptionQuery>;

	/// The account each moved patient signs with now (see [`Pallet::move_patient_account`]).
	#[pallet::storage]
	pub type PatientAccount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId, OptionQuery>;

	/// The patient each account in [`PatientAccount`] signs for.
	#[pallet::storage]
	pub type PatientOfAccount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId, OptionQuery>;

	/// The patient registered under each insurance commitment (one patient per number).
	#[pallet::storage]
	pub type PatientByInsurance<T: Config> =
		StorageMap<_, Identity, H256, T::AccountId, OptionQuery>;

	/// Grants by patient, then professional ("my doctors" is a prefix walk).
	#[pallet::storage]
	pub type Grants<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		GrantOf<T>,
		OptionQuery,
	>;

	/// The same keys as [`Grants`], professional first ("my patients" is a prefix walk).
	#[pallet::storage]
	pub type GrantsByProfessional<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		(),
		OptionQuery,
	>;

	/// Every emergency access ever opened, by id.
	#[pallet::storage]
	pub type EmergencyAccesses<T: Config> =
		StorageMap<_, Twox64Concat, u64, EmergencyAccessOf<T>, OptionQuery>;

	/// The id the next emergency access gets; also the number ever opened.
	#[pallet::storage]
	pub type NextEmergencyId<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// The latest emergency access of each (patient, professional) pair that was not closed.
	/// It may have expired; [`EmergencyAccess::is_open_at`] tells.
	#[pallet::storage]
	pub type OpenEmergencies<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		u64,
		OptionQuery,
	>;

	/// Number of emergency accesses without a review.
	#[pallet::storage]
	pub type UnreviewedEmergencyCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Every patient's record chain, by patient and index.
	#[pallet::storage]
	pub type Records<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		u32,
		RecordEntryOf<T>,
		OptionQuery,
	>;

	/// Number of entries in [`Records`].
	#[pallet::storage]
	pub type RecordCount<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Revoked grants that a later grant to the same professional replaced, kept as history,
	/// by patient, professional and a sequence number.
	#[pallet::storage]
	pub type PastGrants<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, u64>,
		),
		GrantOf<T>,
		OptionQuery,
	>;

	/// The sequence number the next entry of [`PastGrants`] gets.
	#[pallet::storage]
	pub type NextPastGrant<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// What break-glass access may do and how often: the consortium's setting.
	#[pallet::storage]
	pub type EmergencyPolicySetting<T: Config> =
		StorageValue<_, EmergencyPolicyOf<T>, ValueQuery, DefaultEmergencyPolicy<T>>;

	/// Doctors and nurses may break the glass, add clinical notes under it, and open up to ten
	/// accesses per period of the longest emergency access.
	#[pallet::type_value]
	pub fn DefaultEmergencyPolicy<T: Config>() -> EmergencyPolicyOf<T> {
		EmergencyPolicy {
			kinds: BoundedVec::truncate_from(alloc::vec![
				ProfessionalKind::Doctor,
				ProfessionalKind::Nurse
			]),
			writable: BoundedVec::truncate_from(alloc::vec![DocumentKind::ClinicalNote]),
			max_opens: 10,
			period: T::MaxEmergencyDuration::get(),
		}
	}

	/// How many transactions each role may send per window: the consortium's setting.
	#[pallet::storage]
	pub type QuotaSetting<T: Config> =
		StorageValue<_, Quotas<BlockNumberFor<T>>, ValueQuery, DefaultQuotas<T>>;

	/// Per window of ten blocks (a minute): an admin 1,000 transactions, a professional 600
	/// (ten a second), a patient 60.
	#[pallet::type_value]
	pub fn DefaultQuotas<T: Config>() -> Quotas<BlockNumberFor<T>> {
		Quotas { window: 10u32.into(), admin: 1_000, professional: 600, patient: 60 }
	}

	/// Each account's transactions in its current quota window: the window's first block and
	/// the count.
	#[pallet::storage]
	pub type TxUsage<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (BlockNumberFor<T>, u32), OptionQuery>;

	/// Each professional's use of break-glass access: unreviewed accesses, bar, opens in the
	/// current period.
	#[pallet::storage]
	pub type EmergencyStandings<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		EmergencyStanding<BlockNumberFor<T>>,
		ValueQuery,
	>;

	/// Leading zero bits a new entry's hash must have.
	#[pallet::storage]
	pub type Difficulty<T: Config> = StorageValue<_, u8, ValueQuery, DefaultDifficulty>;

	/// The original design's two hex zeros.
	#[pallet::type_value]
	pub fn DefaultDifficulty() -> u8 {
		8
	}

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The consortium's first administrators (of no single hospital). A chain without any
		/// can never register anyone: every preset and consortium spec names at least one, and
		/// `try_state` checks it.
		pub admins: Vec<T::AccountId>,
		/// The proof-of-work difficulty at genesis, in leading zero bits.
		pub difficulty: Option<u8>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for admin in &self.admins {
				assert!(!Admins::<T>::contains_key(admin), "duplicate admin in genesis");
				Admins::<T>::insert(admin, Admin { hospital: None });
				Pallet::<T>::keep_account(admin);
			}
			AdminCount::<T>::put(self.admins.len() as u32);
			ConsortiumAdminCount::<T>::put(self.admins.len() as u32);
			if let Some(difficulty) = self.difficulty {
				assert!(
					(T::MinDifficulty::get()..=T::MaxDifficulty::get()).contains(&difficulty),
					"genesis difficulty out of bounds"
				);
				Difficulty::<T>::put(difficulty);
			}
		}
	}

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
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinDifficulty::get() <= T::MaxDifficulty::get());
			assert!(T::MaxNameLen::get() > 0 && T::MaxLocatorLen::get() > 0);
			assert!(T::MaxEnvelopeLen::get() > 0 && T::MaxChainPage::get() > 0);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			Self::do_try_state().map_err(Into::into)
		}
	}

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
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// Totals for dashboards.
		pub fn counts() -> Counts {
			Counts {
				admins: AdminCount::<T>::get(),
				professionals: ProfessionalCount::<T>::get(),
				active_professionals: ActiveProfessionalCount::<T>::get(),
				patients: PatientCount::<T>::get(),
				records: RecordCount::<T>::get(),
				emergency_accesses: NextEmergencyId::<T>::get(),
				unreviewed_emergency_accesses: UnreviewedEmergencyCount::<T>::get(),
				difficulty: Difficulty::<T>::get(),
			}
		}

		/// Up to `limit` (at most `MaxChainPage`) entries of `patient`'s chain from index `from`.
		pub fn patient_chain(
			patient: T::AccountId,
			from: u32,
			limit: u32,
		) -> Vec<RecordEntryOf<T>> {
			let limit = limit.min(T::MaxChainPage::get());
			let end = Patients::<T>::get(&patient)
				.map_or(0, |p| p.record_count)
				.min(from.saturating_add(limit));
			(from..end).filter_map(|index| Records::<T>::get(&patient, index)).collect()
		}

		/// "My patients": every patient that granted `professional`, with the grant.
		pub fn patients_of(professional: T::AccountId) -> Vec<(T::AccountId, GrantOf<T>)> {
			GrantsByProfessional::<T>::iter_key_prefix(&professional)
				.filter_map(|patient| {
					Grants::<T>::get(&patient, &professional).map(|grant| (patient, grant))
				})
				.collect()
		}

		/// "My doctors": every professional `patient` granted, with the grant.
		pub fn doctors_of(patient: T::AccountId) -> Vec<(T::AccountId, GrantOf<T>)> {
			Grants::<T>::iter_prefix(&patient).collect()
		}
	}

	/// Makes keys and signatures for the benchmarks, which the runtime's signature scheme
	/// decides.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId, Signature> {
		/// The account of a new key made from `seed`, and its signature over `message`.
		fn sign(seed: u32, message: &[u8]) -> (AccountId, Signature);

		/// A hospital of the benchmark's chain, to appoint and dismiss admins as.
		fn hospital() -> Option<AccountId>;
	}

	impl<T: Config> Pallet<T> {
		/// The admin behind `origin`, or `NotAdmin`.
		pub(crate) fn ensure_admin(origin: OriginFor<T>) -> Result<T::AccountId, DispatchError> {
			T::AdminOrigin::ensure_origin(origin).map_err(|_| Error::<T>::NotAdmin.into())
		}

		/// `who`'s admin entry, if it may act as one: a hospital's admin only while its
		/// hospital is in the consortium.
		pub fn serving_admin(who: &T::AccountId) -> Option<AdminOf<T>> {
			Admins::<T>::get(who)
				.filter(|admin| admin.hospital.as_ref().is_none_or(T::Hospitals::contains))
		}

		/// Checks that admin `by` manages the staff of `hospital`.
		///
		/// Errors: `NotAdmin`, `NotOwnStaff`.
		pub(crate) fn ensure_manages(
			by: &T::AccountId,
			hospital: Option<&T::AccountId>,
		) -> DispatchResult {
			let admin = Self::serving_admin(by).ok_or(Error::<T>::NotAdmin)?;
			ensure!(admin.manages(hospital), Error::<T>::NotOwnStaff);
			Ok(())
		}

		/// The hospital whose staff `professional` is (`None`: the consortium's own, or no
		/// professional at all).
		pub(crate) fn hospital_of(professional: &T::AccountId) -> Option<T::AccountId> {
			Professionals::<T>::get(professional).and_then(|p| p.hospital)
		}

		/// Makes sure `who`'s account exists, so that its nonce is kept and its transactions pass
		/// `CheckNonce`. The chain has no balances to provide for accounts; every account that
		/// ever held a role keeps one provider reference for good, so that its nonce never resets
		/// and its old transactions can never be replayed.
		pub(crate) fn keep_account(who: &T::AccountId) {
			if !frame_system::Pallet::<T>::account_exists(who) {
				frame_system::Pallet::<T>::inc_providers(who);
			}
		}

		/// Whether a break-glass policy can be used: its period is at least one block. (A
		/// policy naming no professional kind, or allowing no opens, turns break-glass off.)
		pub fn policy_is_valid(policy: &EmergencyPolicyOf<T>) -> bool {
			!policy.period.is_zero()
		}

		/// Whether `who` may submit transactions: an admin, an active professional or an active
		/// patient.
		pub fn is_member(who: &T::AccountId) -> bool {
			Self::role_of(who).is_some()
		}
	}
}
