//! Messages about a patient, between the patient and the professionals who may read its
//! records: sealed to the recipients' keys and signed by the sender
//! ([`crate::crypto::message`]), stored like documents, with a notice on chain that holds
//! nothing readable (sender, recipients, the blob's hash and place).

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::{
	access::{grant_is_live, no_right, Use},
	chain::{AccountId, BoundedVec, MessageNotice, PalletError, Receipt},
	client::Client,
	crypto::message::{self, Draft, Reader, Sealed},
	keys::Identity,
	runtime,
	state::State,
	store,
	views::{bounded, hex32, text},
	Error, Result,
};

/// How many of the latest messages about a patient a thread looks at: a sender that writes
/// much (within its quota) makes the thread longer, never slower to show.
pub const THREAD: u32 = 100;

/// A message as its reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct MessageView {
	/// The patient it is about.
	pub patient: String,
	/// Its place among the messages about the patient.
	pub index: u32,
	/// The block that holds its notice.
	pub block: u32,
	/// The sender.
	pub from: String,
	/// The sender's name: a professional's display name, or "patient".
	pub from_name: String,
	/// The recipients.
	pub to: Vec<String>,
	/// When the sender wrote it, Unix milliseconds (from the signed message).
	pub sent_at: Option<u64>,
	/// The text, when it opened and verified.
	pub text: Option<String>,
	/// Why it could not be read, when it did not.
	pub problem: Option<String>,
}

/// Someone a message about a patient can go to.
#[derive(Debug, Clone, Serialize)]
pub struct Party {
	/// The account.
	pub account: String,
	/// A professional's display name, or "patient".
	pub name: String,
}

/// A message sent.
#[derive(Debug, Clone, Serialize)]
pub struct Sent {
	/// The notice's transaction.
	pub receipt: Receipt,
	/// SHA-256 of the sealed blob.
	pub digest: String,
}

impl Client {
	/// Seals `text` about `patient` to `to` and to `sender`, stores it, and posts its notice.
	/// The runtime must let the sender and every recipient read the patient's records; each
	/// is checked before anything is stored.
	pub async fn send_message(
		&self,
		sender: &Identity,
		patient: &AccountId,
		to: &[AccountId],
		text: &str,
	) -> Result<Sent> {
		let state = self.chain.state().await?;
		let record = state.registered_patient(patient).await?;
		let me = sender.account();
		if let Some(access) = state.access(patient, &me).await? {
			access.read.map_err(|error| no_right(error, &me, patient, Use::Read))?;
		}
		let max = state.max_message_recipients()?;
		if to.is_empty() || to.len() > max {
			return Err(Error::Input(format!("a message goes to between 1 and {max} recipients")));
		}
		let mut keys = Vec::with_capacity(to.len());
		for (i, recipient) in to.iter().enumerate() {
			if to[..i].contains(recipient) {
				return Err(Error::Input(format!("{recipient} is named twice")));
			}
			let to_self = *recipient == me
				|| state.patient_of_account(&me).await?.as_ref() == Some(recipient);
			if to_self {
				return Err(Error::Input("you cannot send a message to yourself".into()));
			}
			keys.push((recipient.0, recipient_key(&state, patient, recipient, &record).await?));
		}
		let sent_at = SystemTime::now()
			.duration_since(UNIX_EPOCH)
			.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
		let draft = Draft { patient: patient.0, to: &keys, sent_at, text };
		let sealed = message::seal(&draft, me.0, sender.encryption().public(), |m| sender.sign(m))?;
		let digest = sealed.digest();
		let blob = tempfile::NamedTempFile::new()?;
		std::fs::write(blob.path(), sealed.to_bytes())?;
		self.stores.put_file(&digest, blob.path(), &|_| {}).await?;
		let call = runtime::tx().ehr().post_message(
			*patient,
			BoundedVec(to.to_vec()),
			digest.into(),
			bounded(store::locator(&digest)),
		);
		let receipt = self.chain.submit(sender, &call).await?;
		Ok(Sent { receipt, digest: hex32(&digest) })
	}

	/// The messages about `patient` that `reader` sent or received, among the latest
	/// [`THREAD`], oldest first, each opened and checked (its blob against the notice's hash,
	/// the sender's signature, its slot for the reader); one that does not open says why
	/// instead of hiding the others.
	pub async fn messages(
		&self,
		reader: &Identity,
		patient: &AccountId,
	) -> Result<Vec<MessageView>> {
		let state = self.chain.state().await?;
		let me = reader.account();
		let mut names = vec![me.0];
		if state.patient_of_account(&me).await?.as_ref() == Some(patient) || me == *patient {
			names.push(patient.0);
		}
		let opener = Reader { key: reader.encryption(), names };
		let mut out = Vec::new();
		for (index, notice) in state.messages(patient, THREAD).await? {
			let involved = opener.names.contains(&notice.from.0)
				|| notice.to.0.iter().any(|to| opener.names.contains(&to.0));
			if !involved {
				continue;
			}
			let opened = self.open_message(patient, &notice, &opener).await;
			out.push(MessageView {
				patient: patient.to_string(),
				index,
				block: notice.block,
				from: notice.from.to_string(),
				from_name: party_name(&state, patient, &notice.from).await?,
				to: notice.to.0.iter().map(ToString::to_string).collect(),
				sent_at: opened.as_ref().ok().map(|o| o.sent_at),
				text: opened.as_ref().ok().map(|o| o.text.clone()),
				problem: opened.err().map(|e| e.to_string()),
			});
		}
		Ok(out)
	}

	/// Who `me` can write to about `patient` now: the patient and the professionals with a
	/// live grant (break-glass readers are written to by account).
	pub async fn message_parties(&self, me: &AccountId, patient: &AccountId) -> Result<Vec<Party>> {
		let state = self.chain.state().await?;
		let at = state.number() + 1;
		let mine = state.patient_of_account(me).await?;
		let mut out = Vec::new();
		if patient != me && mine.as_ref() != Some(patient) {
			out.push(Party { account: patient.to_string(), name: "patient".into() });
		}
		for (who, grant) in state.doctors_of(patient).await? {
			if who != *me && grant_is_live(&grant, at) {
				out.push(Party {
					account: who.to_string(),
					name: party_name(&state, patient, &who).await?,
				});
			}
		}
		Ok(out)
	}

	async fn open_message(
		&self,
		patient: &AccountId,
		notice: &MessageNotice,
		reader: &Reader<'_>,
	) -> Result<message::Opened> {
		let hash = store::parse_locator(&notice.locator.0)
			.filter(|hash| *hash == notice.digest.0)
			.ok_or_else(|| {
				Error::Integrity("the notice's locator is not its blob's hash".into())
			})?;
		let bytes = self.stores.fetch_small(&hash, message::MAX_BLOB).await?;
		let sealed = Sealed::from_bytes(&bytes, &hash)?;
		let to: Vec<[u8; 32]> = notice.to.0.iter().map(|a| a.0).collect();
		if sealed.patient != patient.0 || sealed.from != notice.from.0 || sealed.to != to {
			return Err(Error::Integrity(
				"the message names another patient, sender or recipients than its notice".into(),
			));
		}
		sealed.open(reader)
	}
}

/// The X25519 key to seal a message about `patient` to `recipient`, after the runtime said it
/// may read the patient's records.
async fn recipient_key(
	state: &State,
	patient: &AccountId,
	recipient: &AccountId,
	record: &crate::chain::Patient,
) -> Result<[u8; 32]> {
	if recipient == patient {
		return Ok(record.encryption_key);
	}
	if state.patient_of_account(recipient).await?.as_ref() == Some(patient) {
		return Err(Error::Input(format!(
			"{recipient} is the key {patient} signs with: name the patient by its own account"
		)));
	}
	if let Some(access) = state.access(patient, recipient).await? {
		if let Err(error) = access.read {
			return Err(Error::NoRight {
				error: PalletError::RecipientMayNotRead,
				message: format!(
					"{recipient} may not read {patient}'s records, so no message about them can go to it ({error:?})"
				),
			});
		}
	}
	let professional = state
		.professional(recipient)
		.await?
		.ok_or_else(|| Error::NotRegistered { who: recipient.to_string(), role: "professional" })?;
	Ok(professional.encryption_key)
}

/// How a message shows `who`: "patient", a professional's display name, or the account.
async fn party_name(state: &State, patient: &AccountId, who: &AccountId) -> Result<String> {
	if who == patient || state.patient_of_account(who).await?.as_ref() == Some(patient) {
		return Ok("patient".into());
	}
	Ok(match state.professional(who).await? {
		Some(professional) => text(&professional.display_name),
		None => who.to_string(),
	})
}
