//! What a health professional does with its patients' records: its patients ("my patients")
//! and adding documents (new ones, or amendments of earlier ones) under a read-write grant.

use std::{
	path::PathBuf,
	time::{SystemTime, UNIX_EPOCH},
};

use serde::Serialize;
use subxt::utils::H256;

use crate::{
	access::{grant_is_live, reader_seed, Use},
	chain::{AccountId, Body, BoundedVec, DocumentKind, EntryInput, RecordEntry},
	client::Client,
	crypto,
	documents::{check_file, mine, progress, seal_file},
	keys::Identity,
	runtime, store,
	views::{bounded, EntryView, GrantView},
	Error, Result,
};

/// One document added.
#[derive(Debug, Clone, Serialize)]
pub struct Added {
	/// The entry.
	pub entry: EntryView,
	/// Whether the document was already in the chain (a retry), so nothing new was added.
	pub already_recorded: bool,
}

impl Client {
	/// "My patients": the patients that granted `professional`.
	pub async fn my_patients(&self, professional: &AccountId) -> Result<Vec<GrantView>> {
		let state = self.chain.state().await?;
		// Live in the block a transaction sent now lands in at the earliest.
		let at = state.number() + 1;
		let mut out = Vec::new();
		for (patient, grant) in state.patients_of(professional).await? {
			let expires_around = match grant.expires_at {
				Some(block) => Some(state.time_of_block(block).await?),
				None => None,
			};
			out.push(GrantView {
				account: patient.to_string(),
				name: None,
				scope: format!("{:?}", grant.scope),
				expires_at: grant.expires_at,
				expires_around,
				key_epoch: grant.key_epoch,
				granted_at: grant.granted_at,
				live: grant_is_live(&grant, at),
			});
		}
		Ok(out)
	}

	/// Adds documents to `patient`'s chain, each amending `amends` if given: several in one
	/// transaction (`add_records`), as many as the runtime takes in one call. Returns the
	/// entries, with the blocks they were finalized in.
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
		let state = self.chain.state().await?;
		let record = state.registered_patient(patient).await?;
		// The runtime decides who may add what; every file's kind is asked about.
		let mut seeds = Err(Error::Input("no file to add".into()));
		for (_, kind) in files {
			seeds = Ok(reader_seed(&state, author, patient, Use::Add(kind.clone())).await?);
		}
		let seeds = seeds?;
		let professional = state.professional(&author.account()).await?.ok_or_else(|| {
			Error::NotRegistered { who: author.account().to_string(), role: "professional" }
		})?;
		let grant_epoch = seeds.epoch();
		if grant_epoch != record.key_epoch {
			return Err(Error::Denied(format!(
				"the key you hold for {patient} is of epoch {grant_epoch} but the patient is at epoch {}: ask the patient to grant you again",
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
		let existing = state.entries(patient).await?;
		let difficulty = state.counts().await?.difficulty;

		let mut out = Vec::new();
		// Every document sealed and stored first; then the entries, dated once all are
		// stored, so a long upload cannot leave the first too old for the chain.
		let mut stored = Vec::new();
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
			stored.push((sealed, kind));
		}
		let timestamp = SystemTime::now()
			.duration_since(UNIX_EPOCH)
			.map(|d| d.as_millis() as u64)
			.unwrap_or_default();
		let mut prev = record.head.0;
		let mut new = Vec::new();
		for (index, (sealed, kind)) in (record.record_count..).zip(stored) {
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
			new.push((input, body, hash));
			prev = hash;
		}
		// One transaction for as many new entries as the runtime takes in one call.
		let mut pending = Vec::new();
		for batch in new.chunks(state.max_batch_entries()?.max(1)) {
			let tx = match batch {
				[(input, _, hash)] => {
					let call = runtime::tx().ehr().add_record(*patient, input.clone(), H256(*hash));
					self.chain.send(author, &call).await?
				},
				_ => {
					let entries = batch.iter().map(|(input, _, hash)| (input.clone(), H256(*hash)));
					let call =
						runtime::tx().ehr().add_records(*patient, BoundedVec(entries.collect()));
					self.chain.send(author, &call).await?
				},
			};
			pending.push((tx, batch));
		}
		for (tx, batch) in pending {
			let receipt = tx.finalized().await?;
			for (_, body, hash) in batch {
				let entry = RecordEntry {
					body: body.clone(),
					hash: H256(*hash),
					block: receipt.block as u32,
				};
				out.push(Added { entry: EntryView::new(patient, &entry), already_recorded: false });
			}
		}
		Ok(out)
	}
}
