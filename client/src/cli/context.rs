//! What every command works with: the global flags, the settings they give, the keystore,
//! the key to act as, and the connected client.

use std::{io::IsTerminal, path::PathBuf};

use clap::Args;
use ehr_client::{
	chain::AccountId,
	config::Settings,
	keys::{Identity, Keystore, WEAK_PASSPHRASE},
	Client, Error,
};
use serde::Serialize;

use super::{output, parse};

/// Flags every command takes.
#[derive(Args)]
pub struct Global {
	/// Settings file (default: $EHR_CONFIG, else ~/.config/ehr/config.toml if present).
	#[arg(long, global = true)]
	pub config: Option<PathBuf>,
	/// Node WebSocket URL (overrides the settings and EHR_NODE).
	#[arg(long, global = true)]
	pub node: Option<String>,
	/// Keystore directory (overrides the settings and EHR_KEYSTORE).
	#[arg(long, global = true)]
	pub keystore: Option<PathBuf>,
	/// Off-chain store, repeatable (overrides the settings and EHR_STORES).
	#[arg(long = "store", global = true)]
	pub stores: Vec<String>,
	/// Development mode (also EHR_DEVELOPMENT=1 or `development = true`): use the public
	/// development keys and `//Alice`-style accounts, with a development chain on this machine
	/// only.
	#[arg(long = "dev", global = true)]
	pub development: bool,
	/// Development mode against the local test network of four hospitals on this machine
	/// (scripts/local-network.sh), whose chain says `Local`. A flag only: no setting turns it
	/// on.
	#[arg(long, global = true)]
	pub local_testnet: bool,
	/// Allow plain ws:// to a node on another machine (also EHR_ALLOW_INSECURE_NODE=1 or
	/// `allow_insecure_node = true`), for a network that is itself trusted.
	#[arg(long, global = true)]
	pub allow_insecure_node: bool,
	/// The key to act as: a keystore name, or `//Alice`-style development accounts in
	/// development mode (--dev). The passphrase comes from EHR_PASSPHRASE or a prompt.
	#[arg(long = "as", env = "EHR_AS", global = true)]
	pub as_key: Option<String>,
	/// Print JSON instead of text.
	#[arg(long, global = true)]
	pub json: bool,
	/// Read the best block and return once a transaction is in one, instead of waiting for
	/// finality: for a chain whose finality has stalled, so that its hospitals can vote on
	/// the recovery (`ehr consortium propose note-stalled`). What is read or written this way
	/// may still be reverted.
	#[arg(long, global = true)]
	pub best_blocks: bool,
}

impl Global {
	/// The settings: the file's and the environment's, with these flags over them.
	pub fn settings(&self) -> anyhow::Result<Settings> {
		let mut settings = Settings::load(self.config.as_deref())?;
		if let Some(node) = &self.node {
			settings.node = node.clone();
		}
		if let Some(dir) = &self.keystore {
			settings.keystore = dir.clone();
		}
		if !self.stores.is_empty() {
			settings.stores = self.stores.clone();
		}
		settings.development |= self.development || self.local_testnet;
		settings.local_testnet = self.local_testnet;
		settings.allow_insecure_node |= self.allow_insecure_node;
		Ok(settings)
	}
}

/// A command's context: the flags, the settings, the keystore and the connected client.
pub struct Context<'a> {
	/// The global flags.
	pub global: &'a Global,
	/// The settings in force.
	pub settings: &'a Settings,
	/// The keystore.
	pub keystore: &'a Keystore,
	/// The connected client.
	pub client: &'a Client,
}

impl Context<'_> {
	/// Whether to print JSON.
	pub fn json(&self) -> bool {
		self.global.json
	}

	/// Prints `value` as JSON or as `text` makes it.
	pub fn print<T: Serialize>(
		&self,
		value: &T,
		text: impl FnOnce(&T) -> String,
	) -> anyhow::Result<()> {
		output::print(self.json(), value, text)
	}

	/// The key to act as (`--as`), unlocked.
	pub fn me(&self) -> anyhow::Result<Identity> {
		identity(self.global, self.settings)
	}

	/// The account a user typed: an SS58 address, a keystore name or a development name.
	pub fn account(&self, text: &str) -> anyhow::Result<AccountId> {
		Ok(parse::resolve_account(text, self.keystore)?)
	}

	/// The consortium's emergency key, unlocked: a keystore name (its passphrase from
	/// EHR_EMERGENCY_PASSPHRASE or a prompt) or, in development mode, `//Emergency`.
	pub fn emergency_key(&self, name: &str) -> anyhow::Result<Identity> {
		if let Some(dev) = name.strip_prefix("//") {
			if !self.settings.development {
				return Err(Error::Key("development keys are public and work only in development mode (--dev or EHR_DEVELOPMENT=1)".into()).into());
			}
			return Ok(Identity::dev(dev)?);
		}
		let pass =
			passphrase("EHR_EMERGENCY_PASSPHRASE", "Passphrase of the emergency key: ", false)?;
		Ok(self.keystore.unlock(name, &pass)?)
	}
}

/// A passphrase from the environment variable `variable`, or asked at the terminal with
/// `prompt` (twice, if `confirm`).
pub fn passphrase(
	variable: &str,
	prompt: &str,
	confirm: bool,
) -> anyhow::Result<zeroize::Zeroizing<String>> {
	if let Ok(value) = std::env::var(variable) {
		return Ok(zeroize::Zeroizing::new(value));
	}
	if !std::io::stdin().is_terminal() {
		return Err(
			Error::Key(format!("no passphrase: set {variable} or run in a terminal")).into()
		);
	}
	let first = zeroize::Zeroizing::new(rpassword::prompt_password(prompt)?);
	if confirm {
		let second = zeroize::Zeroizing::new(rpassword::prompt_password("Repeat it: ")?);
		if first != second {
			return Err(Error::Key("the passphrases differ".into()).into());
		}
	}
	Ok(first)
}

/// Warns when a new key's passphrase is short enough to guess.
pub fn warn_if_weak(passphrase: &str) {
	if passphrase.chars().count() < WEAK_PASSPHRASE {
		eprintln!(
			"warning: this passphrase is shorter than {WEAK_PASSPHRASE} characters; anyone who copies the key file can guess it"
		);
	}
}

/// The identity to act as: a keystore key (its passphrase from EHR_PASSPHRASE or a prompt) or,
/// in development mode, a development key such as `//Alice`.
fn identity(global: &Global, settings: &Settings) -> anyhow::Result<Identity> {
	let name = global
		.as_key
		.as_deref()
		.ok_or_else(|| Error::Input("say which key to act as with --as NAME (or EHR_AS)".into()))?;
	if let Some(dev) = name.strip_prefix("//") {
		if !settings.development {
			return Err(Error::Key(format!("development keys such as //{dev} are public and work only in development mode (--dev or EHR_DEVELOPMENT=1), against a development chain on this machine (or the local test network, with --local-testnet)")).into());
		}
		return Ok(Identity::dev(dev)?);
	}
	let keystore = Keystore::open(&settings.keystore);
	let info = keystore.info(name)?;
	let pass = passphrase(
		"EHR_PASSPHRASE",
		&format!("Passphrase for {} ({}): ", info.name, info.account),
		false,
	)?;
	Ok(keystore.unlock(name, &pass)?)
}
