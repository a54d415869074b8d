//! The client of the chain: a connection to a node, the off-chain stores and the settings.
//! What each actor does with it is in a module of its own, each extending [`Client`]:
//! [`crate::admin`], [`crate::professional`], [`crate::patient`], [`crate::reader`],
//! [`crate::audit`], [`crate::registration`] and [`crate::consortium`].
//!
//! Every operation checks what it can before it writes anything (the caller's role, the grant,
//! the file), so a refused operation leaves nothing on chain; blobs are written to the stores
//! before the entry that points to them, and a retried upload of the same document finds the
//! blob and the entry it already made.

use crate::{
	chain::{AccountId, Chain, Patient, ProfessionalStatus},
	config::Settings,
	store::Stores,
	Error, Result,
};

/// A connected client: the node, the stores and the settings.
pub struct Client {
	/// The node.
	pub chain: Chain,
	/// The off-chain stores.
	pub stores: Stores,
	/// The settings in force.
	pub settings: Settings,
}

impl Client {
	/// Connects to the node and opens the stores the settings name.
	pub async fn connect(settings: Settings) -> Result<Self> {
		let chain = Chain::connect(&settings).await?;
		let stores = Stores::open(&settings.stores)?;
		Ok(Self { chain, stores, settings })
	}

	/// `patient`'s record, or that it is no registered patient.
	pub(crate) async fn patient_record(&self, patient: &AccountId) -> Result<Patient> {
		self.chain
			.patient(patient)
			.await?
			.ok_or_else(|| Error::NotFound(format!("{patient} is not a registered patient")))
	}

	/// The encryption key of `who`, which must be an active professional (to be granted).
	pub(crate) async fn professional_key(&self, who: &AccountId) -> Result<[u8; 32]> {
		let professional =
			self.chain.professional(who).await?.ok_or_else(|| {
				Error::NotFound(format!("{who} is not a registered professional"))
			})?;
		if professional.status != ProfessionalStatus::Active {
			return Err(Error::Denied(format!(
				"{who} is {:?}, not active: it cannot be granted",
				professional.status
			)));
		}
		Ok(professional.encryption_key)
	}
}
