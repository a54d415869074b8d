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

mod decision;
mod escrow;
mod node;
mod state;

pub use decision::{describe_call, Decision};
pub use node::{NodeId, NodeKey, NodeProof};

use serde::Serialize;
use subxt::utils::H256;

use crate::{
	chain::{AccountId, Receipt},
	client::Client,
	keys::Identity,
	runtime, Error, Result,
};

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
		self.chain.state().await?.consortium().await
	}

	/// The motions open in the council.
	pub async fn motions(&self) -> Result<Vec<Motion>> {
		self.chain.state().await?.motions().await
	}

	/// Proposes `decision` as `hospital`, to pass with the ayes the consortium's threshold
	/// needs now, and votes aye on it. With one hospital it is carried out at once.
	pub async fn propose(&self, hospital: &Identity, decision: &Decision) -> Result<MotionReceipt> {
		let chain = &self.chain;
		// Who may propose, and how many ayes the motion needs, as of one block.
		let state = chain.state().await?;
		let seats = state.seats().await?;
		if !seats.hospitals.contains(&hospital.account()) {
			return Err(Error::Denied(format!(
				"{} is not a hospital of the consortium: only hospitals propose",
				hospital.account()
			)));
		}
		let call = decision.call();
		state.check_motion_call(&call)?;
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
		let votes = chain.state().await?.votes(hash).await?;
		let vote = runtime::tx().council().vote(hash, votes.index, approve);
		let receipt = chain.submit(hospital, &vote).await?;
		// The motion's votes and the consortium's seats after the vote, as of one block.
		let after = chain.state().await?;
		let Ok(votes) = after.votes(hash).await else {
			return Ok(MotionReceipt { receipt, hash: hex_hash(hash), outcome: Outcome::Closed });
		};
		// The ayes the consortium needs now, which grow when hospitals join after the motion
		// was proposed: closing it with fewer would only see its call refused.
		let now = after.seats().await?;
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
		let state = chain.state().await?;
		let votes = state.votes(hash).await?;
		let (weight_bound, length) = state.close_bounds(hash).await?;
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
	/// the hospital. Waits (five minutes at most) until the node follows the chain, which a
	/// joining hospital's node does only once its hospital was admitted.
	pub async fn set_node_keys(&self, hospital: &Identity) -> Result<Receipt> {
		let account = hospital.account();
		self.chain.wait_until_following(std::time::Duration::from_secs(300)).await?;
		if !self.chain.state().await?.seats().await?.hospitals.contains(&account) {
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

	/// The proof, signed with a node's network `key`, that its node may be `hospital`'s on
	/// this chain: what a motion admitting the hospital carries with its node.
	pub fn node_proof(&self, key: &NodeKey, hospital: &AccountId) -> NodeProof {
		key.prove(self.chain.genesis_hash(), hospital)
	}

	/// Names the node of network `key` as `hospital`'s node, in place of the one before: the
	/// other hospitals' nodes let it connect (and drop the old one) as they import the block.
	/// Refused unless `hospital` is a hospital and no other hospital named that node.
	pub async fn set_node(&self, hospital: &Identity, key: &NodeKey) -> Result<Receipt> {
		self.ensure_hospital(hospital, "name nodes").await?;
		let proof = self.node_proof(key, &hospital.account());
		let call = runtime::tx().consortium().set_node((&key.node()).into(), proof.0);
		self.chain.submit(hospital, &call).await
	}

	/// Makes `admin` an administrator of `hospital`, signed by the hospital: it then registers
	/// and manages the hospital's staff, the patients they register and their emergency
	/// accesses. Refused unless `hospital` is a hospital of the consortium.
	pub async fn appoint_admin(&self, hospital: &Identity, admin: &AccountId) -> Result<Receipt> {
		self.ensure_hospital(hospital, "appoint admins").await?;
		self.chain.submit(hospital, &runtime::tx().ehr().appoint_admin(*admin)).await
	}

	/// Removes `admin`, one of `hospital`'s own administrators, signed by the hospital; the
	/// consortium's admins and other hospitals' are removed only by the consortium's vote.
	pub async fn dismiss_admin(&self, hospital: &Identity, admin: &AccountId) -> Result<Receipt> {
		self.ensure_hospital(hospital, "dismiss admins").await?;
		self.chain.submit(hospital, &runtime::tx().ehr().dismiss_admin(*admin)).await
	}

	/// Refuses, with what to do instead, unless `hospital` is a hospital of the consortium.
	async fn ensure_hospital(&self, hospital: &Identity, what: &str) -> Result<()> {
		let account = hospital.account();
		if self.chain.state().await?.seats().await?.hospitals.contains(&account) {
			return Ok(());
		}
		Err(Error::Denied(format!(
			"{account} is not a hospital of the consortium: only hospitals {what} (sign with the hospital's account key)"
		)))
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

	/// Upgrades a development chain to the runtime `code` with its sudo key (`scripts/dev.sh`
	/// keeps one; no consortium's chain has one): no vote, no approval.
	pub async fn sudo_upgrade(&self, sudo: &Identity, code: Vec<u8>) -> Result<Receipt> {
		if !self.chain.is_development() {
			return Err(Error::Denied(
				"only a development chain has a sudo key: a consortium upgrades by its vote".into(),
			));
		}
		let set_code = runtime::runtime_types::ehr_runtime::RuntimeCall::System(
			runtime::runtime_types::frame_system::pallet::Call::set_code { code },
		);
		// The call's own weight is a whole block's: sudo's weight-checked variant would refuse
		// it.
		let weight =
			runtime::runtime_types::sp_weights::weight_v2::Weight { ref_time: 0, proof_size: 0 };
		let call = runtime::tx().sudo().sudo_unchecked_weight(set_code, weight).unvalidated();
		self.chain.submit(sudo, &call).await
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
