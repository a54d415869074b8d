//! What the node's `benchmark overhead` command needs from this chain: the inherents of an
//! empty block, and a signed transaction a member may send whose call does as little as a call
//! can.
//!
//! The command measures a block without transactions (`BlockExecutionWeight`), then a block
//! full of the builder's transactions, and divides the difference by their number
//! (`ExtrinsicBaseWeight`: signature, membership, nonce and quota, era, weight accounting, the
//! event). polkadot-sdk's builder sends `System::remark`, which the members' call filter refuses
//! (it would let any member put arbitrary bytes in every node's database), and knows none of
//! this chain's transaction extensions; this builder does what it stands for with a call the
//! filter admits.

use std::{sync::Arc, time::Duration};

use ehr_runtime::{
	pallet_ehr, Runtime, RuntimeCall, SignedPayload, TxExtension, UncheckedExtrinsic,
};
use polkadot_sdk::{
	frame_benchmarking_cli::ExtrinsicBuilder,
	frame_system,
	sc_client_api::UsageProvider,
	sp_api::{Core, ProvideRuntimeApi},
	sp_core::{sr25519, Encode, Pair},
	sp_inherents::{InherentData, InherentDataProvider},
	sp_keyring::Sr25519Keyring,
	sp_runtime::{generic::Era, OpaqueExtrinsic},
	*,
};

use crate::service::FullClient;

/// Builds an administrator's `Ehr::set_difficulty`, signed by the development chains' admin
/// (Alice), with successive nonces.
///
/// Setting the difficulty takes the consortium's vote, so an administrator's call fails its
/// origin check, the first thing it does, before reading any storage: the transaction pays
/// every per-transaction cost and its call almost none, as a remark would. It is named
/// `system` `remark` because the command accepts builders of that name only.
///
/// An administrator may send 1,000 transactions a quota window: run the command with
/// `--max-ext-per-block 1000` (`scripts/benchmark.sh` does).
pub struct MemberNoOpBuilder {
	signer: sr25519::Pair,
	genesis: ehr_runtime::Hash,
	spec_version: u32,
	transaction_version: u32,
}

impl MemberNoOpBuilder {
	/// The builder for the chain `client` holds, at its best block.
	pub fn new(client: &Arc<FullClient>) -> Result<Self, String> {
		let info = client.usage_info().chain;
		let version = client
			.runtime_api()
			.version(info.best_hash)
			.map_err(|e| format!("the runtime's version: {e}"))?;
		Ok(Self {
			signer: Sr25519Keyring::Alice.pair(),
			genesis: info.genesis_hash,
			spec_version: version.spec_version,
			transaction_version: version.transaction_version,
		})
	}
}

impl ExtrinsicBuilder for MemberNoOpBuilder {
	fn pallet(&self) -> &str {
		"system"
	}

	fn extrinsic(&self) -> &str {
		"remark"
	}

	fn build(&self, nonce: u32) -> Result<OpaqueExtrinsic, &'static str> {
		let call = RuntimeCall::Ehr(pallet_ehr::Call::set_difficulty { difficulty: 8 });
		let extension: TxExtension = (
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			pallet_ehr::CheckMembership::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::Immortal),
			pallet_ehr::CheckNonceWithinQuota::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			frame_system::WeightReclaim::<Runtime>::new(),
		);
		// What the extensions add to the signed payload without sending it: the versions, and
		// the genesis hash twice (the chain's, and the immortal era's birth block).
		let implicit = (
			(),
			(),
			self.spec_version,
			self.transaction_version,
			self.genesis,
			self.genesis,
			(),
			(),
			(),
		);
		let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
		let signature = payload.using_encoded(|bytes| self.signer.sign(bytes));
		let sender = ehr_runtime::AccountId::from(self.signer.public());
		Ok(UncheckedExtrinsic::new_signed(call, sender.into(), signature.into(), extension).into())
	}
}

/// The inherents of a block the benchmarks build: its timestamp, at the chain's start, so that
/// Aura's slot (0 at genesis) matches it.
pub fn inherent_data() -> Result<InherentData, String> {
	let mut data = InherentData::new();
	let timestamp = sp_timestamp::InherentDataProvider::new(Duration::ZERO.into());
	futures::executor::block_on(timestamp.provide_inherent_data(&mut data))
		.map_err(|e| format!("the benchmark block's timestamp: {e}"))?;
	Ok(data)
}
