//! What a reader does: the patient itself, a grantee, or an emergency reader whose key was
//! released. Reading a document or a profile is logged on chain before anything is decrypted;
//! a patient's entries (metadata, no health data) are public to members; [`Client::verify`]
//! checks a whole chain.

mod verify;

use std::{fs::File, path::Path};

use serde::Serialize;

pub use verify::{BadEntry, Repair, VerifyReport};

use crate::{
	access::{reader_seed, Use},
	chain::AccountId,
	client::Client,
	crypto,
	documents::release,
	keys::Identity,
	runtime, store,
	store::ReplicaReport,
	views::EntryView,
	Error, Result,
};

/// What reading a document did.
#[derive(Debug, Clone, Serialize)]
pub struct ReadReport {
	/// The entry read.
	pub entry: EntryView,
	/// Bytes of plaintext.
	pub bytes: u64,
	/// Where the plaintext went.
	pub written_to: String,
	/// What each replica held.
	pub replicas: Vec<ReplicaReport>,
	/// Block in which the read was logged.
	pub logged_in_block: u64,
}

impl Client {
	/// Fetches, checks and decrypts entry `index` of `patient` to `out`, then logs the read on
	/// chain. Never overwrites `out` unless `overwrite`; a failed read leaves no file behind.
	pub async fn read_document(
		&self,
		reader: &Identity,
		patient: &AccountId,
		index: u32,
		out: &Path,
		overwrite: bool,
	) -> Result<ReadReport> {
		if out.exists() && !overwrite {
			return Err(Error::OutputExists(out.to_path_buf()));
		}
		let state = self.chain.state().await?;
		let entry = state
			.entry(patient, index)
			.await?
			.filter(|_| index > 0)
			.ok_or_else(|| Error::NotFound(format!("{patient} has no document {index}")))?;
		let entry = &entry;
		let seeds = reader_seed(&state, reader, patient, Use::Read).await?;
		let epoch = seeds.epoch();
		if entry.body.key_epoch > epoch {
			return Err(Error::Denied(format!(
				"document {index} was written under key epoch {} and your key is of epoch {epoch}: access was revoked before it was written",
				entry.body.key_epoch
			)));
		}
		let hash = store::parse_locator(&entry.body.locator.0).ok_or_else(|| {
			Error::Integrity(format!("document {index} has a locator this client does not know"))
		})?;
		if hash != entry.body.ciphertext_hash.0 {
			return Err(Error::Integrity(format!(
				"document {index}'s locator and ciphertext hash disagree"
			)));
		}
		// The read is on chain before anything is decrypted: a read that cannot be logged
		// leaves no plaintext anywhere (a logged read that then fails is harmless).
		let logged =
			self.chain.submit(reader, &runtime::tx().ehr().log_access(*patient, index)).await?;
		let (opened, replicas, plain) =
			self.open_blob(patient, &seeds, entry.body.key_epoch, &hash, out).await?;
		if opened.content_commitment != entry.body.content_commitment.0 {
			return Err(Error::Integrity(format!(
				"document {index} decrypts but does not match its content commitment"
			)));
		}
		release(plain, out, overwrite)?;
		Ok(ReadReport {
			entry: EntryView::new(patient, entry),
			bytes: opened.plaintext_len,
			written_to: out.display().to_string(),
			replicas,
			logged_in_block: logged.block,
		})
	}

	/// Decrypts `patient`'s profile to `out`, for the patient or a grantee.
	pub async fn read_profile(
		&self,
		reader: &Identity,
		patient: &AccountId,
		out: &Path,
		overwrite: bool,
	) -> Result<u64> {
		if out.exists() && !overwrite {
			return Err(Error::OutputExists(out.to_path_buf()));
		}
		let state = self.chain.state().await?;
		let record = state.registered_patient(patient).await?;
		let locator =
			record.profile.ok_or_else(|| Error::NotFound(format!("{patient} has no profile")))?;
		let hash = store::parse_locator(&locator.0).ok_or_else(|| {
			Error::Integrity("the profile's locator is not a content address".into())
		})?;
		let seeds = reader_seed(&state, reader, patient, Use::Read).await?;
		let epoch = seeds.epoch();
		// The profile's epoch is in its header; a blob is fetched to read it.
		let probe = tempfile::NamedTempFile::new()?;
		self.stores.fetch(&hash, probe.path(), false, &|_| {}).await?;
		let mut header = [0u8; 12];
		std::io::Read::read_exact(&mut File::open(probe.path())?, &mut header)
			.map_err(|_| Error::Integrity("the profile is too short".into()))?;
		let doc_epoch = crypto::ciphertext_epoch(&header)?;
		if doc_epoch > epoch {
			return Err(Error::Denied(
				"the profile was written after your access was revoked".into(),
			));
		}
		// A profile is health data too: its read is logged before it is decrypted.
		self.chain.submit(reader, &runtime::tx().ehr().log_profile_access(*patient)).await?;
		let (opened, _, plain) = self.open_blob(patient, &seeds, doc_epoch, &hash, out).await?;
		release(plain, out, overwrite)?;
		Ok(opened.plaintext_len)
	}

	/// "My records": every entry of `patient`'s chain.
	pub async fn records(&self, patient: &AccountId) -> Result<Vec<EntryView>> {
		let state = self.chain.state().await?;
		state.registered_patient(patient).await?;
		Ok(state.entries(patient).await?.iter().map(|e| EntryView::new(patient, e)).collect())
	}
}
