//! The consortium's decisions: motions its hospitals propose, vote on and close in the chain's
//! council.
//!
//! Whatever binds every hospital is a [`Decision`]: admitting and removing hospitals and
//! admins, the share of hospitals a motion needs, the proof-of-work difficulty, the quotas,
//! releasing a patient's escrowed key to an emergency reader, and runtime upgrades. A hospital
//! [`Client::propose`]s one (and votes aye on it); the others [`Client::vote`]; the vote that
//! settles it also closes it, and the chain carries it out if the ayes meet the consortium's
//! threshold. With one hospital (a development chain) a proposal is carried out at once.
//!
//! A hospital also names its own node ([`Client::set_node`]): the hospitals' nodes peer only
//! with each other.
//!
//! A motion works across runtime versions: this client may propose to, vote on and close
//! motions of a chain whose runtime is older or newer than the one it was built for, as long
//! as the call the motion carries is the same in both (an upgrade's approval always is).

use std::{fmt, sync::OnceLock};

use serde::Serialize;
use subxt::{utils::H256, Metadata};

use crate::{
	chain::{AccountId, Chain, Receipt},
	keys::Identity,
	ops::Client,
	runtime::{
		self,
		runtime_types::{
			ehr_runtime::RuntimeCall,
			pallet_consortium::{pallet::Call as ConsortiumCall, types::Threshold},
			pallet_ehr::{pallet::Call as EhrCall, types::Quotas},
		},
	},
	Error, Result,
};

/// What the consortium may decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
	/// Admit a hospital, by the account it votes with.
	AdmitHospital {
		/// Its voting account.
		hospital: AccountId,
		/// Its name.
		name: String,
		/// Its node, which the hospitals' nodes then let connect.
		node: NodeId,
	},
	/// Remove a hospital (never the last).
	RemoveHospital(AccountId),
	/// Require `ayes` of every `of` hospitals for a motion (more than half).
	SetThreshold {
		/// Ayes per `of` hospitals.
		ayes: u32,
		/// The hospitals counted against.
		of: u32,
	},
	/// Make an account an administrator.
	AddAdmin(AccountId),
	/// Remove an administrator (never the last).
	RemoveAdmin(AccountId),
	/// Set the proof-of-work difficulty of new entries, in leading zero bits.
	SetDifficulty(u8),
	/// Set how many transactions each role may send per window of blocks.
	SetQuotas {
		/// The window, in blocks.
		window: u32,
		/// An admin's (and a hospital's) quota.
		admin: u32,
		/// A professional's quota.
		professional: u32,
		/// A patient's quota.
		patient: u32,
	},
	/// Hand the professional of an open emergency access the patient's record key, sealed to
	/// it (see [`Client::key_release`]).
	ReleaseEmergencyKey {
		/// The emergency access.
		id: u64,
		/// The record key's seeds, sealed to the professional.
		envelope: Vec<u8>,
	},
	/// Make sessions last this many blocks: how long a node waits to join or leave the
	/// validators (two sessions at most).
	SetSessionLength(u32),
	/// Approve the runtime whose code has this BLAKE2-256 hash; anyone may then apply it with
	/// [`Client::apply_upgrade`].
	AuthorizeUpgrade {
		/// The hash of the runtime's code.
		code_hash: [u8; 32],
	},
}

impl Decision {
	/// The call the council dispatches when the motion passes.
	pub fn call(&self) -> RuntimeCall {
		let bounded = |bytes: &[u8]| {
			runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec(bytes.to_vec())
		};
		match self {
			Self::AdmitHospital { hospital, name, node } => {
				RuntimeCall::Consortium(ConsortiumCall::admit_hospital {
					hospital: *hospital,
					name: bounded(name.as_bytes()),
					node: node.into(),
				})
			},
			Self::RemoveHospital(hospital) => {
				RuntimeCall::Consortium(ConsortiumCall::remove_hospital { hospital: *hospital })
			},
			Self::SetThreshold { ayes, of } => {
				RuntimeCall::Consortium(ConsortiumCall::set_threshold {
					threshold: Threshold { ayes: *ayes, of: *of },
				})
			},
			Self::AddAdmin(admin) => RuntimeCall::Ehr(EhrCall::add_admin { admin: *admin }),
			Self::RemoveAdmin(admin) => RuntimeCall::Ehr(EhrCall::remove_admin { admin: *admin }),
			Self::SetDifficulty(difficulty) => {
				RuntimeCall::Ehr(EhrCall::set_difficulty { difficulty: *difficulty })
			},
			Self::SetQuotas { window, admin, professional, patient } => {
				RuntimeCall::Ehr(EhrCall::set_quotas {
					quotas: Quotas {
						window: *window,
						admin: *admin,
						professional: *professional,
						patient: *patient,
					},
				})
			},
			Self::ReleaseEmergencyKey { id, envelope } => {
				RuntimeCall::Ehr(EhrCall::release_emergency_key {
					id: *id,
					envelope: bounded(envelope),
				})
			},
			Self::SetSessionLength(blocks) => {
				RuntimeCall::Consortium(ConsortiumCall::set_session_length { blocks: *blocks })
			},
			Self::AuthorizeUpgrade { code_hash } => {
				RuntimeCall::Consortium(ConsortiumCall::authorize_upgrade {
					code_hash: H256(*code_hash),
				})
			},
		}
	}
}

/// In words, what a motion's call does.
pub fn describe_call(call: &RuntimeCall) -> String {
	match call {
		RuntimeCall::Consortium(ConsortiumCall::admit_hospital { hospital, name, node }) => {
			format!(
				"admit hospital {hospital} ({}) with node {}",
				String::from_utf8_lossy(&name.0),
				NodeId(node.0)
			)
		},
		RuntimeCall::Consortium(ConsortiumCall::remove_hospital { hospital }) => {
			format!("remove hospital {hospital}")
		},
		RuntimeCall::Consortium(ConsortiumCall::set_threshold { threshold }) => {
			format!("require {} of every {} hospitals", threshold.ayes, threshold.of)
		},
		RuntimeCall::Consortium(ConsortiumCall::set_session_length { blocks }) => {
			format!("make sessions last {blocks} blocks")
		},
		RuntimeCall::Consortium(ConsortiumCall::authorize_upgrade { code_hash }) => {
			format!("approve the runtime upgrade with code hash {code_hash:?}")
		},
		RuntimeCall::Ehr(EhrCall::add_admin { admin }) => format!("make {admin} an admin"),
		RuntimeCall::Ehr(EhrCall::remove_admin { admin }) => format!("remove admin {admin}"),
		RuntimeCall::Ehr(EhrCall::set_difficulty { difficulty }) => {
			format!("set the proof-of-work difficulty to {difficulty} bits")
		},
		RuntimeCall::Ehr(EhrCall::set_quotas { quotas }) => format!(
			"set quotas per {} blocks: admin {}, professional {}, patient {}",
			quotas.window, quotas.admin, quotas.professional, quotas.patient
		),
		RuntimeCall::Ehr(EhrCall::release_emergency_key { id, .. }) => {
			format!("release the patient's key to emergency access {id}")
		},
		other => format!("{other:?}"),
	}
}

/// A node's network identity: the public key of its network key, written as its peer id
/// (`12D3KooW…`, as `ehr-node key inspect-node-key` prints it and the node logs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeId(pub [u8; 32]);

/// What the bytes of an ed25519 key's peer id start with (an identity multihash of the key's
/// protobuf).
const ED25519_PEER_ID_PREFIX: [u8; 6] = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20];

impl NodeId {
	/// Reads a peer id as nodes write it.
	pub fn parse(text: &str) -> Result<Self> {
		let text = text.trim();
		bs58::decode(text)
			.into_vec()
			.ok()
			.and_then(|bytes| Some(Self(bytes.strip_prefix(&ED25519_PEER_ID_PREFIX[..])?.try_into().ok()?)))
			.ok_or_else(|| {
				Error::Input(format!(
					"`{text}` is no node's peer id (12D3KooW…: `ehr-node key inspect-node-key --file <its node key>` prints it)"
				))
			})
	}
}

impl fmt::Display for NodeId {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let bytes = [&ED25519_PEER_ID_PREFIX[..], &self.0[..]].concat();
		f.write_str(&bs58::encode(bytes).into_string())
	}
}

impl From<&NodeId> for runtime::runtime_types::pallet_consortium::types::NodeId {
	fn from(node: &NodeId) -> Self {
		Self(node.0)
	}
}

/// A motion open in the council.
#[derive(Debug, Clone, Serialize)]
pub struct Motion {
	/// Its hash, which votes name (hex).
	pub hash: String,
	/// Its index.
	pub index: u32,
	/// What it does, in words.
	pub proposal: String,
	/// Hospitals that voted aye.
	pub ayes: Vec<String>,
	/// Hospitals that voted nay.
	pub nays: Vec<String>,
	/// Ayes it needs to pass in the council.
	pub threshold: u32,
	/// The block after which anyone may close it; unvoted hospitals then count as nay.
	pub end: u32,
}

/// Where a motion stands after a proposal, a vote or a close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
	/// It waits for more votes.
	Open {
		/// Ayes so far.
		ayes: u32,
		/// Ayes it needs.
		threshold: u32,
	},
	/// It passed and its call was carried out. (A call the chain refused is an error:
	/// [`Error::Refused`].)
	Executed,
	/// It was closed without enough ayes.
	Disapproved,
	/// Another hospital closed it meanwhile (its events say how).
	Closed,
}

/// The receipt of a proposal, vote or close.
#[derive(Debug, Clone, Serialize)]
pub struct MotionReceipt {
	/// The last transaction sent.
	pub receipt: Receipt,
	/// The motion's hash (hex).
	pub hash: String,
	/// Where it stands.
	pub outcome: Outcome,
}

/// A hospital of the consortium.
#[derive(Debug, Clone, Serialize)]
pub struct HospitalView {
	/// The account it votes with.
	pub account: String,
	/// Its name.
	pub name: String,
	/// The block it was admitted in (0 for a founder).
	pub admitted_at: u32,
	/// Its node's peer id, if it named one.
	pub node: Option<String>,
}

/// The consortium: its hospitals and the share of them a motion needs.
#[derive(Debug, Clone, Serialize)]
pub struct ConsortiumView {
	/// Its hospitals.
	pub hospitals: Vec<HospitalView>,
	/// Ayes needed per `of` hospitals.
	pub threshold_ayes: u32,
	/// See `threshold_ayes`.
	pub threshold_of: u32,
	/// Ayes a motion needs now.
	pub ayes_needed: u32,
}

/// Parses a motion's hash as users copy it from `ehr consortium motions`.
pub fn parse_motion_hash(text: &str) -> Result<H256> {
	let digits = text.trim().trim_start_matches("0x");
	let bytes = hex::decode(digits)
		.ok()
		.and_then(|b| <[u8; 32]>::try_from(b).ok())
		.ok_or_else(|| Error::Input(format!("`{text}` is no motion hash (64 hex digits)")))?;
	Ok(H256(bytes))
}

impl Client {
	/// The consortium's hospitals and threshold, at the finalized block.
	pub async fn consortium(&self) -> Result<ConsortiumView> {
		self.chain.consortium().await
	}

	/// The motions open in the council.
	pub async fn motions(&self) -> Result<Vec<Motion>> {
		self.chain.motions().await
	}

	/// Proposes `decision` as `hospital`, to pass with the ayes the consortium's threshold
	/// needs now, and votes aye on it. With one hospital it is carried out at once.
	pub async fn propose(&self, hospital: &Identity, decision: &Decision) -> Result<MotionReceipt> {
		let chain = &self.chain;
		let seats = chain.seats().await?;
		if !seats.hospitals.contains(&hospital.account()) {
			return Err(Error::Denied(format!(
				"{} is not a hospital of the consortium: only hospitals propose",
				hospital.account()
			)));
		}
		let call = decision.call();
		chain.check_motion_call(&call).await?;
		let length = codec::Encode::encoded_size(&call) as u32;
		let hash = H256(blake2_256(&codec::Encode::encode(&call)));
		// The proposal's own type names every call of the runtime, so it differs between
		// runtime versions; what must match is the call it carries, checked above.
		let propose =
			runtime::tx().council().propose(seats.ayes_needed, call, length).unvalidated();
		let (receipt, events) =
			chain.send(hospital, &propose).await?.finalized_with_events().await?;
		if let Some(executed) = executed(&events, hash) {
			return self.settled(receipt, hash, executed).await;
		}
		self.vote(hospital, hash, true).await
	}

	/// Votes on motion `hash` as `hospital`; if that settles it (enough ayes, or too many nays
	/// for it ever to pass), also closes it.
	pub async fn vote(
		&self,
		hospital: &Identity,
		hash: H256,
		approve: bool,
	) -> Result<MotionReceipt> {
		let chain = &self.chain;
		let votes = chain.votes(hash).await?;
		let vote = runtime::tx().council().vote(hash, votes.index, approve);
		let receipt = chain.submit(hospital, &vote).await?;
		let Ok(votes) = chain.votes(hash).await else {
			return Ok(MotionReceipt { receipt, hash: hex_hash(hash), outcome: Outcome::Closed });
		};
		// The ayes the consortium needs now, which grow when hospitals join after the motion
		// was proposed: closing it with fewer would only see its call refused.
		let now = chain.seats().await?;
		let needed = votes.threshold.max(now.ayes_needed);
		let seats = now.hospitals.len() as u32;
		let ayes = votes.ayes.len() as u32;
		let nays = votes.nays.len() as u32;
		if ayes >= needed || nays > seats.saturating_sub(needed) {
			return self.close(hospital, hash).await;
		}
		Ok(MotionReceipt {
			receipt,
			hash: hex_hash(hash),
			outcome: Outcome::Open { ayes, threshold: needed },
		})
	}

	/// Closes motion `hash` as `hospital`: once it has its ayes, once it cannot get them, or
	/// once its time is up.
	pub async fn close(&self, hospital: &Identity, hash: H256) -> Result<MotionReceipt> {
		let chain = &self.chain;
		let votes = chain.votes(hash).await?;
		let (weight_bound, length) = chain.close_bounds(hash).await?;
		let close = runtime::tx().council().close(hash, votes.index, weight_bound, length);
		let (receipt, events) = chain.send(hospital, &close).await?.finalized_with_events().await?;
		let executed = executed(&events, hash).unwrap_or(Executed::Disapproved);
		self.settled(receipt, hash, executed).await
	}

	/// The receipt of a settled motion, or the chain's refusal of its call.
	async fn settled(
		&self,
		receipt: Receipt,
		hash: H256,
		executed: Executed,
	) -> Result<MotionReceipt> {
		let outcome = match executed {
			Executed::Ran(Ok(())) => Outcome::Executed,
			Executed::Disapproved => Outcome::Disapproved,
			Executed::Ran(Err(error)) => {
				let error = self.chain.dispatch_error_name(&error).await;
				let docs = if error == "BadOrigin" {
					"the motion passed the council, but its ayes do not meet the share of hospitals the consortium requires now"
				} else {
					"the motion passed the council, but the chain refused its call"
				};
				return Err(Error::Refused {
					call: format!("motion {}", hex_hash(hash)),
					error,
					docs: docs.into(),
				});
			},
		};
		Ok(MotionReceipt { receipt, hash: hex_hash(hash), outcome })
	}

	/// Makes the hospital's validator keys in the keystore of the node this client is
	/// connected to (the hospital's own validator, on this machine) and registers them for
	/// `hospital`, which the consortium must have admitted: its node validates from the session
	/// after next (within two sessions: twenty minutes by default) until the consortium removes
	/// the hospital.
	pub async fn set_node_keys(&self, hospital: &Identity) -> Result<Receipt> {
		let account = hospital.account();
		if !self.chain.seats().await?.hospitals.contains(&account) {
			return Err(Error::Denied(format!(
				"{account} is not a hospital of the consortium yet: its keys can be set once a motion admitted it (ehr consortium propose admit-hospital {account} --name …)"
			)));
		}
		let (keys, proof) = self.chain.rotate_node_keys(&account).await?;
		let keys = <runtime::runtime_types::ehr_runtime::SessionKeys as codec::Decode>::decode(
			&mut &keys[..],
		)
		.map_err(|e| Error::Chain(format!("the node made keys of another runtime: {e}")))?;
		let call = runtime::tx().session().set_keys(keys, proof);
		self.chain.submit(hospital, &call).await
	}

	/// Names `node` as `hospital`'s node, in place of the one before: the other hospitals'
	/// nodes let it connect (and drop the old one) from the next block on. Refused unless
	/// `hospital` is a hospital and no other hospital named that node.
	pub async fn set_node(&self, hospital: &Identity, node: &NodeId) -> Result<Receipt> {
		let account = hospital.account();
		if !self.chain.seats().await?.hospitals.contains(&account) {
			return Err(Error::Denied(format!(
				"{account} is not a hospital of the consortium: only hospitals name nodes"
			)));
		}
		let call = runtime::tx().consortium().set_node(node.into());
		self.chain.submit(hospital, &call).await
	}

	/// Applies the runtime `code` the consortium approved, as `who` (any member): the chain
	/// refuses code other than the approved, and a runtime that is not this chain's or whose
	/// spec version is not higher.
	pub async fn apply_upgrade(&self, who: &Identity, code: Vec<u8>) -> Result<Receipt> {
		let call = runtime::tx().system().apply_authorized_upgrade(code);
		let (receipt, events) = self.chain.send(who, &call).await?.finalized_with_events().await?;
		if let Some(Ok(rejected)) =
			events.find_first::<runtime::system::events::RejectedInvalidAuthorizedUpgrade>()
		{
			return Err(Error::Refused {
				call: receipt.call,
				error: format!("{:?}", rejected.error),
				docs: "the approved code is not a newer runtime of this chain; the approval is used up".into(),
			});
		}
		Ok(receipt)
	}
}

/// The chain's dispatch error, as generated from its metadata.
type DispatchError = runtime::runtime_types::sp_runtime::DispatchError;

/// What became of a motion that was settled in a block.
enum Executed {
	/// Its call ran, or the chain refused it.
	Ran(std::result::Result<(), DispatchError>),
	/// It was closed without enough ayes.
	Disapproved,
}

/// What happened to motion `hash` in a transaction's events, if it was settled.
fn executed(
	events: &subxt::extrinsics::ExtrinsicEvents<subxt::config::SubstrateConfig>,
	hash: H256,
) -> Option<Executed> {
	use runtime::council::events::{Disapproved, Executed as Ran};
	for event in events.find::<Ran>().flatten() {
		if event.proposal_hash == hash {
			return Some(Executed::Ran(event.result));
		}
	}
	events
		.find::<Disapproved>()
		.flatten()
		.any(|event| event.proposal_hash == hash)
		.then_some(Executed::Disapproved)
}

/// BLAKE2-256, the chain's hash of calls and runtime code.
pub fn blake2_256(bytes: &[u8]) -> [u8; 32] {
	<sp_core::Blake2Hasher as sp_core::Hasher>::hash(bytes).0
}

fn hex_hash(hash: H256) -> String {
	format!("0x{}", hex::encode(hash.0))
}

/// The metadata this client was generated from.
fn own_metadata() -> Result<&'static Metadata> {
	static METADATA: OnceLock<std::result::Result<Metadata, String>> = OnceLock::new();
	METADATA
		.get_or_init(|| {
			Metadata::decode_from(include_bytes!("../artifacts/ehr.scale"))
				.map_err(|e| e.to_string())
		})
		.as_ref()
		.map_err(|e| Error::Chain(format!("this client's own metadata does not decode: {e}")))
}

/// Whether the runtime of `node` knows `call` as this client's runtime does: the same pallet
/// and call at the same indices, with the same argument types.
fn knows_call(node: &Metadata, call: &[u8]) -> Result<()> {
	let ours = own_metadata()?;
	let (Some(&pallet_index), Some(&call_index)) = (call.first(), call.get(1)) else {
		return Err(Error::Input("an empty call".into()));
	};
	let pallet = ours.pallet_by_call_index(pallet_index);
	let name = pallet.and_then(|p| Some((p, p.call_variant_by_index(call_index)?.name.clone())));
	let Some((pallet, name)) = name else {
		return Err(Error::Input("a motion's call that this client does not know".into()));
	};
	let theirs = node.pallet_by_name(pallet.name());
	let same = theirs.is_some_and(|theirs| {
		theirs.call_index() == pallet_index
			&& theirs.call_variant_by_name(&name).is_some_and(|v| v.index == call_index)
			&& theirs.call_hash(&name) == pallet.call_hash(&name)
	});
	if !same {
		return Err(Error::Chain(format!(
			"the chain's runtime has another {}.{name} than this client: use the `ehr` of the chain's runtime version",
			pallet.name()
		)));
	}
	Ok(())
}

/// The hospitals (their accounts) and the ayes a motion needs now.
pub(crate) struct Seats {
	hospitals: Vec<AccountId>,
	ayes_needed: u32,
}

/// The votes on an open motion.
pub(crate) struct Votes {
	index: u32,
	threshold: u32,
	ayes: Vec<AccountId>,
	nays: Vec<AccountId>,
}

impl Chain {
	/// A dispatch error's name: the pallet's name for its error (from the chain's metadata),
	/// or the kind of error.
	async fn dispatch_error_name(&self, error: &DispatchError) -> String {
		if let DispatchError::Module(module) = error {
			if let Ok(at) = self.finalized().await {
				let name = at
					.metadata_ref()
					.pallet_by_error_index(module.index)
					.and_then(|pallet| pallet.error_variant_by_index(module.error[0]))
					.map(|variant| variant.name.clone());
				if let Some(name) = name {
					return name;
				}
			}
		}
		let debug = format!("{error:?}");
		debug.split([' ', '(', '{']).next().unwrap_or(&debug).to_string()
	}

	/// Refuses `call` as a motion's if the chain's runtime does not know it as this client does.
	async fn check_motion_call(&self, call: &RuntimeCall) -> Result<()> {
		let at = self.finalized().await?;
		knows_call(at.metadata_ref(), &codec::Encode::encode(call))
	}

	/// The hospitals and the ayes a motion needs, read from what every runtime version of
	/// the consortium keeps alike.
	async fn seats(&self) -> Result<Seats> {
		let at = self.finalized().await?;
		let hospitals = self.value_at(&at, runtime::storage().consortium().members()).await?;
		let ayes_needed =
			self.view_at(&at, runtime::view_functions().consortium().ayes_needed()).await?;
		Ok(Seats { hospitals: hospitals.map(|m| m.0).unwrap_or_default(), ayes_needed })
	}

	/// The consortium's hospitals and threshold.
	pub async fn consortium(&self) -> Result<ConsortiumView> {
		let at = self.finalized().await?;
		let mut hospitals: Vec<HospitalView> = self
			.all_at(&at, runtime::storage().consortium().hospitals())
			.await?
			.into_iter()
			.map(|(account, hospital)| HospitalView {
				account: account.to_string(),
				name: String::from_utf8_lossy(&hospital.name.0).into(),
				admitted_at: hospital.admitted_at,
				node: hospital.node.map(|node| NodeId(node.0).to_string()),
			})
			.collect();
		hospitals.sort_by(|a, b| a.account.cmp(&b.account));
		let threshold = self
			.value_at(&at, runtime::storage().consortium().approval_threshold())
			.await?
			.unwrap_or(Threshold { ayes: 2, of: 3 });
		let ayes_needed =
			self.view_at(&at, runtime::view_functions().consortium().ayes_needed()).await?;
		Ok(ConsortiumView {
			hospitals,
			threshold_ayes: threshold.ayes,
			threshold_of: threshold.of,
			ayes_needed,
		})
	}

	/// The motions open in the council.
	pub async fn motions(&self) -> Result<Vec<Motion>> {
		let at = self.finalized().await?;
		let hashes = self.value_at(&at, runtime::storage().council().proposals()).await?;
		let mut motions = Vec::new();
		for hash in hashes.map(|h| h.0).unwrap_or_default() {
			let proposal =
				self.entry_at(&at, runtime::storage().council().proposal_of(), (hash,)).await?;
			let votes = self.entry_at(&at, runtime::storage().council().voting(), (hash,)).await?;
			let (Some(proposal), Some(votes)) = (proposal, votes) else { continue };
			motions.push(Motion {
				hash: hex_hash(hash),
				index: votes.index,
				proposal: describe_call(&proposal),
				ayes: votes.ayes.iter().map(ToString::to_string).collect(),
				nays: votes.nays.iter().map(ToString::to_string).collect(),
				threshold: votes.threshold,
				end: votes.end,
			});
		}
		motions.sort_by_key(|m| m.index);
		Ok(motions)
	}

	/// The votes on open motion `hash`.
	async fn votes(&self, hash: H256) -> Result<Votes> {
		let at = self.finalized().await?;
		let votes = self
			.entry_at(&at, runtime::storage().council().voting(), (hash,))
			.await?
			.ok_or_else(|| {
				Error::NotFound(format!(
					"no open motion {} (it may have been closed already: see `ehr consortium motions`)",
					hex_hash(hash)
				))
			})?;
		Ok(Votes {
			index: votes.index,
			threshold: votes.threshold,
			ayes: votes.ayes,
			nays: votes.nays,
		})
	}

	/// What closing motion `hash` must allow for: the weight of any motion's call (the
	/// council's `MaxProposalWeight`, which the chain charges only as used) and the length of
	/// this one's.
	async fn close_bounds(
		&self,
		hash: H256,
	) -> Result<(runtime::runtime_types::sp_weights::weight_v2::Weight, u32)> {
		let at = self.finalized().await?;
		// Only its length counts, so the call is not decoded: it may be of another runtime
		// version than this client's.
		let proposal = runtime::storage().council().proposal_of().unvalidated();
		let proposal =
			at.storage().try_fetch(proposal, (hash,)).await.map_err(crate::chain::query_error)?;
		let length = proposal
			.map(|p| p.bytes().len() as u32)
			.ok_or_else(|| Error::NotFound(format!("no open motion {}", hex_hash(hash))))?;
		let weight = self.constant_at(&at, runtime::constants().council().max_proposal_weight())?;
		Ok((weight, length))
	}
}
