//! What the end-to-end tests do alike: sample documents, registering professionals and patients.

use std::path::{Path, PathBuf};

use ehr_client::{
	chain::ProfessionalKind, config::Settings, keys::Identity, registration::Registered, Client,
	Error,
};
use ehr_tests::Node;

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

/// A development-mode client's settings for `node` (the public development keys, a local
/// development chain), with two stores under `dir`.
pub fn dev_settings(node: &Node, dir: &Path) -> Settings {
	Settings {
		node: node.ws_url(),
		keystore: dir.join("keys"),
		stores: vec![dir.join("a").display().to_string(), dir.join("b").display().to_string()],
		emergency_key: None,
		insurance_key_file: None,
		max_document_bytes: 8 * 1024 * 1024,
		// The client's own development mode: the public development keys, a local dev chain.
		genesis_hash: None,
		allow_insecure_node: false,
		development: true,
		local_testnet: false,
	}
}
