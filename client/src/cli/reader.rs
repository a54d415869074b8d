//! What a reader does from the command line: lists a patient's entries and verifies its chain.
//! (Reading one document is `ehr record show`; a profile, `ehr profile show`.)

use clap::Subcommand;
use ehr_client::reader::VerifyReport;
use ehr_client::Error;

use super::{output::entries_text, Context};

/// The reader's commands, at the top level of `ehr`.
#[derive(Subcommand)]
pub enum ReaderCommands {
	/// "My records": every entry of a patient's chain (default: your own).
	Records {
		/// The patient (SS58, key name or //Dev name).
		patient: Option<String>,
	},
	/// Check a patient's whole chain and the stored documents, repairing bad replicas.
	Verify {
		/// The patient.
		patient: String,
	},
}

/// Runs `command`.
pub async fn run(cx: &Context<'_>, command: &ReaderCommands) -> anyhow::Result<()> {
	let client = cx.client;
	match command {
		ReaderCommands::Records { patient } => {
			let patient = match patient {
				Some(p) => cx.account(p)?,
				None => client.patient_of(&cx.me()?).await?,
			};
			cx.print(&client.records(&patient).await?, |e| entries_text(e))
		},
		ReaderCommands::Verify { patient } => {
			let patient = cx.account(patient)?;
			let reader = if cx.global.as_key.is_some() { Some(cx.me()?) } else { None };
			let report = client.verify(&patient, reader.as_ref()).await?;
			cx.print(&report, verify_text)?;
			if let Some(bad) = &report.first_bad {
				return Err(Error::Integrity(format!(
					"verification failed at entry {}",
					bad.index
				))
				.into());
			}
			if report.profile_error.is_some() {
				return Err(Error::Integrity(
					"verification failed: the profile has no good copy".into(),
				)
				.into());
			}
			Ok(())
		},
	}
}

/// What verification found, in words.
fn verify_text(r: &VerifyReport) -> String {
	let mut out = format!(
		"at block {}: {} entries checked (links, hashes, proofs of work, head), {} documents' ciphertexts checked in every replica, {} decrypted and matched their commitments",
		r.block, r.entries, r.documents, r.documents_decrypted
	);
	if let Some(why) = &r.not_decrypted {
		out.push_str(&format!(
			"\nthe contents of {} documents were not checked: {why}",
			r.documents - r.documents_decrypted
		));
	}
	for repair in &r.repaired {
		let what = match repair.index {
			Some(index) => format!("entry {index}"),
			None => "profile".to_string(),
		};
		out.push_str(&format!("\n{what}: replica {} {:?}", repair.store, repair.state));
	}
	if let Some(problem) = &r.profile_error {
		out.push_str(&format!("\nthe profile is bad: {problem}"));
	}
	match &r.first_bad {
		None if r.profile_error.is_none() => out.push_str("\nthe chain verifies"),
		None => {},
		Some(bad) => out.push_str(&format!("\nentry {} is bad: {}", bad.index, bad.reason)),
	}
	out
}
