//! Research data-use agreements between study sponsors and the consortium's patients.
//!
//! - The consortium names the **ethics boards** (through the account that deployed the
//!   contract, which acts on the consortium's vote).
//! - A professional **proposes a study**: its purpose, the kinds of document it may use, the
//!   blocks it runs between, how many times it may use each patient's records, and a
//!   commitment to its ethics approval.
//! - An ethics board **approves** or rejects it; the sponsor may close it.
//! - Patients **opt in** to an approved study and **withdraw** whenever they choose.
//! - Each **use** of a patient's record by the study is checked (consent, kind, window, quota,
//!   the sponsor and the patient still in good standing) and counted by the study's data
//!   gateway, the account of the data's custodian the study names (never its sponsor), which
//!   hands a record out only once [`Research::log_use`] took it; [`Research::may_use`] asks
//!   without counting.
//!
//! Every step is an event. Which account is a patient or a professional, and what kind an
//! entry is, the chain answers (`ehr_contract_env`).

#![cfg_attr(not(feature = "std"), no_std, no_main)]

#[cfg(test)]
mod tests;

#[ink::contract(env = ehr_contract_env::EhrEnvironment)]
pub mod research {
	use ehr_contract_env::{DocumentKind, Member};
	use ink::{prelude::vec::Vec, storage::Mapping};

	/// The most bytes of a study's purpose or of a reason.
	pub const MAX_TEXT: usize = 256;
	/// The most document kinds a study may use.
	pub const MAX_KINDS: usize = 10;

	/// Where a study stands.
	#[derive(Debug, Clone, PartialEq, Eq)]
	#[ink::scale_derive(Encode, Decode, TypeInfo)]
	#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
	pub enum StudyStatus {
		/// Waiting for an ethics board.
		Proposed,
		/// Approved by this board at this block.
		Approved { board: AccountId, at: BlockNumber },
		/// Rejected by this board, for this reason.
		Rejected { board: AccountId, reason: Vec<u8> },
		/// Closed by its sponsor at this block: no more opt-ins or uses.
		Closed { at: BlockNumber },
	}

	/// A study and what it may use.
	#[derive(Debug, Clone, PartialEq, Eq)]
	#[ink::scale_derive(Encode, Decode, TypeInfo)]
	#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
	pub struct Study {
		/// The professional who proposed it.
		pub sponsor: AccountId,
		/// The data gateway that hands records out to it and logs each use.
		pub gateway: AccountId,
		/// What it is for, in words patients read before opting in (no health data).
		pub purpose: Vec<u8>,
		/// The kinds of document it may use.
		pub kinds: Vec<DocumentKind>,
		/// The first block it may use records at.
		pub starts_at: BlockNumber,
		/// The last block it may use records at.
		pub ends_at: BlockNumber,
		/// How many times it may use each patient's records.
		pub quota: u32,
		/// A hash of its ethics approval's documents.
		pub ethics: [u8; 32],
		/// Where it stands.
		pub status: StudyStatus,
		/// Uses logged, over all patients.
		pub uses: u64,
	}

	/// A patient's consent to a study.
	#[derive(Debug, Clone, PartialEq, Eq)]
	#[ink::scale_derive(Encode, Decode, TypeInfo)]
	#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
	pub struct Consent {
		/// The block the patient opted in at (the last time, if it opted in again).
		pub opted_in_at: BlockNumber,
		/// The block the patient withdrew at, if it has since.
		pub withdrawn_at: Option<BlockNumber>,
		/// The study's uses of the patient's records so far.
		pub uses: u32,
	}

	/// Why a call was refused. Nothing changes when one is.
	#[derive(Debug, Clone, Copy, PartialEq, Eq)]
	#[ink::scale_derive(Encode, Decode, TypeInfo)]
	pub enum Error {
		/// Only the account that deployed the contract (the consortium's) may.
		NotDeployer,
		/// The caller is not an ethics board.
		NotBoard,
		/// The caller is not an active professional.
		NotProfessional,
		/// The caller is not an active patient.
		NotPatient,
		/// The caller is not the study's sponsor.
		NotSponsor,
		/// The caller is not the study's data gateway.
		NotGateway,
		/// A study's gateway must be another account than its sponsor, and its board another
		/// than its sponsor.
		ConflictOfInterest,
		/// The study's sponsor is no longer an active professional, or the patient no longer
		/// an active patient.
		NotInGoodStanding,
		/// A purpose or reason empty or longer than [`MAX_TEXT`] bytes.
		BadText,
		/// No kinds, more than [`MAX_KINDS`], one twice, or the genesis kind.
		BadKinds,
		/// A window that ends before it starts or before the current block.
		BadWindow,
		/// A quota of zero.
		ZeroQuota,
		/// No such study.
		NoSuchStudy,
		/// The study is not waiting for an ethics board.
		NotProposed,
		/// The study is not approved (or has been closed).
		NotApproved,
		/// The study's window has not started yet.
		NotStarted,
		/// The study's window has ended.
		Ended,
		/// The patient's consent to the study is live already.
		AlreadyOptedIn,
		/// The patient has not consented to the study, or has withdrawn.
		NoConsent,
		/// The patient's chain has no such entry.
		NoSuchEntry,
		/// The entry is of a kind the study may not use.
		KindNotAllowed,
		/// The study has used this patient's records as often as it may.
		QuotaUsed,
		/// The chain refused the new code.
		UpgradeFailed,
	}

	/// The result of a call.
	pub type Result<T> = core::result::Result<T, Error>;

	#[ink(event)]
	pub struct BoardAdded {
		#[ink(topic)]
		board: AccountId,
	}

	#[ink(event)]
	pub struct BoardRemoved {
		#[ink(topic)]
		board: AccountId,
	}

	#[ink(event)]
	pub struct StudyProposed {
		#[ink(topic)]
		id: u32,
		#[ink(topic)]
		sponsor: AccountId,
	}

	#[ink(event)]
	pub struct StudyApproved {
		#[ink(topic)]
		id: u32,
		#[ink(topic)]
		board: AccountId,
	}

	#[ink(event)]
	pub struct StudyRejected {
		#[ink(topic)]
		id: u32,
		#[ink(topic)]
		board: AccountId,
		reason: Vec<u8>,
	}

	#[ink(event)]
	pub struct StudyClosed {
		#[ink(topic)]
		id: u32,
	}

	#[ink(event)]
	pub struct OptedIn {
		#[ink(topic)]
		study: u32,
		#[ink(topic)]
		patient: AccountId,
	}

	#[ink(event)]
	pub struct Withdrawn {
		#[ink(topic)]
		study: u32,
		#[ink(topic)]
		patient: AccountId,
	}

	#[ink(event)]
	pub struct RecordUsed {
		#[ink(topic)]
		study: u32,
		#[ink(topic)]
		patient: AccountId,
		index: u32,
	}

	#[ink(event)]
	pub struct Upgraded {
		code_hash: Hash,
	}

	/// The contract's state. Its layout is kept across upgrades: new fields go at the end.
	#[ink(storage)]
	pub struct Research {
		/// The account that deployed the contract: the consortium's, which names the ethics
		/// boards and alone upgrades it.
		deployer: AccountId,
		/// The ethics boards.
		boards: Mapping<AccountId, ()>,
		/// Studies, by id.
		studies: Mapping<u32, Study>,
		/// The next study's id.
		next_study: u32,
		/// Patients' consents, by (study, patient).
		consents: Mapping<(u32, AccountId), Consent>,
		/// The patient each account that opted in signed for, so that it can withdraw even
		/// once the chain no longer counts it a patient in good standing.
		signers: Mapping<AccountId, AccountId>,
	}

	impl Research {
		/// A contract with no boards or studies, run by its deployer.
		#[ink(constructor)]
		pub fn new() -> Self {
			Self {
				deployer: Self::env().caller(),
				boards: Mapping::default(),
				studies: Mapping::default(),
				next_study: 0,
				consents: Mapping::default(),
				signers: Mapping::default(),
			}
		}

		/// Names `board` an ethics board.
		#[ink(message)]
		pub fn add_board(&mut self, board: AccountId) -> Result<()> {
			self.deployer_only()?;
			self.boards.insert(board, &());
			self.env().emit_event(BoardAdded { board });
			Ok(())
		}

		/// `board` is an ethics board no more; what it approved stays approved.
		#[ink(message)]
		pub fn remove_board(&mut self, board: AccountId) -> Result<()> {
			self.deployer_only()?;
			if !self.boards.contains(board) {
				return Err(Error::NotBoard);
			}
			self.boards.remove(board);
			self.env().emit_event(BoardRemoved { board });
			Ok(())
		}

		/// Proposes a study sponsored by the calling professional. Returns its id.
		// Each argument is a term the ethics board reads apart; clients fill them in one by one.
		#[allow(clippy::too_many_arguments)]
		#[ink(message)]
		pub fn propose_study(
			&mut self,
			gateway: AccountId,
			purpose: Vec<u8>,
			kinds: Vec<DocumentKind>,
			starts_at: BlockNumber,
			ends_at: BlockNumber,
			quota: u32,
			ethics: [u8; 32],
		) -> Result<u32> {
			let sponsor = self.env().caller();
			if !matches!(self.env().extension().member(sponsor), Some(Member::Professional(_))) {
				return Err(Error::NotProfessional);
			}
			check_text(&purpose)?;
			check_kinds(&kinds)?;
			if ends_at < starts_at || ends_at < self.env().block_number() {
				return Err(Error::BadWindow);
			}
			if quota == 0 {
				return Err(Error::ZeroQuota);
			}
			if gateway == sponsor {
				return Err(Error::ConflictOfInterest);
			}
			let id = self.next_study;
			self.next_study = id.checked_add(1).expect("fewer than 2^32 studies");
			let status = StudyStatus::Proposed;
			let study = Study {
				sponsor,
				gateway,
				purpose,
				kinds,
				starts_at,
				ends_at,
				quota,
				ethics,
				status,
				uses: 0,
			};
			self.studies.insert(id, &study);
			self.env().emit_event(StudyProposed { id, sponsor });
			Ok(id)
		}

		/// The calling ethics board approves study `id`.
		#[ink(message)]
		pub fn approve_study(&mut self, id: u32) -> Result<()> {
			let board = self.board()?;
			let mut study = self.proposed(id)?;
			if study.sponsor == board {
				return Err(Error::ConflictOfInterest);
			}
			study.status = StudyStatus::Approved { board, at: self.env().block_number() };
			self.studies.insert(id, &study);
			self.env().emit_event(StudyApproved { id, board });
			Ok(())
		}

		/// The calling ethics board rejects study `id`, for `reason`.
		#[ink(message)]
		pub fn reject_study(&mut self, id: u32, reason: Vec<u8>) -> Result<()> {
			let board = self.board()?;
			check_text(&reason)?;
			let mut study = self.proposed(id)?;
			study.status = StudyStatus::Rejected { board, reason: reason.clone() };
			self.studies.insert(id, &study);
			self.env().emit_event(StudyRejected { id, board, reason });
			Ok(())
		}

		/// The sponsor closes study `id`: no more opt-ins or uses.
		#[ink(message)]
		pub fn close_study(&mut self, id: u32) -> Result<()> {
			let mut study = self.studies.get(id).ok_or(Error::NoSuchStudy)?;
			if self.env().caller() != study.sponsor {
				return Err(Error::NotSponsor);
			}
			if !matches!(study.status, StudyStatus::Proposed | StudyStatus::Approved { .. }) {
				return Err(Error::NotApproved);
			}
			study.status = StudyStatus::Closed { at: self.env().block_number() };
			self.studies.insert(id, &study);
			self.env().emit_event(StudyClosed { id });
			Ok(())
		}

		/// The calling patient consents to study `id` using its records, as the study says.
		#[ink(message)]
		pub fn opt_in(&mut self, id: u32) -> Result<()> {
			let patient = self.patient()?;
			let study = self.studies.get(id).ok_or(Error::NoSuchStudy)?;
			let now = self.env().block_number();
			if !matches!(study.status, StudyStatus::Approved { .. }) {
				return Err(Error::NotApproved);
			}
			if now > study.ends_at {
				return Err(Error::Ended);
			}
			let uses = match self.consents.get((id, patient)) {
				Some(consent) if consent.withdrawn_at.is_none() => {
					return Err(Error::AlreadyOptedIn)
				},
				Some(consent) => consent.uses,
				None => 0,
			};
			let consent = Consent { opted_in_at: now, withdrawn_at: None, uses };
			self.consents.insert((id, patient), &consent);
			self.signers.insert(self.env().caller(), &patient);
			self.env().emit_event(OptedIn { study: id, patient });
			Ok(())
		}

		/// The calling patient withdraws its consent to study `id`: the study uses none of
		/// its records from now on.
		#[ink(message)]
		pub fn withdraw(&mut self, id: u32) -> Result<()> {
			let patient = self.patient_id();
			let mut consent = self
				.consents
				.get((id, patient))
				.filter(|consent| consent.withdrawn_at.is_none())
				.ok_or(Error::NoConsent)?;
			consent.withdrawn_at = Some(self.env().block_number());
			self.consents.insert((id, patient), &consent);
			self.env().emit_event(Withdrawn { study: id, patient });
			Ok(())
		}

		/// The study's data gateway logs study `id`'s use of entry `index` of `patient`'s
		/// chain, which must be allowed now ([`Self::may_use`]), before it hands the record out.
		#[ink(message)]
		pub fn log_use(&mut self, id: u32, patient: AccountId, index: u32) -> Result<()> {
			let (mut study, mut consent) = self.check_use(id, patient, index)?;
			if self.env().caller() != study.gateway {
				return Err(Error::NotGateway);
			}
			consent.uses += 1;
			study.uses = study.uses.saturating_add(1);
			self.consents.insert((id, patient), &consent);
			self.studies.insert(id, &study);
			self.env().emit_event(RecordUsed { study: id, patient, index });
			Ok(())
		}

		/// Whether study `id` may use entry `index` of `patient`'s chain now: it is approved
		/// and within its window, the patient consents, the entry is of a kind it may use,
		/// and it has not used the patient's records as often as it may.
		#[ink(message)]
		pub fn may_use(&self, id: u32, patient: AccountId, index: u32) -> Result<()> {
			self.check_use(id, patient, index).map(|_| ())
		}

		/// Study `id`.
		#[ink(message)]
		pub fn study(&self, id: u32) -> Option<Study> {
			self.studies.get(id)
		}

		/// `patient`'s consent to study `id`.
		#[ink(message)]
		pub fn consent(&self, id: u32, patient: AccountId) -> Option<Consent> {
			self.consents.get((id, patient))
		}

		/// Whether `account` is an ethics board.
		#[ink(message)]
		pub fn is_board(&self, account: AccountId) -> bool {
			self.boards.contains(account)
		}

		/// Moves the contract to code `code_hash`, which the chain must hold already, keeping
		/// its state: only its deployer, the consortium's account, may.
		#[ink(message)]
		pub fn upgrade(&mut self, code_hash: Hash) -> Result<()> {
			self.deployer_only()?;
			self.env().set_code_hash(&code_hash).map_err(|_| Error::UpgradeFailed)?;
			self.env().emit_event(Upgraded { code_hash });
			Ok(())
		}

		/// The study and the patient's consent, if the study may use the entry now.
		fn check_use(&self, id: u32, patient: AccountId, index: u32) -> Result<(Study, Consent)> {
			let study = self.studies.get(id).ok_or(Error::NoSuchStudy)?;
			let now = self.env().block_number();
			if !matches!(study.status, StudyStatus::Approved { .. }) {
				return Err(Error::NotApproved);
			}
			if now < study.starts_at {
				return Err(Error::NotStarted);
			}
			if now > study.ends_at {
				return Err(Error::Ended);
			}
			let consent = self
				.consents
				.get((id, patient))
				.filter(|consent| consent.withdrawn_at.is_none())
				.ok_or(Error::NoConsent)?;
			let entry = self.env().extension().entry(patient, index).ok_or(Error::NoSuchEntry)?;
			if !study.kinds.contains(&entry.kind) {
				return Err(Error::KindNotAllowed);
			}
			if consent.uses >= study.quota {
				return Err(Error::QuotaUsed);
			}
			let sponsor_active = matches!(
				self.env().extension().member(study.sponsor),
				Some(Member::Professional(_))
			);
			if !sponsor_active
				|| !self.env().extension().access(study.sponsor, patient).patient_active
			{
				return Err(Error::NotInGoodStanding);
			}
			Ok((study, consent))
		}

		fn proposed(&self, id: u32) -> Result<Study> {
			let study = self.studies.get(id).ok_or(Error::NoSuchStudy)?;
			if study.status != StudyStatus::Proposed {
				return Err(Error::NotProposed);
			}
			Ok(study)
		}

		/// The patient the caller signs for: as the chain says while it is an active patient,
		/// else as it was when it opted in, else the caller itself.
		fn patient_id(&self) -> AccountId {
			let caller = self.env().caller();
			match self.env().extension().member(caller) {
				Some(Member::Patient(patient)) => patient,
				_ => self.signers.get(caller).unwrap_or(caller),
			}
		}

		fn deployer_only(&self) -> Result<()> {
			if self.env().caller() != self.deployer {
				return Err(Error::NotDeployer);
			}
			Ok(())
		}

		fn board(&self) -> Result<AccountId> {
			let caller = self.env().caller();
			if !self.boards.contains(caller) {
				return Err(Error::NotBoard);
			}
			Ok(caller)
		}

		/// The patient the caller signs for, if it is an active one.
		fn patient(&self) -> Result<AccountId> {
			match self.env().extension().member(self.env().caller()) {
				Some(Member::Patient(patient)) => Ok(patient),
				_ => Err(Error::NotPatient),
			}
		}
	}

	impl Default for Research {
		fn default() -> Self {
			Self::new()
		}
	}

	fn check_text(text: &[u8]) -> Result<()> {
		if text.is_empty() || text.len() > MAX_TEXT {
			return Err(Error::BadText);
		}
		Ok(())
	}

	fn check_kinds(kinds: &[DocumentKind]) -> Result<()> {
		let repeated = kinds.iter().enumerate().any(|(i, kind)| kinds[..i].contains(kind));
		if kinds.is_empty()
			|| kinds.len() > MAX_KINDS
			|| repeated
			|| kinds.contains(&DocumentKind::Genesis)
		{
			return Err(Error::BadKinds);
		}
		Ok(())
	}
}
