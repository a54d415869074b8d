//! What a health professional does from the command line: registers patients, lists its
//! patients, adds, amends and reads documents, and breaks the glass.

use std::path::PathBuf;

use clap::{ArgGroup, Subcommand};
use ehr_client::{
	keys::{Identity, Keystore},
	professional::Added,
	registration::{Registered, RegistrationRequest},
	Error,
};
use serde::Serialize;

use super::{
	context::{passphrase, warn_if_weak},
	output::{grants_text, receipt_text},
	parse::{Kind, Reason},
	Context,
};

/// The professional's commands, at the top level of `ehr`.
#[derive(Subcommand)]
pub enum ProfessionalCommands {
	/// Register a patient (professionals and admins): from the request the patient's own device
	/// made, or, for a patient without one, with a key made here and handed over.
	#[command(group(ArgGroup::new("patient_key").required(true).args(["request", "key_name"])))]
	RegisterPatient {
		/// The patient's insurance number; only a keyed commitment to it goes on chain.
		#[arg(long)]
		insurance_number: String,
		/// The registration request the patient made with `ehr patient request`.
		#[arg(long)]
		request: Option<PathBuf>,
		/// Make the patient's key here and store it under this name (a walk-in patient without
		/// a device of its own); it can move to a key only it holds later.
		#[arg(long)]
		key_name: Option<String>,
		/// Keystore to hand the key over in (for example a removable drive); default: the
		/// keystore. Its passphrase comes from EHR_PATIENT_PASSPHRASE or a prompt.
		#[arg(long)]
		key_dir: Option<PathBuf>,
		/// Also print the patient's recovery phrase, for the patient to write down.
		#[arg(long)]
		show_phrase: bool,
	},
	/// "My patients": the patients that granted you.
	Patients,
	/// Documents of a patient's record.
	#[command(subcommand)]
	Record(RecordCommand),
	/// Break-glass access.
	#[command(subcommand)]
	Emergency(EmergencyCommand),
}

/// What `ehr record` does.
#[derive(Subcommand)]
pub enum RecordCommand {
	/// Encrypt, store, mine and submit documents, then wait for finality.
	Add {
		/// The patient.
		patient: String,
		/// The files, sent back to back.
		#[arg(required = true)]
		files: Vec<PathBuf>,
		/// What the documents are.
		#[arg(long, value_enum, ignore_case = true)]
		kind: Kind,
	},
	/// Add a document that corrects an earlier one.
	Amend {
		/// The patient.
		patient: String,
		/// The entry it corrects.
		index: u32,
		/// The corrected document.
		file: PathBuf,
		/// What the document is.
		#[arg(long, value_enum, ignore_case = true)]
		kind: Kind,
	},
	/// Fetch, check and decrypt one document to a file, and log the read on chain.
	Show {
		/// The patient.
		patient: String,
		/// The entry.
		index: u32,
		/// Where to write the document.
		#[arg(long, short)]
		out: PathBuf,
		/// Overwrite `out` if it exists.
		#[arg(long)]
		force: bool,
	},
}

/// What `ehr emergency` does.
#[derive(Subcommand)]
pub enum EmergencyCommand {
	/// Open time-boxed access to a patient's records.
	Open {
		/// The patient.
		patient: String,
		/// Why.
		#[arg(long, value_enum, ignore_case = true)]
		reason: Reason,
		/// How many blocks it lasts.
		#[arg(long)]
		blocks: u32,
	},
	/// Close an emergency access early (the patient or an admin).
	Close { id: u64 },
}

/// Runs `command`.
pub async fn run(cx: &Context<'_>, command: &ProfessionalCommands) -> anyhow::Result<()> {
	let client = cx.client;
	match command {
		ProfessionalCommands::RegisterPatient {
			insurance_number,
			request,
			key_name,
			key_dir,
			show_phrase,
		} => {
			let registrar = cx.me()?;
			let (request, made_here) = match (request, key_name) {
				(Some(path), _) => {
					let text = super::read_input(path)?;
					let request: RegistrationRequest =
						serde_json::from_slice(&text).map_err(|e| {
							Error::Input(format!(
								"{} is not a registration request: {e}",
								path.display()
							))
						})?;
					(request, None)
				},
				(None, Some(name)) => {
					// A walk-in patient's key is made here and stored, sealed under the
					// patient's passphrase, before anything is sent: an interrupted
					// registration is completed by running the same command again.
					let target =
						Keystore::open(key_dir.clone().unwrap_or_else(|| cx.settings.keystore.clone()));
					let pass = passphrase(
						"EHR_PATIENT_PASSPHRASE",
						"Passphrase for the patient's key: ",
						true,
					)?;
					warn_if_weak(&pass);
					let (patient, phrase) = if target.info(name).is_ok() {
						(target.unlock(name, &pass)?, None)
					} else {
						let (patient, phrase) = Identity::generate()?;
						target.add(name, &phrase, &pass)?;
						(patient, Some(phrase))
					};
					let request = client.registration_request(&patient, &registrar.account()).await?;
					let file = target.dir().join(format!("{name}.json")).display().to_string();
					(request, Some((file, phrase)))
				},
				(None, None) => return Err(Error::Input(
					"give either --request FILE (made on the patient's device with `ehr patient request`) or --key-name NAME (a key made here for the patient)".into()
				).into()),
			};
			let registered =
				client.register_patient(&registrar, &request, insurance_number).await?;
			#[derive(Serialize)]
			struct Out {
				#[serde(flatten)]
				registered: Registered,
				key_file: Option<String>,
			}
			let key_file = made_here.as_ref().map(|(file, _)| file.clone());
			cx.print(&Out { registered, key_file }, |o| {
				let mut text = match &o.registered.receipt {
					Some(r) => {
						format!("patient {} registered\n{}", o.registered.patient, receipt_text(r))
					},
					None => format!(
						"patient {} was already registered (block {})",
						o.registered.patient, o.registered.registered_at
					),
				};
				if let Some(file) = &o.key_file {
					text.push_str(&format!("\nthe patient's key is stored in {file}"));
				}
				text
			})?;
			if let (Some((_, Some(phrase))), true) = (&made_here, *show_phrase) {
				eprintln!(
					"recovery phrase (give it to the patient, then destroy this copy): {}",
					phrase.as_str()
				);
			}
			Ok(())
		},
		ProfessionalCommands::Patients => {
			let list = client.my_patients(&cx.me()?.account()).await?;
			cx.print(&list, |l| grants_text(l))
		},
		ProfessionalCommands::Record(RecordCommand::Add { patient, files, kind }) => {
			let patient = cx.account(patient)?;
			let files: Vec<_> = files.iter().map(|f| (f.clone(), (*kind).into())).collect();
			let added = client.add_documents(&cx.me()?, &patient, &files, None).await?;
			cx.print(&added, |a| a.iter().map(added_text).collect::<Vec<_>>().join("\n"))
		},
		ProfessionalCommands::Record(RecordCommand::Amend { patient, index, file, kind }) => {
			let patient = cx.account(patient)?;
			let files = [(file.clone(), (*kind).into())];
			let added = client.add_documents(&cx.me()?, &patient, &files, Some(*index)).await?;
			cx.print(&added, |a| {
				a.iter()
					.map(|a| {
						format!(
							"entry {} amends entry {index}; finalized in block {}",
							a.entry.index, a.entry.block
						)
					})
					.collect::<Vec<_>>()
					.join("\n")
			})
		},
		ProfessionalCommands::Record(RecordCommand::Show { patient, index, out, force }) => {
			let patient = cx.account(patient)?;
			let report = client.read_document(&cx.me()?, &patient, *index, out, *force).await?;
			cx.print(&report, |r| {
				format!(
					"entry {} ({}, {} bytes) written to {}; read logged in block {}",
					r.entry.index, r.entry.kind, r.bytes, r.written_to, r.logged_in_block
				)
			})
		},
		ProfessionalCommands::Emergency(EmergencyCommand::Open { patient, reason, blocks }) => {
			let patient = cx.account(patient)?;
			let receipt =
				client.open_emergency(&cx.me()?, &patient, (*reason).into(), *blocks).await?;
			cx.print(&receipt, receipt_text)
		},
		ProfessionalCommands::Emergency(EmergencyCommand::Close { id }) => {
			let closed = client.close_emergency(&cx.me()?, *id).await?;
			cx.print(&closed, |c| receipt_text(&c.receipt))?;
			if closed.patient_should_rotate && !cx.json() {
				eprintln!(
					"An admin released your record key for this access: run `ehr rotate-key` so that the professional cannot read what is written from now on."
				);
			}
			Ok(())
		},
	}
}

/// One document added, in one line.
fn added_text(a: &Added) -> String {
	if a.already_recorded {
		format!(
			"already recorded as entry {} (block {}); nothing added",
			a.entry.index, a.entry.block
		)
	} else {
		format!(
			"entry {} {} finalized in block {} hash {}",
			a.entry.index, a.entry.kind, a.entry.block, a.entry.hash
		)
	}
}
