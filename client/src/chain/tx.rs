//! Transactions: signed with the next nonce, sent, and followed until a finalized block
//! includes them (a best block, when following best blocks), with the node's and the chain's
//! refusals in the user's words.
//!
//! Nonces are kept per account: each transaction takes the node's next index for the account
//! (which counts the transactions in its pool, whoever sent them) or the one after the last this
//! client used, whichever is higher, so many transactions go out back to back without waiting
//! for each other, and another program signing with the same key does not get in the way.

use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
};

use subxt::{
	config::DefaultExtrinsicParamsBuilder, rpcs::rpc_params, transactions::Payload, SubstrateConfig,
};

use super::{AccountId, Chain, Follow, Receipt};
use crate::{keys::Identity, Error, Result};

/// How far finality may lag behind the best block before the client stops sending
/// transactions valid from the finalized block: they live 32 blocks.
const MAX_FINALITY_LAG: u64 = 24;

impl Chain {
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
pub(super) type Nonces = Arc<Mutex<HashMap<[u8; 32], u64>>>;

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

/// Why a transaction sent was not seen in a block.
enum NotIncluded {
	/// The pool found it invalid or dropped it: it will not land.
	Refused(String),
	/// The node stopped reporting on it: it may still land.
	Unknown(String),
}

/// The block `progress`'s transaction is in once the block is finalized, or, following best
/// blocks, once it is the best block.
async fn included(mut progress: Progress, follow: Follow) -> Result<InBlock, NotIncluded> {
	use subxt::transactions::TransactionStatus as S;
	while let Some(status) = progress.next().await {
		match status.map_err(|e| NotIncluded::Unknown(e.to_string()))? {
			S::InFinalizedBlock(block) => return Ok(block),
			S::InBestBlock(block) if follow == Follow::Best => return Ok(block),
			S::Invalid { message } | S::Dropped { message } => {
				return Err(NotIncluded::Refused(message))
			},
			S::Error { message } => return Err(NotIncluded::Unknown(message)),
			_ => {},
		}
	}
	Err(NotIncluded::Unknown("the node stopped reporting on it".into()))
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
			// Its nonce may not be used: the signer's next transaction must not wait for it
			// (the node's count still covers it while the node's pool holds it).
			forget_nonce(&self.nonces, &self.who);
			match e {
				NotIncluded::Refused(reason) => Error::RefusedAtPool {
					call: name.clone(),
					reason: format!("it did not reach {block}: {}", pool_reason(&reason)),
				},
				NotIncluded::Unknown(reason) => Error::Chain(format!(
					"{name} was sent, but the node stopped reporting on it ({reason}): it may still land; look for it (ehr history) before sending it again"
				)),
			}
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
pub(crate) fn pool_reason(message: &str) -> String {
	if message.contains("BadSigner") || message.contains("Invalid signing address") {
		"the signer is not a member of the consortium (only admins, active professionals and registered patients may send transactions)".into()
	} else if custom_refusal(message) == Some(1) {
		"the signer has sent as many transactions as its role's quota allows in this window; wait for the next window (a minute by default) and try again".into()
	} else if custom_refusal(message) == Some(2) {
		"the entry's hash is not its fields' hash, or lacks the chain's proof of work".into()
	} else if custom_refusal(message) == Some(3) {
		"a batch of entries must hold at least one, each the one after the entry before it (the next index, linked to its hash)".into()
	} else if message.contains("call is not expected") {
		"members may not send this call (the chain admits only the calls members need)".into()
	} else if message.contains("Stale") || message.contains("Outdated") {
		"the transaction's nonce was already used; try again".into()
	} else {
		message.to_string()
	}
}

fn refused_at_pool(name: &str, message: &str) -> Error {
	Error::RefusedAtPool { call: name.to_string(), reason: pool_reason(message) }
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

	#[test]
	fn refusal_codes_are_read_whole() {
		assert_eq!(custom_refusal("Invalid Transaction: Custom error: 1"), Some(1));
		assert_eq!(custom_refusal("Custom error: 12\""), Some(12));
		assert_eq!(custom_refusal("Transaction has a bad signature"), None);
		assert!(pool_reason("Custom error: 1").contains("quota"));
		assert!(!pool_reason("Custom error: 12").contains("quota"));
		assert!(pool_reason("Custom error: 3").contains("batch"));
	}
}
