//! What the claims contract keeps and answers: policies, claims, statements, and the reasons
//! and errors its steps give.

use ehr_contract_env::{BlockNumber, DocumentKind};
use ink::{prelude::vec::Vec, primitives::AccountId};

/// An amount in the smallest unit of the settlement currency.
pub type Amount = u64;
/// A billing code (a procedure or product code), at most [`MAX_CODE`] bytes.
pub type Code = Vec<u8>;
/// The most bytes of a billing code.
pub const MAX_CODE: usize = 16;
/// A tariff's key: the insurer, the document's kind, and the billing code if the tariff is the
/// code's own.
pub type TariffKey = (AccountId, DocumentKind, Option<Code>);
/// How many blocks a provider has to dispute a partial approval or a rejection (a week of 6 s
/// blocks) before the insurer may settle what it approved.
pub const DISPUTE_WINDOW: BlockNumber = 100_800;
/// The most claims one statement lists.
pub const MAX_STATEMENT_CLAIMS: usize = 64;

/// A patient's policy with an insurer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Policy {
	/// Its id: a policy registered again after one ended is another policy, and claims
	/// under the first are never paid out of the second's cap.
	pub id: u64,
	/// A salted hash of the policy's number: the number itself is not stored.
	pub commitment: [u8; 32],
	/// The most the insurer pays under the policy, in all.
	pub cap: Amount,
	/// What it has approved under it so far.
	pub approved: Amount,
	/// The block it was registered at.
	pub registered_at: BlockNumber,
	/// The last block claims may be submitted under it, if it ends.
	pub ends_at: Option<BlockNumber>,
}

/// Where a claim stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Status {
	/// Within the tariff but beyond what is left of the policy's cap: for the insurer.
	Pending,
	/// Approved for this amount, by the contract itself or by the insurer.
	Approved { amount: Amount, automatically: bool },
	/// Rejected by the insurer, for this reason.
	Rejected(Reason),
	/// Disputed by the provider, for this reason: for the insurer again.
	Disputed(Reason),
}

/// Why an insurer rejects a claim, or on what ground a provider disputes a decision: a ground
/// from a fixed list and, where words are needed, the hash of a sealed message that gives them
/// (sent to the other party through the chain's messages). Free text about a patient's care is
/// health data, and never goes on the chain in clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Reason {
	/// The ground.
	pub ground: Ground,
	/// The hash of the sealed message that explains it, if one does; [`Ground::Other`] needs
	/// one.
	pub details: Option<[u8; 32]>,
}

/// The grounds a claim is rejected or disputed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Ground {
	/// Whether the policy covers what was done.
	Coverage,
	/// Whether what was done was medically necessary.
	Necessity,
	/// Whether the information the insurer needs was given.
	Information,
	/// Whether the claim repeats one paid already.
	Duplicate,
	/// Whether the amount is usual for what was done.
	Amount,
	/// Anything else, told in the sealed message.
	Other,
}

/// A provider's claim for one entry of a patient's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Claim {
	/// The professional who wrote the entry and claims for it.
	pub provider: AccountId,
	/// The insurer claimed from.
	pub insurer: AccountId,
	/// The patient the entry is about.
	pub patient: AccountId,
	/// The entry's index in the patient's chain.
	pub index: u32,
	/// The entry's kind, as the chain has it.
	pub kind: DocumentKind,
	/// The billing code claimed under, if any.
	pub code: Option<Code>,
	/// The amount claimed.
	pub amount: Amount,
	/// Where it stands.
	pub status: Status,
	/// Whether the provider has disputed it (once at most).
	pub disputed: bool,
	/// The statement that settles it, once it is on one.
	pub statement: Option<u64>,
	/// The block it was submitted at.
	pub submitted_at: BlockNumber,
	/// The policy it was submitted under.
	pub policy: u64,
	/// The block of the insurer's last decision on it, if it made one.
	pub decided_at: Option<BlockNumber>,
}

/// A payment's attested reference.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Payment {
	/// A hash of the off-chain payment's reference (a bank transfer's, say).
	pub reference: [u8; 32],
	/// The block the insurer attested it at.
	pub attested_at: BlockNumber,
	/// The block the provider confirmed it was paid at, once it has.
	pub confirmed_at: Option<BlockNumber>,
}

/// What an insurer owes a provider for a set of approved claims.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Statement {
	/// The insurer that pays.
	pub insurer: AccountId,
	/// The provider paid.
	pub provider: AccountId,
	/// The claims it settles.
	pub claims: Vec<u64>,
	/// Their approved amounts, added up.
	pub total: Amount,
	/// The block it was issued at.
	pub issued_at: BlockNumber,
	/// The payment, once the insurer attests it.
	pub payment: Option<Payment>,
}

/// An insurer's decision on a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Decision {
	/// Pay this much of it.
	Approve(Amount),
	/// Pay nothing, for this reason.
	Reject(Reason),
}

/// Why a call was refused. Nothing changes when one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
	/// The caller is not an active insurer.
	NotInsurer,
	/// The caller is not an active professional who may claim (insurers may not).
	NotProvider,
	/// The account is not an active patient's id (a patient that moved to a new key keeps
	/// its first account as its id).
	NotPatient,
	/// The caller is not the account this step belongs to.
	NotYours,
	/// A billing code longer than [`MAX_CODE`] bytes.
	CodeTooLong,
	/// A reason on the ground [`Ground::Other`] without the message that tells it.
	ReasonNeedsDetails,
	/// A genesis entry is never billable.
	NotBillable,
	/// The patient grants the insurer no live access.
	NoGrant,
	/// The insurer already holds a live policy of the patient.
	PolicyExists,
	/// The insurer holds no policy of the patient.
	NoPolicy,
	/// The policy has ended, or the claim's policy was replaced by another.
	PolicyEnded,
	/// An ending block already past.
	EndsInThePast,
	/// The patient's chain has no such entry.
	NoSuchEntry,
	/// The entry was written by someone else.
	NotAuthor,
	/// The entry has been claimed already.
	AlreadyClaimed,
	/// The insurer has no tariff for the entry's kind (or its kind and code).
	NoTariff,
	/// An amount of zero.
	ZeroAmount,
	/// An amount above the tariff, or an approval above the claim.
	AboveTariff,
	/// An approval beyond what is left of the policy's cap.
	CapExceeded,
	/// No such claim.
	NoSuchClaim,
	/// The claim waits for no decision.
	NotAwaitingDecision,
	/// The claim may not be disputed: it was approved in full, disputed once already, or
	/// is on a statement.
	NotDisputable,
	/// A statement of no claims, of more than [`MAX_STATEMENT_CLAIMS`], or listing one
	/// twice.
	BadStatement,
	/// A claim listed is not this provider's approved claim from this insurer, is on another
	/// statement already, or was approved in part less than [`DISPUTE_WINDOW`] blocks ago and
	/// not disputed.
	NotSettleable,
	/// No such statement.
	NoSuchStatement,
	/// The statement's payment has been attested already.
	AlreadyAttested,
	/// The statement's payment has not been attested, or was confirmed already.
	NotConfirmable,
	/// Only the account that deployed the contract (the consortium's) may upgrade it.
	NotDeployer,
	/// The chain refused the new code.
	UpgradeFailed,
}

/// The result of a call.
pub type Result<T> = core::result::Result<T, Error>;
