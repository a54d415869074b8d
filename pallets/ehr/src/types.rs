//! The types pallet-ehr stores and takes as call parameters.
//!
//! They are generic over concrete types (account, block number, bounded byte strings) rather than
//! over the pallet's `Config`, so that clients can encode them with nothing but SCALE, and so
//! that [`EntryBody::hash`] is the one definition of an entry's hash for the pallet and for the
//! client that mines it.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::{
	deps::sp_io::hashing::sha2_256,
	hashing::H256,
	prelude::{BoundedVec, ConstU32},
};
use scale_info::TypeInfo;

/// An administrator, as the pallet keeps it: which hospital's staff it answers for.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Admin<AccountId> {
	/// The hospital whose professionals, patients and emergency accesses this admin manages;
	/// `None` for an admin of the whole consortium, who manages everyone's. A hospital's admin
	/// acts only while its hospital is in the consortium.
	pub hospital: Option<AccountId>,
}

impl<AccountId: PartialEq> Admin<AccountId> {
	/// Whether this admin manages the staff of `hospital` (`None`: staff of the whole
	/// consortium, which only the consortium's admins manage).
	pub fn manages(&self, hospital: Option<&AccountId>) -> bool {
		self.hospital.is_none() || self.hospital.as_ref() == hospital
	}
}

/// The kind of a registered health professional.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum ProfessionalKind {
	/// A physician, general practitioner or specialist.
	Doctor,
	/// A nurse or midwife.
	Nurse,
	/// A pharmacist, who dispenses prescriptions.
	Pharmacist,
	/// A medical laboratory, which writes lab results.
	Laboratory,
	/// An imaging centre (radiology).
	Imaging,
	/// A health insurer.
	Insurer,
	/// Any other kind of professional the consortium admits.
	Other,
}

/// Where a professional stands. A removed professional is kept, with its history, but can never
/// act or be granted again.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum ProfessionalStatus {
	/// May register patients, be granted, write and read.
	Active,
	/// Temporarily barred by an administrator; may be reinstated.
	Suspended,
	/// Permanently barred.
	Removed,
}

/// A health professional as the consortium registered it.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Professional<AccountId, BlockNumber, Name> {
	/// What kind of professional this is.
	pub kind: ProfessionalKind,
	/// The name shown to patients and colleagues.
	pub display_name: Name,
	/// Specialty (for example "cardiology"); copied into every entry the professional writes.
	pub specialty: Name,
	/// SHA-256 commitment to the licence number (salted by the registering admin); never the
	/// number itself.
	pub licence_commitment: H256,
	/// The organisation (hospital, lab, pharmacy, insurer) the professional works for.
	pub organisation: Name,
	/// X25519 public key that record keys are wrapped for.
	pub encryption_key: [u8; 32],
	/// Current status.
	pub status: ProfessionalStatus,
	/// The admin who registered the professional.
	pub registered_by: AccountId,
	/// Block of registration.
	pub registered_at: BlockNumber,
	/// Block of the last status change (registration counts as one).
	pub status_changed_at: BlockNumber,
	/// The hospital whose admins manage the professional: that of the admin who registered
	/// it. `None` for the consortium's own staff, whom only the consortium's admins manage.
	pub hospital: Option<AccountId>,
}

/// Where a patient's account stands. Its records stay whatever the status.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum PatientStatus {
	/// May transact: grant, revoke, read, rotate its key.
	Active,
	/// Barred by an administrator (abuse); may be reinstated. Professionals still read and
	/// write its records.
	Suspended,
	/// Closed for good by an administrator (created by mistake or abuse); nothing more is
	/// written to its chain.
	Removed,
}

/// A registered patient. The patient's name and profile are health data and live off chain in
/// the encrypted document `profile` points to.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Patient<AccountId, BlockNumber, Locator, Envelope> {
	/// Keyed commitment to the insurance number; unique across patients.
	pub insurance_commitment: H256,
	/// X25519 public key of the patient.
	pub encryption_key: [u8; 32],
	/// Who registered the patient (an active professional or an admin).
	pub registered_by: AccountId,
	/// Block of registration.
	pub registered_at: BlockNumber,
	/// Storage locator of the patient's encrypted profile document, if any.
	pub profile: Option<Locator>,
	/// Epoch of the patient's current record key; advanced by every revoke, rotation and move.
	pub key_epoch: u32,
	/// The current record key wrapped for the consortium's emergency key.
	pub escrow_envelope: Envelope,
	/// Number of entries in the patient's record chain (the genesis entry included).
	pub record_count: u32,
	/// Hash of the newest entry of the chain.
	pub head: H256,
	/// Whether the account may act.
	pub status: PatientStatus,
}

/// What a grant lets the grantee do.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum GrantScope {
	/// Read the patient's documents.
	Read,
	/// Read the patient's documents and add new ones.
	ReadWrite,
}

/// Access a patient gave a professional. Revoked grants are kept (with `revoked_at`) as history.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Grant<BlockNumber, Envelope> {
	/// What the grantee may do.
	pub scope: GrantScope,
	/// Last block at which the grant is live; `None` for no expiry.
	pub expires_at: Option<BlockNumber>,
	/// The patient's record key of `key_epoch`, wrapped for the grantee (opaque HPKE envelope).
	pub envelope: Envelope,
	/// The key epoch the envelope belongs to.
	pub key_epoch: u32,
	/// Block the grant was made (or last renewed).
	pub granted_at: BlockNumber,
	/// Block the grant was revoked, if it was.
	pub revoked_at: Option<BlockNumber>,
}

impl<BlockNumber: PartialOrd + Copy, Envelope> Grant<BlockNumber, Envelope> {
	/// Whether the grant may be used at block `now`: not revoked and not expired.
	pub fn is_live_at(&self, now: BlockNumber) -> bool {
		self.revoked_at.is_none() && self.expires_at.is_none_or(|end| now <= end)
	}
}

/// What lets an account read or add to a patient's records, as [`Pallet::access`] answers.
///
/// [`Pallet::access`]: crate::Pallet::access
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum Right<BlockNumber> {
	/// The account is the patient, or the key the patient moved to.
	Patient,
	/// A live grant from the patient.
	Grant {
		/// What the grant lets the grantee do.
		scope: GrantScope,
		/// Last block at which the grant is live; `None` for no expiry.
		expires_at: Option<BlockNumber>,
		/// The key epoch the grant's envelope is for.
		key_epoch: u32,
	},
	/// Open break-glass access.
	Emergency {
		/// The access's id.
		id: u64,
		/// Last block at which it is open.
		expires_at: BlockNumber,
		/// Whether an admin has released the patient's record key to it.
		key_released: bool,
	},
}

/// What an account may do with a patient's records at block `at`: each right, or the error
/// the pallet refuses the call with. The one authority on access, for clients.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Access<BlockNumber, Error> {
	/// The block the answer holds for: the next one, where a transaction sent now is included
	/// at the earliest.
	pub at: BlockNumber,
	/// Reading (`log_access`, `log_profile_access`).
	pub read: Result<Right<BlockNumber>, Error>,
	/// Adding documents (`add_record`) of some kind; under break-glass, only of the kinds the
	/// consortium's emergency policy names.
	pub write: Result<Right<BlockNumber>, Error>,
}

/// How an account may register a patient.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Registrar {
	/// As an active professional, who gets a grant with the registration.
	Professional,
	/// As a serving admin, who gets no grant.
	Admin,
}

/// Why a professional broke the glass.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum EmergencyReason {
	/// The patient is unconscious or otherwise cannot consent.
	PatientUnableToConsent,
	/// A life-threatening condition needs the history now.
	LifeThreatening,
	/// Emergency care in an emergency department or ambulance.
	EmergencyCare,
	/// Any other reason; the review must look at it.
	Other,
}

/// How an administrator judged an emergency access after the fact.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum ReviewOutcome {
	/// The access was warranted.
	Justified,
	/// The access was not warranted; the consortium follows up off chain.
	Unjustified,
}

/// One break-glass access, kept forever for audit.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct EmergencyAccess<AccountId, BlockNumber, Envelope> {
	/// Whose records were opened.
	pub patient: AccountId,
	/// Who opened them.
	pub professional: AccountId,
	/// The reason given.
	pub reason: EmergencyReason,
	/// Block it was opened.
	pub opened_at: BlockNumber,
	/// Last block at which the access is live, unless closed before.
	pub expires_at: BlockNumber,
	/// Block and account that closed it early, if any.
	pub closed: Option<(BlockNumber, AccountId)>,
	/// The record key handed to the professional by an admin, wrapped for the professional.
	pub key_envelope: Option<Envelope>,
	/// The admin review, once recorded.
	pub review: Option<(AccountId, ReviewOutcome)>,
}

impl<AccountId, BlockNumber: PartialOrd + Copy, Envelope>
	EmergencyAccess<AccountId, BlockNumber, Envelope>
{
	/// Whether the access may be used at block `now`: not closed and not expired.
	pub fn is_open_at(&self, now: BlockNumber) -> bool {
		self.closed.is_none() && now <= self.expires_at
	}
}

/// What the consortium allows break-glass access to do, and how often.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct EmergencyPolicy<BlockNumber> {
	/// The professional kinds that may open emergency access.
	pub kinds: BoundedVec<ProfessionalKind, ConstU32<8>>,
	/// The document kinds an emergency access may add; empty for read-only access.
	pub writable: BoundedVec<DocumentKind, ConstU32<16>>,
	/// Most emergency accesses one professional may open in one period.
	pub max_opens: u32,
	/// The length of that period, in blocks.
	pub period: BlockNumber,
}

impl<BlockNumber> EmergencyPolicy<BlockNumber> {
	/// Whether professionals of `kind` may break the glass.
	pub fn admits(&self, kind: ProfessionalKind) -> bool {
		self.kinds.contains(&kind)
	}

	/// Whether an emergency access may add a document of `kind`.
	pub fn may_write(&self, kind: DocumentKind) -> bool {
		self.writable.contains(&kind)
	}
}

/// A professional's record of break-glass use, which decides whether it may open another.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct EmergencyStanding<BlockNumber> {
	/// Its emergency accesses that still wait for an admin review.
	pub unreviewed: u32,
	/// Set by an "unjustified" review; an admin clears it.
	pub barred: bool,
	/// First block of the current counting period.
	pub period_start: BlockNumber,
	/// Emergency accesses opened since `period_start`.
	pub opens: u32,
}

/// The role a member acts in, which decides its transaction quota.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
	/// An administrator.
	Admin,
	/// An active health professional.
	Professional,
	/// An active patient.
	Patient,
}

/// How many transactions each role may send per window of blocks: the consortium's setting.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Quotas<BlockNumber> {
	/// The length of a window, in blocks.
	pub window: BlockNumber,
	/// Transactions per window of an administrator.
	pub admin: u32,
	/// Transactions per window of a health professional.
	pub professional: u32,
	/// Transactions per window of a patient.
	pub patient: u32,
}

impl<BlockNumber> Quotas<BlockNumber> {
	/// The quota of `role`.
	pub fn of(&self, role: Role) -> u32 {
		match role {
			Role::Admin => self.admin,
			Role::Professional => self.professional,
			Role::Patient => self.patient,
		}
	}
}

/// A grantee given the record key of a patient's new key epoch, in the same call that advances
/// the epoch.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Regrant<AccountId, Envelope> {
	/// The professional, which must hold a live grant.
	pub professional: AccountId,
	/// The new epoch's record key wrapped for it.
	pub envelope: Envelope,
}

/// The kind of document an entry points to.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum DocumentKind {
	/// The first entry of every chain, made by the pallet at registration. Never submitted.
	Genesis,
	/// A prescription.
	Prescription,
	/// An imaging study (X-ray, CT, MRI, ultrasound).
	Imaging,
	/// A laboratory result.
	LabResult,
	/// A clinical note or consultation report.
	ClinicalNote,
	/// A discharge summary.
	DischargeSummary,
	/// A referral letter.
	Referral,
	/// A vaccination record.
	Vaccination,
	/// An insurance claim or statement.
	InsuranceClaim,
	/// Anything else.
	Other,
}

/// The fields of a record entry that its hash covers, in hashing order.
///
/// The entry hash is `SHA-256(SCALE(EntryBody))` and must start with `difficulty` zero bits.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct EntryBody<AccountId, Locator, Name> {
	/// Position in the patient's chain; the genesis entry is 0.
	pub index: u32,
	/// Hash of the entry at `index - 1` (all zeros for the genesis entry).
	pub prev_hash: H256,
	/// SHA-256 over a secret salt and the plaintext document.
	pub content_commitment: H256,
	/// SHA-256 of the stored ciphertext.
	pub ciphertext_hash: H256,
	/// Where the ciphertext lives (for example its content address in the off-chain stores).
	pub locator: Locator,
	/// What the document is.
	pub kind: DocumentKind,
	/// The professional who wrote it.
	pub author: AccountId,
	/// The author's specialty when writing.
	pub specialty: Name,
	/// The patient's key epoch the document's data key is wrapped under.
	pub key_epoch: u32,
	/// Index of an earlier entry this one corrects, if any.
	pub amends: Option<u32>,
	/// Unix time in milliseconds the author stamped on the entry.
	pub timestamp: u64,
	/// Proof-of-work nonce.
	pub nonce: u64,
	/// Number of leading zero bits the hash must have.
	pub difficulty: u8,
}

impl<AccountId: Encode, Locator: Encode, Name: Encode> EntryBody<AccountId, Locator, Name> {
	/// SHA-256 of the SCALE encoding of the body.
	pub fn hash(&self) -> H256 {
		H256(self.using_encoded(sha2_256))
	}
}

/// The fields of an entry its author chooses; the pallet adds the author and its specialty.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct EntryInput<Locator> {
	/// The next index of the patient's chain.
	pub index: u32,
	/// Hash of the chain's current head.
	pub prev_hash: H256,
	/// SHA-256 over a secret salt and the plaintext document.
	pub content_commitment: H256,
	/// SHA-256 of the stored ciphertext.
	pub ciphertext_hash: H256,
	/// Where the ciphertext lives.
	pub locator: Locator,
	/// What the document is; never `Genesis`.
	pub kind: DocumentKind,
	/// The patient's current key epoch.
	pub key_epoch: u32,
	/// Index of the entry this one corrects, if any.
	pub amends: Option<u32>,
	/// Unix time in milliseconds.
	pub timestamp: u64,
	/// Proof-of-work nonce.
	pub nonce: u64,
	/// Leading zero bits the hash has been mined to; at least the chain's difficulty.
	pub difficulty: u8,
}

/// A record entry as stored: its body, its hash, and the block that included it.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct RecordEntry<AccountId, BlockNumber, Locator, Name> {
	/// The hashed fields.
	pub body: EntryBody<AccountId, Locator, Name>,
	/// `SHA-256(SCALE(body))`.
	pub hash: H256,
	/// The block that included the entry.
	pub block: BlockNumber,
}

/// The on-chain notice of a message about a patient: who sent it to whom, and the hash and place
/// of the sealed blob in the off-chain stores. The message itself is sealed to its recipients'
/// keys and signed by its sender off chain; nothing of it is readable here.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct MessageNotice<AccountId, BlockNumber, Locator, Recipients> {
	/// The sender: the patient's account, or a professional with a right to its records.
	pub from: AccountId,
	/// The accounts it is sealed to, besides the sender.
	pub to: Recipients,
	/// SHA-256 of the sealed blob.
	pub digest: H256,
	/// Where the sealed blob is stored.
	pub locator: Locator,
	/// The block that included the notice.
	pub block: BlockNumber,
}

/// Totals for dashboards and auditors.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Counts {
	/// Administrators.
	pub admins: u32,
	/// Professionals ever registered (all statuses; removed ones are kept).
	pub professionals: u32,
	/// Professionals whose status is active.
	pub active_professionals: u32,
	/// Registered patients.
	pub patients: u32,
	/// Record entries over all patients, genesis entries included.
	pub records: u64,
	/// Emergency accesses ever opened.
	pub emergency_accesses: u64,
	/// Emergency accesses that still wait for an admin review.
	pub unreviewed_emergency_accesses: u32,
	/// Current proof-of-work difficulty in leading zero bits.
	pub difficulty: u8,
}

/// The domain of [`registration_consent`].
pub const REGISTRATION_CONSENT: &[u8] = b"ehr/consent-to-registration/v1";
/// The domain of [`move_consent`].
pub const MOVE_CONSENT: &[u8] = b"ehr/consent-to-move/v1";

/// What a patient's new key signs to consent to its registration by `registrar` on the chain
/// whose genesis block is `genesis`, with these keys: the SCALE encoding of
/// `(REGISTRATION_CONSENT, genesis, registrar, encryption_key, escrow_envelope)`.
pub fn registration_consent(
	genesis: &impl Encode,
	registrar: &impl Encode,
	encryption_key: &[u8; 32],
	escrow_envelope: &[u8],
) -> alloc::vec::Vec<u8> {
	(REGISTRATION_CONSENT, genesis, registrar, encryption_key, escrow_envelope).encode()
}

/// What a patient's new signing key signs to consent to taking over `patient` on the chain
/// whose genesis block is `genesis`, with these keys: the SCALE encoding of
/// `(MOVE_CONSENT, genesis, patient, encryption_key, escrow_envelope)`.
pub fn move_consent(
	genesis: &impl Encode,
	patient: &impl Encode,
	encryption_key: &[u8; 32],
	escrow_envelope: &[u8],
) -> alloc::vec::Vec<u8> {
	(MOVE_CONSENT, genesis, patient, encryption_key, escrow_envelope).encode()
}

/// Number of leading zero bits of `hash`.
pub fn leading_zero_bits(hash: &H256) -> u32 {
	let mut bits = 0;
	for byte in hash.as_bytes() {
		if *byte == 0 {
			bits += 8;
		} else {
			return bits + byte.leading_zeros();
		}
	}
	bits
}

/// Whether `hash` starts with at least `difficulty` zero bits.
pub fn meets_difficulty(hash: &H256, difficulty: u8) -> bool {
	leading_zero_bits(hash) >= u32::from(difficulty)
}
