//! What a patient does from the command line: its account (a request to be registered, a move
//! to a key only it holds), "my doctors", grants and revokes, its record key, its profile.

use std::path::PathBuf;

use clap::Subcommand;
use ehr_client::{chain::GrantScope, config::parse_hex32, keys::Identity};
use serde::Serialize;

use super::{
	context::{passphrase, warn_if_weak},
	output::{grants_text, receipt_text, receipts_text},
	Context,
};

/// The patient's commands, at the top level of `ehr`.
#[derive(Subcommand)]
pub enum PatientCommands {
	/// A patient's own actions on its account.
	#[command(subcommand)]
	Patient(AccountCommand),
	/// "My doctors": the professionals you granted.
	Doctors,
	/// Grant a professional access to your records.
	Grant {
		/// The professional.
		professional: String,
		/// Let the professional add documents too.
		#[arg(long)]
		write: bool,
		/// Last block of the grant (default: no expiry).
		#[arg(long)]
		expires_at: Option<u32>,
	},
	/// Revoke a professional's access; later documents use a key it never had.
	Revoke {
		/// The professional.
		professional: String,
	},
	/// Move to a new record key without revoking anyone (after an emergency key release, say):
	/// later documents use a key only the current grantees get.
	RotateKey,
	/// The patient's encrypted profile (name, address, contacts), kept off chain.
	#[command(subcommand)]
	Profile(ProfileCommand),
	/// Set your encryption public key on chain (patients).
	SetEncryptionKey {
		/// The X25519 public key (hex); default: the one of the key you act as.
		#[arg(long)]
		key: Option<String>,
	},
}

/// What `ehr patient` does.
#[derive(Subcommand)]
pub enum AccountCommand {
	/// Move to a new key made here, one only you hold (when a registrar made your first key):
	/// your records, grants and history stay; your earlier key can no longer act for you. Every
	/// grant is kept, your registrar's included: revoke it afterwards if it should not read on.
	Move {
		/// Name to store the new key under (its passphrase: EHR_NEW_PASSPHRASE or a prompt).
		#[arg(long)]
		to: String,
		/// Also print the new key's recovery phrase.
		#[arg(long)]
		show_phrase: bool,
	},
	/// Make the request a registrar registers you with: your account, public keys and consent,
	/// made with your own key (`--as`), which never leaves this device.
	Request {
		/// The professional (or admin) who registers you.
		#[arg(long)]
		registrar: String,
		/// Where to write the request (a new file).
		#[arg(long)]
		out: PathBuf,
	},
}

/// What `ehr profile` does.
#[derive(Subcommand)]
pub enum ProfileCommand {
	/// Encrypt a file as your profile, store it and point the chain to it.
	Set {
		/// The profile document.
		file: PathBuf,
	},
	/// Remove the chain's pointer to your profile.
	Clear,
	/// Decrypt a patient's profile to a file (the patient or a grantee).
	Show {
		/// The patient (default: yourself).
		patient: Option<String>,
		/// Where to write it.
		#[arg(long, short)]
		out: PathBuf,
		/// Overwrite `out` if it exists.
		#[arg(long)]
		force: bool,
	},
}

/// Runs `command`.
pub async fn run(cx: &Context<'_>, command: &PatientCommands) -> anyhow::Result<()> {
	let client = cx.client;
	match command {
		PatientCommands::Patient(AccountCommand::Move { to, show_phrase }) => {
			let from = cx.me()?;
			let patient = client.patient_of(&from).await?;
			let target = cx.keystore;
			let pass = passphrase("EHR_NEW_PASSPHRASE", "Passphrase for your new key: ", true)?;
			warn_if_weak(&pass);
			// The new key is stored, with the bridges to the current key's seeds, before
			// anything is sent: an interrupted move is completed by running it again.
			let (new, phrase) = if target.info(to).is_ok() {
				(target.unlock(to, &pass)?, None)
			} else {
				let (_, phrase) = Identity::generate()?;
				let bridges = client.bridges_for_move(&from).await?;
				target.add_with_bridges(to, &phrase, &bridges, &pass)?;
				(target.unlock(to, &pass)?, Some(phrase))
			};
			if client.chain.state().await?.patient_of_account(&new.account()).await?
				== Some(patient)
			{
				return cx.print(&new.account().to_string(), |a| {
					format!("you had moved to {a} already; act as `{to}` from now on")
				});
			}
			let receipt = client.move_account(&from, &new).await?;
			cx.print(&receipt, |r| {
				format!(
					"moved to {} (`{to}`): your earlier key can no longer act for you or read what is written from now on\n{}",
					new.account(),
					receipt_text(r)
				)
			})?;
			if let (Some(phrase), true) = (&phrase, *show_phrase) {
				eprintln!("recovery phrase of your new key (write it down): {}", phrase.as_str());
			}
			Ok(())
		},
		PatientCommands::Patient(AccountCommand::Request { registrar, out }) => {
			let registrar = cx.account(registrar)?;
			let request = client.registration_request(&cx.me()?, &registrar).await?;
			let text = serde_json::to_string_pretty(&request)?;
			let mut file = super::create_output(out)?;
			std::io::Write::write_all(&mut file, text.as_bytes())?;
			cx.print(&request, |_| {
				format!(
					"registration request for {} written to {}: give it to your registrar",
					request.account,
					out.display()
				)
			})
		},
		PatientCommands::Doctors => {
			let me = client.patient_of(&cx.me()?).await?;
			cx.print(&client.my_doctors(&me).await?, |l| grants_text(l))
		},
		PatientCommands::Grant { professional, write, expires_at } => {
			let professional = cx.account(professional)?;
			let scope = if *write { GrantScope::ReadWrite } else { GrantScope::Read };
			let receipt = client.grant(&cx.me()?, &professional, scope, *expires_at).await?;
			cx.print(&receipt, receipt_text)
		},
		PatientCommands::Revoke { professional } => {
			let professional = cx.account(professional)?;
			let receipts = client.revoke(&cx.me()?, &professional).await?;
			cx.print(&receipts, |r| receipts_text(r))
		},
		PatientCommands::RotateKey => {
			let receipts = client.rotate_key(&cx.me()?).await?;
			cx.print(&receipts, |r| receipts_text(r))
		},
		PatientCommands::Profile(ProfileCommand::Set { file }) => {
			cx.print(&client.set_profile(&cx.me()?, Some(file)).await?, receipt_text)
		},
		PatientCommands::Profile(ProfileCommand::Clear) => {
			cx.print(&client.set_profile(&cx.me()?, None).await?, receipt_text)
		},
		PatientCommands::Profile(ProfileCommand::Show { patient, out, force }) => {
			let reader = cx.me()?;
			let patient = match patient {
				Some(p) => cx.account(p)?,
				None => client.patient_of(&reader).await?,
			};
			let bytes = client.read_profile(&reader, &patient, out, *force).await?;
			#[derive(Serialize)]
			struct Shown {
				bytes: u64,
				written_to: String,
			}
			cx.print(&Shown { bytes, written_to: out.display().to_string() }, |s| {
				format!("profile ({} bytes) written to {}", s.bytes, s.written_to)
			})
		},
		PatientCommands::SetEncryptionKey { key } => {
			let patient = cx.me()?;
			let key = match key {
				Some(hex) => parse_hex32(hex, "--key")?,
				None => patient.encryption().public(),
			};
			cx.print(&client.update_encryption_key(&patient, key).await?, receipt_text)
		},
	}
}
