//! The people of a load: professionals an admin registers, each registering its share of the
//! patients (and so holding their read-write grants), all with keys made for this run only.

use futures::future::try_join_all;

use crate::{
	chain::{Pending, ProfessionalKind},
	client::Client,
	keys::Identity,
	Error, Result,
};

/// The organisation every professional of a load belongs to.
const ORGANISATION: &str = "Load test";

/// The professionals and patients of a load, registered on chain.
pub struct Cast {
	/// The professionals.
	pub professionals: Vec<Identity>,
	/// The patients, each with the index of the professional that registered it.
	pub patients: Vec<(Identity, usize)>,
}

impl Cast {
	/// The patients professional `p` registered.
	pub fn patients_of(&self, p: usize) -> impl Iterator<Item = &Identity> {
		self.patients.iter().filter(move |(_, by)| *by == p).map(|(patient, _)| patient)
	}
}

/// Waits for every transaction of `pending` to be finalized.
async fn all_finalized(pending: Vec<Pending>) -> Result<()> {
	try_join_all(pending.into_iter().map(Pending::finalized)).await.map(|_| ())
}

/// Refuses a load on a chain of `chain_type` other than a development or local test chain:
/// what a load writes can never be deleted.
fn load_allowed(chain_type: &str) -> Result<()> {
	match chain_type {
		"Development" | "Local" => Ok(()),
		other => Err(Error::Input(format!(
			"the node runs a {other} chain: a load test writes records that can never be deleted, so it runs only on a development or local test chain"
		))),
	}
}

impl Client {
	/// Refuses a load on a live chain (see [`load_allowed`]).
	pub(crate) fn check_chain_for_load(&self) -> Result<()> {
		load_allowed(self.chain.chain_type())
	}

	/// Registers `professionals` professionals and `patients` patients (patient `i` by
	/// professional `i mod professionals`), with new keys, as `admin`. The transactions go out
	/// back to back; this returns once all are finalized.
	pub async fn register_cast(
		&self,
		admin: &Identity,
		professionals: usize,
		patients: usize,
	) -> Result<Cast> {
		self.check_chain_for_load()?;
		if professionals == 0 || patients < professionals {
			return Err(Error::Input(format!(
				"a load needs at least one professional and a patient for each ({professionals} professionals, {patients} patients)"
			)));
		}
		let state = self.chain.state().await?;
		if !state.admins().await?.iter().any(|(who, _)| *who == admin.account()) {
			return Err(Error::NotRegistered { who: admin.account().to_string(), role: "admin" });
		}
		let new_key = || Identity::generate().map(|(identity, _phrase)| identity);
		// Insurance and licence numbers of this cast only: a chain takes each once.
		let run = hex::encode(&crate::crypto::Secret32::random()?.expose()[..6]);
		let professionals: Vec<Identity> =
			(0..professionals).map(|_| new_key()).collect::<Result<_>>()?;
		let mut pending = Vec::with_capacity(professionals.len());
		for (i, professional) in professionals.iter().enumerate() {
			let call = self.professional_registration(
				&professional.account(),
				professional.encryption().public(),
				ProfessionalKind::Doctor,
				&format!("Load test {i}"),
				"general",
				&format!("LOAD-{run}-{i}"),
				ORGANISATION,
			)?;
			pending.push(self.chain.send(admin, &call).await?);
		}
		all_finalized(pending).await?;

		let mut cast = Cast { professionals, patients: Vec::with_capacity(patients) };
		let mut pending = Vec::with_capacity(patients);
		for i in 0..patients {
			let by = i % cast.professionals.len();
			let registrar = &cast.professionals[by];
			let patient = new_key()?;
			let request = self.registration_request(&patient, &registrar.account()).await?;
			let call = self.patient_registration(&request, &format!("LOAD {run} {i}"))?;
			pending.push(self.chain.send(registrar, &call).await?);
			cast.patients.push((patient, by));
		}
		all_finalized(pending).await?;
		Ok(cast)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_load_runs_on_test_chains_only() {
		assert!(load_allowed("Development").is_ok());
		assert!(load_allowed("Local").is_ok());
		let err = load_allowed("Live").expect_err("a live chain keeps what a load writes");
		assert!(matches!(err, Error::Input(ref m) if m.contains("never be deleted")), "{err}");
		assert!(load_allowed("Custom").is_err());
	}
}
