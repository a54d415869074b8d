//! The built-in chain specs. Each only names a genesis preset of the runtime.

use ehr_runtime::WASM_BINARY;
use polkadot_sdk::{
	sc_service::{self, ChainType},
	sp_genesis_builder,
};

/// A chain spec of this node.
pub type ChainSpec = sc_service::GenericChainSpec;

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime's wasm was not built; build the node without SKIP_WASM_BUILD".to_string()
	})
}

/// A one-validator development chain: Alice validates and is admin and sudo.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("EHR Development")
		.with_id("ehr_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// A four-hospital local test network (Alice, Bob, Charlie, Dave validate).
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("EHR Local Testnet")
		.with_id("ehr_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// The chain has no token; wallets only need the address format.
fn properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("ss58Format".into(), 42.into());
	properties
}
