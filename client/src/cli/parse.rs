//! What users type, as the library's types: accounts, document and professional kinds,
//! emergency reasons and review outcomes.

use std::str::FromStr;

use ehr_client::{
	chain::{AccountId, DocumentKind, EmergencyReason, ProfessionalKind, ReviewOutcome},
	keys::{Identity, Keystore},
	Error, Result,
};

/// Resolves what a user typed for an account: an SS58 address, a keystore name, or a development
/// name such as `//Alice`.
pub fn resolve_account(text: &str, keystore: &Keystore) -> Result<AccountId> {
	if let Ok(account) = AccountId::from_str(text) {
		return Ok(account);
	}
	if let Some(name) = text.strip_prefix("//") {
		return Ok(Identity::dev(name)?.account());
	}
	match keystore.info(text) {
		Ok(info) => AccountId::from_str(&info.account)
			.map_err(|_| Error::Key(format!("the key file of `{text}` holds a bad account"))),
		Err(_) => Err(Error::Input(format!(
			"unknown account `{text}`: give an SS58 address or the name of a key in {}",
			keystore.dir().display()
		))),
	}
}

/// Parses a document kind as users write it.
pub fn parse_kind(text: &str) -> Result<DocumentKind> {
	Ok(match text.to_ascii_lowercase().replace(['-', '_', ' '], "").as_str() {
		"prescription" => DocumentKind::Prescription,
		"imaging" | "xray" | "image" => DocumentKind::Imaging,
		"labresult" | "lab" => DocumentKind::LabResult,
		"clinicalnote" | "note" => DocumentKind::ClinicalNote,
		"dischargesummary" | "discharge" => DocumentKind::DischargeSummary,
		"referral" => DocumentKind::Referral,
		"vaccination" => DocumentKind::Vaccination,
		"insuranceclaim" | "claim" => DocumentKind::InsuranceClaim,
		"other" => DocumentKind::Other,
		_ => return Err(Error::Input(format!(
			"`{text}` is not a document kind: prescription, imaging, lab-result, clinical-note, discharge-summary, referral, vaccination, insurance-claim or other"
		))),
	})
}

/// Parses a professional kind as users write it.
pub fn parse_professional_kind(text: &str) -> Result<ProfessionalKind> {
	let kinds = [
		("doctor", ProfessionalKind::Doctor),
		("nurse", ProfessionalKind::Nurse),
		("pharmacist", ProfessionalKind::Pharmacist),
		("laboratory", ProfessionalKind::Laboratory),
		("lab", ProfessionalKind::Laboratory),
		("imaging", ProfessionalKind::Imaging),
		("insurer", ProfessionalKind::Insurer),
		("other", ProfessionalKind::Other),
	];
	kinds.into_iter().find(|(name, _)| name.eq_ignore_ascii_case(text)).map(|(_, k)| k).ok_or_else(
		|| {
			Error::Input(format!(
				"`{text}` is not a professional kind: doctor, nurse, pharmacist, laboratory, imaging, insurer or other"
			))
		},
	)
}

/// Parses an emergency reason as users write it.
pub fn parse_reason(text: &str) -> Result<EmergencyReason> {
	Ok(match text.to_ascii_lowercase().replace(['-', '_', ' '], "").as_str() {
		"unconscious" | "patientunabletoconsent" => EmergencyReason::PatientUnableToConsent,
		"lifethreatening" => EmergencyReason::LifeThreatening,
		"emergencycare" | "care" => EmergencyReason::EmergencyCare,
		"other" => EmergencyReason::Other,
		_ => {
			return Err(Error::Input(format!(
				"`{text}` is not an emergency reason: unconscious, life-threatening, emergency-care or other"
			)))
		},
	})
}

/// Keeps the review outcome names in one place for the command line.
pub fn parse_outcome(text: &str) -> Result<ReviewOutcome> {
	match text.to_ascii_lowercase().as_str() {
		"justified" => Ok(ReviewOutcome::Justified),
		"unjustified" => Ok(ReviewOutcome::Unjustified),
		_ => {
			Err(Error::Input(format!("`{text}` is not a review outcome: justified or unjustified")))
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn kinds_reasons_and_outcomes_parse_as_users_write_them() {
		assert_eq!(parse_kind("X-Ray").unwrap(), DocumentKind::Imaging);
		assert_eq!(parse_kind("lab_result").unwrap(), DocumentKind::LabResult);
		assert_eq!(parse_kind("Clinical Note").unwrap(), DocumentKind::ClinicalNote);
		assert!(matches!(parse_kind("genesis"), Err(Error::Input(_))), "never submitted by users");
		assert_eq!(parse_professional_kind("LAB").unwrap(), ProfessionalKind::Laboratory);
		assert!(parse_professional_kind("wizard").is_err());
		assert_eq!(parse_reason("life-threatening").unwrap(), EmergencyReason::LifeThreatening);
		assert!(parse_reason("curiosity").is_err());
		assert_eq!(parse_outcome("Justified").unwrap(), ReviewOutcome::Justified);
		assert!(parse_outcome("maybe").is_err());
	}

	#[test]
	fn accounts_resolve_from_addresses_dev_names_and_key_names() {
		let dir = tempfile::tempdir().unwrap();
		let keystore = Keystore::open(dir.path());
		let bob = Identity::dev("Bob").unwrap().account();
		assert_eq!(resolve_account(&bob.to_string(), &keystore).unwrap(), bob);
		assert_eq!(resolve_account("//Bob", &keystore).unwrap(), bob);
		keystore.add("dr-bob", "//Bob", "a passphrase").unwrap();
		assert_eq!(resolve_account("dr-bob", &keystore).unwrap(), bob);
		assert!(matches!(resolve_account("nobody", &keystore), Err(Error::Input(_))));
	}
}
