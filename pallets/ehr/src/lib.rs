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
//! ## Messages
//!
//! A patient and the professionals with a right to its records write to each other about it
//! (and professionals to each other about a patient they share). The message is sealed to its
//! recipients' X25519 keys and signed by its sender off chain, and stored like a document;
//! [`Pallet::post_message`] keeps only its notice: sender, recipients, the sealed blob's hash
//! and locator. Sender and recipients must each be able to read the patient's records.
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
//! - Messages: [`Pallet::post_message`].
//!
//! ## Storage
//!
//! - [`Admins`], [`Professionals`] (kept after removal) and [`Patients`], each with its count;
//!   [`PatientByInsurance`] keeps insurance commitments unique.
//! - [`Grants`] (patient, then professional) and its mirror [`GrantsByProfessional`], so both
//!   "my doctors" and "my patients" are prefix walks. Revoked grants stay, marked revoked.
//! - [`EmergencyAccesses`] by id, forever; [`OpenEmergencies`] indexes the latest one of a pair.
//! - [`Records`]: every entry of every chain, by patient and index; [`Difficulty`].
//! - [`Messages`]: the notices of the messages about each patient, by patient and index, with
//!   [`MessageCount`].
//!
//! Every account that holds a role gets one provider reference from this pallet (the chain has
//! no balances), so that it exists, its nonce is kept and its transactions pass `CheckNonce`.
//! The reference is never dropped, so a nonce never resets and no old transaction replays.
//!
//! ## Queries
//!
//! View functions return the totals ([`Pallet::counts`]), a page of a patient's chain
//! ([`Pallet::patient_chain`]), "my patients" ([`Pallet::patients_of`]) and "my doctors"
//! ([`Pallet::doctors_of`]), and answer, by the rules the calls apply, what an account may do
//! with a patient's records ([`Pallet::access`], [`Pallet::may_add`]) and whether it may
//! register patients ([`Pallet::may_register`]).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

use frame::import_section;

mod access;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod calls;
mod events;
mod extension;
mod invariants;
mod messages;
pub mod migrations;
mod origins;
mod records;
mod rights;
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
#[import_section(events::events)]
#[import_section(calls::calls)]
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
	/// Entries added to one patient's chain in one call, each with the hash its author mined.
	pub type EntriesOf<T> =
		BoundedVec<(EntryInput<LocatorOf<T>>, H256), <T as Config>::MaxBatchEntries>;
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
	/// The recipients of a message of this runtime.
	pub type RecipientsOf<T> =
		BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxMessageRecipients>;
	/// A message notice of this runtime.
	pub type MessageNoticeOf<T> = MessageNotice<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		LocatorOf<T>,
		RecipientsOf<T>,
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

		/// Most recipients of one message, besides its sender.
		#[pallet::constant]
		type MaxMessageRecipients: Get<u32>;

		/// Most entries [`Pallet::add_records`] adds in one call.
		#[pallet::constant]
		type MaxBatchEntries: Get<u32>;

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

	/// The notices of every patient's messages, by patient and index.
	#[pallet::storage]
	pub type Messages<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		u32,
		MessageNoticeOf<T>,
		OptionQuery,
	>;

	/// Number of each patient's entries in [`Messages`]: the index its next message gets.
	#[pallet::storage]
	pub type MessageCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

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

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinDifficulty::get() <= T::MaxDifficulty::get());
			assert!(T::MaxNameLen::get() > 0 && T::MaxLocatorLen::get() > 0);
			assert!(T::MaxEnvelopeLen::get() > 0 && T::MaxChainPage::get() > 0);
			assert!(T::MaxMessageRecipients::get() > 0);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			Self::do_try_state().map_err(Into::into)
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

		/// What `who` may do with `patient`'s records in the next block (where a transaction sent
		/// now is included at the earliest): read, add documents, each right or the error the
		/// call would fail with.
		pub fn access(
			patient: T::AccountId,
			who: T::AccountId,
		) -> Access<BlockNumberFor<T>, Error<T>> {
			let at = Self::next_block();
			let read = Patients::<T>::get(&patient)
				.ok_or(Error::<T>::NotPatient)
				.and_then(|_| Self::read_right(&who, &patient, at));
			let write = Self::may_write(&who, &patient, None, at);
			Access { at, read, write }
		}

		/// Whether `author` may add a document of `kind` to `patient`'s chain in the next block:
		/// its right, or the error `add_record` would fail with before looking at the entry.
		pub fn may_add(
			patient: T::AccountId,
			author: T::AccountId,
			kind: DocumentKind,
		) -> Result<Right<BlockNumberFor<T>>, Error<T>> {
			Self::may_write(&author, &patient, Some(kind), Self::next_block())
		}

		/// Whether `who` may register patients in the next block, and as what.
		pub fn may_register(who: T::AccountId) -> Result<Registrar, Error<T>> {
			Self::registrar(&who).map(|(registrar, _)| registrar)
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
