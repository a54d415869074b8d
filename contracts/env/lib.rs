//! What the EHR chain answers the consortium's contracts, read-only: whether an account is a
//! member and in what role, what access a professional holds to a patient's records, and who
//! wrote an entry of a patient's chain, of what kind, with what hash.
//!
//! The runtime's chain extension (`runtime/src/contracts/extension.rs`) answers these calls;
//! its encoding of every type below is this crate's, field by field and variant by variant.
//! A contract names [`EhrEnvironment`] as its environment and asks through
//! `self.env().extension()`.

#![cfg_attr(not(feature = "std"), no_std)]

use ink::{env::Environment, primitives::AccountId};

/// The chain's block number.
pub type BlockNumber = <ink::env::DefaultEnvironment as Environment>::BlockNumber;

/// The id under which the runtime registers the EHR chain extension.
pub const EXTENSION_ID: u16 = 1;

/// A member of the chain as the EHR pallet sees it now: only members in good standing (an
/// admin, an active professional, an active patient) are members at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Member {
	/// An administrator.
	Admin,
	/// An active health professional of this kind.
	Professional(ProfessionalKind),
	/// An active patient, signing for the patient of this id: its own account, or the one
	/// it moved from to a new key. Its records, grants and consents are under that id.
	Patient(AccountId),
}

/// The kind of a registered health professional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum ProfessionalKind {
	/// A physician, general practitioner or specialist.
	Doctor,
	/// A nurse or midwife.
	Nurse,
	/// A pharmacist.
	Pharmacist,
	/// A medical laboratory.
	Laboratory,
	/// An imaging centre.
	Imaging,
	/// A health insurer.
	Insurer,
	/// Any other kind of professional the consortium admits.
	Other,
}

/// What a grant lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum GrantScope {
	/// Read the patient's documents.
	Read,
	/// Read them and add new ones.
	ReadWrite,
}

/// A patient's live grant to a professional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct Grant {
	/// What it lets the professional do.
	pub scope: GrantScope,
	/// The last block it is live at; `None` for no expiry.
	pub expires_at: Option<BlockNumber>,
}

/// What a professional holds now to a patient's records, and whether the patient may act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct Access {
	/// Whether the patient is registered and active (neither suspended nor removed).
	pub patient_active: bool,
	/// The patient's live grant, if any (neither revoked nor expired).
	pub grant: Option<Grant>,
	/// Whether a break-glass access of the professional to the patient is open.
	pub emergency: bool,
}

/// The kind of document an entry points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum DocumentKind {
	/// The first entry of every chain, made at registration.
	Genesis,
	/// A prescription.
	Prescription,
	/// An imaging study.
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

/// An entry of a patient's chain: who wrote it, what it is, and its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct Entry {
	/// The professional who wrote it.
	pub author: AccountId,
	/// What the document is.
	pub kind: DocumentKind,
	/// The entry's hash, as the chain links it.
	pub hash: [u8; 32],
}

/// The chain extension's calls. Each is read-only, charged its reads before it reads, and
/// answers for the block the contract runs in.
#[ink::chain_extension(extension = 1)]
pub trait Ehr {
	type ErrorCode = EhrStatus;

	/// The member `who` is, if it is one in good standing.
	#[ink(function = 1, handle_status = false)]
	fn member(who: AccountId) -> Option<Member>;

	/// What `professional` holds now to `patient`'s records (`patient` being the patient's id,
	/// its first account), and whether the patient is active.
	#[ink(function = 2, handle_status = false)]
	fn access(professional: AccountId, patient: AccountId) -> Access;

	/// Entry `index` of `patient`'s chain, if there is one.
	#[ink(function = 3, handle_status = false)]
	fn entry(patient: AccountId, index: u32) -> Option<Entry>;
}

/// The extension's status: it answers every call it knows with success, and fails the call
/// (trapping the contract) for anything else, so no other status reaches a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum EhrStatus {
	/// A status the extension never gives.
	Unknown,
}

impl ink::env::chain_extension::FromStatusCode for EhrStatus {
	fn from_status_code(status_code: u32) -> Result<(), Self> {
		match status_code {
			0 => Ok(()),
			_ => Err(Self::Unknown),
		}
	}
}

/// The EHR chain's environment: polkadot-sdk's default types (32-byte accounts, `u128`
/// balances, 32-bit blocks, millisecond timestamps), and the EHR chain extension.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(TypeInfo)]
pub enum EhrEnvironment {}

impl Environment for EhrEnvironment {
	const MAX_EVENT_TOPICS: usize = <ink::env::DefaultEnvironment as Environment>::MAX_EVENT_TOPICS;

	type AccountId = <ink::env::DefaultEnvironment as Environment>::AccountId;
	type Balance = <ink::env::DefaultEnvironment as Environment>::Balance;
	type Hash = <ink::env::DefaultEnvironment as Environment>::Hash;
	type BlockNumber = BlockNumber;
	type Timestamp = <ink::env::DefaultEnvironment as Environment>::Timestamp;

	type ChainExtension = Ehr;
}

/// A stand-in for the chain in the contracts' unit tests: members, grants and entries set by
/// the test, answered through ink's off-chain engine exactly as the runtime encodes them.
#[cfg(feature = "std")]
pub mod testing {
	use super::*;
	use ink::scale::{Decode, Encode};
	use std::{cell::RefCell, collections::BTreeMap, rc::Rc};

	/// What the stand-in chain holds.
	#[derive(Default)]
	pub struct ChainState {
		/// Members in good standing.
		pub members: BTreeMap<AccountId, Member>,
		/// Grants, by (professional, patient); answered only while not expired.
		pub grants: BTreeMap<(AccountId, AccountId), Grant>,
		/// Open break-glass accesses, as (professional, patient).
		pub emergencies: Vec<(AccountId, AccountId)>,
		/// Entries, by (patient, index).
		pub entries: BTreeMap<(AccountId, u32), Entry>,
		/// The block grants' expiry is judged at (the extension cannot ask ink's off-chain
		/// engine while the engine is calling it).
		pub now: BlockNumber,
	}

	/// The state shared between a test and the extension it registered.
	pub type Chain = Rc<RefCell<ChainState>>;

	/// The account whose 32 bytes are all `n`.
	pub fn account(n: u8) -> AccountId {
		AccountId::from([n; 32])
	}

	/// Makes `who` the caller of the next messages.
	pub fn as_caller(who: AccountId) {
		ink::env::test::set_caller::<EhrEnvironment>(who);
	}

	/// Registers a stand-in EHR chain extension with ink's off-chain engine and returns its
	/// state, for the test to change as it goes.
	pub fn register() -> Chain {
		let chain = Chain::default();
		ink::env::test::register_chain_extension(Extension(chain.clone()));
		chain
	}

	struct Extension(Chain);

	impl ink::env::test::ChainExtension for Extension {
		fn ext_id(&self) -> u16 {
			EXTENSION_ID
		}

		fn call(&mut self, func_id: u16, input: &[u8], output: &mut Vec<u8>) -> u32 {
			// ink's off-chain engine passes the contract's input SCALE-encoded once more, as a
			// vector of bytes; the chain passes it as it is.
			let bytes = Vec::<u8>::decode(&mut &input[..]).expect("the engine's encoding");
			let mut input = &bytes[..];
			let chain = self.0.borrow();
			match func_id {
				1 => {
					let who = AccountId::decode(&mut input).expect("an account");
					chain.members.get(&who).copied().encode_to(output);
				},
				2 => {
					let (professional, patient) =
						<(AccountId, AccountId)>::decode(&mut input).expect("two accounts");
					let patient_active =
						chain.members.values().any(|member| *member == Member::Patient(patient));
					let now = chain.now;
					let grant = chain.grants.get(&(professional, patient)).copied();
					Access {
						patient_active,
						grant: grant.filter(|g| g.expires_at.is_none_or(|end| now <= end)),
						emergency: chain.emergencies.contains(&(professional, patient)),
					}
					.encode_to(output);
				},
				3 => {
					let key = <(AccountId, u32)>::decode(&mut input).expect("a patient and index");
					chain.entries.get(&key).copied().encode_to(output);
				},
				other => panic!("the EHR extension has no function {other}"),
			}
			0
		}
	}
}
