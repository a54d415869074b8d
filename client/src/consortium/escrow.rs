//! Releasing a patient's escrowed record key to an emergency reader: the holder of the
//! consortium's emergency key opens the escrow and seals the key to the professional, and the
//! hospitals decide it by a motion.

use super::Decision;
use crate::{client::Client, crypto, keys::Identity, Error, Result};

impl Client {
	/// The consortium's decision to give the professional of emergency access `id` the
	/// patient's record key, from the consortium's escrow: the key's seeds, opened with the
	/// `emergency_key` (held by whoever the consortium trusts with it) and sealed to the
	/// professional. A hospital then [proposes](Client::propose) it.
	pub async fn key_release(&self, emergency_key: &Identity, id: u64) -> Result<Decision> {
		let state = self.chain.state().await?;
		let access = state
			.emergency(id)
			.await?
			.ok_or_else(|| Error::NotFound(format!("no emergency access {id}")))?;
		let patient = state.registered_patient(&access.patient).await?;
		let seeds = crypto::open_seeds(
			emergency_key.encryption(),
			&access.patient.0,
			&patient.escrow_envelope.0,
		)
		.map_err(|_| {
			Error::Denied("the emergency key given does not open this patient's escrow".into())
		})?;
		let recipient = state.grantable_key(&access.professional).await?;
		let envelope = crypto::seal_seeds(&recipient, &access.patient.0, &seeds)?;
		Ok(Decision::ReleaseEmergencyKey { id, envelope })
	}
}
