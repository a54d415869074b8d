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
//! Nonces are kept here, per account: each transaction takes the node's next index for the
//! account (which counts the transactions in its pool, whoever sent them) or the one after the
//! last this client used, whichever is higher, so many transactions go out back to back without
//! waiting for each other, and another program signing with the same key does not get in the
//! way.

use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
};

use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	rpcs::{rpc_params, RpcClient},
	transactions::{Payload, Signer},
	utils::{AccountId32, MultiSignature},
	OnlineClient, SubstrateConfig,
};

use crate::{config::Settings, keys::Identity, runtime, Error, Result};

pub use crate::runtime::runtime_types::{
	bounded_collections::bounded_vec::BoundedVec,
	pallet_ehr::types::{
		Counts, DocumentKind, EmergencyReason, EntryBody, EntryInput, GrantScope, ProfessionalKind,
		ProfessionalStatus, ReviewOutcome,
	},
};

/// The chain's account id.
pub type AccountId = AccountId32;
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
	development: bool,
	/// For each account this client signed for: the nonce after the last one it used.
	nonces: Nonces,
	follow: Follow,
}

/// How far finality may lag behind the best block before the client stops sending
/// transactions valid from the finalized block: they live 32 blocks.
const MAX_FINALITY_LAG: u64 = 24;

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

/// Whether `url`'s host is this machine (`localhost`, 127.0.0.0/8 or `::1`), parsed as the
/// connection parses it. Only `ws`, `wss`, `http` and `https` URLs are accepted.
pub fn is_loopback(url: &str) -> Result<bool, String> {
	let (scheme, rest) = url.split_once("://").ok_or_else(not_a_node_url)?;
	if !matches!(scheme.to_ascii_lowercase().as_str(), "ws" | "wss" | "http" | "https") {
		return Err(not_a_node_url());
	}
	// With a scheme that is never secure, "secure" is left meaning "on this machine".
	subxt::rpcs::utils::url_is_secure(&format!("ws://{rest}"))
		.map_err(|e| format!("it is not a valid URL ({e})"))
}

fn not_a_node_url() -> String {
	"the node URL must start with wss:// (or ws:// for a node on this machine)".into()
}

/// Whether the client may connect to `url` at all: the transport and, in development mode, the
/// place. The reason says what to do instead.
pub fn check_transport(
	url: &str,
	development: bool,
	allow_insecure_node: bool,
) -> Result<(), String> {
	let loopback = is_loopback(url)?;
	if development && !loopback {
		return Err("the client is in development mode (--dev, EHR_DEVELOPMENT or `development = true`), which uses public development keys, so it only talks to a development chain on this machine (ws://127.0.0.1:9944); leave development mode to use a consortium node".into());
	}
	let plain = !url.get(..6).is_some_and(|s| s.eq_ignore_ascii_case("wss://"))
		&& !url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://"));
	if plain && !loopback && !allow_insecure_node {
		return Err("plain ws:// or http:// to another machine is neither encrypted nor authenticated, so anyone on the way could read the traffic and answer in the node's place; use wss://, or, on a network you trust, set allow_insecure_node = true (EHR_ALLOW_INSECURE_NODE=1 or --allow-insecure-node)".into());
	}
	Ok(())
}

/// Whether the chain a node serves is the one the settings name: `genesis` is its block 0 hash
/// and `chain_type` what it says it is (`system_chainType`).
pub fn check_chain(
	development: bool,
	pinned: Option<[u8; 32]>,
	chain_type: &str,
	genesis: [u8; 32],
) -> Result<(), String> {
	let hex = |h: &[u8; 32]| format!("0x{}", hex::encode(h));
	if let Some(pinned) = pinned {
		if pinned != genesis {
			return Err(format!(
				"it serves the chain whose genesis hash is {}, not the configured genesis_hash {}: it is another chain (check node and genesis_hash)",
				hex(&genesis),
				hex(&pinned)
			));
		}
	}
	if development && chain_type != "Development" {
		return Err(format!(
			"the client is in development mode, but the node says its chain is `{chain_type}`, not a development chain; leave development mode (--dev, EHR_DEVELOPMENT, `development = true`) and set genesis_hash to use it"
		));
	}
	if !development && pinned.is_none() {
		return Err(format!(
			"no genesis_hash is configured, so nothing says this is your consortium's chain; the node serves the chain whose genesis hash is {0}: if your consortium publishes that hash, set genesis_hash = \"{0}\" in the settings file (or EHR_GENESIS_HASH={0}); for a development chain on this machine, use --dev (or EHR_DEVELOPMENT=1)",
			hex(&genesis)
		));
	}
	Ok(())
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
		check_chain(settings.development, settings.genesis_hash, &chain_type, api.genesis_hash().0)
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

	/// The nonce for `who`'s next transaction: the node's count (which includes the
	/// transactions in its pool, whoever sent them: another program may sign with the same key),
	/// or past the ones this client is sending right now, whichever is higher.
	async fn next_nonce(&self, who: &AccountId) -> Result<u64> {
		let on_chain: u64 = self
			.rpc
			.request("system_accountNextIndex", rpc_params![who.to_string()])
			.await
			.map_err(|e| Error::Chain(format!("cannot read the account's nonce: {e}")))?;
		let mut nonces = self.nonces.lock().unwrap_or_else(|p| p.into_inner());
		Ok(take_nonce(nonces.entry(who.0).or_default(), on_chain))
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

	/// Refuses to make a transaction valid from finalized block `finalized` when the best block
	/// is so far ahead that the transaction (valid for 32 blocks) could expire before it is
	/// included, or would wait for a finality that does not come.
	async fn check_finality_keeps_up(&self, finalized: u64) -> Result<()> {
		let best = self.best_number().await?;
		let behind = best.saturating_sub(finalized);
		if behind >= MAX_FINALITY_LAG {
			return Err(Error::Chain(format!(
				"finality is {behind} blocks behind the best block (finalized {finalized}, best {best}): it may have stalled, and a transaction would wait for it for ever; for the consortium's recovery (chain-spec/README.md, \"Finality stalls for good\"), send with --best-blocks"
			)));
		}
		Ok(())
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

	fn forget_nonce(&self, who: &AccountId) {
		forget_nonce(&self.nonces, who);
	}

	/// Signs `call` with `signer`, submits it, and returns once it is in the pool; the returned
	/// [`Pending`] waits for finality (for a best block, when following best blocks). The
	/// transaction is valid for 32 blocks from the block the client reads. The nonce is the
	/// node's count for the signer or past this client's last, whichever is higher.
	pub(crate) async fn send<C: Payload>(&self, signer: &Identity, call: &C) -> Result<Pending> {
		let name = format!("{}.{}", call.pallet_name(), call.call_name());
		let who = signer.account();
		let nonce = self.next_nonce(&who).await?;
		let params = DefaultExtrinsicParamsBuilder::<SubstrateConfig>::new().nonce(nonce).build();
		let at = self.at().await.inspect_err(|_| self.forget_nonce(&who))?;
		if self.follow == Follow::Finalized {
			self.check_finality_keeps_up(at.block_number()).await.inspect_err(|_| {
				self.forget_nonce(&who);
			})?;
		}
		let mut tx = at.tx();
		let signed = tx.create_signed(call, signer, params).await.map_err(|e| {
			self.forget_nonce(&who);
			Error::Chain(format!("cannot build {name}: {e}"))
		})?;
		let progress = signed.submit_and_watch().await.map_err(|e| {
			self.forget_nonce(&who);
			refused_at_pool(&name, &format!("{e} {e:?}"))
		})?;
		Ok(Pending { name, progress, follow: self.follow, nonces: self.nonces.clone(), who })
	}

	/// [`Self::send`], then wait for finality (for a best block, when following best blocks).
	pub(crate) async fn submit<C: Payload>(&self, signer: &Identity, call: &C) -> Result<Receipt> {
		self.send(signer, call).await?.finalized().await
	}

	/// The hash of the chain's genesis block, which transactions and consents are bound to.
	pub fn genesis_hash(&self) -> [u8; 32] {
		self.api.genesis_hash().0
	}

	/// The events of the pallet in block `number`, with their index in the block.
	pub async fn ehr_events(&self, number: u64) -> Result<Vec<(u32, runtime::ehr::Event)>> {
		let at = self
			.api
			.at_block(number)
			.await
			.map_err(|e| Error::Chain(format!("cannot read block {number}: {e} (an archive node keeps every block's state: run it with --state-pruning archive)")))?;
		let events = at.events().fetch().await.map_err(query_error)?;
		let mut out = Vec::new();
		for event in events.iter() {
			let event = event.map_err(query_error)?;
			if event.pallet_name() != "Ehr" {
				continue;
			}
			let decoded = match event.decode_as::<runtime::Event>() {
				Ok(runtime::Event::Ehr(ehr)) => ehr,
				Ok(_) => continue,
				// Runtimes before spec version 104 named no hospital with a new admin.
				Err(_) if event.event_name() == "AdminAdded" => {
					let admin =
						codec::Decode::decode(&mut event.field_bytes()).map_err(query_error)?;
					runtime::ehr::Event::AdminAdded { admin, hospital: None }
				},
				Err(e) => return Err(query_error(e)),
			};
			out.push((event.index(), decoded));
		}
		Ok(out)
	}
}

type Progress = subxt::transactions::TransactionProgress<
	SubstrateConfig,
	subxt::client::OnlineClientAtBlockImpl<SubstrateConfig>,
>;
type InBlock = subxt::transactions::TransactionInBlock<
	SubstrateConfig,
	subxt::client::OnlineClientAtBlockImpl<SubstrateConfig>,
>;

/// The nonce after the last one this client used, for each account it signed for.
type Nonces = Arc<Mutex<HashMap<[u8; 32], u64>>>;

/// Forgets `who`'s nonces: its next transaction takes the node's count again. For when a
/// transaction of `who` never got into the pool, or left it without being included, so that
/// its nonce is free again.
fn forget_nonce(nonces: &Nonces, who: &AccountId) {
	nonces.lock().unwrap_or_else(|p| p.into_inner()).remove(&who.0);
}

/// A transaction in the pool.
pub struct Pending {
	name: String,
	progress: Progress,
	follow: Follow,
	/// The client's nonces, and the signer's account, to forget its nonce if the transaction
	/// is dropped.
	nonces: Nonces,
	who: AccountId,
}

/// The block `progress`'s transaction is in once the block is finalized, or, following best
/// blocks, once it is the best block.
async fn included(mut progress: Progress, follow: Follow) -> Result<InBlock, String> {
	use subxt::transactions::TransactionStatus as S;
	while let Some(status) = progress.next().await {
		match status.map_err(|e| e.to_string())? {
			S::InFinalizedBlock(block) => return Ok(block),
			S::InBestBlock(block) if follow == Follow::Best => return Ok(block),
			S::Error { message } | S::Invalid { message } | S::Dropped { message } => {
				return Err(message)
			},
			_ => {},
		}
	}
	Err("the node stopped reporting on it".into())
}

impl Pending {
	/// Waits until the transaction is in a finalized block (a best block, when following best
	/// blocks) and succeeded there.
	pub async fn finalized(self) -> Result<Receipt> {
		Ok(self.finalized_with_events().await?.0)
	}

	/// [`Self::finalized`], with the events the transaction emitted.
	pub async fn finalized_with_events(
		self,
	) -> Result<(Receipt, subxt::extrinsics::ExtrinsicEvents<SubstrateConfig>)> {
		let name = self.name;
		let tx_hash = format!("{:?}", self.progress.extrinsic_hash());
		let block = match self.follow {
			Follow::Finalized => "a finalized block",
			Follow::Best => "a block",
		};
		let in_block = included(self.progress, self.follow).await.map_err(|e| {
			// Its nonce was not used: the signer's next transaction must not wait for it.
			forget_nonce(&self.nonces, &self.who);
			Error::Chain(format!("{name} did not reach {block}: {}", pool_reason(&e)))
		})?;
		let block_hash = in_block.block_hash();
		let events = in_block.wait_for_success().await.map_err(|e| dispatch_error(&name, e))?;
		let block = in_block
			.at()
			.await
			.map_err(|e| Error::Chain(format!("cannot read the block of {name}: {e}")))?
			.block_number();
		let receipt = Receipt { call: name, block, block_hash: format!("{block_hash:?}"), tx_hash };
		Ok((receipt, events))
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

/// The code of the runtime's `InvalidTransaction::Custom` refusal in the node's message.
fn custom_refusal(message: &str) -> Option<u8> {
	let (_, rest) = message.split_once("Custom error: ")?;
	let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
	digits.parse().ok()
}

/// Takes the next nonce, given the one after this client's last (`ours`, which it moves on) and
/// the node's count: two transactions sent at once before either reached the pool get different
/// nonces, and nonces used by another program are skipped.
fn take_nonce(ours: &mut u64, node: u64) -> u64 {
	let next = (*ours).max(node);
	*ours = next + 1;
	next
}

/// Turns the pool's refusal into words; the membership check refuses non-members as `BadSigner`.
fn pool_reason(message: &str) -> String {
	if message.contains("BadSigner") || message.contains("Invalid signing address") {
		"the signer is not a member of the consortium (only admins, active professionals and registered patients may send transactions)".into()
	} else if custom_refusal(message) == Some(1) {
		"the signer has sent as many transactions as its role's quota allows in this window; wait for the next window (a minute by default) and try again".into()
	} else if custom_refusal(message) == Some(2) {
		"the entry's hash is not its fields' hash, or lacks the chain's proof of work".into()
	} else if message.contains("call is not expected") {
		"members may not send this call (the chain admits only the calls members need)".into()
	} else if message.contains("Stale") || message.contains("Outdated") {
		"the transaction's nonce was already used; try again".into()
	} else {
		message.to_string()
	}
}

fn refused_at_pool(name: &str, message: &str) -> Error {
	Error::Denied(format!("the node refused {name}: {}", pool_reason(message)))
}

fn dispatch_error(name: &str, e: subxt::error::TransactionEventsError) -> Error {
	if let subxt::error::TransactionEventsError::ExtrinsicFailed(dispatch) = &e {
		if let subxt::error::DispatchError::Module(module) = dispatch {
			if let Ok(details) = module.details() {
				return Error::Refused {
					call: name.to_string(),
					error: details.variant.name.clone(),
					docs: details.variant.docs.join(" "),
				};
			}
		}
		return Error::Refused {
			call: name.to_string(),
			error: dispatch.to_string(),
			docs: String::new(),
		};
	}
	Error::Chain(format!("{name}: {e}"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn nonces_move_past_this_clients_and_anyone_elses() {
		// The first transaction: the node's count.
		let mut ours = 0;
		assert_eq!(take_nonce(&mut ours, 5), 5);
		// A second one sent before the first reached the node's pool.
		assert_eq!(take_nonce(&mut ours, 5), 6);
		// Another program signed two with the same key meanwhile.
		assert_eq!(take_nonce(&mut ours, 9), 9);
		assert_eq!(ours, 10);
	}

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

	#[test]
	fn refusal_codes_are_read_whole() {
		assert_eq!(custom_refusal("Invalid Transaction: Custom error: 1"), Some(1));
		assert_eq!(custom_refusal("Custom error: 12\""), Some(12));
		assert_eq!(custom_refusal("Transaction has a bad signature"), None);
		assert!(pool_reason("Custom error: 1").contains("quota"));
		assert!(!pool_reason("Custom error: 12").contains("quota"));
	}

	#[test]
	fn plain_websocket_to_another_machine_is_refused_unless_allowed() {
		for url in ["ws://10.0.0.5:9944", "http://node.hospital.example", "ws://[2001:db8::1]:9944"]
		{
			let refused = check_transport(url, false, false).unwrap_err();
			assert!(refused.contains("allow_insecure_node"), "{url}: {refused}");
			assert!(check_transport(url, false, true).is_ok(), "{url} when allowed");
		}
		for url in [
			"ws://127.0.0.1:9944",
			"ws://127.8.9.10:9944",
			"WS://LOCALHOST:9944/",
			"ws://[::1]:9944",
			"http://localhost",
			"wss://node.hospital.example",
			"https://node.hospital.example:443/rpc",
		] {
			assert!(check_transport(url, false, false).is_ok(), "{url}");
		}
	}

	#[test]
	fn a_url_that_only_looks_local_is_not_local() {
		for url in [
			"ws://127.0.0.1.evil.example:9944",
			"ws://127.0.0.1@evil.example:9944",
			"ws://evil.example\\@127.0.0.1:9944",
			"ws://localhost.evil.example",
			"ws://evil.example/127.0.0.1",
		] {
			assert_eq!(is_loopback(url), Ok(false), "{url}");
			assert!(check_transport(url, false, false).is_err(), "{url}");
		}
		for url in ["127.0.0.1:9944", "file:///tmp/x", "ftp://127.0.0.1"] {
			assert!(check_transport(url, false, true).is_err(), "{url}");
		}
	}

	#[test]
	fn development_mode_only_talks_to_a_development_chain_on_this_machine() {
		assert!(check_transport("ws://127.0.0.1:9944", true, false).is_ok());
		assert!(check_transport("wss://node.hospital.example", true, false).is_err());
		assert!(check_transport("ws://10.0.0.5:9944", true, true).is_err());
		let genesis = [1u8; 32];
		assert!(check_chain(true, None, "Development", genesis).is_ok());
		let live = check_chain(true, None, "Live", genesis).unwrap_err();
		assert!(live.contains("`Live`"), "{live}");
		assert!(check_chain(true, Some([2u8; 32]), "Development", genesis).is_err());
	}

	#[test]
	fn the_chain_must_be_the_pinned_one() {
		let genesis = [0xaau8; 32];
		let other = [0xbbu8; 32];
		assert!(check_chain(false, Some(genesis), "Live", genesis).is_ok());
		// A node's claim to be a development chain does not replace the pin.
		let unpinned = check_chain(false, None, "Development", genesis).unwrap_err();
		assert!(unpinned.contains(&format!("0x{}", hex::encode(genesis))), "{unpinned}");
		assert!(unpinned.contains("EHR_GENESIS_HASH"), "{unpinned}");
		let wrong = check_chain(false, Some(other), "Live", genesis).unwrap_err();
		assert!(wrong.contains(&hex::encode(genesis)) && wrong.contains(&hex::encode(other)));
	}
}
