//! What an account is on the chain, as a screen needs to know it: which roles it acts in.

use serde::Serialize;

use crate::{
	chain::{AccountId, ProfessionalStatus, Registrar},
	client::Client,
	Result,
};

/// The roles an account acts in now. Anyone may read the history as an auditor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Roles {
	/// A serving admin (of the consortium, or of a hospital in it).
	pub admin: bool,
	/// An active professional.
	pub professional: bool,
	/// A patient, or the key a patient moved to.
	pub patient: bool,
	/// A hospital of the consortium: it appoints and dismisses its own admins.
	pub hospital: bool,
}

impl Client {
	/// The roles `who` acts in, as the latest finalized block has them.
	pub async fn roles(&self, who: &AccountId) -> Result<Roles> {
		let state = self.chain.state().await?;
		let professional =
			state.professional(who).await?.is_some_and(|p| p.status == ProfessionalStatus::Active);
		let patient = state.patient_signed_by(who).await.is_ok();
		// The runtime says who may act as an admin (a hospital's admin only while its hospital
		// is in the consortium); an admin is never also a professional.
		let admin =
			!professional && matches!(state.may_register(who).await?, Some(Ok(Registrar::Admin)));
		let hospital = state.is_hospital(who).await?;
		Ok(Roles { admin, professional, patient, hospital })
	}
}
