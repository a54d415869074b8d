//! Breaking the glass: a professional whose kind the consortium allows opens an emergency
//! access to a patient's records, for a reason and a number of blocks; the consortium may
//! release the patient's record key to it (see [`Client::key_release`]); the professional, the
//! patient or an admin closes it; an admin reviews it ([`Client::review_emergency`]).

use serde::Serialize;

use crate::{
	chain::{AccountId, EmergencyReason, Receipt},
	client::Client,
	keys::Identity,
	runtime, Error, Result,
};

/// What closing an emergency access did.
#[derive(Debug, Clone, Serialize)]
pub struct Closed {
	/// The transaction.
	#[serde(flatten)]
	pub receipt: Receipt,
	/// Whether the patient closed it after the consortium released its record key to the
	/// access: the professional still opens what is written under that key, until the patient
	/// rotates it ([`Client::rotate_key`]).
	pub patient_should_rotate: bool,
}

impl Client {
	/// Opens an emergency access by `professional` to `patient`'s records, for `blocks` blocks.
	pub async fn open_emergency(
		&self,
		professional: &Identity,
		patient: &AccountId,
		reason: EmergencyReason,
		blocks: u32,
	) -> Result<Receipt> {
		let call = runtime::tx().ehr().open_emergency_access(*patient, reason, blocks);
		self.chain.submit(professional, &call).await
	}

	/// Closes emergency access `id`, as its professional, its patient or an admin.
	pub async fn close_emergency(&self, who: &Identity, id: u64) -> Result<Closed> {
		if self.chain.state().await?.emergency(id).await?.is_none() {
			return Err(Error::NotFound(format!("no emergency access {id}")));
		}
		let receipt =
			self.chain.submit(who, &runtime::tx().ehr().close_emergency_access(id)).await?;
		// A key released before it closed counts; the chain releases none to a closed access.
		let state = self.chain.state().await?;
		let released = state.emergency(id).await?.filter(|a| a.key_envelope.is_some());
		let by_patient = match released {
			Some(access) => {
				state.patient_signed_by(&who.account()).await.ok() == Some(access.patient)
			},
			None => false,
		};
		Ok(Closed { receipt, patient_should_rotate: by_patient })
	}
}
