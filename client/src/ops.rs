//! What users do, each as one function: the `ehr` command is a thin layer over these.
//!
//! Every operation checks what it can before it writes anything (the caller's role, the grant,
//! the file), so a refused operation leaves nothing on chain; blobs are written to the stores
//! before the entry that points to them, and a retried upload of the same document finds the
//! blob and the entry it already made.

use std::{
	fs::File,
	io::{BufReader, Write},
	path::{Path, PathBuf},
	str::FromStr,
	time::{SystemTime, UNIX_EPOCH},
};

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use subxt::utils::H256;

use crate::{
	chain::{
		body_hash, AccountId, Body, BoundedVec, Chain, DocumentKind, EmergencyReason, EntryInput,
		Grant, GrantScope, Patient, ProfessionalKind, ProfessionalStatus, Receipt, RecordEntry,
		Regrant, ReviewOutcome,
	},
	config::Settings,
	crypto::{self, Secret32},
	keys::{Identity, Keystore},
	pow, runtime,
	seeds::{Bridge, RecordSeeds},
	store::{self, ReplicaReport, ReplicaState, Stores},
	Error, Result,
};

/// A connected client: the node, the stores and the settings.
pub struct Client {
	/// The node.
	pub chain: Chain,
	/// The off-chain stores.
	pub stores: Stores,
	/// The settings in force.
	pub settings: Settings,
}

/// A progress bar on standard error, hidden when that is not a terminal.
pub fn progress(len: u64, message: &str) -> ProgressBar {
	let bar = ProgressBar::new(len);
	if let Ok(style) = ProgressStyle::with_template(
		"{msg:>12} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} {eta}",
	) {
		bar.set_style(style.progress_chars("=> "));
	}
	bar.set_message(message.to_string());
	bar
}

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

fn bounded(bytes: impl Into<Vec<u8>>) -> BoundedVec<u8> {
	BoundedVec(bytes.into())
}

fn text(bytes: &BoundedVec<u8>) -> String {
	String::from_utf8_lossy(&bytes.0).into_owned()
}

fn hex32(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// A record entry as shown to users.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
	/// The patient.
	pub patient: String,
	/// Position in the chain.
	pub index: u32,
	/// The entry's hash.
	pub hash: String,
	/// The previous entry's hash.
	pub prev_hash: String,
	/// What the document is.
	pub kind: String,
	/// Who wrote it.
	pub author: String,
	/// The author's specialty.
	pub specialty: String,
	/// Key epoch it was written under.
	pub key_epoch: u32,
	/// The entry it corrects.
	pub amends: Option<u32>,
	/// Author's timestamp, Unix milliseconds.
	pub timestamp: u64,
	/// Proof-of-work difficulty in bits.
	pub difficulty: u8,
	/// Proof-of-work nonce.
	pub nonce: u64,
	/// SHA-256 of the ciphertext.
	pub ciphertext_hash: String,
	/// Commitment to the plaintext.
	pub content_commitment: String,
	/// Where the ciphertext is.
	pub locator: String,
	/// Block that included it.
	pub block: u32,
}

impl EntryView {
	fn new(patient: &AccountId, entry: &RecordEntry) -> Self {
		let b = &entry.body;
		Self {
			patient: patient.to_string(),
			index: b.index,
			hash: hex32(&entry.hash.0),
			prev_hash: hex32(&b.prev_hash.0),
			kind: format!("{:?}", b.kind),
			author: b.author.to_string(),
			specialty: text(&b.specialty),
			key_epoch: b.key_epoch,
			amends: b.amends,
			timestamp: b.timestamp,
			difficulty: b.difficulty,
			nonce: b.nonce,
			ciphertext_hash: hex32(&b.ciphertext_hash.0),
			content_commitment: hex32(&b.content_commitment.0),
			locator: text(&b.locator),
			block: entry.block,
		}
	}
}

/// A grant as shown to users.
#[derive(Debug, Clone, Serialize)]
pub struct GrantView {
	/// The other side: the professional for "my doctors", the patient for "my patients".
	pub account: String,
	/// Its display name, for professionals.
	pub name: Option<String>,
	/// `Read` or `ReadWrite`.
	pub scope: String,
	/// Last block of the grant, if it expires.
	pub expires_at: Option<u32>,
	/// Key epoch of the envelope it carries.
	pub key_epoch: u32,
	/// Block it was granted.
	pub granted_at: u32,
	/// Whether it can be used now (not revoked, not expired).
	pub live: bool,
}

fn grant_is_live(grant: &Grant, now: u64) -> bool {
	grant.revoked_at.is_none() && grant.expires_at.is_none_or(|e| u64::from(e) >= now)
}

impl Client {
	/// Connects to the node and opens the stores the settings name.
	pub async fn connect(settings: Settings) -> Result<Self> {
		let chain = Chain::connect(&settings).await?;
		let stores = Stores::open(&settings.stores)?;
		Ok(Self { chain, stores, settings })
	}

	async fn patient_record(&self, patient: &AccountId) -> Result<Patient> {
		self.chain
			.patient(patient)
			.await?
			.ok_or_else(|| Error::NotFound(format!("{patient} is not a registered patient")))
	}

	async fn professional_key(&self, who: &AccountId) -> Result<[u8; 32]> {
		let professional =
			self.chain.professional(who).await?.ok_or_else(|| {
				Error::NotFound(format!("{who} is not a registered professional"))
			})?;
		if professional.status != ProfessionalStatus::Active {
			return Err(Error::Denied(format!(
				"{who} is {:?}, not active: it cannot be granted",
				professional.status
			)));
		}
		Ok(professional.encryption_key)
	}

	// ---- administrators ----------------------------------------------------------------

	/// Registers a professional (admins only).
	#[allow(clippy::too_many_arguments)]
	pub async fn register_professional(
		&self,
		admin: &Identity,
		who: &AccountId,
		encryption_key: [u8; 32],
		kind: ProfessionalKind,
		name: &str,
		specialty: &str,
		licence_number: &str,
		organisation: &str,
	) -> Result<Receipt> {
		let key = self.settings.insurance_key()?;
		let licence = crypto::keyed_commitment(&key, b"ehr licence number v1", licence_number)?;
		let call = runtime::tx().ehr().register_professional(
			*who,
			kind,
			bounded(name),
			bounded(specialty),
			H256(licence),
			bounded(organisation),
			encryption_key,
		);
		self.chain.submit(admin, &call).await
	}

	/// The consortium's decision to give the professional of emergency access `id` the
	/// patient's record key, from the consortium's escrow: the key's seeds, opened with the
	/// `emergency_key` (held by whoever the consortium trusts with it) and sealed to the
	/// professional. A hospital then [proposes](Client::propose) it.
	pub async fn key_release(
		&self,
		emergency_key: &Identity,
		id: u64,
	) -> Result<crate::consortium::Decision> {
		let access = self
			.chain
			.emergency(id)
			.await?
			.ok_or_else(|| Error::NotFound(format!("no emergency access {id}")))?;
		let patient = self.patient_record(&access.patient).await?;
		let seeds = crypto::open_seeds(
			emergency_key.encryption(),
			&access.patient.0,
			&patient.escrow_envelope.0,
		)
		.map_err(|_| {
			Error::Denied("the emergency key given does not open this patient's escrow".into())
		})?;
		let recipient = self.professional_key(&access.professional).await?;
		let envelope = crypto::seal_seeds(&recipient, &access.patient.0, &seeds)?;
		Ok(crate::consortium::Decision::ReleaseEmergencyKey { id, envelope })
	}

	// ---- professionals -----------------------------------------------------------------

	/// "My patients": the patients that granted `professional`.
	pub async fn my_patients(&self, professional: &AccountId) -> Result<Vec<GrantView>> {
		let now = self.chain.finalized_number().await?;
		Ok(self
			.chain
			.patients_of(professional)
			.await?
			.into_iter()
			.map(|(patient, grant)| GrantView {
				account: patient.to_string(),
				name: None,
				scope: format!("{:?}", grant.scope),
				expires_at: grant.expires_at,
				key_epoch: grant.key_epoch,
				granted_at: grant.granted_at,
				live: grant_is_live(&grant, now),
			})
			.collect())
	}

	/// The patient whose transactions `signer` signs: itself, or the patient that moved to its
	/// key.
	pub async fn patient_of(&self, signer: &Identity) -> Result<AccountId> {
		let account = signer.account();
		if let Some(patient) = self.chain.patient_of_account(&account).await? {
			return Ok(patient);
		}
		match self.chain.patient(&account).await? {
			Some(_) if self.chain.patient_account(&account).await?.is_none() => Ok(account),
			Some(_) => Err(Error::Denied(format!(
				"{account} moved to another key: act with the key it moved to"
			))),
			None => Err(Error::NotFound(format!("{account} is not a registered patient"))),
		}
	}

	/// The record seeds `reader` may use for `patient`'s documents: its own as the patient, its
	/// grant's, or a released emergency key's. `write` asks for a read-write grant.
	async fn reader_seed(
		&self,
		reader: &Identity,
		patient: &AccountId,
		write: bool,
	) -> Result<RecordSeeds> {
		let record = self.patient_record(patient).await?;
		if !write && self.patient_of(reader).await.ok().as_ref() == Some(patient) {
			return reader.record_seeds(record.key_epoch);
		}
		let now = self.chain.finalized_number().await?;
		if let Some(grant) = self.chain.grant(patient, &reader.account()).await? {
			if grant_is_live(&grant, now) {
				if write && grant.scope != GrantScope::ReadWrite {
					return Err(Error::Denied(format!(
						"{patient} granted you read access only; adding documents needs a read-write grant"
					)));
				}
				return crypto::open_seeds(reader.encryption(), &patient.0, &grant.envelope.0);
			}
		}
		if !write {
			if let Some(access) = self.chain.open_emergency(patient, &reader.account()).await? {
				if access.closed.is_none() && u64::from(access.expires_at) >= now {
					if let Some(envelope) = &access.key_envelope {
						return crypto::open_seeds(reader.encryption(), &patient.0, &envelope.0);
					}
					return Err(Error::Denied(
						"your emergency access is open but an admin has not released the key yet"
							.into(),
					));
				}
			}
		}
		Err(Error::Denied(format!(
			"{} has no live {} grant from {patient}",
			reader.account(),
			if write { "read-write" } else { "read" }
		)))
	}

	/// Adds documents to `patient`'s chain, back to back, each amending `amends` if given.
	/// Returns the entries, with the blocks they were finalized in.
	pub async fn add_documents(
		&self,
		author: &Identity,
		patient: &AccountId,
		files: &[(PathBuf, DocumentKind)],
		amends: Option<u32>,
	) -> Result<Vec<Added>> {
		if files.is_empty() {
			return Err(Error::Input("no file to add".into()));
		}
		for (path, _) in files {
			check_file(path, self.settings.max_document_bytes)?;
		}
		let professional = self.chain.professional(&author.account()).await?.ok_or_else(|| {
			Error::Denied(format!("{} is not a registered professional", author.account()))
		})?;
		if professional.status != ProfessionalStatus::Active {
			return Err(Error::Denied(format!(
				"you are {:?}: you cannot add documents",
				professional.status
			)));
		}
		let record = self.patient_record(patient).await?;
		let seeds = self.reader_seed(author, patient, true).await?;
		let grant_epoch = seeds.epoch();
		if grant_epoch != record.key_epoch {
			return Err(Error::Denied(format!(
				"your grant holds the key of epoch {grant_epoch} but the patient is at epoch {}: ask the patient to grant you again",
				record.key_epoch
			)));
		}
		if let Some(target) = amends {
			if target == 0 || target >= record.record_count {
				return Err(Error::Input(format!(
					"entry {target} cannot be amended: the chain has entries 1 to {}",
					record.record_count.saturating_sub(1)
				)));
			}
		}
		let record_key = crypto::record_key(&seeds.seed_of(grant_epoch)?);
		let existing = self.chain.entries(patient).await?;
		let difficulty = self.chain.counts().await?.difficulty;

		let mut index = record.record_count;
		let mut prev = record.head.0;
		let mut out = Vec::new();
		let mut pending = Vec::new();
		for (path, kind) in files {
			let (sealed, blob) = seal_file(patient, record.key_epoch, &record_key, path)?;
			let author_id = author.account();
			if let Some(entry) = existing.iter().find(|e| {
				e.body.index > 0
					&& e.body.ciphertext_hash.0 == sealed.ciphertext_hash
					&& e.body.author == author_id
					&& e.body.kind == *kind
					&& e.body.amends == amends
			}) {
				// The same document, by the same author, as the same kind and amending the
				// same entry, under the same key: a retry of an upload that landed. Anything
				// else is a new entry.
				self.stores.put_file(&sealed.ciphertext_hash, blob.path(), &|_| {}).await?;
				out.push(Added { entry: EntryView::new(patient, entry), already_recorded: true });
				continue;
			}
			let bar =
				progress(sealed.ciphertext_len * self.stores.urls().len() as u64, "uploading");
			self.stores.put_file(&sealed.ciphertext_hash, blob.path(), &|n| bar.inc(n)).await?;
			bar.finish_and_clear();
			let timestamp = SystemTime::now()
				.duration_since(UNIX_EPOCH)
				.map(|d| d.as_millis() as u64)
				.unwrap_or_default();
			let mut body = Body {
				index,
				prev_hash: H256(prev),
				content_commitment: H256(sealed.content_commitment),
				ciphertext_hash: H256(sealed.ciphertext_hash),
				locator: bounded(store::locator(&sealed.ciphertext_hash)),
				kind: kind.clone(),
				author: author.account(),
				specialty: professional.specialty.clone(),
				key_epoch: record.key_epoch,
				amends,
				timestamp,
				nonce: 0,
				difficulty,
			};
			let (nonce, hash) = mine(&body);
			body.nonce = nonce;
			let input = EntryInput {
				index: body.index,
				prev_hash: body.prev_hash,
				content_commitment: body.content_commitment,
				ciphertext_hash: body.ciphertext_hash,
				locator: body.locator.clone(),
				kind: body.kind.clone(),
				key_epoch: body.key_epoch,
				amends: body.amends,
				timestamp: body.timestamp,
				nonce: body.nonce,
				difficulty: body.difficulty,
			};
			let call = runtime::tx().ehr().add_record(*patient, input, H256(hash));
			pending.push((self.chain.send(author, &call).await?, body, hash));
			index += 1;
			prev = hash;
		}
		for (tx, body, hash) in pending {
			let receipt = tx.finalized().await?;
			let entry = RecordEntry { body, hash: H256(hash), block: receipt.block as u32 };
			out.push(Added { entry: EntryView::new(patient, &entry), already_recorded: false });
		}
		Ok(out)
	}

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
			return Err(Error::Input(format!(
				"{} exists; choose another file or pass --force",
				out.display()
			)));
		}
		let entry = self
			.chain
			.entry(patient, index)
			.await?
			.filter(|_| index > 0)
			.ok_or_else(|| Error::NotFound(format!("{patient} has no document {index}")))?;
		let entry = &entry;
		let seeds = self.reader_seed(reader, patient, false).await?;
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

	// ---- patients ----------------------------------------------------------------------

	/// Fetches the blob `hash` from a good replica (repairing bad ones) and decrypts it with the
	/// record key of `doc_epoch` derived from `seeds` into a temporary file next to `out`, which
	/// the caller [`release`]s once the read is logged.
	async fn open_blob(
		&self,
		patient: &AccountId,
		seeds: &RecordSeeds,
		doc_epoch: u32,
		hash: &[u8; 32],
		out: &Path,
	) -> Result<(crypto::Opened, Vec<ReplicaReport>, tempfile::NamedTempFile)> {
		let seed = seeds.seed_of(doc_epoch)?;
		let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
		let blob = tempfile::NamedTempFile::new()?;
		let bar = progress(0, "fetching");
		let replicas = self.stores.fetch(hash, blob.path(), false, &|n| bar.inc(n)).await?;
		bar.finish_and_clear();
		let mut plain = tempfile::NamedTempFile::new_in(dir)?;
		let bar = progress(blob.as_file().metadata()?.len(), "decrypting");
		let opened = crypto::decrypt(
			&patient.0,
			&crypto::record_key(&seed),
			BufReader::new(File::open(blob.path())?),
			std::io::BufWriter::new(plain.as_file_mut()),
			|n| bar.inc(n),
		)?;
		bar.finish_and_clear();
		plain.as_file_mut().flush()?;
		Ok((opened, replicas, plain))
	}

	/// Encrypts `file` as `patient`'s profile (name, address, contacts: health data, so off
	/// chain) under the current record key, stores it, and points the chain to it; `None` clears
	/// the pointer.
	pub async fn set_profile(&self, patient: &Identity, file: Option<&Path>) -> Result<Receipt> {
		let account = self.patient_of(patient).await?;
		let record = self.patient_record(&account).await?;
		let locator = match file {
			None => None,
			Some(path) => {
				check_file(path, self.settings.max_document_bytes)?;
				let seed = patient.record_seeds(record.key_epoch)?.seed_of(record.key_epoch)?;
				let (sealed, blob) =
					seal_file(&account, record.key_epoch, &crypto::record_key(&seed), path)?;
				self.stores.put_file(&sealed.ciphertext_hash, blob.path(), &|_| {}).await?;
				Some(bounded(store::locator(&sealed.ciphertext_hash)))
			},
		};
		self.chain.submit(patient, &runtime::tx().ehr().set_profile(locator)).await
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
			return Err(Error::Input(format!(
				"{} exists; choose another file or pass --force",
				out.display()
			)));
		}
		let record = self.patient_record(patient).await?;
		let locator =
			record.profile.ok_or_else(|| Error::NotFound(format!("{patient} has no profile")))?;
		let hash = store::parse_locator(&locator.0).ok_or_else(|| {
			Error::Integrity("the profile's locator is not a content address".into())
		})?;
		let seeds = self.reader_seed(reader, patient, false).await?;
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
		self.patient_record(patient).await?;
		Ok(self.chain.entries(patient).await?.iter().map(|e| EntryView::new(patient, e)).collect())
	}

	/// "My doctors": every professional `patient` granted, live or not.
	pub async fn my_doctors(&self, patient: &AccountId) -> Result<Vec<GrantView>> {
		let now = self.chain.finalized_number().await?;
		let mut out = Vec::new();
		for (who, grant) in self.chain.doctors_of(patient).await? {
			let name = self.chain.professional(&who).await?.map(|p| text(&p.display_name));
			out.push(GrantView {
				account: who.to_string(),
				name,
				scope: format!("{:?}", grant.scope),
				expires_at: grant.expires_at,
				key_epoch: grant.key_epoch,
				granted_at: grant.granted_at,
				live: grant_is_live(&grant, now),
			});
		}
		Ok(out)
	}

	/// Grants `professional` access to `patient`'s records with the current record key. The
	/// grant names the key's epoch, so the chain refuses it if the epoch moved meanwhile.
	pub async fn grant(
		&self,
		patient: &Identity,
		professional: &AccountId,
		scope: GrantScope,
		expires_at: Option<u32>,
	) -> Result<Receipt> {
		let account = self.patient_of(patient).await?;
		let record = self.patient_record(&account).await?;
		let recipient = self.professional_key(professional).await?;
		let seeds = patient.record_seeds(record.key_epoch)?;
		let envelope = crypto::seal_seeds(&recipient, &account.0, &seeds)?;
		let call = runtime::tx().ehr().grant_access(
			*professional,
			scope,
			expires_at,
			record.key_epoch,
			bounded(envelope),
		);
		self.chain.submit(patient, &call).await
	}

	/// Revokes `professional`'s access. One call advances the key epoch, escrows the new record
	/// key for the consortium and hands it to every other live grantee; the chain applies all
	/// of it or nothing, so a refused or repeated revoke hands out no key of the next epoch. The
	/// grant is checked first: revoking one already revoked sends nothing. An expired grant is
	/// revoked too: its holder still has the current epoch's key, and only a revoke (or a
	/// rotation) moves later documents to a key it never had.
	pub async fn revoke(
		&self,
		patient: &Identity,
		professional: &AccountId,
	) -> Result<Vec<Receipt>> {
		match self.chain.grant(&self.patient_of(patient).await?, professional).await? {
			Some(grant) if grant.revoked_at.is_none() => {},
			Some(_) => {
				return Err(Error::Denied(format!(
					"{professional}'s grant is already revoked: nothing was revoked"
				)))
			},
			None => {
				return Err(Error::Denied(format!(
					"{professional} holds no grant from you: nothing was revoked"
				)))
			},
		}
		self.advance_epoch(patient, Some(professional)).await
	}

	/// Moves `patient` to a new record key without revoking anyone: every live grantee gets the
	/// new key, and whoever held only the old one (a break-glass reader whose key an admin
	/// released, say) cannot read what is written next.
	pub async fn rotate_key(&self, patient: &Identity) -> Result<Vec<Receipt>> {
		self.advance_epoch(patient, None).await
	}

	/// Moves `patient` (acting with its current key `from`) to the key `to`, one only the
	/// patient holds: the chain makes `to` the patient's signing account and encryption key,
	/// and the next key epoch's record key comes from `to`'s secret, handed to every live
	/// grantee in the same call. Whoever else held `from` (the registrar that made it) can no
	/// longer act for the patient or derive what is written afterwards from that key. Grants are
	/// kept, the registrar's own included: a patient that wants its registrar out revokes it
	/// afterwards.
	///
	/// `to` must carry the bridges to `from`'s seeds ([`Self::bridges_for_move`]), so that it
	/// still opens the documents written before the move.
	pub async fn move_account(&self, from: &Identity, to: &Identity) -> Result<Receipt> {
		let patient = self.patient_of(from).await?;
		let record = self.patient_record(&patient).await?;
		if to.bridges().last().map(|b| b.last_epoch) != Some(record.key_epoch) {
			return Err(Error::Input(
				"the new key does not carry the bridge to the current key's seeds".into(),
			));
		}
		let epoch = record.key_epoch.saturating_add(1);
		let seeds = to.record_seeds(epoch)?;
		let escrow = crypto::seal_seeds(&self.settings.emergency_key()?, &patient.0, &seeds)?;
		let regrants: Vec<Regrant> =
			self.regrants(&patient, &seeds, None).await?.into_iter().map(|(r, _)| r).collect();
		if regrants.len() > self.chain.max_regrants().await? {
			return Err(Error::Input(format!(
				"{} grantees are more than one move re-grants; revoke some first",
				regrants.len()
			)));
		}
		let encryption_key = to.encryption().public();
		let consent = crate::registration::move_consent(
			&self.chain.genesis_hash(),
			&patient,
			&encryption_key,
			&escrow,
		);
		let call = runtime::tx().ehr().move_patient_account(
			to.account(),
			encryption_key,
			bounded(escrow),
			BoundedVec(regrants),
			runtime::runtime_types::sp_runtime::MultiSignature::Sr25519(to.sign(&consent)),
		);
		self.chain.submit(from, &call).await
	}

	/// The bridges a key the patient moves to must carry: `from`'s own, and `from`'s seed of
	/// the patient's current epoch.
	pub async fn bridges_for_move(&self, from: &Identity) -> Result<Vec<Bridge>> {
		let patient = self.patient_of(from).await?;
		let epoch = self.patient_record(&patient).await?.key_epoch;
		let mut bridges = from.bridges().to_vec();
		bridges.push(Bridge { last_epoch: epoch, seed: from.record_seeds(epoch)?.seed_of(epoch)? });
		Ok(bridges)
	}

	/// `seeds` wrapped for every live, active grantee of `patient` but `except`, with the grant
	/// each renews.
	async fn regrants(
		&self,
		patient: &AccountId,
		seeds: &RecordSeeds,
		except: Option<&AccountId>,
	) -> Result<Vec<(Regrant, Grant)>> {
		let now = self.chain.finalized_number().await?;
		let mut regrants = Vec::new();
		for (who, grant) in self.chain.doctors_of(patient).await? {
			if Some(&who) == except || !grant_is_live(&grant, now) {
				continue;
			}
			let Ok(recipient) = self.professional_key(&who).await else { continue };
			let envelope = bounded(crypto::seal_seeds(&recipient, &patient.0, seeds)?);
			regrants.push((Regrant { professional: who, envelope }, grant));
		}
		Ok(regrants)
	}

	/// Revokes `revoked` (or only rotates) and re-grants the next epoch's key to every other
	/// live, active grantee: the first `MaxRegrants` in the same call, the rest once that call
	/// is final, each naming the new epoch.
	async fn advance_epoch(
		&self,
		patient: &Identity,
		revoked: Option<&AccountId>,
	) -> Result<Vec<Receipt>> {
		let account = self.patient_of(patient).await?;
		let record = self.patient_record(&account).await?;
		let epoch = record.key_epoch.saturating_add(1);
		let seeds = patient.record_seeds(epoch)?;
		let escrow_key = self.settings.emergency_key()?;
		let escrow = bounded(crypto::seal_seeds(&escrow_key, &account.0, &seeds)?);
		let mut regrants = self.regrants(&account, &seeds, revoked).await?;
		let later = regrants.split_off(regrants.len().min(self.chain.max_regrants().await?));
		let now_regranted = BoundedVec(regrants.into_iter().map(|(r, _)| r).collect());
		let first = match revoked {
			Some(who) => {
				let call = runtime::tx().ehr().revoke_access(*who, escrow, now_regranted);
				self.chain.submit(patient, &call).await?
			},
			None => {
				let call = runtime::tx().ehr().rotate_record_key(escrow, now_regranted);
				self.chain.submit(patient, &call).await?
			},
		};
		let mut pending = Vec::new();
		for (regrant, grant) in later {
			let call = runtime::tx().ehr().grant_access(
				regrant.professional,
				grant.scope,
				grant.expires_at,
				epoch,
				regrant.envelope,
			);
			pending.push(self.chain.send(patient, &call).await?);
		}
		let mut receipts = vec![first];
		for tx in pending {
			receipts.push(tx.finalized().await?);
		}
		Ok(receipts)
	}

	// ---- anyone with the right ---------------------------------------------------------

	/// Walks `patient`'s whole chain as one finalized block has it: indexes, links, hashes,
	/// proofs of work, the head, ciphertext hashes in every replica (repairing bad ones), and,
	/// for the documents `reader`'s key opens, content commitments. Stops at the first bad
	/// entry; the report says what was checked and what was not.
	pub async fn verify(
		&self,
		patient: &AccountId,
		reader: Option<&Identity>,
	) -> Result<VerifyReport> {
		let at = self.chain.finalized().await?;
		let record = self
			.chain
			.patient_at(&at, patient)
			.await?
			.ok_or_else(|| Error::NotFound(format!("{patient} is not a registered patient")))?;
		let entries = self.chain.entries_at(&at, patient).await?;
		let (seed, no_key) = match reader {
			Some(reader) => match self.reader_seed(reader, patient, false).await {
				Ok(seed) => (Some(seed), None),
				Err(e) => (None, Some(e.to_string())),
			},
			None => (None, Some("no reader was given (--as)".to_string())),
		};
		let mut report = VerifyReport {
			patient: patient.to_string(),
			block: at.block_number(),
			entries: entries.len() as u32,
			documents: entries.len().saturating_sub(1) as u32,
			documents_decrypted: 0,
			not_decrypted: no_key,
			first_bad: None,
			profile_error: None,
			repaired: Vec::new(),
		};
		let bar = ProgressBar::new(entries.len() as u64);
		let mut prev = [0u8; 32];
		for (i, entry) in entries.iter().enumerate() {
			bar.inc(1);
			let b = &entry.body;
			let fail = |reason: String| Some(BadEntry { index: i as u32, reason });
			let hash = body_hash(&b.clone());
			let problem = if b.index != i as u32 {
				fail(format!("has index {} at position {i}", b.index))
			} else if b.prev_hash.0 != prev {
				fail("does not link to the entry before it".into())
			} else if hash != entry.hash.0 {
				fail("its hash does not match its contents".into())
			} else if pow::leading_zero_bits(&hash) < u32::from(b.difficulty) {
				fail(format!("its hash does not meet its difficulty of {} bits", b.difficulty))
			} else if i > 0 && b.difficulty == 0 {
				fail("it was not mined".into())
			} else if i > 0 {
				self.verify_document(patient, entry, seed.as_ref(), &mut report).await
			} else {
				None
			};
			if problem.is_some() {
				report.first_bad = problem;
				break;
			}
			prev = hash;
		}
		bar.finish_and_clear();
		if let Some(epoch) = seed.as_ref().map(RecordSeeds::epoch) {
			let later = report.documents.saturating_sub(report.documents_decrypted);
			if report.first_bad.is_none() && later > 0 {
				report.not_decrypted = Some(format!(
					"{later} documents were written under a later key than yours (epoch {epoch})"
				));
			}
		}
		if report.first_bad.is_none() && prev != record.head.0 {
			report.first_bad = Some(BadEntry {
				index: entries.len() as u32,
				reason: "the chain's head does not match its last entry".into(),
			});
		}
		// The profile is no entry, but its replicas are checked and repaired the same way.
		if let Some(locator) = &record.profile {
			match store::parse_locator(&locator.0) {
				None => report.profile_error = Some("its locator is not a content address".into()),
				Some(hash) => {
					let blob = tempfile::NamedTempFile::new()?;
					match self.stores.fetch(&hash, blob.path(), true, &|_| {}).await {
						Ok(replicas) => {
							for r in replicas {
								if matches!(
									r.state,
									ReplicaState::Repaired | ReplicaState::RepairFailed
								) {
									report.repaired.push(Repair {
										index: None,
										store: r.store,
										state: r.state,
									});
								}
							}
						},
						Err(e) => report.profile_error = Some(e.to_string()),
					}
				},
			}
		}
		Ok(report)
	}

	async fn verify_document(
		&self,
		patient: &AccountId,
		entry: &RecordEntry,
		seeds: Option<&RecordSeeds>,
		report: &mut VerifyReport,
	) -> Option<BadEntry> {
		let index = entry.body.index;
		let fail = |reason: String| Some(BadEntry { index, reason });
		let Some(hash) = store::parse_locator(&entry.body.locator.0) else {
			return fail("its locator is not a content address".into());
		};
		if hash != entry.body.ciphertext_hash.0 {
			return fail("its locator and ciphertext hash disagree".into());
		}
		let Ok(blob) = tempfile::NamedTempFile::new() else {
			return fail("no temporary file to check it in".into());
		};
		match self.stores.fetch(&hash, blob.path(), true, &|_| {}).await {
			Ok(replicas) => {
				for r in replicas {
					if r.state == ReplicaState::Repaired || r.state == ReplicaState::RepairFailed {
						report.repaired.push(Repair {
							index: Some(index),
							store: r.store,
							state: r.state,
						});
					}
				}
			},
			Err(e) => return fail(e.to_string()),
		}
		if let Some(seeds) = seeds {
			if entry.body.key_epoch <= seeds.epoch() {
				let Ok(seed) = seeds.seed_of(entry.body.key_epoch) else {
					return None;
				};
				let Ok(file) = File::open(blob.path()) else {
					return fail("cannot reopen its ciphertext".into());
				};
				match crypto::decrypt(
					&patient.0,
					&crypto::record_key(&seed),
					BufReader::new(file),
					std::io::sink(),
					|_| {},
				) {
					Ok(opened) if opened.content_commitment == entry.body.content_commitment.0 => {
						report.documents_decrypted += 1
					},
					Ok(_) => {
						return fail("its document does not match its content commitment".into())
					},
					Err(e) => return fail(format!("its document does not decrypt: {e}")),
				}
			}
		}
		None
	}
}

/// Moves decrypted `plain` to `out`, which it replaces only if `overwrite`.
fn release(plain: tempfile::NamedTempFile, out: &Path, overwrite: bool) -> Result<()> {
	if overwrite {
		plain.persist(out).map_err(|e| Error::Io(e.error))?;
	} else {
		plain.persist_noclobber(out).map_err(|e| Error::Io(e.error))?;
	}
	Ok(())
}

/// Checks that `path` is a readable file no larger than `limit`.
fn check_file(path: &Path, limit: u64) -> Result<()> {
	let meta =
		std::fs::metadata(path).map_err(|_| Error::FileNotFound(path.display().to_string()))?;
	if !meta.is_file() {
		return Err(Error::FileNotFound(path.display().to_string()));
	}
	if meta.len() > limit {
		return Err(Error::FileTooLarge {
			path: path.display().to_string(),
			size: meta.len(),
			limit,
		});
	}
	Ok(())
}

/// Encrypts `path` for `patient` under `record_key` (of `epoch`) into a temporary file, reading
/// it twice (hash, then encrypt) in constant memory; returns what sealing produced and the file.
pub fn seal_file(
	patient: &AccountId,
	epoch: u32,
	record_key: &Secret32,
	path: &Path,
) -> Result<(crypto::Sealed, tempfile::NamedTempFile)> {
	let open = || File::open(path).map_err(|_| Error::FileNotFound(path.display().to_string()));
	let size = open()?.metadata()?.len();
	let bar = progress(size * 2, "encrypting");
	let (plain_hash, _) = crypto::hash_reader(BufReader::new(open()?), |n| bar.inc(n))?;
	let mut blob = tempfile::NamedTempFile::new()?;
	let sealed = crypto::encrypt(
		&patient.0,
		epoch,
		record_key,
		&plain_hash,
		BufReader::new(open()?),
		std::io::BufWriter::new(blob.as_file_mut()),
		|n| bar.inc(n),
	)?;
	bar.finish_and_clear();
	Ok((sealed, blob))
}

/// Mines `body`'s nonce on every core: returns the nonce and the entry hash.
pub fn mine(body: &Body) -> (u64, [u8; 32]) {
	let encoded = codec::Encode::encode(body);
	// The nonce is the 8 bytes before the final difficulty byte.
	let split = encoded.len() - 9;
	let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	pow::mine(&encoded[..split], &encoded[split + 8..], body.difficulty, 0, threads)
}

/// One document added.
#[derive(Debug, Clone, Serialize)]
pub struct Added {
	/// The entry.
	pub entry: EntryView,
	/// Whether the document was already in the chain (a retry), so nothing new was added.
	pub already_recorded: bool,
}

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

/// The first entry that failed verification.
#[derive(Debug, Clone, Serialize)]
pub struct BadEntry {
	/// Its index.
	pub index: u32,
	/// What is wrong.
	pub reason: String,
}

/// A replica repaired (or not) during verification.
#[derive(Debug, Clone, Serialize)]
pub struct Repair {
	/// The entry whose blob it was; `None` for the patient's profile.
	pub index: Option<u32>,
	/// The store.
	pub store: String,
	/// `repaired` or `repair_failed`.
	pub state: ReplicaState,
}

/// What `verify` found.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
	/// The patient.
	pub patient: String,
	/// The finalized block whose state was verified.
	pub block: u64,
	/// Entries in the chain (the genesis entry included): links, hashes, proofs of work and
	/// the head checked.
	pub entries: u32,
	/// Documents (entries after the genesis entry): ciphertext checked in every replica.
	pub documents: u32,
	/// Documents decrypted and checked against their content commitments.
	pub documents_decrypted: u32,
	/// Why documents were not decrypted (their content commitments unchecked), if some were
	/// not: no key given, or the key of an earlier epoch than theirs.
	pub not_decrypted: Option<String>,
	/// The first bad entry, if any.
	pub first_bad: Option<BadEntry>,
	/// What is wrong with the patient's profile blob, if anything.
	pub profile_error: Option<String>,
	/// Replicas repaired on the way.
	pub repaired: Vec<Repair>,
}

impl VerifyReport {
	/// Whether the whole chain (and the profile) verified.
	pub fn ok(&self) -> bool {
		self.first_bad.is_none() && self.profile_error.is_none()
	}
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

/// One event of the history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEvent {
	/// Block number.
	pub block: u64,
	/// Index of the event in the block.
	pub event_index: u32,
	/// The event's name.
	pub event: String,
	/// Its fields, accounts in SS58 and hashes in hex.
	pub fields: Vec<(String, String)>,
	#[serde(skip)]
	accounts: Vec<AccountId>,
	#[serde(skip)]
	emergency: Option<u64>,
}

fn describe(block: u64, event_index: u32, event: runtime::ehr::Event) -> HistoryEvent {
	use runtime::ehr::Event as E;
	let mut fields: Vec<(String, String)> = Vec::new();
	let mut accounts = Vec::new();
	let mut emergency = None;
	let mut account = |name: &str, who: AccountId, fields: &mut Vec<(String, String)>| {
		fields.push((name.into(), who.to_string()));
		accounts.push(who);
	};
	let name = match event {
		E::AdminAdded { admin, hospital } => {
			account("admin", admin, &mut fields);
			if let Some(hospital) = hospital {
				account("hospital", hospital, &mut fields);
			}
			"AdminAdded"
		},
		E::AdminRemoved { admin } => {
			account("admin", admin, &mut fields);
			"AdminRemoved"
		},
		E::ProfessionalRegistered { professional, kind, by } => {
			account("professional", professional, &mut fields);
			fields.push(("kind".into(), format!("{kind:?}")));
			account("by", by, &mut fields);
			"ProfessionalRegistered"
		},
		E::ProfessionalSuspended { professional, by } => {
			account("professional", professional, &mut fields);
			account("by", by, &mut fields);
			"ProfessionalSuspended"
		},
		E::ProfessionalReinstated { professional, by } => {
			account("professional", professional, &mut fields);
			account("by", by, &mut fields);
			"ProfessionalReinstated"
		},
		E::ProfessionalRemoved { professional, by } => {
			account("professional", professional, &mut fields);
			account("by", by, &mut fields);
			"ProfessionalRemoved"
		},
		E::PatientRegistered { patient, by, genesis_hash } => {
			account("patient", patient, &mut fields);
			account("by", by, &mut fields);
			fields.push(("genesis_hash".into(), hex32(&genesis_hash.0)));
			"PatientRegistered"
		},
		E::PatientKeyUpdated { patient } => {
			account("patient", patient, &mut fields);
			"PatientKeyUpdated"
		},
		E::PatientProfileUpdated { patient } => {
			account("patient", patient, &mut fields);
			"PatientProfileUpdated"
		},
		E::AccessGranted { patient, professional, scope, expires_at, key_epoch } => {
			account("patient", patient, &mut fields);
			account("professional", professional, &mut fields);
			fields.push(("scope".into(), format!("{scope:?}")));
			fields.push((
				"expires_at".into(),
				expires_at.map(|b| b.to_string()).unwrap_or_else(|| "never".into()),
			));
			fields.push(("key_epoch".into(), key_epoch.to_string()));
			"AccessGranted"
		},
		E::AccessRevoked { patient, professional, key_epoch } => {
			account("patient", patient, &mut fields);
			account("professional", professional, &mut fields);
			fields.push(("key_epoch".into(), key_epoch.to_string()));
			"AccessRevoked"
		},
		E::EmergencyAccessOpened { id, patient, professional, reason, expires_at } => {
			emergency = Some(id);
			fields.push(("id".into(), id.to_string()));
			account("patient", patient, &mut fields);
			account("professional", professional, &mut fields);
			fields.push(("reason".into(), format!("{reason:?}")));
			fields.push(("expires_at".into(), expires_at.to_string()));
			"EmergencyAccessOpened"
		},
		E::EmergencyAccessClosed { id, by } => {
			emergency = Some(id);
			fields.push(("id".into(), id.to_string()));
			account("by", by, &mut fields);
			"EmergencyAccessClosed"
		},
		E::EmergencyKeyReleased { id } => {
			emergency = Some(id);
			fields.push(("id".into(), id.to_string()));
			"EmergencyKeyReleased"
		},
		E::EmergencyAccessReviewed { id, by, outcome } => {
			emergency = Some(id);
			fields.push(("id".into(), id.to_string()));
			account("by", by, &mut fields);
			fields.push(("outcome".into(), format!("{outcome:?}")));
			"EmergencyAccessReviewed"
		},
		E::RecordAdded { patient, index, author, kind, hash, amends } => {
			account("patient", patient, &mut fields);
			fields.push(("index".into(), index.to_string()));
			account("author", author, &mut fields);
			fields.push(("kind".into(), format!("{kind:?}")));
			fields.push(("hash".into(), hex32(&hash.0)));
			if let Some(amends) = amends {
				fields.push(("amends".into(), amends.to_string()));
			}
			"RecordAdded"
		},
		E::RecordAccessed { patient, index, reader } => {
			account("patient", patient, &mut fields);
			fields.push(("index".into(), index.to_string()));
			account("reader", reader, &mut fields);
			"RecordAccessed"
		},
		E::DifficultySet { difficulty } => {
			fields.push(("difficulty".into(), difficulty.to_string()));
			"DifficultySet"
		},
		E::PatientSuspended { patient, by } => {
			account("patient", patient, &mut fields);
			account("by", by, &mut fields);
			"PatientSuspended"
		},
		E::PatientReinstated { patient, by } => {
			account("patient", patient, &mut fields);
			account("by", by, &mut fields);
			"PatientReinstated"
		},
		E::PatientRemoved { patient, by } => {
			account("patient", patient, &mut fields);
			account("by", by, &mut fields);
			"PatientRemoved"
		},
		E::InsuranceReleased { patient, by } => {
			account("patient", patient, &mut fields);
			account("by", by, &mut fields);
			"InsuranceReleased"
		},
		E::PatientAccountMoved { patient, account: moved_to, key_epoch } => {
			account("patient", patient, &mut fields);
			account("account", moved_to, &mut fields);
			fields.push(("key_epoch".into(), key_epoch.to_string()));
			"PatientAccountMoved"
		},
		E::RecordKeyRotated { patient, key_epoch } => {
			account("patient", patient, &mut fields);
			fields.push(("key_epoch".into(), key_epoch.to_string()));
			"RecordKeyRotated"
		},
		E::ProfileAccessed { patient, reader } => {
			account("patient", patient, &mut fields);
			account("reader", reader, &mut fields);
			"ProfileAccessed"
		},
		E::QuotasSet { quotas } => {
			fields.push(("window".into(), quotas.window.to_string()));
			fields.push(("admin".into(), quotas.admin.to_string()));
			fields.push(("professional".into(), quotas.professional.to_string()));
			fields.push(("patient".into(), quotas.patient.to_string()));
			"QuotasSet"
		},
		E::EmergencyPolicySet { policy } => {
			fields.push(("kinds".into(), format!("{:?}", policy.kinds.0)));
			fields.push(("writable".into(), format!("{:?}", policy.writable.0)));
			fields.push(("max_opens".into(), policy.max_opens.to_string()));
			fields.push(("period".into(), policy.period.to_string()));
			"EmergencyPolicySet"
		},
		E::EmergencyBarCleared { professional, by } => {
			account("professional", professional, &mut fields);
			account("by", by, &mut fields);
			"EmergencyBarCleared"
		},
	};
	HistoryEvent { block, event_index, event: name.into(), fields, accounts, emergency }
}

/// Totals and recent activity.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
	/// Latest finalized block.
	pub finalized_block: u64,
	/// Administrators.
	pub admins: u32,
	/// Professionals ever registered.
	pub professionals: u32,
	/// Professionals active now.
	pub active_professionals: u32,
	/// Patients.
	pub patients: u32,
	/// Record entries, genesis entries included.
	pub records: u64,
	/// Emergency accesses ever opened.
	pub emergency_accesses: u64,
	/// Emergency accesses not reviewed yet.
	pub unreviewed_emergency_accesses: u32,
	/// Proof-of-work difficulty in bits.
	pub difficulty: u8,
	/// The events of the last blocks, newest last.
	pub recent: Vec<HistoryEvent>,
}

impl Client {
	/// Every event of the pallet in blocks `from..=to` (the latest finalized block if `to` is
	/// `None`), or only those touching `subject` (as patient, professional, author, reader,
	/// admin or actor; emergency events through their access). Reading old blocks needs an
	/// archive node.
	pub async fn history(
		&self,
		subject: Option<&AccountId>,
		from: u64,
		to: Option<u64>,
	) -> Result<Vec<HistoryEvent>> {
		let last = self.chain.finalized_number().await?;
		let to = to.unwrap_or(last).min(last);
		if from > to {
			return Err(Error::Input(format!(
				"the range {from}..{to} is empty (the latest finalized block is {last})"
			)));
		}
		let bar = ProgressBar::new(to - from + 1);
		let mut out = Vec::new();
		let mut emergencies = std::collections::HashMap::new();
		for block in from..=to {
			bar.inc(1);
			for (index, event) in self.chain.ehr_events(block).await? {
				let event = describe(block, index, event);
				let touches = match subject {
					None => true,
					Some(who) => {
						event.accounts.contains(who)
							|| match event.emergency {
								Some(id) => {
									if let std::collections::hash_map::Entry::Vacant(slot) =
										emergencies.entry(id)
									{
										slot.insert(self.chain.emergency(id).await?);
									}
									emergencies.get(&id).and_then(|a| a.as_ref()).is_some_and(
										|a: &crate::chain::EmergencyAccess| {
											a.patient == *who || a.professional == *who
										},
									)
								},
								None => false,
							}
					},
				};
				if touches {
					out.push(event);
				}
			}
		}
		bar.finish_and_clear();
		Ok(out)
	}

	/// The dashboard: totals and the events of the last `blocks` blocks.
	pub async fn stats(&self, blocks: u64) -> Result<Stats> {
		let counts = self.chain.counts().await?;
		let last = self.chain.finalized_number().await?;
		let recent =
			self.history(None, last.saturating_sub(blocks.saturating_sub(1)), Some(last)).await?;
		Ok(Stats {
			finalized_block: last,
			admins: counts.admins,
			professionals: counts.professionals,
			active_professionals: counts.active_professionals,
			patients: counts.patients,
			records: counts.records,
			emergency_accesses: counts.emergency_accesses,
			unreviewed_emergency_accesses: counts.unreviewed_emergency_accesses,
			difficulty: counts.difficulty,
			recent,
		})
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

	#[test]
	fn mining_finds_a_nonce_the_pallet_accepts() {
		let body = Body {
			index: 1,
			prev_hash: H256([1; 32]),
			content_commitment: H256([2; 32]),
			ciphertext_hash: H256([3; 32]),
			locator: bounded(store::locator(&[3; 32])),
			kind: DocumentKind::Prescription,
			author: Identity::dev("Bob").unwrap().account(),
			specialty: bounded("cardiology"),
			key_epoch: 0,
			amends: None,
			timestamp: 1_700_000_000_000,
			nonce: 0,
			difficulty: 10,
		};
		let (nonce, hash) = mine(&body);
		let mined = Body { nonce, ..body };
		assert_eq!(body_hash(&mined), hash);
		assert!(pow::leading_zero_bits(&hash) >= 10);
	}

	#[test]
	fn oversized_and_missing_files_are_refused_before_anything_is_sent() {
		let dir = tempfile::tempdir().unwrap();
		let file = dir.path().join("doc");
		std::fs::write(&file, vec![0u8; 100]).unwrap();
		assert!(check_file(&file, 100).is_ok());
		assert!(matches!(check_file(&file, 99), Err(Error::FileTooLarge { size: 100, .. })));
		assert!(matches!(check_file(&dir.path().join("none"), 100), Err(Error::FileNotFound(_))));
		assert!(matches!(check_file(dir.path(), 100), Err(Error::FileNotFound(_))));
	}
}
