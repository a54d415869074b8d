//! Claims settlement between the consortium's insurers and providers.
//!
//! - An insurer sets its **tariffs**: what it pays at most for a document of a kind, or of a kind
//!   and billing code. A kind without a tariff is not billable to that insurer.
//! - An insurer registers a patient's **policy** (a commitment to its number, and the most it
//!   pays under it), only while the patient grants the insurer access on the chain.
//! - A provider **claims** for an entry of a patient's chain that it wrote itself, once per
//!   entry, for at most the tariff. Within the tariff and what is left of the policy's cap, the
//!   contract approves it at once; beyond the cap, the insurer decides, approving some or all of
//!   it or rejecting it with a reason.
//! - A provider may **dispute** a rejection or a partial approval once, with a reason; the
//!   insurer then decides again, and that decision is final.
//! - A reason is a ground from a fixed list, with the hash of a sealed message where words are
//!   needed: nothing about a patient's care is written here in clear. A billing code is the
//!   insurer's label for a line of its tariff, never a diagnosis.
//! - An insurer issues a provider **statements** of approved claims, attests the off-chain
//!   payment's reference, and the provider confirms it was paid.
//!
//! Every step is an event. Amounts are in the smallest unit of the currency the consortium
//! settles in (cents, say); no money moves on the chain. Who is an insurer, a provider or a
//! patient, and who wrote an entry, the chain answers (`ehr_contract_env`).

#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod events;
#[cfg(test)]
mod tests;
pub mod types;

#[ink::contract(env = ehr_contract_env::EhrEnvironment)]
pub mod claims {
	use crate::{events::*, types::*};
	use ehr_contract_env::{DocumentKind, Member, ProfessionalKind};
	use ink::{prelude::vec::Vec, storage::Mapping};

	/// The contract's state. Its layout is kept across upgrades: new fields go at the end.
	#[ink(storage)]
	pub struct Claims {
		/// The account that deployed the contract: the consortium's, the only one that
		/// upgrades it.
		deployer: AccountId,
		/// Tariffs, by (insurer, kind, code).
		tariffs: Mapping<TariffKey, Amount>,
		/// Policies, by (insurer, patient).
		policies: Mapping<(AccountId, AccountId), Policy>,
		/// Claims, by id.
		claims: Mapping<u64, Claim>,
		/// The claim of each claimed entry, by (patient, index).
		claim_of_entry: Mapping<(AccountId, u32), u64>,
		/// The next claim's id.
		next_claim: u64,
		/// Statements, by id.
		statements: Mapping<u64, Statement>,
		/// The next statement's id.
		next_statement: u64,
		/// The next policy's id.
		next_policy: u64,
	}

	impl Claims {
		/// A contract with no tariffs, policies or claims, upgraded only by its deployer.
		#[ink(constructor)]
		pub fn new() -> Self {
			Self {
				deployer: Self::env().caller(),
				tariffs: Mapping::default(),
				policies: Mapping::default(),
				claims: Mapping::default(),
				claim_of_entry: Mapping::default(),
				next_claim: 0,
				statements: Mapping::default(),
				next_statement: 0,
				next_policy: 0,
			}
		}

		/// Sets what the calling insurer pays at most for a document of `kind`, or of `kind`
		/// under billing code `code`: `None` removes the tariff.
		#[ink(message)]
		pub fn set_tariff(
			&mut self,
			kind: DocumentKind,
			code: Option<Code>,
			amount: Option<Amount>,
		) -> Result<()> {
			let insurer = self.insurer()?;
			check_code(&code)?;
			if kind == DocumentKind::Genesis {
				return Err(Error::NotBillable);
			}
			let key: TariffKey = (insurer, kind, code.clone());
			match amount {
				Some(0) => return Err(Error::ZeroAmount),
				Some(amount) => {
					self.tariffs.insert(&key, &amount);
				},
				None => self.tariffs.remove(&key),
			}
			self.env().emit_event(TariffSet { insurer, kind, code, amount });
			Ok(())
		}

		/// Registers `patient`'s policy with the calling insurer, which the patient must grant
		/// access on the chain now.
		#[ink(message)]
		pub fn register_policy(
			&mut self,
			patient: AccountId,
			commitment: [u8; 32],
			cap: Amount,
			ends_at: Option<BlockNumber>,
		) -> Result<()> {
			let insurer = self.insurer()?;
			let now = self.env().block_number();
			let access = self.env().extension().access(insurer, patient);
			if !access.patient_active {
				return Err(Error::NotPatient);
			}
			if access.grant.is_none() {
				return Err(Error::NoGrant);
			}
			if self.policies.get((insurer, patient)).is_some_and(|p| is_live(&p, now)) {
				return Err(Error::PolicyExists);
			}
			if ends_at.is_some_and(|end| end < now) {
				return Err(Error::EndsInThePast);
			}
			if cap == 0 {
				return Err(Error::ZeroAmount);
			}
			let id = self.next_policy;
			self.next_policy = id.checked_add(1).expect("fewer than 2^64 policies");
			let policy = Policy { id, commitment, cap, approved: 0, registered_at: now, ends_at };
			self.policies.insert((insurer, patient), &policy);
			self.env().emit_event(PolicyRegistered { insurer, patient, cap, ends_at });
			Ok(())
		}

		/// Ends `patient`'s policy with the calling insurer: no claim may be submitted under
		/// it from the next block; claims already submitted are still decided and settled.
		#[ink(message)]
		pub fn end_policy(&mut self, patient: AccountId) -> Result<()> {
			let insurer = self.insurer()?;
			let now = self.env().block_number();
			let mut policy = self.policies.get((insurer, patient)).ok_or(Error::NoPolicy)?;
			// Ended, or ending with this block already.
			if policy.ends_at.is_some_and(|end| end <= now) {
				return Err(Error::PolicyEnded);
			}
			policy.ends_at = Some(now);
			self.policies.insert((insurer, patient), &policy);
			self.env().emit_event(PolicyEnded { insurer, patient, at: now });
			Ok(())
		}

		/// Claims `amount` from `insurer` for entry `index` of `patient`'s chain, which the
		/// caller wrote, under billing code `code` if the insurer has a tariff for it (else
		/// under the entry's kind). Returns the claim's id.
		#[ink(message)]
		pub fn submit_claim(
			&mut self,
			insurer: AccountId,
			patient: AccountId,
			index: u32,
			code: Option<Code>,
			amount: Amount,
		) -> Result<u64> {
			let provider = self.env().caller();
			match self.env().extension().member(provider) {
				Some(Member::Professional(kind)) if kind != ProfessionalKind::Insurer => {},
				_ => return Err(Error::NotProvider),
			}
			check_code(&code)?;
			let now = self.env().block_number();
			let entry = self.env().extension().entry(patient, index).ok_or(Error::NoSuchEntry)?;
			if entry.author != provider {
				return Err(Error::NotAuthor);
			}
			if entry.kind == DocumentKind::Genesis {
				return Err(Error::NotBillable);
			}
			if self.claim_of_entry.contains((patient, index)) {
				return Err(Error::AlreadyClaimed);
			}
			let mut policy = self.policies.get((insurer, patient)).ok_or(Error::NoPolicy)?;
			if !is_live(&policy, now) {
				return Err(Error::PolicyEnded);
			}
			let tariff = self.tariff(insurer, entry.kind, code.clone()).ok_or(Error::NoTariff)?;
			if amount == 0 {
				return Err(Error::ZeroAmount);
			}
			if amount > tariff {
				return Err(Error::AboveTariff);
			}

			let id = self.next_claim;
			self.next_claim = id.checked_add(1).expect("fewer than 2^64 claims");
			// A billing code is the provider's choice, not the chain's: above the kind's own
			// tariff (or with none), the insurer looks at the claim itself.
			let kind_tariff = self.tariffs.get((insurer, entry.kind, None::<Code>));
			let automatically =
				kind_tariff.is_some_and(|limit| amount <= limit) && fits_cap(&policy, amount);
			let status = if automatically {
				policy.approved += amount;
				self.policies.insert((insurer, patient), &policy);
				Status::Approved { amount, automatically: true }
			} else {
				Status::Pending
			};
			let claim = Claim {
				provider,
				insurer,
				patient,
				index,
				kind: entry.kind,
				code,
				amount,
				status,
				disputed: false,
				statement: None,
				submitted_at: now,
				policy: policy.id,
				decided_at: None,
			};
			self.claims.insert(id, &claim);
			self.claim_of_entry.insert((patient, index), &id);
			self.env().emit_event(ClaimSubmitted { id, provider, insurer, patient, index, amount });
			if automatically {
				self.env().emit_event(ClaimApproved { id, amount, automatically: true });
			} else {
				self.env().emit_event(ClaimPending { id });
			}
			Ok(id)
		}

		/// The insurer's decision on a pending or disputed claim. An approval is for at most
		/// the amount claimed and what is left of the policy's cap.
		#[ink(message)]
		pub fn decide(&mut self, id: u64, decision: Decision) -> Result<()> {
			let mut claim = self.claims.get(id).ok_or(Error::NoSuchClaim)?;
			if self.env().caller() != claim.insurer {
				return Err(Error::NotYours);
			}
			if !matches!(claim.status, Status::Pending | Status::Disputed { .. }) {
				return Err(Error::NotAwaitingDecision);
			}
			match decision {
				Decision::Approve(amount) => {
					let key = (claim.insurer, claim.patient);
					let mut policy = self.policies.get(key).ok_or(Error::NoPolicy)?;
					if policy.id != claim.policy {
						return Err(Error::PolicyEnded);
					}
					if amount == 0 {
						return Err(Error::ZeroAmount);
					}
					if amount > claim.amount {
						return Err(Error::AboveTariff);
					}
					if !fits_cap(&policy, amount) {
						return Err(Error::CapExceeded);
					}
					policy.approved += amount;
					self.policies.insert(key, &policy);
					claim.status = Status::Approved { amount, automatically: false };
					self.env().emit_event(ClaimApproved { id, amount, automatically: false });
				},
				Decision::Reject(reason) => {
					check_reason(&reason)?;
					claim.status = Status::Rejected(reason);
					self.env().emit_event(ClaimRejected { id, reason });
				},
			}
			claim.decided_at = Some(self.env().block_number());
			self.claims.insert(id, &claim);
			Ok(())
		}

		/// The provider disputes a rejection, or an approval of less than it claimed, once:
		/// what was approved is withdrawn until the insurer decides again.
		#[ink(message)]
		pub fn dispute(&mut self, id: u64, reason: Reason) -> Result<()> {
			let mut claim = self.claims.get(id).ok_or(Error::NoSuchClaim)?;
			if self.env().caller() != claim.provider {
				return Err(Error::NotYours);
			}
			check_reason(&reason)?;
			if claim.disputed || claim.statement.is_some() {
				return Err(Error::NotDisputable);
			}
			match claim.status {
				Status::Rejected { .. } => {},
				Status::Approved { amount, .. } if amount < claim.amount => {
					// What was approved goes back to the claim's own policy; once that policy
					// has been replaced, nothing can be paid again under it.
					let key = (claim.insurer, claim.patient);
					let mut policy = self
						.policies
						.get(key)
						.filter(|policy| policy.id == claim.policy)
						.ok_or(Error::PolicyEnded)?;
					policy.approved = policy.approved.saturating_sub(amount);
					self.policies.insert(key, &policy);
				},
				_ => return Err(Error::NotDisputable),
			}
			claim.status = Status::Disputed(reason);
			claim.disputed = true;
			self.claims.insert(id, &claim);
			self.env().emit_event(ClaimDisputed { id, reason });
			Ok(())
		}

		/// The calling insurer's statement to `provider` of these approved claims, none on a
		/// statement yet. Returns the statement's id.
		#[ink(message)]
		pub fn issue_statement(&mut self, provider: AccountId, claims: Vec<u64>) -> Result<u64> {
			let insurer = self.insurer()?;
			if claims.is_empty() || claims.len() > MAX_STATEMENT_CLAIMS {
				return Err(Error::BadStatement);
			}
			let mut sorted = claims.clone();
			sorted.sort_unstable();
			sorted.dedup();
			if sorted.len() != claims.len() {
				return Err(Error::BadStatement);
			}
			let mut settled = Vec::with_capacity(claims.len());
			let mut total: Amount = 0;
			for &claim_id in &claims {
				let claim = self.claims.get(claim_id).ok_or(Error::NoSuchClaim)?;
				let amount = match claim.status {
					Status::Approved { amount, .. }
						if claim.insurer == insurer
							&& claim.provider == provider
							&& claim.statement.is_none()
							&& self.is_final(&claim, amount) =>
					{
						amount
					},
					_ => return Err(Error::NotSettleable),
				};
				total = total.checked_add(amount).ok_or(Error::CapExceeded)?;
				settled.push((claim_id, claim));
			}

			let id = self.next_statement;
			self.next_statement = id.checked_add(1).expect("fewer than 2^64 statements");
			for (claim_id, mut claim) in settled {
				claim.statement = Some(id);
				self.claims.insert(claim_id, &claim);
			}
			let count = claims.len() as u32;
			let issued_at = self.env().block_number();
			let statement =
				Statement { insurer, provider, claims, total, issued_at, payment: None };
			self.statements.insert(id, &statement);
			self.env().emit_event(StatementIssued { id, insurer, provider, claims: count, total });
			Ok(id)
		}

		/// The insurer attests it paid statement `id`, with a hash of the payment's reference.
		#[ink(message)]
		pub fn attest_payment(&mut self, id: u64, reference: [u8; 32]) -> Result<()> {
			let mut statement = self.statements.get(id).ok_or(Error::NoSuchStatement)?;
			if self.env().caller() != statement.insurer {
				return Err(Error::NotYours);
			}
			if statement.payment.is_some() {
				return Err(Error::AlreadyAttested);
			}
			let attested_at = self.env().block_number();
			statement.payment = Some(Payment { reference, attested_at, confirmed_at: None });
			self.statements.insert(id, &statement);
			self.env().emit_event(PaymentAttested { statement: id, reference });
			Ok(())
		}

		/// The provider confirms it received statement `id`'s attested payment.
		#[ink(message)]
		pub fn confirm_payment(&mut self, id: u64) -> Result<()> {
			let mut statement = self.statements.get(id).ok_or(Error::NoSuchStatement)?;
			if self.env().caller() != statement.provider {
				return Err(Error::NotYours);
			}
			let now = self.env().block_number();
			match &mut statement.payment {
				Some(payment) if payment.confirmed_at.is_none() => payment.confirmed_at = Some(now),
				_ => return Err(Error::NotConfirmable),
			}
			self.statements.insert(id, &statement);
			self.env().emit_event(PaymentConfirmed { statement: id });
			Ok(())
		}

		/// Moves the contract to code `code_hash`, which the chain must hold already, keeping
		/// its state: only its deployer, the consortium's account, may.
		#[ink(message)]
		pub fn upgrade(&mut self, code_hash: Hash) -> Result<()> {
			if self.env().caller() != self.deployer {
				return Err(Error::NotDeployer);
			}
			self.env().set_code_hash(&code_hash).map_err(|_| Error::UpgradeFailed)?;
			self.env().emit_event(Upgraded { code_hash });
			Ok(())
		}

		/// What `insurer` pays at most for a document of `kind` under `code`: the code's own
		/// tariff if it has one, else the kind's.
		#[ink(message)]
		pub fn tariff(
			&self,
			insurer: AccountId,
			kind: DocumentKind,
			code: Option<Code>,
		) -> Option<Amount> {
			if code.is_some() {
				if let Some(amount) = self.tariffs.get((insurer, kind, code)) {
					return Some(amount);
				}
			}
			self.tariffs.get((insurer, kind, None::<Code>))
		}

		/// `patient`'s policy with `insurer`.
		#[ink(message)]
		pub fn policy(&self, insurer: AccountId, patient: AccountId) -> Option<Policy> {
			self.policies.get((insurer, patient))
		}

		/// Claim `id`.
		#[ink(message)]
		pub fn claim(&self, id: u64) -> Option<Claim> {
			self.claims.get(id)
		}

		/// The claim for entry `index` of `patient`'s chain, if it was claimed.
		#[ink(message)]
		pub fn claim_of_entry(&self, patient: AccountId, index: u32) -> Option<u64> {
			self.claim_of_entry.get((patient, index))
		}

		/// Statement `id`.
		#[ink(message)]
		pub fn statement(&self, id: u64) -> Option<Statement> {
			self.statements.get(id)
		}

		/// The account that deployed the contract and alone upgrades it.
		#[ink(message)]
		pub fn deployer(&self) -> AccountId {
			self.deployer
		}

		/// Whether an approval of `amount` on `claim` is beyond dispute: in full, disputed
		/// once already, or decided [`DISPUTE_WINDOW`] blocks ago.
		fn is_final(&self, claim: &Claim, amount: Amount) -> bool {
			let now = self.env().block_number();
			amount >= claim.amount
				|| claim.disputed
				|| claim.decided_at.is_some_and(|at| now.saturating_sub(at) >= DISPUTE_WINDOW)
		}

		/// The caller, if it is an active insurer.
		fn insurer(&self) -> Result<AccountId> {
			let caller = self.env().caller();
			match self.env().extension().member(caller) {
				Some(Member::Professional(ProfessionalKind::Insurer)) => Ok(caller),
				_ => Err(Error::NotInsurer),
			}
		}
	}

	impl Default for Claims {
		fn default() -> Self {
			Self::new()
		}
	}

	/// Whether claims may be submitted under `policy` at block `now`.
	fn is_live(policy: &Policy, now: BlockNumber) -> bool {
		policy.ends_at.is_none_or(|end| now <= end)
	}

	/// Whether approving `amount` more stays within `policy`'s cap.
	fn fits_cap(policy: &Policy, amount: Amount) -> bool {
		policy.approved.checked_add(amount).is_some_and(|total| total <= policy.cap)
	}

	fn check_code(code: &Option<Code>) -> Result<()> {
		match code {
			Some(code) if code.len() > MAX_CODE => Err(Error::CodeTooLong),
			_ => Ok(()),
		}
	}

	fn check_reason(reason: &Reason) -> Result<()> {
		if reason.ground == Ground::Other && reason.details.is_none() {
			return Err(Error::ReasonNeedsDetails);
		}
		Ok(())
	}
}
