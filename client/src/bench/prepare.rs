//! A load's transactions, made and signed before the clock starts: each patient's entries
//! linked to its chain's head and mined here, each sender's nonces counted here, every
//! transaction valid for the same span of blocks.

use std::time::{SystemTime, UNIX_EPOCH};

use subxt::{
	config::DefaultExtrinsicParamsBuilder, rpcs::rpc_params, transactions::Payload, utils::H256,
	SubstrateConfig,
};

use super::cast::Cast;
use crate::{
	chain::{query_error, Body, BoundedVec, DocumentKind, EntryInput},
	client::Client,
	crypto::{self, Secret32},
	documents::mine_on,
	keys::Identity,
	runtime, store,
	views::bounded,
	Error, Result,
};

/// Blocks a load's transactions stay valid for, from the block they are made at: long enough
/// for any load a node takes (the runtime keeps 2,400 block hashes).
const VALID_FOR: u64 = 1024;

/// What a load's transactions do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoadCall {
	/// Each adds an entry to a patient's chain (`Ehr.add_record`), as a document upload does.
	AddRecord,
	/// Each adds up to this many entries to one patient's chain (`Ehr.add_records`), as the
	/// upload of a study of many images does.
	AddRecords(u32),
	/// Each logs a professional's read of a patient's first entry (`Ehr.log_access`): the
	/// cheapest call a member sends, the yardstick the others are measured against.
	LogAccess,
}

impl LoadCall {
	/// The call, as `Pallet.call`.
	pub fn name(self) -> &'static str {
		match self {
			Self::AddRecord => "Ehr.add_record",
			Self::AddRecords(_) => "Ehr.add_records",
			Self::LogAccess => "Ehr.log_access",
		}
	}

	/// The event (pallet, name) a transaction emits for each thing it did.
	pub(crate) fn done_event(self) -> (&'static str, &'static str) {
		match self {
			Self::AddRecord | Self::AddRecords(_) => ("Ehr", "RecordAdded"),
			Self::LogAccess => ("Ehr", "RecordAccessed"),
		}
	}

	/// How many things (entries, reads) one transaction does at most.
	fn per_transaction(self) -> usize {
		match self {
			Self::AddRecords(batch) => batch.max(1) as usize,
			Self::AddRecord | Self::LogAccess => 1,
		}
	}
}

/// An entry as `add_record` takes it.
type Input = EntryInput<BoundedVec<u8>>;

/// A signed transaction, ready to send.
pub(crate) struct Prepared {
	/// Its hash.
	pub hash: H256,
	/// Its bytes, as the node's RPC takes them (`0x` and hex).
	pub hex: String,
}

/// One sender's transactions, in nonce order.
pub(crate) type Queue = Vec<Prepared>;

impl Client {
	/// Makes and signs transactions of `call` that do `count` things (entries added, reads
	/// logged), spread evenly over `cast`'s patients, each sent by the professional that
	/// registered the patient: one queue per professional.
	pub(crate) async fn prepare_load(
		&self,
		cast: &Cast,
		call: LoadCall,
		count: usize,
	) -> Result<Vec<Queue>> {
		let at = self.chain.finalized().await?;
		let patients = cast.patients.len();
		if patients == 0 {
			return Err(Error::Input("a load needs at least one patient".into()));
		}
		let mut per_patient: Vec<usize> = vec![count / patients; patients];
		for n in per_patient.iter_mut().take(count % patients) {
			*n += 1;
		}
		// Each patient's entries, in its chain's order, cut into one transaction's share each.
		let chunks: Vec<Vec<Vec<(Input, H256)>>> = match call {
			LoadCall::AddRecord | LoadCall::AddRecords(_) => self
				.mined_entries(cast, &per_patient)
				.await?
				.into_iter()
				.map(|entries| entries.chunks(call.per_transaction()).map(<[_]>::to_vec).collect())
				.collect(),
			LoadCall::LogAccess => {
				per_patient.iter().map(|n| (0..*n).map(|_| Vec::new()).collect()).collect()
			},
		};
		let mut queues = Vec::with_capacity(cast.professionals.len());
		for (p, professional) in cast.professionals.iter().enumerate() {
			let mine: Vec<usize> = (0..patients).filter(|i| cast.patients[*i].1 == p).collect();
			let rounds = mine.iter().map(|i| chunks[*i].len()).max().unwrap_or(0);
			let mut nonce: u64 = self
				.chain
				.rpc()
				.request("system_accountNextIndex", rpc_params![professional.account().to_string()])
				.await
				.map_err(query_error)?;
			let mut queue = Vec::new();
			// Round by round over the professional's patients, so every block holds many
			// patients' entries, each patient's in its chain's order.
			for round in 0..rounds {
				for &i in mine.iter().filter(|i| chunks[**i].len() > round) {
					let patient = cast.patients[i].0.account();
					let share = &chunks[i][round];
					let prepared = match call {
						LoadCall::AddRecord => {
							let (entry, hash) = share[0].clone();
							let call = runtime::tx().ehr().add_record(patient, entry, hash);
							sign(&at, professional, nonce, &call)?
						},
						LoadCall::AddRecords(_) => {
							let call =
								runtime::tx().ehr().add_records(patient, BoundedVec(share.clone()));
							sign(&at, professional, nonce, &call)?
						},
						LoadCall::LogAccess => {
							let call = runtime::tx().ehr().log_access(patient, 0);
							sign(&at, professional, nonce, &call)?
						},
					};
					queue.push(prepared);
					nonce += 1;
				}
			}
			queues.push(queue);
		}
		Ok(queues)
	}

	/// For each patient of `cast`, `per_patient` entries linked to its chain's head and mined,
	/// on every core.
	async fn mined_entries(
		&self,
		cast: &Cast,
		per_patient: &[usize],
	) -> Result<Vec<Vec<(Input, H256)>>> {
		let state = self.chain.state().await?;
		let difficulty = state.counts().await?.difficulty;
		let salt = Secret32::random()?;
		let timestamp = SystemTime::now()
			.duration_since(UNIX_EPOCH)
			.map(|d| d.as_millis() as u64)
			.unwrap_or_default();
		let mut chains = Vec::with_capacity(cast.patients.len());
		for (i, (patient, by)) in cast.patients.iter().enumerate() {
			let author = cast.professionals[*by].account();
			let specialty = state
				.professional(&author)
				.await?
				.ok_or_else(|| Error::NotRegistered {
					who: author.to_string(),
					role: "professional",
				})?
				.specialty;
			let record = state.registered_patient(&patient.account()).await?;
			let entries = (0..per_patient[i] as u32)
				.map(|k| {
					// Stand-ins for a document's hashes: unique, and no document is stored.
					let id = (salt.0, patient.account().0, record.record_count + k);
					let ciphertext = crypto::sha256(&codec::Encode::encode(&id));
					Body {
						index: record.record_count + k,
						prev_hash: record.head,
						content_commitment: H256(crypto::sha256(&ciphertext)),
						ciphertext_hash: H256(ciphertext),
						locator: bounded(store::locator(&ciphertext)),
						kind: DocumentKind::LabResult,
						author,
						specialty: specialty.clone(),
						key_epoch: record.key_epoch,
						amends: None,
						timestamp,
						nonce: 0,
						difficulty,
					}
				})
				.collect::<Vec<_>>();
			chains.push(entries);
		}
		mine_chains(chains)
	}
}

/// One thread's mined chains: each patient's place, and its entries.
type MinedLane = Vec<(usize, Vec<(Input, H256)>)>;

/// Mines each chain of `chains` in order (an entry links to the one before), the chains side
/// by side on every core.
fn mine_chains(chains: Vec<Vec<Body>>) -> Result<Vec<Vec<(Input, H256)>>> {
	let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	let mut out: Vec<Vec<(Input, H256)>> = chains.iter().map(|_| Vec::new()).collect();
	let mut lanes: Vec<Vec<(usize, Vec<Body>)>> = (0..threads).map(|_| Vec::new()).collect();
	for (i, chain) in chains.into_iter().enumerate() {
		lanes[i % threads].push((i, chain));
	}
	let mined: Vec<std::result::Result<MinedLane, ()>> = std::thread::scope(|scope| {
		let handles: Vec<_> = lanes
			.into_iter()
			.map(|lane| {
				scope.spawn(move || {
					lane.into_iter().map(|(i, chain)| (i, mine_chain(chain))).collect::<Vec<_>>()
				})
			})
			.collect();
		handles.into_iter().map(|h| h.join().map_err(|_| ())).collect::<Vec<_>>()
	});
	for lane in mined {
		let lane =
			lane.map_err(|()| Error::Io(std::io::Error::other("a mining thread stopped")))?;
		for (patient, entries) in lane {
			out[patient] = entries;
		}
	}
	Ok(out)
}

/// Mines one patient's entries, each linked to the one mined before it, as `add_record` takes
/// them.
fn mine_chain(chain: Vec<Body>) -> Vec<(Input, H256)> {
	let mut prev = None;
	chain
		.into_iter()
		.map(|mut body| {
			if let Some(hash) = prev {
				body.prev_hash = H256(hash);
			}
			let (nonce, hash) = mine_on(&body, 1);
			body.nonce = nonce;
			prev = Some(hash);
			let input = EntryInput {
				index: body.index,
				prev_hash: body.prev_hash,
				content_commitment: body.content_commitment,
				ciphertext_hash: body.ciphertext_hash,
				locator: body.locator,
				kind: body.kind,
				key_epoch: body.key_epoch,
				amends: body.amends,
				timestamp: body.timestamp,
				nonce: body.nonce,
				difficulty: body.difficulty,
			};
			(input, H256(hash))
		})
		.collect()
}

/// `call` signed by `signer` with `nonce`, valid for [`VALID_FOR`] blocks from block `at`.
fn sign<C: Payload>(
	at: &crate::chain::Block,
	signer: &Identity,
	nonce: u64,
	call: &C,
) -> Result<Prepared> {
	let params = DefaultExtrinsicParamsBuilder::<SubstrateConfig>::new()
		.nonce(nonce)
		.mortal_from_unchecked(VALID_FOR, at.block_number(), at.block_hash())
		.build();
	let cannot = |e: subxt::error::ExtrinsicError| {
		Error::Chain(format!("cannot build {}.{}: {e}", call.pallet_name(), call.call_name()))
	};
	let signed = at
		.tx()
		.create_signable_offline(call, params)
		.map_err(cannot)?
		.sign(signer)
		.map_err(cannot)?;
	Ok(Prepared { hash: signed.hash(), hex: format!("0x{}", hex::encode(signed.encoded())) })
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::chain::{body_hash, AccountId};

	fn unmined(index: u32) -> Body {
		Body {
			index,
			prev_hash: H256([9; 32]),
			content_commitment: H256([index as u8; 32]),
			ciphertext_hash: H256([index as u8; 32]),
			locator: bounded("sha256/00"),
			kind: DocumentKind::LabResult,
			author: AccountId::from([1u8; 32]),
			specialty: bounded("general"),
			key_epoch: 0,
			amends: None,
			timestamp: 1_700_000_000_000,
			nonce: 0,
			difficulty: 6,
		}
	}

	#[test]
	fn each_patients_entries_link_to_the_one_before_and_meet_the_difficulty() {
		// An empty chain between two others, and more chains than cores.
		let chains = vec![vec![unmined(1), unmined(2)], vec![], vec![unmined(1)], vec![unmined(5)]];
		let mined = mine_chains(chains).expect("mined");
		assert_eq!(mined.iter().map(Vec::len).collect::<Vec<_>>(), [2, 0, 1, 1]);
		assert_eq!(mined[3][0].0.index, 5);
		let (first, first_hash) = &mined[0][0];
		let (second, _) = &mined[0][1];
		assert_eq!(first.prev_hash, H256([9; 32]), "the first links to the chain's head");
		assert_eq!(second.prev_hash, *first_hash, "the next to the one before");
		for (entry, hash) in mined.iter().flatten() {
			let body = Body {
				index: entry.index,
				prev_hash: entry.prev_hash,
				content_commitment: entry.content_commitment,
				ciphertext_hash: entry.ciphertext_hash,
				locator: entry.locator.clone(),
				kind: entry.kind.clone(),
				author: AccountId::from([1u8; 32]),
				specialty: bounded("general"),
				key_epoch: entry.key_epoch,
				amends: entry.amends,
				timestamp: entry.timestamp,
				nonce: entry.nonce,
				difficulty: entry.difficulty,
			};
			assert_eq!(H256(body_hash(&body)), *hash);
			assert!(crate::pow::leading_zero_bits(&hash.0) >= 6);
		}
	}
}
