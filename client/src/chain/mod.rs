//! The connection to a node: the finalized block to read (as a [`crate::state::State`]) and
//! transactions that wait for finality.
//!
//! A chain whose finality has stalled still makes blocks, and its consortium must decide in
//! them how to recover (`note_stalled`). [`Follow::Best`] has the client read the best block,
//! make its transactions valid from there and return once a transaction is in a best block:
//! what it reads and writes may then still be reverted, so it is for that recovery only.
//!
//! The runtime's transaction extensions that carry no data (`CheckNonZeroSender`,
//! `CheckMembership`, `CheckWeight`, `WeightReclaim`) need nothing from the client; the others are
//! subxt's standard ones, so [`subxt::SubstrateConfig`] is the configuration.
//!
//! Before it is used, a node must pass the checks the settings ask for (see [`crate::config`]):
//! `wss://` unless it is on this machine or `allow_insecure_node` is set; the configured genesis
//! hash (required outside development mode); and in development mode, a development chain on
//! this machine. A node's claim to run a development chain unlocks nothing by itself. These
//! checks choose the chain and the transport; they cannot make a dishonest node honest, so a
//! hospital's client talks to its own hospital's node.
//!
//! Transactions and their nonces are in `tx`; the checks of the node, in `checks`.

use subxt::{
	rpcs::{rpc_params, RpcClient},
	transactions::Signer,
	utils::{AccountId32, MultiSignature},
	OnlineClient, SubstrateConfig,
};

use crate::{config::Settings, keys::Identity, runtime, Error, Result};

mod checks;
mod tx;

pub use checks::{check_chain, check_transport, is_loopback};
pub(crate) use tx::pool_reason;
use tx::Nonces;
pub use tx::Pending;

pub use crate::runtime::runtime_types::{
	bounded_collections::bounded_vec::BoundedVec,
	pallet_ehr::{
		pallet::Error as PalletError,
		types::{
			Counts, DocumentKind, EmergencyReason, EntryBody, EntryInput, GrantScope,
			ProfessionalKind, ProfessionalStatus, Registrar, ReviewOutcome,
		},
	},
};

/// The chain's account id.
pub type AccountId = AccountId32;
/// An administrator: the hospital whose staff it manages, if it is not the consortium's own.
pub type Admin = runtime::runtime_types::pallet_ehr::types::Admin<AccountId>;
/// A registered professional.
pub type Professional =
	runtime::runtime_types::pallet_ehr::types::Professional<AccountId, u32, BoundedVec<u8>>;
/// A registered patient.
pub type Patient = runtime::runtime_types::pallet_ehr::types::Patient<
	AccountId,
	u32,
	BoundedVec<u8>,
	BoundedVec<u8>,
>;
/// A grant of a patient to a professional.
pub type Grant = runtime::runtime_types::pallet_ehr::types::Grant<u32, BoundedVec<u8>>;
/// A grantee given the next key epoch's record key along with a revoke or key rotation.
pub type Regrant = runtime::runtime_types::pallet_ehr::types::Regrant<AccountId, BoundedVec<u8>>;
/// An emergency access.
pub type EmergencyAccess =
	runtime::runtime_types::pallet_ehr::types::EmergencyAccess<AccountId, u32, BoundedVec<u8>>;
/// A stored record entry.
pub type RecordEntry = runtime::runtime_types::pallet_ehr::types::RecordEntry<
	AccountId,
	u32,
	BoundedVec<u8>,
	BoundedVec<u8>,
>;
/// The on-chain notice of a message about a patient.
pub type MessageNotice = runtime::runtime_types::pallet_ehr::types::MessageNotice<
	AccountId,
	u32,
	BoundedVec<u8>,
	BoundedVec<AccountId>,
>;
/// What lets an account read or add to a patient's records, as the runtime answers.
pub type Right = runtime::runtime_types::pallet_ehr::types::Right<u32>;
/// What an account may do with a patient's records, as the runtime answers: each right, or the
/// error its call would fail with.
pub type Access = runtime::runtime_types::pallet_ehr::types::Access<u32, PalletError>;
/// The body of a record entry, as hashed.
pub type Body = EntryBody<AccountId, BoundedVec<u8>, BoundedVec<u8>>;

impl Signer<SubstrateConfig> for Identity {
	fn account_id(&self) -> AccountId32 {
		self.account()
	}

	fn sign(&self, payload: &[u8]) -> MultiSignature {
		MultiSignature::Sr25519(Identity::sign(self, payload))
	}
}

/// Where a transaction landed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Receipt {
	/// The call, as `Pallet.call`.
	pub call: String,
	/// Number of the finalized block that includes it.
	pub block: u64,
	/// Hash of that block.
	pub block_hash: String,
	/// Hash of the transaction.
	pub tx_hash: String,
}

/// A block to read the chain's state at.
pub type Block = subxt::client::ClientAtBlock<
	SubstrateConfig,
	subxt::client::OnlineClientAtBlockImpl<SubstrateConfig>,
>;

/// A connection to a node.
pub struct Chain {
	api: OnlineClient<SubstrateConfig>,
	rpc: RpcClient,
	url: String,
	/// The node's chain type: `Development`, `Local` or `Live`.
	chain_type: String,
	development: bool,
	/// For each account this client signed for: the nonce after the last one it used.
	nonces: Nonces,
	follow: Follow,
}

/// Which blocks the client reads and waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Follow {
	/// Finalized blocks: what the client reads and the transactions it returns from can never
	/// be reverted.
	#[default]
	Finalized,
	/// Best blocks, for a chain whose finality has stalled: transactions are made valid from
	/// the best block and return once in a best block; all of it may still be reverted.
	Best,
}

/// The hash a record entry's body has on chain: SHA-256 of its SCALE encoding.
pub fn body_hash(body: &Body) -> [u8; 32] {
	crate::crypto::sha256(&codec::Encode::encode(body))
}

impl Chain {
	/// Connects to the node `settings` name, after checking the transport, and refuses it unless
	/// it serves the chain they name (see [`check_transport`] and [`check_chain`]).
	pub async fn connect(settings: &Settings) -> Result<Self> {
		let url = settings.node.as_str();
		let untrusted = |reason: String| Error::UntrustedNode { url: url.to_string(), reason };
		check_transport(url, settings.development, settings.allow_insecure_node)
			.map_err(untrusted)?;
		let unreachable = |e: String| Error::Unreachable { url: url.to_string(), reason: e };
		let rpc =
			RpcClient::from_insecure_url(url).await.map_err(|e| unreachable(e.to_string()))?;
		// The legacy RPCs reach any block an archive node keeps, by number, which auditing needs.
		let backend =
			subxt::backend::LegacyBackend::<SubstrateConfig>::builder().build(rpc.clone());
		let api = OnlineClient::<SubstrateConfig>::from_backend(std::sync::Arc::new(backend))
			.await
			.map_err(|e| unreachable(e.to_string()))?;
		let chain_type: String = rpc
			.request("system_chainType", rpc_params![])
			.await
			.map_err(|e| unreachable(e.to_string()))?;
		// The hash subxt signs every transaction with (`CheckGenesis`), so transactions made
		// here are valid on the pinned chain only.
		check_chain(
			settings.development,
			settings.local_testnet,
			settings.genesis_hash,
			&chain_type,
			api.genesis_hash().0,
		)
		.map_err(untrusted)?;
		if api
			.at_current_block()
			.await
			.map_err(|e| unreachable(e.to_string()))?
			.metadata_ref()
			.pallet_by_name("Ehr")
			.is_none()
		{
			return Err(Error::Chain(format!("the node at {url} does not run the EHR runtime")));
		}
		Ok(Self {
			api,
			rpc,
			url: url.to_string(),
			development: chain_type == "Development",
			chain_type,
			nonces: Nonces::default(),
			follow: Follow::Finalized,
		})
	}

	/// Reads and waits for `follow`'s blocks from now on.
	pub fn set_follow(&mut self, follow: Follow) {
		self.follow = follow;
	}

	/// The blocks the client reads and waits for.
	pub fn follow(&self) -> Follow {
		self.follow
	}

	/// The node's URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// Whether the node says it runs a development chain. Only the node's word: it unlocks no
	/// key; the client's own `development` setting does (see [`crate::config`]).
	pub fn is_development(&self) -> bool {
		self.development
	}

	/// The node's chain type: `Development`, `Local` (a test network) or `Live`.
	pub fn chain_type(&self) -> &str {
		&self.chain_type
	}

	/// The node's RPC connection, for calls subxt does not make.
	pub(crate) fn rpc(&self) -> &RpcClient {
		&self.rpc
	}

	/// The subxt client, for what this type does not cover.
	pub fn api(&self) -> &OnlineClient<SubstrateConfig> {
		&self.api
	}

	/// The latest finalized block (the best one when following best blocks), for an operation
	/// that reads several things from one block.
	pub async fn finalized(&self) -> Result<Block> {
		self.at().await
	}

	async fn at(&self) -> Result<Block> {
		let unreadable = |e: String| Error::Chain(format!("cannot read the chain: {e}"));
		match self.follow {
			Follow::Finalized => self.api.at_current_block().await,
			Follow::Best => {
				let best: subxt::utils::H256 = self
					.rpc
					.request("chain_getBlockHash", rpc_params![])
					.await
					.map_err(|e| unreadable(e.to_string()))?;
				self.api.at_block(best).await
			},
		}
		.map_err(|e| unreadable(e.to_string()))
	}

	/// Number of the latest finalized block (the best one when following best blocks).
	pub async fn finalized_number(&self) -> Result<u64> {
		Ok(self.at().await?.block_number())
	}

	/// Has the node make new session keys (Aura and GRANDPA) in its own keystore, with a proof
	/// that `owner` holds them: the SCALE-encoded keys and the proof. The node allows this only
	/// to a client on its own machine.
	pub async fn rotate_node_keys(&self, owner: &AccountId) -> Result<(Vec<u8>, Vec<u8>)> {
		#[derive(serde::Deserialize)]
		struct Generated {
			keys: String,
			proof: Option<String>,
		}
		let owner = format!("0x{}", hex::encode(owner.0));
		let generated: Generated = self
			.rpc
			.request("author_rotateKeysWithOwner", rpc_params![owner])
			.await
			.map_err(|e| {
				Error::Chain(format!(
					"the node at {} did not make session keys: {e} (run this against the hospital's own validator node, on its machine)",
					self.url
				))
			})?;
		let bytes = |hex_text: &str| hex::decode(hex_text.trim_start_matches("0x")).ok();
		let keys = bytes(&generated.keys);
		let proof = generated.proof.as_deref().and_then(bytes);
		match (keys, proof) {
			(Some(keys), Some(proof)) => Ok((keys, proof)),
			_ => Err(Error::Chain("the node answered without session keys and their proof".into())),
		}
	}

	/// Waits until the node follows the chain: done catching up with its peers, and a block
	/// imported since (its transaction pool follows the chain only from then on; before, it
	/// refuses transactions made at the latest blocks). A node that joins the consortium syncs
	/// only once its hospital was admitted. Gives up after `timeout`.
	pub async fn wait_until_following(&self, timeout: std::time::Duration) -> Result<()> {
		#[derive(serde::Deserialize)]
		#[serde(rename_all = "camelCase")]
		struct Health {
			is_syncing: bool,
		}
		let deadline = tokio::time::Instant::now() + timeout;
		let mut caught_up_at = None;
		loop {
			let unreachable = |e: subxt::rpcs::Error| Error::Unreachable {
				url: self.url.clone(),
				reason: e.to_string(),
			};
			let health: Health =
				self.rpc.request("system_health", rpc_params![]).await.map_err(unreachable)?;
			let best = Some(self.best_number().await?);
			match (health.is_syncing, caught_up_at) {
				(true, _) => caught_up_at = None,
				(false, None) => caught_up_at = best,
				(false, Some(at)) if best > Some(at) => return Ok(()),
				(false, Some(_)) => {},
			}
			if tokio::time::Instant::now() >= deadline {
				return Err(Error::Chain(format!(
					"the node at {} has not caught up with the chain within {} s: is it connected to the other hospitals' nodes? (They let it connect once the consortium admitted its hospital with it.)",
					self.url,
					timeout.as_secs()
				)));
			}
			tokio::time::sleep(std::time::Duration::from_millis(500)).await;
		}
	}

	/// The number of the node's best block.
	async fn best_number(&self) -> Result<u64> {
		#[derive(serde::Deserialize)]
		struct Header {
			number: String,
		}
		let header: Header = self
			.rpc
			.request("chain_getHeader", rpc_params![])
			.await
			.map_err(|e| Error::Unreachable { url: self.url.clone(), reason: e.to_string() })?;
		u64::from_str_radix(header.number.trim_start_matches("0x"), 16)
			.map_err(|_| Error::Chain(format!("the node named its best block {}", header.number)))
	}

	/// The hash of the chain's genesis block, which transactions and consents are bound to.
	pub fn genesis_hash(&self) -> [u8; 32] {
		self.api.genesis_hash().0
	}
}

/// A stored professional. Runtimes before spec version 104 kept no hospital: their encoding is
/// this one's without the trailing `None`, so that clients of this release serve a chain until
/// its upgrade is enacted.
pub(crate) fn decode_professional(bytes: &[u8]) -> Result<Professional> {
	use codec::DecodeAll;
	Professional::decode_all(&mut &bytes[..]).or_else(|error| {
		let with_no_hospital = [bytes, &[0]].concat();
		Professional::decode_all(&mut &with_no_hospital[..]).map_err(|_| query_error(error))
	})
}

pub(crate) fn query_error(e: impl std::fmt::Display) -> Error {
	Error::Chain(format!("query failed: {e}"))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn professional(hospital: Option<AccountId>) -> Professional {
		Professional {
			kind: ProfessionalKind::Doctor,
			display_name: BoundedVec(b"Dr Bob".to_vec()),
			specialty: BoundedVec(b"cardiology".to_vec()),
			licence_commitment: subxt::utils::H256([1; 32]),
			organisation: BoundedVec(b"City Hospital".to_vec()),
			encryption_key: [2; 32],
			status: ProfessionalStatus::Active,
			registered_by: AccountId32([3; 32]),
			registered_at: 4,
			status_changed_at: 5,
			hospital,
		}
	}

	#[test]
	fn professionals_of_this_runtime_and_the_one_before_decode() {
		use codec::Encode;
		let ours = professional(Some(AccountId32([6; 32])));
		assert_eq!(decode_professional(&ours.encode()).expect("this runtime's"), ours);
		let before = professional(None);
		let mut bytes = before.encode();
		assert_eq!(bytes.pop(), Some(0), "the trailing `None`");
		assert_eq!(decode_professional(&bytes).expect("the runtime before's"), before);
		bytes.pop();
		assert!(decode_professional(&bytes).is_err(), "a truncated one is refused");
	}
}
