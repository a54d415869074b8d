//! What an admin does: registers professionals and manages them and patients (suspend,
//! reinstate, remove), reviews emergency accesses, frees a removed patient's insurance
//! commitment, lets a barred professional break the glass again; and the lists it works from.
//! A hospital's admin manages its own hospital's staff and patients only; the consortium's
//! admins manage everyone's. The chain refuses anything else ([`crate::Error::Refused`]).

use serde::Serialize;
use subxt::utils::H256;

use crate::{
	chain::{AccountId, ProfessionalKind, Receipt, ReviewOutcome},
	client::Client,
	crypto,
	keys::Identity,
	runtime,
	views::{bounded, text},
	Result,
};

/// A professional as an admin sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ProfessionalView {
	/// Its account.
	pub account: String,
	/// Its display name.
	pub name: String,
	/// Doctor, nurse, pharmacist, …
	pub kind: String,
	/// Its specialty.
	pub specialty: String,
	/// Its organisation.
	pub organisation: String,
	/// `Active`, `Suspended` or `Removed`.
	pub status: String,
	/// The X25519 key patients' grants are sealed to (hex).
	pub encryption_key: String,
	/// The block it was registered in.
	pub registered_at: u32,
	/// The hospital whose admin registered it, if a hospital's admin did.
	pub hospital: Option<String>,
}

/// An administrator.
#[derive(Debug, Clone, Serialize)]
pub struct AdminView {
	/// Its account.
	pub account: String,
	/// The hospital whose staff it manages; `None` for the consortium's own admins, who
	/// manage everyone's.
	pub hospital: Option<String>,
}

/// A patient as an admin sees it (no health data: the chain holds none).
#[derive(Debug, Clone, Serialize)]
pub struct PatientView {
	/// Its account.
	pub account: String,
	/// Who registered it.
	pub registered_by: String,
	/// The block it was registered in.
	pub registered_at: u32,
	/// Entries in its chain, the genesis entry included.
	pub records: u32,
	/// Its record key's epoch.
	pub key_epoch: u32,
}

/// An emergency access as an admin reviews it.
#[derive(Debug, Clone, Serialize)]
pub struct EmergencyView {
	/// Its id.
	pub id: u64,
	/// The patient whose records it opened.
	pub patient: String,
	/// The professional that opened it.
	pub professional: String,
	/// The reason given.
	pub reason: String,
	/// The block it was opened in.
	pub opened_at: u32,
	/// Its last block.
	pub expires_at: u32,
	/// Whether it is open now (not closed, not expired).
	pub open: bool,
	/// Whether the consortium released the patient's record key to it.
	pub key_released: bool,
	/// The review, if any: the outcome and who reviewed it.
	pub review: Option<String>,
}

impl Client {
	/// Registers a professional (admins only).
	#[allow(clippy::too_many_arguments)]
	pub async fn register_professional(
		&self,
		admin: &Identity,
		who: &AccountId,
		encryption_key: [u8; 32],
		kind: ProfessionalKind,
		name: &str,
		specialty: &str,
		licence_number: &str,
		organisation: &str,
	) -> Result<Receipt> {
		let call = self.professional_registration(
			who,
			encryption_key,
			kind,
			name,
			specialty,
			licence_number,
			organisation,
		)?;
		self.chain.submit(admin, &call).await
	}

	/// The call registering professional `who`, with the keyed commitment to its licence
	/// number.
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn professional_registration(
		&self,
		who: &AccountId,
		encryption_key: [u8; 32],
		kind: ProfessionalKind,
		name: &str,
		specialty: &str,
		licence_number: &str,
		organisation: &str,
	) -> Result<impl subxt::transactions::Payload> {
		let key = self.settings.insurance_key()?;
		let licence = crypto::keyed_commitment(&key, b"ehr licence number v1", licence_number)?;
		Ok(runtime::tx().ehr().register_professional(
			*who,
			kind,
			bounded(name),
			bounded(specialty),
			H256(licence),
			bounded(organisation),
			encryption_key,
		))
	}

	/// Suspends professional `who`: it can neither read nor write until reinstated.
	pub async fn suspend_professional(&self, admin: &Identity, who: &AccountId) -> Result<Receipt> {
		self.chain.submit(admin, &runtime::tx().ehr().suspend_professional(*who)).await
	}

	/// Reinstates suspended professional `who`.
	pub async fn reinstate_professional(
		&self,
		admin: &Identity,
		who: &AccountId,
	) -> Result<Receipt> {
		self.chain.submit(admin, &runtime::tx().ehr().reinstate_professional(*who)).await
	}

	/// Removes professional `who` for good; what it wrote stays.
	pub async fn remove_professional(&self, admin: &Identity, who: &AccountId) -> Result<Receipt> {
		self.chain.submit(admin, &runtime::tx().ehr().remove_professional(*who)).await
	}

	/// Suspends patient `who`: its key can send nothing until reinstated; its records stay.
	pub async fn suspend_patient(&self, admin: &Identity, who: &AccountId) -> Result<Receipt> {
		self.chain.submit(admin, &runtime::tx().ehr().suspend_patient(*who)).await
	}

	/// Reinstates suspended patient `who`.
	pub async fn reinstate_patient(&self, admin: &Identity, who: &AccountId) -> Result<Receipt> {
		self.chain.submit(admin, &runtime::tx().ehr().reinstate_patient(*who)).await
	}

	/// Removes patient `who` (a squatter on someone's insurance number, say); its records stay.
	pub async fn remove_patient(&self, admin: &Identity, who: &AccountId) -> Result<Receipt> {
		self.chain.submit(admin, &runtime::tx().ehr().remove_patient(*who)).await
	}

	/// Frees the insurance commitment removed patient `who` held, so that the person it belongs
	/// to can be registered under it.
	pub async fn release_insurance(&self, admin: &Identity, who: &AccountId) -> Result<Receipt> {
		self.chain.submit(admin, &runtime::tx().ehr().release_insurance(*who)).await
	}

	/// Reviews closed emergency access `id`: justified, or unjustified (which bars its
	/// professional from breaking the glass again until an admin clears the bar).
	pub async fn review_emergency(
		&self,
		admin: &Identity,
		id: u64,
		outcome: ReviewOutcome,
	) -> Result<Receipt> {
		self.chain.submit(admin, &runtime::tx().ehr().review_emergency_access(id, outcome)).await
	}

	/// Lets `professional`, barred by an unjustified review, break the glass again.
	pub async fn clear_emergency_bar(
		&self,
		admin: &Identity,
		professional: &AccountId,
	) -> Result<Receipt> {
		self.chain.submit(admin, &runtime::tx().ehr().clear_emergency_bar(*professional)).await
	}

	/// Every professional ever registered.
	pub async fn professionals(&self) -> Result<Vec<ProfessionalView>> {
		Ok(self
			.chain
			.state()
			.await?
			.professionals()
			.await?
			.into_iter()
			.map(|(who, p)| ProfessionalView {
				account: who.to_string(),
				name: text(&p.display_name),
				kind: format!("{:?}", p.kind),
				specialty: text(&p.specialty),
				organisation: text(&p.organisation),
				status: format!("{:?}", p.status),
				encryption_key: hex::encode(p.encryption_key),
				registered_at: p.registered_at,
				hospital: p.hospital.map(|h| h.to_string()),
			})
			.collect())
	}

	/// Every patient ever registered.
	pub async fn patients(&self) -> Result<Vec<PatientView>> {
		Ok(self
			.chain
			.state()
			.await?
			.patients()
			.await?
			.into_iter()
			.map(|(who, p)| PatientView {
				account: who.to_string(),
				registered_by: p.registered_by.to_string(),
				registered_at: p.registered_at,
				records: p.record_count,
				key_epoch: p.key_epoch,
			})
			.collect())
	}

	/// Every administrator: the consortium's own first, then each hospital's.
	pub async fn admins(&self) -> Result<Vec<AdminView>> {
		let state = self.chain.state().await?;
		let mut out: Vec<AdminView> = state
			.admins()
			.await?
			.into_iter()
			.map(|(account, admin)| AdminView {
				account: account.to_string(),
				hospital: admin.hospital.map(|h| h.to_string()),
			})
			.collect();
		out.sort_by(|a, b| (&a.hospital, &a.account).cmp(&(&b.hospital, &b.account)));
		Ok(out)
	}

	/// Every emergency access ever opened.
	pub async fn emergencies(&self) -> Result<Vec<EmergencyView>> {
		let state = self.chain.state().await?;
		let now = state.number();
		Ok(state
			.emergencies()
			.await?
			.into_iter()
			.map(|(id, a)| EmergencyView {
				id,
				patient: a.patient.to_string(),
				professional: a.professional.to_string(),
				reason: format!("{:?}", a.reason),
				opened_at: a.opened_at,
				expires_at: a.expires_at,
				open: a.closed.is_none() && u64::from(a.expires_at) >= now,
				key_released: a.key_envelope.is_some(),
				review: a.review.map(|(by, outcome)| format!("{outcome:?} by {by}")),
			})
			.collect())
	}
}
