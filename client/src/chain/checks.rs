//! The checks a node must pass before the client uses it: the transport (`wss://` unless the
//! node is on this machine or `allow_insecure_node` is set) and the chain (the configured
//! genesis hash; in development mode, a development chain on this machine, or the local test
//! network when asked for).

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
/// and `chain_type` what it says it is (`system_chainType`). `local_testnet` (`--local-testnet`,
/// never a setting) lets development mode also use a chain that says `Local`.
pub fn check_chain(
	development: bool,
	local_testnet: bool,
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
	// The local test network of four hospitals on one machine (scripts/local-network.sh) says
	// `Local`; so does a consortium's own spec made from it until it is set to `Live`
	// (chain-spec/README.md), so only an explicit flag, never a leftover setting, takes the
	// public keys there.
	let test_chain = chain_type == "Development" || (local_testnet && chain_type == "Local");
	if development && !test_chain {
		let local = if chain_type == "Local" {
			" (for the local test network of scripts/local-network.sh, add --local-testnet)"
		} else {
			""
		};
		return Err(format!(
			"the client is in development mode, but the node says its chain is `{chain_type}`, not a development chain{local}; leave development mode (--dev, EHR_DEVELOPMENT, `development = true`) and set genesis_hash to use it"
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

#[cfg(test)]
mod tests {
	use super::*;

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
		assert!(check_chain(true, false, None, "Development", genesis).is_ok());
		let live = check_chain(true, false, None, "Live", genesis).unwrap_err();
		assert!(live.contains("`Live`"), "{live}");
		assert!(check_chain(true, false, Some([2u8; 32]), "Development", genesis).is_err());
	}

	#[test]
	fn only_an_explicit_flag_takes_development_keys_to_a_local_chain() {
		let genesis = [1u8; 32];
		// A consortium's spec made from the local one says `Local` until it is set to `Live`.
		let local = check_chain(true, false, None, "Local", genesis).unwrap_err();
		assert!(local.contains("--local-testnet"), "{local}");
		assert!(check_chain(true, true, None, "Local", genesis).is_ok());
		assert!(check_chain(true, true, None, "Live", genesis).is_err());
		assert!(check_chain(true, true, None, "Custom", genesis).is_err());
	}

	#[test]
	fn the_chain_must_be_the_pinned_one() {
		let genesis = [0xaau8; 32];
		let other = [0xbbu8; 32];
		assert!(check_chain(false, false, Some(genesis), "Live", genesis).is_ok());
		// A node's claim to be a development chain does not replace the pin.
		let unpinned = check_chain(false, false, None, "Development", genesis).unwrap_err();
		assert!(unpinned.contains(&format!("0x{}", hex::encode(genesis))), "{unpinned}");
		assert!(unpinned.contains("EHR_GENESIS_HASH"), "{unpinned}");
		let wrong = check_chain(false, false, Some(other), "Live", genesis).unwrap_err();
		assert!(wrong.contains(&hex::encode(genesis)) && wrong.contains(&hex::encode(other)));
	}
}
