//! `ehr admin`: what an admin does, and the lists it works from.

use clap::Subcommand;
use ehr_client::{
	admin::{EmergencyView, PatientView, ProfessionalView},
	chain::Receipt,
	config::parse_hex32,
	Error,
};

use super::{
	output::receipt_text,
	parse::{Outcome, Profession},
	Context,
};

/// What `ehr admin` does.
#[derive(Subcommand)]
pub enum AdminCommand {
	/// Register a health professional.
	RegisterProfessional {
		/// The professional's account.
		account: String,
		/// Its X25519 public key (hex), as `ehr key list` shows it; taken from the keystore when
		/// the account is named by a key there.
		#[arg(long)]
		encryption_key: Option<String>,
		/// What the professional is.
		#[arg(long, value_enum, ignore_case = true, default_value = "doctor")]
		kind: Profession,
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
	/// Record the review of a closed or expired emergency access.
	Review {
		/// The access.
		id: u64,
		/// What the review found.
		#[arg(value_enum, ignore_case = true)]
		outcome: Outcome,
	},
	/// Let a professional barred by an unjustified review break the glass again.
	ClearEmergencyBar { account: String },
	/// Every professional.
	Professionals,
	/// Every patient.
	Patients,
	/// Every emergency access.
	Emergencies,
}

/// Runs `command`.
pub async fn run(cx: &Context<'_>, command: &AdminCommand) -> anyhow::Result<()> {
	let client = cx.client;
	let done = |receipt: Receipt| cx.print(&receipt, receipt_text);
	match command {
		AdminCommand::RegisterProfessional {
			account,
			encryption_key,
			kind,
			name,
			specialty,
			licence,
			organisation,
		} => {
			let who = cx.account(account)?;
			let key = match encryption_key {
				Some(hex) => parse_hex32(hex, "--encryption-key")?,
				None => match cx.keystore.info(account) {
					Ok(info) => parse_hex32(&info.encryption_key, "the key file's encryption key")?,
					Err(_) => return Err(Error::Input("give the professional's --encryption-key (it is not a key in this keystore)".into()).into()),
				},
			};
			let admin = cx.me()?;
			let receipt = client
				.register_professional(
					&admin,
					&who,
					key,
					(*kind).into(),
					name,
					specialty,
					licence,
					organisation,
				)
				.await?;
			done(receipt)
		},
		AdminCommand::Suspend { account } => {
			done(client.suspend_professional(&cx.me()?, &cx.account(account)?).await?)
		},
		AdminCommand::Reinstate { account } => {
			done(client.reinstate_professional(&cx.me()?, &cx.account(account)?).await?)
		},
		AdminCommand::RemoveProfessional { account } => {
			done(client.remove_professional(&cx.me()?, &cx.account(account)?).await?)
		},
		AdminCommand::SuspendPatient { account } => {
			done(client.suspend_patient(&cx.me()?, &cx.account(account)?).await?)
		},
		AdminCommand::ReinstatePatient { account } => {
			done(client.reinstate_patient(&cx.me()?, &cx.account(account)?).await?)
		},
		AdminCommand::RemovePatient { account } => {
			done(client.remove_patient(&cx.me()?, &cx.account(account)?).await?)
		},
		AdminCommand::ReleaseInsurance { account } => {
			done(client.release_insurance(&cx.me()?, &cx.account(account)?).await?)
		},
		AdminCommand::Review { id, outcome } => {
			done(client.review_emergency(&cx.me()?, *id, (*outcome).into()).await?)
		},
		AdminCommand::ClearEmergencyBar { account } => {
			done(client.clear_emergency_bar(&cx.me()?, &cx.account(account)?).await?)
		},
		AdminCommand::Professionals => {
			cx.print(&client.professionals().await?, |l| lines(l, professional_text))
		},
		AdminCommand::Patients => cx.print(&client.patients().await?, |l| lines(l, patient_text)),
		AdminCommand::Emergencies => {
			cx.print(&client.emergencies().await?, |l| lines(l, emergency_text))
		},
	}
}

/// `items`, one line each.
fn lines<T>(items: &[T], line: impl Fn(&T) -> String) -> String {
	items.iter().map(line).collect::<Vec<_>>().join("\n")
}

fn professional_text(p: &ProfessionalView) -> String {
	format!(
		"{}  {:<24} {:<12} {:<16} {:<24} {}",
		p.account, p.name, p.kind, p.specialty, p.organisation, p.status
	)
}

fn patient_text(p: &PatientView) -> String {
	format!(
		"{}  {} entries  epoch {}  registered by {} at block {}",
		p.account, p.records, p.key_epoch, p.registered_by, p.registered_at
	)
}

fn emergency_text(e: &EmergencyView) -> String {
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
}
