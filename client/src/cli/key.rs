//! `ehr key`: the local keystore. Needs no node.

use std::io::IsTerminal;

use clap::Subcommand;
use ehr_client::keys::{Identity, KeyInfo, Keystore};
use ehr_client::Error;

use super::{
	context::{passphrase, warn_if_weak},
	output::print,
};

/// What `ehr key` does.
#[derive(Subcommand)]
pub enum KeyCommand {
	/// Make a new key and store it.
	New {
		/// Name to store it under.
		name: String,
		/// Print the recovery phrase once, to write down.
		#[arg(long)]
		show_phrase: bool,
	},
	/// Store a key from its secret phrase, read from standard input.
	Import {
		/// Name to store it under.
		name: String,
	},
	/// List the stored keys (public parts only).
	List,
}

/// A key's public parts, in one line.
fn key_text(i: &KeyInfo) -> String {
	format!("{}  {}  encryption key {}", i.name, i.account, i.encryption_key)
}

/// Runs `command` on `keystore`, printing JSON if `json`.
pub fn run(json: bool, keystore: &Keystore, command: &KeyCommand) -> anyhow::Result<()> {
	match command {
		KeyCommand::New { name, show_phrase } => {
			if keystore.info(name).is_ok() {
				return Err(Error::Key(format!(
					"a key named `{name}` already exists in {}",
					keystore.dir().display()
				))
				.into());
			}
			let pass = passphrase("EHR_PASSPHRASE", &format!("Passphrase for {name}: "), true)?;
			warn_if_weak(&pass);
			let (_, phrase) = Identity::generate()?;
			let info = keystore.add(name, &phrase, &pass)?;
			print(json, &info, key_text)?;
			if *show_phrase {
				eprintln!("recovery phrase (write it down, keep it offline): {}", phrase.as_str());
			}
			Ok(())
		},
		KeyCommand::Import { name } => {
			let mut line = zeroize::Zeroizing::new(String::new());
			if std::io::stdin().is_terminal() {
				*line = rpassword::prompt_password("Secret phrase: ")?;
			} else {
				std::io::stdin().read_line(&mut line)?;
			}
			let uri = line.trim();
			if uri.is_empty() {
				return Err(Error::Input("no secret phrase on standard input".into()).into());
			}
			let pass = passphrase("EHR_PASSPHRASE", &format!("Passphrase for {name}: "), true)?;
			warn_if_weak(&pass);
			let info = keystore.add(name, uri, &pass)?;
			print(json, &info, key_text)
		},
		KeyCommand::List => {
			let keys = keystore.list()?;
			print(json, &keys, |k| {
				if k.is_empty() {
					return format!("no keys in {}", keystore.dir().display());
				}
				k.iter().map(key_text).collect::<Vec<_>>().join("\n")
			})
		},
	}
}
