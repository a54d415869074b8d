//! `ehr consortium`: the hospitals' decisions, as motions of the chain's council.

use std::path::PathBuf;

use clap::Subcommand;
use ehr_client::{
	chain::Receipt,
	consortium::{self, ConsortiumView, Decision, Motion, MotionReceipt, Outcome},
	Error,
};

use super::{
	output::{print, receipt_text},
	parse::{Kind, Profession},
	Context,
};

/// What a hospital does in the consortium.
#[derive(Subcommand)]
pub enum ConsortiumCommand {
	/// The hospitals and the share of them a motion needs.
	Show,
	/// The open motions, with their votes.
	Motions,
	/// Propose a decision to the other hospitals (and vote aye on it). With one hospital (a
	/// development chain) it is carried out at once.
	#[command(subcommand)]
	Propose(Proposal),
	/// Vote on a motion; the vote that settles it also closes it.
	Vote {
		/// The motion's hash, as `ehr consortium motions` shows it.
		motion: String,
		/// Vote nay (default: aye).
		#[arg(long)]
		nay: bool,
	},
	/// Close a motion whose voting time is up (unvoted hospitals count as nay).
	Close {
		/// The motion's hash.
		motion: String,
	},
	/// Make this hospital's validator keys on its own node (given with --node, on this
	/// machine) and register them; the hospital must have been admitted. Its node validates
	/// from the session after next.
	SetKeys,
	/// Name this hospital's node, in place of the one before, by its network key (on the
	/// node's machine): the hospitals' nodes let it connect as they import the block.
	SetNode {
		/// The node's network key: its `--node-key-file`, or
		/// `<base path>/chains/<chain id>/network/secret_ed25519`.
		#[arg(long)]
		node_key_file: PathBuf,
	},
	/// Print a node's peer id and its proof that it is a hospital's (by default the hospital
	/// of --as), for the motion admitting that hospital; run it on the node's machine.
	NodeProof {
		/// The node's network key file.
		#[arg(long)]
		node_key_file: PathBuf,
		/// The hospital's account (default: the account of --as).
		#[arg(long)]
		account: Option<String>,
	},
	/// Make an account an administrator of this hospital (--as the hospital): it registers and
	/// manages the hospital's professionals, the patients they register and their emergency
	/// accesses.
	AppointAdmin {
		/// The account.
		account: String,
	},
	/// Remove one of this hospital's own administrators (--as the hospital).
	DismissAdmin {
		/// The account.
		account: String,
	},
	/// Apply the runtime upgrade the consortium approved (any member may).
	ApplyUpgrade {
		/// The runtime's compressed wasm (`ehr_runtime.compact.compressed.wasm`).
		wasm: PathBuf,
	},
}

/// The decisions a hospital may propose.
#[derive(Subcommand)]
pub enum Proposal {
	/// Admit a hospital by the account it will vote with, with its node.
	AdmitHospital {
		/// The hospital's account.
		account: String,
		/// Its name.
		#[arg(long)]
		name: String,
		/// Its node's peer id (12D3KooW…), which the hospitals' nodes then let connect. (Not
		/// `--node`: that is the node this command talks to.)
		#[arg(long)]
		node_id: String,
		/// The node's proof that it is the hospital's (`ehr consortium node-proof` prints both).
		#[arg(long)]
		node_proof: String,
	},
	/// Remove a hospital (never the last).
	RemoveHospital {
		/// The hospital's account.
		account: String,
	},
	/// Require AYES of every OF hospitals for a motion (more than half; default 2 of 3).
	Threshold {
		/// Ayes…
		ayes: u32,
		/// …of every this many hospitals.
		of: u32,
	},
	/// Make an account an administrator: of a hospital (--hospital), or of the whole
	/// consortium.
	AddAdmin {
		/// The account.
		account: String,
		/// The hospital whose staff it manages; without it, it manages every hospital's.
		#[arg(long)]
		hospital: Option<String>,
	},
	/// Remove an administrator (never the last).
	RemoveAdmin {
		/// The account.
		account: String,
	},
	/// Set the proof-of-work difficulty (leading zero bits, 1 to 24).
	Difficulty {
		/// Leading zero bits.
		bits: u8,
	},
	/// Set how many transactions each role may send per window of blocks.
	Quotas {
		/// The window, in blocks.
		#[arg(long, default_value_t = 10)]
		window: u32,
		/// An admin's and a hospital's quota per window.
		#[arg(long)]
		admin: u32,
		/// A professional's quota per window.
		#[arg(long)]
		professional: u32,
		/// A patient's quota per window.
		#[arg(long)]
		patient: u32,
	},
	/// Set who may break the glass and what an emergency access may add.
	EmergencyPolicy {
		/// The professional kinds that may open emergency access (comma-separated).
		#[arg(long, value_enum, ignore_case = true, value_delimiter = ',', required = true)]
		kinds: Vec<Profession>,
		/// The document kinds an emergency access may add (comma-separated; none: read only).
		#[arg(long, value_enum, ignore_case = true, value_delimiter = ',')]
		writable: Vec<Kind>,
		/// Most emergency accesses one professional may open per period.
		#[arg(long)]
		max_opens: u32,
		/// The period, in blocks.
		#[arg(long)]
		period: u32,
	},
	/// Hand the record key of an open emergency access to its professional.
	ReleaseKey {
		/// The emergency access.
		id: u64,
		/// Keystore name of the consortium's emergency key (//Emergency in development mode).
		#[arg(long)]
		emergency_key: String,
	},
	/// Make sessions last BLOCKS (a node joins or leaves the validators within two sessions;
	/// each session's end is a block without transactions).
	SessionLength {
		/// Blocks per session (10 at least).
		blocks: u32,
	},
	/// Finality stalled for good (too many validators lost their keys): force the finality set
	/// to change to the next session's validators (register their new keys first).
	NoteStalled {
		/// Blocks after the next session's start the change takes effect.
		#[arg(long, default_value_t = 0)]
		delay: u32,
		/// The last block finalized before the stall (the highest every live node finalized).
		#[arg(long)]
		finalized: u32,
	},
	/// Approve a runtime upgrade: the hash of this wasm; then anyone applies it with
	/// `ehr consortium apply-upgrade`.
	Upgrade {
		/// The runtime's compressed wasm.
		wasm: PathBuf,
	},
}

/// Runs `command`.
pub async fn run(cx: &Context<'_>, command: &ConsortiumCommand) -> anyhow::Result<()> {
	let client = cx.client;
	match command {
		ConsortiumCommand::Show => {
			let view = client.consortium().await?;
			cx.print(&view, show_text)
		},
		ConsortiumCommand::Motions => {
			let motions = client.motions().await?;
			cx.print(&motions, |m| motions_text(m))
		},
		ConsortiumCommand::Propose(proposal) => {
			let decision = decision(cx, proposal).await?;
			let receipt = client.propose(&cx.me()?, &decision).await?;
			settled(cx.json(), &receipt)
		},
		ConsortiumCommand::Vote { motion, nay } => {
			let hash = consortium::parse_motion_hash(motion)?;
			let receipt = client.vote(&cx.me()?, hash, !nay).await?;
			settled(cx.json(), &receipt)
		},
		ConsortiumCommand::Close { motion } => {
			let hash = consortium::parse_motion_hash(motion)?;
			let receipt = client.close(&cx.me()?, hash).await?;
			settled(cx.json(), &receipt)
		},
		ConsortiumCommand::SetKeys => {
			let receipt = client.set_node_keys(&cx.me()?).await?;
			cx.print(&receipt, |r: &Receipt| {
				format!("{}; the node validates from the session after next", receipt_text(r))
			})
		},
		ConsortiumCommand::SetNode { node_key_file } => {
			let key = consortium::NodeKey::from_file(node_key_file)?;
			let receipt = client.set_node(&cx.me()?, &key).await?;
			let node = key.node();
			cx.print(&receipt, |r: &Receipt| {
				format!(
					"{}; the hospitals' nodes let {node} connect as they import the block",
					receipt_text(r)
				)
			})
		},
		ConsortiumCommand::AppointAdmin { account } => {
			let receipt = client.appoint_admin(&cx.me()?, &cx.account(account)?).await?;
			cx.print(&receipt, |r: &Receipt| receipt_text(r))
		},
		ConsortiumCommand::DismissAdmin { account } => {
			let receipt = client.dismiss_admin(&cx.me()?, &cx.account(account)?).await?;
			cx.print(&receipt, |r: &Receipt| receipt_text(r))
		},
		ConsortiumCommand::NodeProof { node_key_file, account: of } => {
			let key = consortium::NodeKey::from_file(node_key_file)?;
			let hospital = match of {
				Some(text) => cx.account(text)?,
				None => cx.me()?.account(),
			};
			let proof = client.node_proof(&key, &hospital);
			let shown = NodeProofView {
				hospital: hospital.to_string(),
				node: key.node().to_string(),
				proof: proof.to_string(),
			};
			cx.print(&shown, |p: &NodeProofView| {
				format!(
					"node {}\nproof {}\n\nadmit with: ehr consortium propose admit-hospital {} --name <name> --node-id {} --node-proof {}",
					p.node, p.proof, p.hospital, p.node, p.proof
				)
			})
		},
		ConsortiumCommand::ApplyUpgrade { wasm } => {
			let code = read_wasm(wasm)?;
			let receipt = client.apply_upgrade(&cx.me()?, code).await?;
			cx.print(&receipt, |r: &Receipt| {
				format!("{}; the new runtime runs from the next block", receipt_text(r))
			})
		},
	}
}

async fn decision(cx: &Context<'_>, proposal: &Proposal) -> anyhow::Result<Decision> {
	let account = |text: &str| cx.account(text);
	Ok(match proposal {
		Proposal::AdmitHospital { account: a, name, node_id, node_proof } => {
			Decision::AdmitHospital {
				hospital: account(a)?,
				name: name.clone(),
				node: consortium::NodeId::parse(node_id)?,
				proof: consortium::NodeProof::parse(node_proof)?,
			}
		},
		Proposal::RemoveHospital { account: a } => Decision::RemoveHospital(account(a)?),
		Proposal::Threshold { ayes, of } => Decision::SetThreshold { ayes: *ayes, of: *of },
		Proposal::AddAdmin { account: a, hospital } => Decision::AddAdmin {
			admin: account(a)?,
			hospital: hospital.as_deref().map(account).transpose()?,
		},
		Proposal::RemoveAdmin { account: a } => Decision::RemoveAdmin(account(a)?),
		Proposal::Difficulty { bits } => Decision::SetDifficulty(*bits),
		Proposal::Quotas { window, admin, professional, patient } => Decision::SetQuotas {
			window: *window,
			admin: *admin,
			professional: *professional,
			patient: *patient,
		},
		Proposal::EmergencyPolicy { kinds, writable, max_opens, period } => {
			Decision::SetEmergencyPolicy {
				kinds: kinds.iter().map(|&k| k.into()).collect(),
				writable: writable.iter().map(|&k| k.into()).collect(),
				max_opens: *max_opens,
				period: *period,
			}
		},
		Proposal::ReleaseKey { id, emergency_key } => {
			let escrow = cx.emergency_key(emergency_key)?;
			cx.client.key_release(&escrow, *id).await?
		},
		Proposal::SessionLength { blocks } => Decision::SetSessionLength(*blocks),
		Proposal::NoteStalled { delay, finalized } => {
			Decision::NoteStalled { delay: *delay, best_finalized: *finalized }
		},
		Proposal::Upgrade { wasm } => {
			let code = read_wasm(wasm)?;
			Decision::AuthorizeUpgrade { code_hash: consortium::blake2_256(&code) }
		},
	})
}

fn read_wasm(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
	let code = super::read_input(path)?;
	if code.is_empty() {
		return Err(Error::Input(format!(
			"{} is empty: give the runtime's compressed wasm",
			path.display()
		))
		.into());
	}
	Ok(code)
}

/// A node's proof, as `ehr consortium node-proof` shows it.
#[derive(serde::Serialize)]
struct NodeProofView {
	hospital: String,
	node: String,
	proof: String,
}

/// Prints where a motion stands.
fn settled(json: bool, receipt: &MotionReceipt) -> anyhow::Result<()> {
	print(json, receipt, |r| match &r.outcome {
		Outcome::Open { ayes, threshold } => {
			format!("motion {}: {ayes} of the {threshold} ayes it needs", r.hash)
		},
		Outcome::Executed => format!("motion {}: carried out", r.hash),
		Outcome::Disapproved => format!("motion {}: rejected", r.hash),
		Outcome::Closed => format!("motion {}: closed meanwhile by another hospital", r.hash),
	})
}

fn show_text(view: &ConsortiumView) -> String {
	let mut out = format!(
		"{} hospitals; a motion needs {} of every {} ({} ayes now)\n",
		view.hospitals.len(),
		view.threshold_ayes,
		view.threshold_of,
		view.ayes_needed
	);
	for hospital in &view.hospitals {
		out.push_str(&format!(
			"{:<48} {} (since block {}), node {}\n",
			hospital.account,
			hospital.name,
			hospital.admitted_at,
			hospital.node.as_deref().unwrap_or("not named yet")
		));
	}
	out.trim_end().to_string()
}

fn motions_text(motions: &[Motion]) -> String {
	if motions.is_empty() {
		return "no open motions".into();
	}
	motions
		.iter()
		.map(|m| {
			format!(
				"{}  {}\n    {} ayes, {} nays of {} needed; open until block {}",
				m.hash,
				m.proposal,
				m.ayes.len(),
				m.nays.len(),
				m.threshold,
				m.end
			)
		})
		.collect::<Vec<_>>()
		.join("\n")
}
