//! Messages from the command line: `ehr message send` and `ehr message list`.

use std::path::PathBuf;

use clap::Subcommand;
use ehr_client::{chain::AccountId, keys::Identity, messages::MessageView, Error};

use super::{output::receipt_text, read_input, Context};

/// Messages about a patient, sealed to their recipients.
#[derive(Subcommand)]
pub enum MessageCommand {
	/// Seal a message about a patient to the patient or professionals who may read its
	/// records, and post its notice.
	Send {
		/// The patient it is about (default: yourself, as the patient).
		#[arg(long)]
		patient: Option<String>,
		/// A recipient, repeatable (default for a professional: the patient).
		#[arg(long = "to")]
		to: Vec<String>,
		/// The text.
		#[arg(long, conflicts_with = "file")]
		text: Option<String>,
		/// A file holding the text (UTF-8).
		#[arg(long)]
		file: Option<PathBuf>,
	},
	/// The messages about a patient you sent or received, opened and checked.
	List {
		/// The patient (default: yourself, as the patient).
		#[arg(long)]
		patient: Option<String>,
	},
}

/// Runs `command`.
pub async fn run(cx: &Context<'_>, command: &MessageCommand) -> anyhow::Result<()> {
	let client = cx.client;
	let me = cx.me()?;
	match command {
		MessageCommand::Send { patient, to, text, file } => {
			let patient = patient_or_me(cx, patient, &me).await?;
			let text = match (text, file) {
				(Some(text), None) => text.clone(),
				(None, Some(path)) => String::from_utf8(read_input(path)?)
					.map_err(|_| Error::Input(format!("{} is not UTF-8 text", path.display())))?,
				_ => {
					return Err(Error::Input("give the message with --text or --file".into()).into())
				},
			};
			let mut recipients =
				to.iter().map(|t| cx.account(t)).collect::<anyhow::Result<Vec<_>>>()?;
			if recipients.is_empty() {
				if client.patient_of(&me).await.ok() == Some(patient) {
					return Err(Error::Input(
						"name the professionals to write to with --to".into(),
					)
					.into());
				}
				recipients.push(patient);
			}
			let sent = client.send_message(&me, &patient, &recipients, &text).await?;
			cx.print(&sent, |s| format!("message {} sent; {}", s.digest, receipt_text(&s.receipt)))
		},
		MessageCommand::List { patient } => {
			let patient = patient_or_me(cx, patient, &me).await?;
			let messages = client.messages(&me, &patient).await?;
			cx.print(&messages, |m| messages_text(m))
		},
	}
}

/// The patient named, or the one `me` signs for.
async fn patient_or_me(
	cx: &Context<'_>,
	patient: &Option<String>,
	me: &Identity,
) -> anyhow::Result<AccountId> {
	match patient {
		Some(p) => cx.account(p),
		None => Ok(cx.client.patient_of(me).await?),
	}
}

/// A thread, one message per paragraph.
fn messages_text(messages: &[MessageView]) -> String {
	if messages.is_empty() {
		return "no messages".into();
	}
	let mut out = String::new();
	for m in messages {
		out.push_str(&format!(
			"#{} block {} from {} ({})\n",
			m.index, m.block, m.from_name, m.from
		));
		match (&m.text, &m.problem) {
			(Some(text), _) => {
				for line in text.lines() {
					out.push_str(&format!("  {line}\n"));
				}
			},
			(None, Some(problem)) => out.push_str(&format!("  (cannot be read: {problem})\n")),
			(None, None) => {},
		}
	}
	out.trim_end().to_string()
}
