//! `ehr`: the command line of the EHR consortium chain. A thin layer over [`ehr_client`]:
//! it parses arguments, unlocks the key it is told to act as, calls one operation and prints the
//! result as text, or as JSON with `--json`. Every failure prints one line saying what went wrong
//! and exits with status 1 (2 for a usage error).

#![cfg_attr(test, allow(clippy::unwrap_used))]

use std::{io::IsTerminal, path::PathBuf, process::ExitCode};

use anyhow::{anyhow, bail, Context};
use clap::{Args, Parser, Subcommand};
use ehr_client::{
	admin::{EmergencyView, PatientView, ProfessionalView},
	audit::HistoryEvent,
	chain::GrantScope,
	config::{parse_hex32, Settings},
	keys::{Identity, Keystore, WEAK_PASSPHRASE},
	registration::RegistrationRequest,
	views::{EntryView, GrantView},
	Client,
};
use serde::Serialize;

mod cli;

use cli::parse;

/// Electronic health records on the consortium chain.
#[derive(Parser)]
#[command(name = "ehr", version, about, propagate_version = true)]
struct Cli {
	#[command(flatten)]
	global: Global,
	#[command(subcommand)]
	command: Command,
}

#[derive(Args)]
struct Global {
	/// Settings file (default: $EHR_CONFIG, else ~/.config/ehr/config.toml if present).
	#[arg(long, global = true)]
	config: Option<PathBuf>,
	/// Node WebSocket URL (overrides the settings and EHR_NODE).
	#[arg(long, global = true)]
	node: Option<String>,
	/// Keystore directory (overrides the settings and EHR_KEYSTORE).
	#[arg(long, global = true)]
	keystore: Option<PathBuf>,
	/// Off-chain store, repeatable (overrides the settings and EHR_STORES).
	#[arg(long = "store", global = true)]
	stores: Vec<String>,
	/// Development mode (also EHR_DEVELOPMENT=1 or `development = true`): use the public
	/// development keys and `//Alice`-style accounts, with a development chain on this machine
	/// only.
	#[arg(long = "dev", global = true)]
	development: bool,
	/// Allow plain ws:// to a node on another machine (also EHR_ALLOW_INSECURE_NODE=1 or
	/// `allow_insecure_node = true`), for a network that is itself trusted.
	#[arg(long, global = true)]
	allow_insecure_node: bool,
	/// The key to act as: a keystore name, or `//Alice`-style development accounts in
	/// development mode (--dev). The passphrase comes from EHR_PASSPHRASE or a prompt.
	#[arg(long = "as", env = "EHR_AS", global = true)]
	as_key: Option<String>,
	/// Print JSON instead of text.
	#[arg(long, global = true)]
	json: bool,
	/// Read the best block and return once a transaction is in one, instead of waiting for
	/// finality: for a chain whose finality has stalled, so that its hospitals can vote on
	/// the recovery (`ehr consortium propose note-stalled`). What is read or written this way
	/// may still be reverted.
	#[arg(long, global = true)]
	best_blocks: bool,
}

#[derive(Subcommand)]
enum Command {
	/// Manage the local keystore.
	#[command(subcommand)]
	Key(KeyCommand),
	/// Administrator actions.
	#[command(subcommand)]
	Admin(AdminCommand),
	/// The consortium's decisions (hospitals): admins, hospitals, settings, key releases and
	/// runtime upgrades, as motions the hospitals vote on.
	#[command(subcommand)]
	Consortium(cli::consortium::ConsortiumCommand),
	/// Register a patient (professionals and admins): from the request the patient's own device
	/// made, or, for a patient without one, with a key made here and handed over.
	RegisterPatient {
		/// The patient's insurance number; only a keyed commitment to it goes on chain.
		#[arg(long)]
		insurance_number: String,
		/// The registration request the patient made with `ehr patient request`.
		#[arg(long, conflicts_with = "key_name")]
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
	/// A patient's own actions on its account.
	#[command(subcommand)]
	Patient(PatientCommand),
	/// "My patients": the patients that granted you.
	Patients,
	/// Documents of a patient's record.
	#[command(subcommand)]
	Record(RecordCommand),
	/// "My records": every entry of a patient's chain (default: your own).
	Records {
		/// The patient (SS58, key name or //Dev name).
		patient: Option<String>,
	},
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
	/// Break-glass access.
	#[command(subcommand)]
	Emergency(EmergencyCommand),
	/// The patient's encrypted profile (name, address, contacts), kept off chain.
	#[command(subcommand)]
	Profile(ProfileCommand),
	/// Set your encryption public key on chain (patients).
	SetEncryptionKey {
		/// The X25519 public key (hex); default: the one of the key you act as.
		#[arg(long)]
		key: Option<String>,
	},
	/// Check a patient's whole chain and the stored documents, repairing bad replicas.
	Verify {
		/// The patient.
		patient: String,
	},
	/// Every event touching an account (or all events) over a block range, for auditors.
	History {
		/// Only events touching this account.
		#[arg(long)]
		account: Option<String>,
		/// First block.
		#[arg(long, default_value_t = 1)]
		from: u64,
		/// Last block (default: the latest finalized).
		#[arg(long)]
		to: Option<u64>,
		/// text, json or csv.
		#[arg(long, default_value = "text")]
		format: String,
	},
	/// Totals and recent activity.
	Stats {
		/// How many recent blocks to show events of.
		#[arg(long, default_value_t = 100)]
		blocks: u64,
	},
}

#[derive(Subcommand)]
enum PatientCommand {
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

#[derive(Subcommand)]
enum KeyCommand {
	/// Make a new key and store it.
	New {
		/// Name to store it under.
		name: String,
		/// Print the recovery phrase once, to write down.
		#[arg(long)]
		show_phrase: bool,
	},
	/// Store a key from its secret phrase, read from standard input.
	Import {
		/// Name to store it under.
		name: String,
	},
	/// List the stored keys (public parts only).
	List,
}

#[derive(Subcommand)]
enum AdminCommand {
	/// Register a health professional.
	RegisterProfessional {
		/// The professional's account.
		account: String,
		/// Its X25519 public key (hex), as `ehr key list` shows it; taken from the keystore when
		/// the account is named by a key there.
		#[arg(long)]
		encryption_key: Option<String>,
		/// doctor, nurse, pharmacist, laboratory, imaging, insurer or other.
		#[arg(long, default_value = "doctor")]
		kind: String,
		/// Display name.
		#[arg(long)]
		name: String,
		/// Specialty.
		#[arg(long)]
		specialty: String,
		/// Licence number; only a keyed commitment to it goes on chain.
		#[arg(long)]
		licence: String,
		/// Organisation.
		#[arg(long)]
		organisation: String,
	},
	/// Suspend a professional.
	Suspend { account: String },
	/// Reinstate a suspended professional.
	Reinstate { account: String },
	/// Remove a professional for good (what it wrote stays).
	RemoveProfessional { account: String },
	/// Suspend a patient: its key can send nothing until reinstated.
	SuspendPatient { account: String },
	/// Reinstate a suspended patient.
	ReinstatePatient { account: String },
	/// Remove a patient (a squatter on someone's insurance number, say); its records stay.
	RemovePatient { account: String },
	/// Free the insurance commitment a removed patient held, so that the person it belongs to
	/// can be registered under it.
	ReleaseInsurance { account: String },
	/// Let a professional barred by an unjustified review break the glass again.
	ClearEmergencyBar { account: String },
	/// Record the review of a closed or expired emergency access.
	Review {
		/// The access.
		id: u64,
		/// justified or unjustified.
		outcome: String,
	},
	/// Every professional.
	Professionals,
	/// Every patient.
	Patients,
	/// Every emergency access.
	Emergencies,
}

#[derive(Subcommand)]
enum RecordCommand {
	/// Encrypt, store, mine and submit documents, then wait for finality.
	Add {
		/// The patient.
		patient: String,
		/// The files, sent back to back.
		#[arg(required = true)]
		files: Vec<PathBuf>,
		/// prescription, imaging, lab-result, clinical-note, discharge-summary, referral,
		/// vaccination, insurance-claim or other.
		#[arg(long)]
		kind: String,
	},
	/// Add a document that corrects an earlier one.
	Amend {
		/// The patient.
		patient: String,
		/// The entry it corrects.
		index: u32,
		/// The corrected document.
		file: PathBuf,
		/// The document's kind.
		#[arg(long)]
		kind: String,
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

#[derive(Subcommand)]
enum ProfileCommand {
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

#[derive(Subcommand)]
enum EmergencyCommand {
	/// Open time-boxed access to a patient's records.
	Open {
		/// The patient.
		patient: String,
		/// unconscious, life-threatening, emergency-care or other.
		#[arg(long)]
		reason: String,
		/// How many blocks it lasts.
		#[arg(long)]
		blocks: u32,
	},
	/// Close an emergency access early (the patient, the professional or an admin).
	Close { id: u64 },
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	let runtime = match tokio::runtime::Runtime::new() {
		Ok(rt) => rt,
		Err(e) => {
			eprintln!("error: cannot start: {e}");
			return ExitCode::FAILURE;
		},
	};
	match runtime.block_on(run(cli)) {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("error: {e:#}");
			ExitCode::FAILURE
		},
	}
}

fn settings(global: &Global) -> anyhow::Result<Settings> {
	let mut settings = Settings::load(global.config.as_deref())?;
	if let Some(node) = &global.node {
		settings.node = node.clone();
	}
	if let Some(dir) = &global.keystore {
		settings.keystore = dir.clone();
	}
	if !global.stores.is_empty() {
		settings.stores = global.stores.clone();
	}
	settings.development |= global.development;
	settings.allow_insecure_node |= global.allow_insecure_node;
	Ok(settings)
}

fn passphrase(
	variable: &str,
	prompt: &str,
	confirm: bool,
) -> anyhow::Result<zeroize::Zeroizing<String>> {
	if let Ok(value) = std::env::var(variable) {
		return Ok(zeroize::Zeroizing::new(value));
	}
	if !std::io::stdin().is_terminal() {
		bail!("no passphrase: set {variable} or run in a terminal");
	}
	let first = zeroize::Zeroizing::new(rpassword::prompt_password(prompt)?);
	if confirm {
		let second = zeroize::Zeroizing::new(rpassword::prompt_password("Repeat it: ")?);
		if first != second {
			bail!("the passphrases differ");
		}
	}
	Ok(first)
}

fn warn_if_weak(passphrase: &str) {
	if passphrase.chars().count() < WEAK_PASSPHRASE {
		eprintln!(
			"warning: this passphrase is shorter than {WEAK_PASSPHRASE} characters; anyone who copies the key file can guess it"
		);
	}
}

/// The consortium's emergency key, unlocked: a keystore name (passphrase from
/// EHR_EMERGENCY_PASSPHRASE or a prompt) or, in development mode, `//Emergency`.
fn emergency_key(settings: &Settings, keystore: &Keystore, name: &str) -> anyhow::Result<Identity> {
	if let Some(dev) = name.strip_prefix("//") {
		if !settings.development {
			bail!("development keys are public and work only in development mode (--dev or EHR_DEVELOPMENT=1)");
		}
		return Ok(Identity::dev(dev)?);
	}
	let pass = passphrase("EHR_EMERGENCY_PASSPHRASE", "Passphrase of the emergency key: ", false)?;
	Ok(keystore.unlock(name, &pass)?)
}

/// The identity to act as: a keystore key (its passphrase from EHR_PASSPHRASE or a prompt) or,
/// in development mode, a development key such as `//Alice`.
fn identity(global: &Global, settings: &Settings) -> anyhow::Result<Identity> {
	let name = global
		.as_key
		.as_deref()
		.ok_or_else(|| anyhow!("say which key to act as with --as NAME (or EHR_AS)"))?;
	if let Some(dev) = name.strip_prefix("//") {
		if !settings.development {
			bail!("development keys such as //{dev} are public and work only in development mode (--dev or EHR_DEVELOPMENT=1), against a development chain on this machine");
		}
		return Ok(Identity::dev(dev)?);
	}
	let keystore = Keystore::open(&settings.keystore);
	let info = keystore.info(name)?;
	let pass = passphrase(
		"EHR_PASSPHRASE",
		&format!("Passphrase for {} ({}): ", info.name, info.account),
		false,
	)?;
	Ok(keystore.unlock(name, &pass)?)
}

fn print<T: Serialize>(
	json: bool,
	value: &T,
	text: impl FnOnce(&T) -> String,
) -> anyhow::Result<()> {
	if json {
		println!("{}", serde_json::to_string_pretty(value)?);
	} else {
		let out = text(value);
		if !out.is_empty() {
			println!("{out}");
		}
	}
	Ok(())
}

fn receipt_text(r: &ehr_client::chain::Receipt) -> String {
	format!("{} finalized in block {} ({})", r.call, r.block, r.block_hash)
}

fn entries_text(entries: &[EntryView]) -> String {
	let mut out = format!(
		"{:>5}  {:<18} {:<16} {:>5}  {:<48} block\n",
		"index", "kind", "specialty", "epoch", "author"
	);
	for e in entries {
		out.push_str(&format!(
			"{:>5}  {:<18} {:<16} {:>5}  {:<48} {}{}\n",
			e.index,
			e.kind,
			e.specialty,
			e.key_epoch,
			e.author,
			e.block,
			e.amends.map(|a| format!("  (amends {a})")).unwrap_or_default()
		));
	}
	out.trim_end().to_string()
}

fn grants_text(grants: &[GrantView]) -> String {
	if grants.is_empty() {
		return "none".into();
	}
	grants
		.iter()
		.map(|g| {
			format!(
				"{}{}  {}  epoch {}  {}{}",
				g.account,
				g.name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default(),
				g.scope,
				g.key_epoch,
				if g.live { "live" } else { "not live" },
				g.expires_at.map(|b| format!(", expires at block {b}")).unwrap_or_default()
			)
		})
		.collect::<Vec<_>>()
		.join("\n")
}

fn history_text(events: &[HistoryEvent]) -> String {
	events
		.iter()
		.map(|e| {
			let fields: Vec<String> = e.fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
			format!("#{:<6} {:<24} {}", e.block, e.event, fields.join(" "))
		})
		.collect::<Vec<_>>()
		.join("\n")
}

fn history_csv(events: &[HistoryEvent]) -> anyhow::Result<String> {
	let mut writer = csv::Writer::from_writer(Vec::new());
	writer.write_record(["block", "event_index", "event", "fields"])?;
	for e in events {
		let fields: Vec<String> = e.fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
		writer.write_record([
			e.block.to_string(),
			e.event_index.to_string(),
			e.event.clone(),
			fields.join(";"),
		])?;
	}
	Ok(String::from_utf8(writer.into_inner()?)?)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
	let global = &cli.global;
	let settings = settings(global)?;
	let keystore = Keystore::open(&settings.keystore);
	let account = |text: &str| parse::resolve_account(text, &keystore);

	if let Command::Key(command) = &cli.command {
		return key_command(global, &keystore, command);
	}

	let mut client = Client::connect(settings.clone()).await?;
	if global.best_blocks {
		client.chain.set_follow(ehr_client::chain::Follow::Best);
	}
	let me = || identity(global, &settings);
	let json = global.json;
	let tx = |r: &ehr_client::chain::Receipt| receipt_text(r);

	match &cli.command {
		Command::Key(command) => key_command(global, &keystore, command),
		Command::Consortium(command) => {
			let me = || identity(global, &settings);
			let account = |text: &str| Ok(account(text)?);
			let unlock = |name: &str| emergency_key(&settings, &keystore, name);
			let cx = cli::consortium::Invocation {
				client: &client,
				json,
				me: &me,
				account: &account,
				unlock: &unlock,
			};
			cli::consortium::run(cx, command).await
		},
		Command::Admin(command) => {
			let simple = |receipt: ehr_client::chain::Receipt| print(json, &receipt, tx);
			match command {
				AdminCommand::Suspend { account: a } => {
					simple(client.suspend_professional(&me()?, &account(a)?).await?)
				},
				AdminCommand::Reinstate { account: a } => {
					simple(client.reinstate_professional(&me()?, &account(a)?).await?)
				},
				AdminCommand::RemoveProfessional { account: a } => {
					simple(client.remove_professional(&me()?, &account(a)?).await?)
				},
				AdminCommand::SuspendPatient { account: a } => {
					simple(client.suspend_patient(&me()?, &account(a)?).await?)
				},
				AdminCommand::ReinstatePatient { account: a } => {
					simple(client.reinstate_patient(&me()?, &account(a)?).await?)
				},
				AdminCommand::RemovePatient { account: a } => {
					simple(client.remove_patient(&me()?, &account(a)?).await?)
				},
				AdminCommand::ReleaseInsurance { account: a } => {
					simple(client.release_insurance(&me()?, &account(a)?).await?)
				},
				AdminCommand::Review { id, outcome } => {
					let outcome = parse::parse_outcome(outcome)?;
					simple(client.review_emergency(&me()?, *id, outcome).await?)
				},
				AdminCommand::ClearEmergencyBar { account: a } => {
					simple(client.clear_emergency_bar(&me()?, &account(a)?).await?)
				},
				AdminCommand::RegisterProfessional {
					account: a,
					encryption_key,
					kind,
					name,
					specialty,
					licence,
					organisation,
				} => {
					let who = account(a)?;
					let key = match encryption_key {
						Some(hex) => parse_hex32(hex, "--encryption-key")?,
						None => match keystore.info(a) {
							Ok(info) => parse_hex32(&info.encryption_key, "the key file's encryption key")?,
							Err(_) => bail!("give the professional's --encryption-key (it is not a key in this keystore)"),
						},
					};
					let kind = parse::parse_professional_kind(kind)?;
					let admin = me()?;
					let receipt = client
						.register_professional(
							&admin,
							&who,
							key,
							kind,
							name,
							specialty,
							licence,
							organisation,
						)
						.await?;
					print(json, &receipt, tx)
				},
				AdminCommand::Professionals => {
					let list: Vec<ProfessionalView> = client.professionals().await?;
					print(json, &list, |l| {
						l.iter()
							.map(|p| {
								format!(
									"{}  {:<24} {:<12} {:<16} {:<24} {}",
									p.account,
									p.name,
									p.kind,
									p.specialty,
									p.organisation,
									p.status
								)
							})
							.collect::<Vec<_>>()
							.join("\n")
					})
				},
				AdminCommand::Patients => {
					let list: Vec<PatientView> = client.patients().await?;
					print(json, &list, |l| {
						l.iter()
							.map(|p| {
								format!(
									"{}  {} entries  epoch {}  registered by {} at block {}",
									p.account,
									p.records,
									p.key_epoch,
									p.registered_by,
									p.registered_at
								)
							})
							.collect::<Vec<_>>()
							.join("\n")
					})
				},
				AdminCommand::Emergencies => {
					let list: Vec<EmergencyView> = client.emergencies().await?;
					print(json, &list, |l| {
						l.iter()
							.map(|e| {
								format!(
									"{}  patient {}  professional {}  {}  {}  key {}  review: {}",
									e.id,
									e.patient,
									e.professional,
									e.reason,
									if e.open { "open" } else { "closed" },
									if e.key_released { "released" } else { "not released" },
									e.review.clone().unwrap_or_else(|| "pending".into())
								)
							})
							.collect::<Vec<_>>()
							.join("\n")
					})
				},
			}
		},
		Command::RegisterPatient { insurance_number, request, key_name, key_dir, show_phrase } => {
			let registrar = me()?;
			let (request, made_here) = match (request, key_name) {
				(Some(path), None) => {
					let text = std::fs::read_to_string(path)
						.with_context(|| format!("cannot read {}", path.display()))?;
					let request: RegistrationRequest = serde_json::from_str(&text)
						.with_context(|| format!("{} is not a registration request", path.display()))?;
					(request, None)
				},
				(None, Some(name)) => {
					// A walk-in patient's key is made here and stored, sealed under the
					// patient's passphrase, before anything is sent: an interrupted
					// registration is completed by running the same command again.
					let target =
						Keystore::open(key_dir.clone().unwrap_or_else(|| settings.keystore.clone()));
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
				_ => bail!(
					"give either --request FILE (made on the patient's device with `ehr patient request`) or --key-name NAME (a key made here for the patient)"
				),
			};
			let registered =
				client.register_patient(&registrar, &request, insurance_number).await?;
			#[derive(Serialize)]
			struct Out {
				#[serde(flatten)]
				registered: ehr_client::registration::Registered,
				key_file: Option<String>,
			}
			let key_file = made_here.as_ref().map(|(file, _)| file.clone());
			print(json, &Out { registered, key_file }, |o| {
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
			if let Some((_, Some(phrase))) = &made_here {
				if *show_phrase {
					eprintln!(
						"recovery phrase (give it to the patient, then destroy this copy): {}",
						phrase.as_str()
					);
				}
			}
			Ok(())
		},
		Command::Patient(PatientCommand::Move { to, show_phrase }) => {
			let from = me()?;
			let patient = client.patient_of(&from).await?;
			let target = Keystore::open(settings.keystore.clone());
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
			if client.chain.patient_of_account(&new.account()).await? == Some(patient) {
				return print(json, &new.account().to_string(), |a| {
					format!("you had moved to {a} already; act as `{to}` from now on")
				});
			}
			let receipt = client.move_account(&from, &new).await?;
			print(json, &receipt, |r| {
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
		Command::Patient(PatientCommand::Request { registrar, out }) => {
			let patient = me()?;
			let registrar = account(registrar)?;
			let request = client.registration_request(&patient, &registrar).await?;
			let text = serde_json::to_string_pretty(&request)?;
			let mut file =
				std::fs::OpenOptions::new().write(true).create_new(true).open(out).with_context(
					|| format!("cannot create {} (it must not exist yet)", out.display()),
				)?;
			std::io::Write::write_all(&mut file, text.as_bytes())?;
			print(json, &request, |_| {
				format!(
					"registration request for {} written to {}: give it to your registrar",
					request.account,
					out.display()
				)
			})
		},
		Command::Patients => {
			let me = me()?;
			let list = client.my_patients(&me.account()).await?;
			print(json, &list, |l| grants_text(l))
		},
		Command::Record(RecordCommand::Add { patient, files, kind }) => {
			let kind = parse::parse_kind(kind)?;
			let patient = account(patient)?;
			let author = me()?;
			let files: Vec<_> = files.iter().map(|f| (f.clone(), kind.clone())).collect();
			let added = client.add_documents(&author, &patient, &files, None).await?;
			print(json, &added, |a| {
				a.iter()
					.map(|a| {
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
					})
					.collect::<Vec<_>>()
					.join("\n")
			})
		},
		Command::Record(RecordCommand::Amend { patient, index, file, kind }) => {
			let kind = parse::parse_kind(kind)?;
			let patient = account(patient)?;
			let author = me()?;
			let added = client
				.add_documents(&author, &patient, &[(file.clone(), kind)], Some(*index))
				.await?;
			print(json, &added, |a| {
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
		Command::Record(RecordCommand::Show { patient, index, out, force }) => {
			let patient = account(patient)?;
			let reader = me()?;
			let report = client.read_document(&reader, &patient, *index, out, *force).await?;
			print(json, &report, |r| {
				format!(
					"entry {} ({}, {} bytes) written to {}; read logged in block {}",
					r.entry.index, r.entry.kind, r.bytes, r.written_to, r.logged_in_block
				)
			})
		},
		Command::Records { patient } => {
			let patient = match patient {
				Some(p) => account(p)?,
				None => client.patient_of(&me()?).await?,
			};
			let entries = client.records(&patient).await?;
			print(json, &entries, |e| entries_text(e))
		},
		Command::Doctors => {
			let me = client.patient_of(&me()?).await?;
			let list = client.my_doctors(&me).await?;
			print(json, &list, |l| grants_text(l))
		},
		Command::Grant { professional, write, expires_at } => {
			let professional = account(professional)?;
			let patient = me()?;
			let scope = if *write { GrantScope::ReadWrite } else { GrantScope::Read };
			let receipt = client.grant(&patient, &professional, scope, *expires_at).await?;
			print(json, &receipt, tx)
		},
		Command::Revoke { professional } => {
			let professional = account(professional)?;
			let patient = me()?;
			let receipts = client.revoke(&patient, &professional).await?;
			print(json, &receipts, |r| r.iter().map(receipt_text).collect::<Vec<_>>().join("\n"))
		},
		Command::Emergency(EmergencyCommand::Open { patient, reason, blocks }) => {
			let patient = account(patient)?;
			let reason = parse::parse_reason(reason)?;
			let receipt = client.open_emergency(&me()?, &patient, reason, *blocks).await?;
			print(json, &receipt, tx)
		},
		Command::Emergency(EmergencyCommand::Close { id }) => {
			let closed = client.close_emergency(&me()?, *id).await?;
			print(json, &closed, |c| tx(&c.receipt))?;
			if closed.patient_should_rotate && !json {
				eprintln!(
					"An admin released your record key for this access: run `ehr rotate-key` so that the professional cannot read what is written from now on."
				);
			}
			Ok(())
		},
		Command::RotateKey => {
			let patient = me()?;
			let receipts = client.rotate_key(&patient).await?;
			print(json, &receipts, |r| r.iter().map(receipt_text).collect::<Vec<_>>().join("\n"))
		},
		Command::Profile(ProfileCommand::Set { file }) => {
			let patient = me()?;
			let receipt = client.set_profile(&patient, Some(file)).await?;
			print(json, &receipt, tx)
		},
		Command::Profile(ProfileCommand::Clear) => {
			let patient = me()?;
			let receipt = client.set_profile(&patient, None).await?;
			print(json, &receipt, tx)
		},
		Command::Profile(ProfileCommand::Show { patient, out, force }) => {
			let reader = me()?;
			let patient = match patient {
				Some(p) => account(p)?,
				None => client.patient_of(&reader).await?,
			};
			let bytes = client.read_profile(&reader, &patient, out, *force).await?;
			#[derive(Serialize)]
			struct Shown {
				bytes: u64,
				written_to: String,
			}
			print(json, &Shown { bytes, written_to: out.display().to_string() }, |s| {
				format!("profile ({} bytes) written to {}", s.bytes, s.written_to)
			})
		},
		Command::SetEncryptionKey { key } => {
			let patient = me()?;
			let key = match key {
				Some(hex) => parse_hex32(hex, "--key")?,
				None => patient.encryption().public(),
			};
			let receipt = client.update_encryption_key(&patient, key).await?;
			print(json, &receipt, tx)
		},
		Command::Verify { patient } => {
			let patient = account(patient)?;
			let reader = if global.as_key.is_some() { Some(me()?) } else { None };
			let report = client.verify(&patient, reader.as_ref()).await?;
			print(json, &report, |r| {
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
					Some(bad) => {
						out.push_str(&format!("\nentry {} is bad: {}", bad.index, bad.reason))
					},
				}
				out
			})?;
			if let Some(bad) = &report.first_bad {
				bail!("verification failed at entry {}", bad.index);
			}
			if report.profile_error.is_some() {
				bail!("verification failed: the profile has no good copy");
			}
			Ok(())
		},
		Command::History { account: subject, from, to, format } => {
			let subject = subject.as_deref().map(account).transpose()?;
			let events = client.history(subject.as_ref(), *from, *to).await?;
			match (json, format.as_str()) {
				(true, _) | (_, "json") => println!("{}", serde_json::to_string_pretty(&events)?),
				(_, "csv") => print!("{}", history_csv(&events)?),
				(_, "text") => println!("{}", history_text(&events)),
				(_, other) => bail!("unknown format `{other}`: text, json or csv"),
			}
			Ok(())
		},
		Command::Stats { blocks } => {
			let stats = client.stats(*blocks).await?;
			print(json, &stats, |s| {
				format!(
					"block {}\nadmins {}  professionals {} ({} active)  patients {}  records {}\nemergency accesses {} ({} unreviewed)  difficulty {} bits\nrecent activity:\n{}",
					s.finalized_block, s.admins, s.professionals, s.active_professionals, s.patients, s.records,
					s.emergency_accesses, s.unreviewed_emergency_accesses, s.difficulty, history_text(&s.recent)
				)
			})
		},
	}
}

fn key_command(global: &Global, keystore: &Keystore, command: &KeyCommand) -> anyhow::Result<()> {
	match command {
		KeyCommand::New { name, show_phrase } => {
			if keystore.info(name).is_ok() {
				bail!("a key named `{name}` already exists in {}", keystore.dir().display());
			}
			let pass = passphrase("EHR_PASSPHRASE", &format!("Passphrase for {name}: "), true)?;
			warn_if_weak(&pass);
			let (_, phrase) = Identity::generate()?;
			let info = keystore.add(name, &phrase, &pass)?;
			print(global.json, &info, |i| {
				format!("{}  {}  encryption key {}", i.name, i.account, i.encryption_key)
			})?;
			if *show_phrase {
				eprintln!("recovery phrase (write it down, keep it offline): {}", phrase.as_str());
			}
			Ok(())
		},
		KeyCommand::Import { name } => {
			let mut line = zeroize::Zeroizing::new(String::new());
			if std::io::stdin().is_terminal() {
				*line = rpassword::prompt_password("Secret phrase: ")?;
			} else {
				std::io::stdin().read_line(&mut line)?;
			}
			let uri = line.trim();
			if uri.is_empty() {
				bail!("no secret phrase on standard input");
			}
			let pass = passphrase("EHR_PASSPHRASE", &format!("Passphrase for {name}: "), true)?;
			warn_if_weak(&pass);
			let info = keystore.add(name, uri, &pass)?;
			print(global.json, &info, |i| {
				format!("{}  {}  encryption key {}", i.name, i.account, i.encryption_key)
			})
		},
		KeyCommand::List => {
			let keys = keystore.list()?;
			print(global.json, &keys, |k| {
				if k.is_empty() {
					return format!("no keys in {}", keystore.dir().display());
				}
				k.iter()
					.map(|i| {
						format!("{}  {}  encryption key {}", i.name, i.account, i.encryption_key)
					})
					.collect::<Vec<_>>()
					.join("\n")
			})
		},
	}
}
