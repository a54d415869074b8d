//! What users type, as the library's types: accounts by address, key name or development
//! name, and the chain's enumerations by the names `ehr --help` lists (in any case, and also
//! with `_` or nothing between words, as `ehr` prints them: `LabResult`, `lab_result`).

use std::str::FromStr;

use clap::ValueEnum;
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

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
	/// A prescription.
	Prescription,
	/// An image: X-ray, scan, photograph.
	#[value(alias = "x-ray", alias = "xray", alias = "image")]
	Imaging,
	/// A laboratory's result.
	#[value(alias = "lab", alias = "lab_result", alias = "labresult")]
	LabResult,
	/// A clinician's note.
	#[value(alias = "note", alias = "clinical_note", alias = "clinicalnote")]
	ClinicalNote,
	/// A discharge summary.
	#[value(alias = "discharge", alias = "discharge_summary", alias = "dischargesummary")]
	DischargeSummary,
	/// A referral to another professional.
	Referral,
	/// A vaccination.
	Vaccination,
	/// An insurance claim.
	#[value(alias = "claim", alias = "insurance_claim", alias = "insuranceclaim")]
	InsuranceClaim,
	/// Anything else.
	Other,
}

impl From<Kind> for DocumentKind {
	fn from(kind: Kind) -> Self {
		match kind {
			Kind::Prescription => DocumentKind::Prescription,
			Kind::Imaging => DocumentKind::Imaging,
			Kind::LabResult => DocumentKind::LabResult,
			Kind::ClinicalNote => DocumentKind::ClinicalNote,
			Kind::DischargeSummary => DocumentKind::DischargeSummary,
			Kind::Referral => DocumentKind::Referral,
			Kind::Vaccination => DocumentKind::Vaccination,
			Kind::InsuranceClaim => DocumentKind::InsuranceClaim,
			Kind::Other => DocumentKind::Other,
		}
	}
}

/// What a health professional is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Profession {
	/// A doctor.
	Doctor,
	/// A nurse.
	Nurse,
	/// A pharmacist.
	Pharmacist,
	/// A laboratory.
	#[value(alias = "lab")]
	Laboratory,
	/// An imaging service.
	Imaging,
	/// An insurer.
	Insurer,
	/// Anything else.
	Other,
}

impl From<Profession> for ProfessionalKind {
	fn from(kind: Profession) -> Self {
		match kind {
			Profession::Doctor => ProfessionalKind::Doctor,
			Profession::Nurse => ProfessionalKind::Nurse,
			Profession::Pharmacist => ProfessionalKind::Pharmacist,
			Profession::Laboratory => ProfessionalKind::Laboratory,
			Profession::Imaging => ProfessionalKind::Imaging,
			Profession::Insurer => ProfessionalKind::Insurer,
			Profession::Other => ProfessionalKind::Other,
		}
	}
}

/// Why the glass is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Reason {
	/// The patient cannot consent (unconscious, say).
	#[value(
		alias = "patient-unable-to-consent",
		alias = "patient_unable_to_consent",
		alias = "patientunabletoconsent"
	)]
	Unconscious,
	/// The patient's life is at risk.
	#[value(alias = "life_threatening", alias = "lifethreatening")]
	LifeThreatening,
	/// Emergency care.
	#[value(alias = "care", alias = "emergency_care", alias = "emergencycare")]
	EmergencyCare,
	/// Anything else.
	Other,
}

impl From<Reason> for EmergencyReason {
	fn from(reason: Reason) -> Self {
		match reason {
			Reason::Unconscious => EmergencyReason::PatientUnableToConsent,
			Reason::LifeThreatening => EmergencyReason::LifeThreatening,
			Reason::EmergencyCare => EmergencyReason::EmergencyCare,
			Reason::Other => EmergencyReason::Other,
		}
	}
}

/// What an admin found when reviewing an emergency access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Outcome {
	/// The access was needed.
	Justified,
	/// It was not: the professional may not break the glass again until an admin clears it.
	Unjustified,
}

impl From<Outcome> for ReviewOutcome {
	fn from(outcome: Outcome) -> Self {
		match outcome {
			Outcome::Justified => ReviewOutcome::Justified,
			Outcome::Unjustified => ReviewOutcome::Unjustified,
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn names_and_aliases_parse_as_users_write_them() {
		let kind = |text| Kind::from_str(text, true).map(DocumentKind::from);
		assert_eq!(kind("X-Ray"), Ok(DocumentKind::Imaging));
		assert_eq!(kind("lab-result"), Ok(DocumentKind::LabResult));
		assert_eq!(kind("note"), Ok(DocumentKind::ClinicalNote));
		// As `ehr records` prints it, and as it was typed before.
		assert_eq!(kind("LabResult"), Ok(DocumentKind::LabResult));
		assert_eq!(kind("clinical_note"), Ok(DocumentKind::ClinicalNote));
		assert!(kind("genesis").is_err(), "never submitted by users");
		let profession = |text| Profession::from_str(text, true).map(ProfessionalKind::from);
		assert_eq!(profession("LAB"), Ok(ProfessionalKind::Laboratory));
		assert!(profession("wizard").is_err());
		let reason = |text| Reason::from_str(text, true).map(EmergencyReason::from);
		assert_eq!(reason("unconscious"), Ok(EmergencyReason::PatientUnableToConsent));
		assert_eq!(reason("life-threatening"), Ok(EmergencyReason::LifeThreatening));
		// As `ehr admin emergencies` prints it.
		assert_eq!(reason("PatientUnableToConsent"), Ok(EmergencyReason::PatientUnableToConsent));
		assert!(reason("curiosity").is_err());
		let outcome = |text| Outcome::from_str(text, true).map(ReviewOutcome::from);
		assert_eq!(outcome("Justified"), Ok(ReviewOutcome::Justified));
		assert!(outcome("maybe").is_err());
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
