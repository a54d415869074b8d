//! Verifying a patient's chain as one finalized block has it, and the stores' replicas of its
//! documents, repairing bad ones on the way.

use std::{fs::File, io::BufReader};

use indicatif::ProgressBar;
use serde::Serialize;

use crate::{
	access::{reader_seed, Use},
	chain::{body_hash, AccountId, RecordEntry},
	client::Client,
	crypto,
	keys::Identity,
	pow,
	seeds::RecordSeeds,
	store::{self, ReplicaState},
	Result,
};

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

impl Client {
	/// Walks `patient`'s whole chain as one finalized block has it: indexes, links, hashes,
	/// proofs of work, the head, ciphertext hashes in every replica (repairing bad ones), and,
	/// for the documents `reader`'s key opens, content commitments. Stops at the first bad
	/// entry; the report says what was checked and what was not.
	pub async fn verify(
		&self,
		patient: &AccountId,
		reader: Option<&Identity>,
	) -> Result<VerifyReport> {
		let state = self.chain.state().await?;
		let record = state.registered_patient(patient).await?;
		let entries = state.entries(patient).await?;
		let (seed, no_key) = match reader {
			Some(reader) => match reader_seed(&state, reader, patient, Use::Read).await {
				Ok(seed) => (Some(seed), None),
				Err(e) => (None, Some(e.to_string())),
			},
			None => (None, Some("no reader was given (--as)".to_string())),
		};
		let mut report = VerifyReport {
			patient: patient.to_string(),
			block: state.number(),
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
