//! What the claims contract tells of each step.

use crate::types::{Amount, Code, Reason};
use ehr_contract_env::{BlockNumber, DocumentKind};
use ink::primitives::{AccountId, Hash};

#[ink::event]
pub struct TariffSet {
	#[ink(topic)]
	pub insurer: AccountId,
	pub kind: DocumentKind,
	pub code: Option<Code>,
	/// `None` when the tariff was removed.
	pub amount: Option<Amount>,
}

#[ink::event]
pub struct PolicyRegistered {
	#[ink(topic)]
	pub insurer: AccountId,
	#[ink(topic)]
	pub patient: AccountId,
	pub cap: Amount,
	pub ends_at: Option<BlockNumber>,
}

#[ink::event]
pub struct PolicyEnded {
	#[ink(topic)]
	pub insurer: AccountId,
	#[ink(topic)]
	pub patient: AccountId,
	pub at: BlockNumber,
}

#[ink::event]
pub struct ClaimSubmitted {
	#[ink(topic)]
	pub id: u64,
	#[ink(topic)]
	pub provider: AccountId,
	#[ink(topic)]
	pub insurer: AccountId,
	pub patient: AccountId,
	pub index: u32,
	pub amount: Amount,
}

#[ink::event]
pub struct ClaimApproved {
	#[ink(topic)]
	pub id: u64,
	pub amount: Amount,
	pub automatically: bool,
}

#[ink::event]
pub struct ClaimPending {
	#[ink(topic)]
	pub id: u64,
}

#[ink::event]
pub struct ClaimRejected {
	#[ink(topic)]
	pub id: u64,
	pub reason: Reason,
}

#[ink::event]
pub struct ClaimDisputed {
	#[ink(topic)]
	pub id: u64,
	pub reason: Reason,
}

#[ink::event]
pub struct StatementIssued {
	#[ink(topic)]
	pub id: u64,
	#[ink(topic)]
	pub insurer: AccountId,
	#[ink(topic)]
	pub provider: AccountId,
	pub claims: u32,
	pub total: Amount,
}

#[ink::event]
pub struct PaymentAttested {
	#[ink(topic)]
	pub statement: u64,
	pub reference: [u8; 32],
}

#[ink::event]
pub struct PaymentConfirmed {
	#[ink(topic)]
	pub statement: u64,
}

#[ink::event]
pub struct Upgraded {
	pub code_hash: Hash,
}
