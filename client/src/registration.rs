//! Registering a patient with the patient's own keys and consent.
//!
//! The patient's device makes its key, the envelopes of its first record key (for the
//! consortium's escrow and for the registrar) and signs its consent to be registered by that
//! registrar on this chain ([`Client::registration_request`]); the registrar adds the keyed
//! insurance commitment and submits it ([`Client::register_patient`]). The request holds no
//! secret, so it can travel by any means (a file, a QR code); the patient's secret never leaves
//! the patient's device.
//!
//! A registration that was interrupted (the connection dropped, the registrar's machine
//! stopped) is completed by running it again with the same request: if the chain already has
//! the patient as requested, that is the answer.

use codec::Encode;
use serde::{Deserialize, Serialize};
use subxt::utils::H256;

use crate::{
	chain::{AccountId, BoundedVec, PalletError, Receipt, Registrar},
	client::Client,
	config::parse_hex32,
	crypto,
	keys::Identity,
	runtime, Error, Result,
};

/// The domain of a patient's consent to its registration; the runtime checks the same bytes.
const REGISTRATION_CONSENT: &[u8] = b"ehr/consent-to-registration/v1";

/// The bytes a patient signs to consent to registration by `registrar` on the chain whose
/// genesis hash is `genesis`, with these keys: SCALE of `(REGISTRATION_CONSENT, genesis,
/// registrar, encryption_key, escrow_envelope)`, as pallet-ehr's `registration_consent`.
pub fn registration_consent(
	genesis: &[u8; 32],
	registrar: &AccountId,
	encryption_key: &[u8; 32],
	escrow_envelope: &[u8],
) -> Vec<u8> {
	(REGISTRATION_CONSENT, genesis, registrar.0, encryption_key, escrow_envelope).encode()
}

/// The domain of a patient's consent to move to a new key; the runtime checks the same bytes.
const MOVE_CONSENT: &[u8] = b"ehr/consent-to-move/v1";

/// The bytes a patient's new key signs to consent to taking over `patient` on the chain whose
/// genesis hash is `genesis`, with these keys: SCALE of `(MOVE_CONSENT, genesis, patient,
/// encryption_key, escrow_envelope)`, as pallet-ehr's `move_consent`.
pub fn move_consent(
	genesis: &[u8; 32],
	patient: &AccountId,
	encryption_key: &[u8; 32],
	escrow_envelope: &[u8],
) -> Vec<u8> {
	(MOVE_CONSENT, genesis, patient.0, encryption_key, escrow_envelope).encode()
}

/// What a patient's device hands its registrar. It holds no secret.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RegistrationRequest {
	/// The patient's account (SS58).
	pub account: String,
	/// The registrar the patient consents to (SS58).
	pub registrar: String,
	/// The patient's X25519 public key (hex).
	pub encryption_key: String,
	/// The first record key wrapped for the consortium's emergency key (hex).
	pub escrow_envelope: String,
	/// The first record key wrapped for the registrar, if it is a professional (hex).
	pub registrar_envelope: Option<String>,
	/// The patient's sr25519 signature of its consent (hex).
	pub consent: String,
}

/// A registration done, or found done by an earlier attempt.
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
	/// The patient's account.
	pub patient: String,
	/// The block the patient was registered in.
	pub registered_at: u32,
	/// The transaction, unless an earlier attempt had registered the patient already.
	pub receipt: Option<Receipt>,
}

fn hex_bytes(text: &str, what: &str) -> Result<Vec<u8>> {
	hex::decode(text.trim_start_matches("0x"))
		.map_err(|_| Error::Input(format!("the registration request's {what} is not hex")))
}

fn account(text: &str, what: &str) -> Result<AccountId> {
	text.parse()
		.map_err(|_| Error::Input(format!("the registration request's {what} is not an account")))
}

/// Why `registrar` may not register patients, in the patient's words.
fn cannot_register(error: PalletError, registrar: &AccountId) -> Error {
	let message = match &error {
		PalletError::ProfessionalSuspended => {
			format!("{registrar} is suspended: it cannot register patients until an admin reinstates it")
		},
		PalletError::ProfessionalRemoved => {
			format!("{registrar} was removed from the consortium: it cannot register patients")
		},
		_ => format!(
			"{registrar} is neither an active professional nor a serving admin: it cannot register you"
		),
	};
	Error::NoRight { error, message }
}

impl Client {
	/// The patient's side of registration: with its own `patient` key, the envelopes of its
	/// first record key for the consortium's escrow and for `registrar`, and its signed consent.
	pub async fn registration_request(
		&self,
		patient: &Identity,
		registrar: &AccountId,
	) -> Result<RegistrationRequest> {
		let account = patient.account();
		let seeds = patient.record_seeds(0)?;
		let escrow = crypto::seal_seeds(&self.settings.emergency_key()?, &account.0, &seeds)?;
		let state = self.chain.state().await?;
		let professional = state.professional(registrar).await?;
		let registrar_is_professional = match state.may_register(registrar).await? {
			Some(Ok(as_what)) => as_what == Registrar::Professional,
			Some(Err(error)) => return Err(cannot_register(error, registrar)),
			// A runtime that cannot answer (before spec 105): the registration itself checks.
			None => professional.is_some(),
		};
		let registrar_envelope = match professional.filter(|_| registrar_is_professional) {
			Some(p) => Some(crypto::seal_seeds(&p.encryption_key, &account.0, &seeds)?),
			None => None,
		};
		let encryption_key = patient.encryption().public();
		let consent =
			registration_consent(&self.chain.genesis_hash(), registrar, &encryption_key, &escrow);
		Ok(RegistrationRequest {
			account: account.to_string(),
			registrar: registrar.to_string(),
			encryption_key: hex::encode(encryption_key),
			escrow_envelope: hex::encode(escrow),
			registrar_envelope: registrar_envelope.map(hex::encode),
			consent: hex::encode(patient.sign(&consent)),
		})
	}

	/// The registrar's side: registers the patient of `request` under the keyed commitment to
	/// `insurance_number`. If an earlier attempt registered it already (as requested, by this
	/// registrar), that registration is returned.
	pub async fn register_patient(
		&self,
		registrar: &Identity,
		request: &RegistrationRequest,
		insurance_number: &str,
	) -> Result<Registered> {
		let patient = account(&request.account, "account")?;
		if account(&request.registrar, "registrar")? != registrar.account() {
			return Err(Error::Input(format!(
				"the patient's consent names {} as its registrar, not you",
				request.registrar
			)));
		}
		let encryption_key = parse_hex32(&request.encryption_key, "encryption key")?;
		if let Some(existing) = self.chain.state().await?.patient(&patient).await? {
			if existing.registered_by == registrar.account()
				&& existing.encryption_key == encryption_key
			{
				return Ok(Registered {
					patient: patient.to_string(),
					registered_at: existing.registered_at,
					receipt: None,
				});
			}
			return Err(Error::Input(format!("{patient} is already registered otherwise")));
		}
		let call = self.patient_registration(request, insurance_number)?;
		let receipt = self.chain.submit(registrar, &call).await?;
		let registered_at = u32::try_from(receipt.block).unwrap_or(u32::MAX);
		Ok(Registered { patient: patient.to_string(), registered_at, receipt: Some(receipt) })
	}

	/// The call registering the patient of `request` under the keyed commitment to
	/// `insurance_number`.
	pub(crate) fn patient_registration(
		&self,
		request: &RegistrationRequest,
		insurance_number: &str,
	) -> Result<impl subxt::transactions::Payload> {
		let patient = account(&request.account, "account")?;
		let encryption_key = parse_hex32(&request.encryption_key, "encryption key")?;
		let escrow = hex_bytes(&request.escrow_envelope, "escrow envelope")?;
		let registrar_envelope = request
			.registrar_envelope
			.as_deref()
			.map(|e| hex_bytes(e, "registrar envelope"))
			.transpose()?;
		let signature: [u8; 64] =
			hex_bytes(&request.consent, "consent")?.try_into().map_err(|_| {
				Error::Input("the registration request's consent is no signature".into())
			})?;
		let commitment =
			crypto::insurance_commitment(&self.settings.insurance_key()?, insurance_number)?;
		Ok(runtime::tx().ehr().register_patient(
			patient,
			H256(commitment),
			encryption_key,
			BoundedVec(escrow),
			registrar_envelope.map(BoundedVec),
			runtime::runtime_types::sp_runtime::MultiSignature::Sr25519(signature),
		))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn consent_bytes_are_the_runtimes() {
		// SCALE: a compact-length-prefixed domain, the 32-byte hashes and keys as they are, and
		// the compact-length-prefixed envelope.
		let registrar = AccountId::from([7u8; 32]);
		let bytes = registration_consent(&[1; 32], &registrar, &[2; 32], &[3, 4]);
		let mut expected = vec![(REGISTRATION_CONSENT.len() as u8) << 2];
		expected.extend_from_slice(REGISTRATION_CONSENT);
		expected.extend_from_slice(&[1; 32]);
		expected.extend_from_slice(&[7; 32]);
		expected.extend_from_slice(&[2; 32]);
		expected.extend_from_slice(&[2 << 2, 3, 4]);
		assert_eq!(bytes, expected);
	}

	#[test]
	fn requests_round_trip_as_json() {
		let request = RegistrationRequest {
			account: AccountId::from([1u8; 32]).to_string(),
			registrar: AccountId::from([2u8; 32]).to_string(),
			encryption_key: hex::encode([3u8; 32]),
			escrow_envelope: "ab".into(),
			registrar_envelope: None,
			consent: hex::encode([4u8; 64]),
		};
		let json = serde_json::to_string(&request).unwrap();
		assert_eq!(serde_json::from_str::<RegistrationRequest>(&json).unwrap(), request);
	}
}
