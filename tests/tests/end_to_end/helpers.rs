//! What the end-to-end tests do alike: sample documents, registering professionals and patients.

use std::path::{Path, PathBuf};

use ehr_client::{
	chain::ProfessionalKind, keys::Identity, ops::Client, registration::Registered, Error,
};

/// A document of `len` bytes that depend on `seed`, written to `dir/name`.
pub fn sample(dir: &Path, name: &str, len: usize, seed: u8) -> PathBuf {
	let path = dir.join(name);
	let data: Vec<u8> =
		(0..len).map(|i| (i as u8).wrapping_mul(seed).wrapping_add(i as u8 >> 3)).collect();
	std::fs::write(&path, data).expect("write sample");
	path
}

/// An admin registers `who` as a professional of `kind` named `name`.
pub async fn register(
	client: &Client,
	admin: &Identity,
	who: &Identity,
	name: &str,
	kind: ProfessionalKind,
) {
	client
		.register_professional(
			admin,
			&who.account(),
			who.encryption().public(),
			kind,
			name,
			"general",
			name,
			"City Hospital",
		)
		.await
		.unwrap_or_else(|e| panic!("register {name}: {e}"));
}

/// A patient with a key of its own, registered by `registrar` from the patient's request.
pub async fn register_patient(
	client: &Client,
	registrar: &Identity,
	insurance_number: &str,
) -> Result<(Identity, Registered), Error> {
	let (patient, _phrase) = Identity::generate().expect("new key");
	let request = client.registration_request(&patient, &registrar.account()).await?;
	let registered = client.register_patient(registrar, &request, insurance_number).await?;
	Ok((patient, registered))
}
