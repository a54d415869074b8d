//! Who may use a patient's record keys: the patient itself (acting with the key it moved to,
//! if it moved), a professional while its grant is live, and an emergency reader once the
//! consortium released the key to its access.

use crate::{
	chain::{AccountId, Grant, GrantScope},
	client::Client,
	crypto,
	keys::Identity,
	seeds::RecordSeeds,
	state::State,
	Error, Result,
};

/// Whether `grant` can be used at block `now`: not revoked, not expired.
pub(crate) fn grant_is_live(grant: &Grant, now: u64) -> bool {
	grant.revoked_at.is_none() && grant.expires_at.is_none_or(|e| u64::from(e) >= now)
}

impl Client {
	/// The patient whose transactions `signer` signs: itself, or the patient that moved to its
	/// key.
	pub async fn patient_of(&self, signer: &Identity) -> Result<AccountId> {
		self.chain.state().await?.patient_signed_by(&signer.account()).await
	}
}

/// The record seeds `reader` may use for `patient`'s documents as `state` has it: its own as
/// the patient, its grant's, or a released emergency key's. `write` asks for a read-write
/// grant.
pub(crate) async fn reader_seed(
	state: &State,
	reader: &Identity,
	patient: &AccountId,
	write: bool,
) -> Result<RecordSeeds> {
	let record = state.registered_patient(patient).await?;
	if !write && state.patient_signed_by(&reader.account()).await.ok().as_ref() == Some(patient) {
		return reader.record_seeds(record.key_epoch);
	}
	let now = state.number();
	if let Some(grant) = state.grant(patient, &reader.account()).await? {
		if grant_is_live(&grant, now) {
			if write && grant.scope != GrantScope::ReadWrite {
				return Err(Error::Denied(format!(
					"{patient} granted you read access only; adding documents needs a read-write grant"
				)));
			}
			return crypto::open_seeds(reader.encryption(), &patient.0, &grant.envelope.0);
		}
	}
	if !write {
		if let Some(access) = state.open_emergency(patient, &reader.account()).await? {
			if access.closed.is_none() && u64::from(access.expires_at) >= now {
				if let Some(envelope) = &access.key_envelope {
					return crypto::open_seeds(reader.encryption(), &patient.0, &envelope.0);
				}
				return Err(Error::Denied(
					"your emergency access is open but an admin has not released the key yet"
						.into(),
				));
			}
		}
	}
	Err(Error::Denied(format!(
		"{} has no live {} grant from {patient}",
		reader.account(),
		if write { "read-write" } else { "read" }
	)))
}
