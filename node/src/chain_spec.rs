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

/// A chain spec of the given name, id and type, from the runtime's genesis `preset`.
fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// A one-validator development chain: Alice validates and is admin and sudo.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"EHR Development",
		"ehr_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// A four-hospital local test network (Alice, Bob, Charlie, Dave validate).
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"EHR Local Testnet",
		"ehr_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// The chain has no token; wallets only need the address format.
fn properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("ss58Format".into(), 42.into());
	properties
}
