//! Measures what one member flooding the feeless chain does to an honest doctor: the doctor adds
//! documents one at a time while a spammer (a registered professional) reads its own patient's
//! document from hundreds of tasks at once, each read a transaction (its log on chain) that
//! waits for its block, so hundreds are in the pool at any time. It reports the doctor's add→final latency (p50, p99) and how many of
//! the spammer's transactions got into each block.
//!
//! Against a development chain (`scripts/dev.sh --tmp`):
//!
//! ```sh
//! cargo run --release -p ehr-client --example spam -- quiet 20       # no spammer
//! cargo run --release -p ehr-client --example spam -- spam 20        # spammer, default quotas
//! cargo run --release -p ehr-client --example spam -- unlimited 20   # spammer, quotas lifted
//! ```
//!
//! `unlimited` sets every role's quota to a million per window first (as the chain was before
//! it had quotas) and restores the default quotas at the end. `EHR_NODE` names the node
//! (default `ws://127.0.0.1:9944`).

use std::{
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

use ehr_client::{
	chain::{AccountId, DocumentKind, ProfessionalKind},
	config::Settings,
	consortium::Decision,
	keys::Identity,
	Client,
};

/// Reads the spammer has in flight at once: each waits for its log's block, so this many make
/// a flood well past a professional's quota.
const SPAM_TASKS: usize = 400;

fn settings(dir: &std::path::Path) -> Settings {
	Settings {
		node: std::env::var("EHR_NODE").unwrap_or_else(|_| "ws://127.0.0.1:9944".into()),
		keystore: dir.join("keys"),
		stores: vec![dir.join("store").display().to_string()],
		emergency_key: None,
		insurance_key_file: None,
		max_document_bytes: 1 << 20,
		genesis_hash: None,
		allow_insecure_node: false,
		development: true,
		local_testnet: false,
	}
}

/// Registers `who` as a doctor unless it is one.
async fn doctor(
	client: &Client,
	admin: &Identity,
	who: &Identity,
	name: &str,
) -> anyhow::Result<()> {
	if client.chain.state().await?.professional(&who.account()).await?.is_none() {
		client
			.register_professional(
				admin,
				&who.account(),
				who.encryption().public(),
				ProfessionalKind::Doctor,
				name,
				"general",
				name,
				"Load Test Hospital",
			)
			.await?;
	}
	Ok(())
}

/// A new patient registered by `registrar`, which gets a read-write grant.
async fn patient(client: &Client, registrar: &Identity, tag: &str) -> anyhow::Result<AccountId> {
	let (patient, _) = Identity::generate()?;
	let request = client.registration_request(&patient, &registrar.account()).await?;
	let number = format!("LOAD {tag} {}", patient.account());
	client.register_patient(registrar, &request, &number).await?;
	Ok(patient.account())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
	let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
	sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	let mode = std::env::args().nth(1).unwrap_or_else(|| "spam".into());
	let documents: usize = std::env::args().nth(2).and_then(|n| n.parse().ok()).unwrap_or(20);
	if !matches!(mode.as_str(), "quiet" | "spam" | "unlimited") {
		anyhow::bail!("the mode is quiet, spam or unlimited");
	}
	let dir = tempfile::tempdir()?;
	let client = Arc::new(Client::connect(settings(dir.path())).await?);
	let alice = Identity::dev("Alice")?;
	let bob = Identity::dev("Bob")?;
	let eve = Arc::new(Identity::dev("Eve")?);
	doctor(&client, &alice, &bob, "Dr Honest").await?;
	doctor(&client, &alice, &eve, "Dr Spam").await?;
	let honest_patient = patient(&client, &bob, "honest").await?;
	let spam_patient = patient(&client, &eve, "spam").await?;
	// The document the spammer reads.
	let spam_note = dir.path().join("spam-note.txt");
	std::fs::write(&spam_note, "a note for the spammer to read\n")?;
	client
		.add_documents(&eve, &spam_patient, &[(spam_note, DocumentKind::ClinicalNote)], None)
		.await?;
	// The quotas are the consortium's decision: Alice's hospital is the development chain's
	// only one, so her proposal is carried out at once.
	let set_quotas = |admin, professional, patient| Decision::SetQuotas {
		window: 10,
		admin,
		professional,
		patient,
	};
	if mode == "unlimited" {
		client.propose(&alice, &set_quotas(1_000_000, 1_000_000, 1_000_000)).await?;
	}

	let stop = Arc::new(AtomicBool::new(false));
	let (accepted, refused) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
	let first_block = client.chain.finalized_number().await? + 1;
	let spammers: Vec<_> = (0..if mode == "quiet" { 0 } else { SPAM_TASKS })
		.map(|task| {
			let (client, eve, stop) = (client.clone(), eve.clone(), stop.clone());
			let (accepted, refused) = (accepted.clone(), refused.clone());
			let out = dir.path().join(format!("spam-read-{task}"));
			tokio::spawn(async move {
				while !stop.load(Ordering::Relaxed) {
					match client.read_document(&eve, &spam_patient, 1, &out, true).await {
						Ok(_) => {
							accepted.fetch_add(1, Ordering::Relaxed);
						},
						Err(_) => {
							refused.fetch_add(1, Ordering::Relaxed);
							tokio::time::sleep(Duration::from_millis(20)).await;
						},
					}
				}
			})
		})
		.collect();
	// Let the flood fill the pool before the doctor starts.
	if !spammers.is_empty() {
		tokio::time::sleep(Duration::from_secs(6)).await;
	}

	let mut latencies = Vec::new();
	for i in 0..documents {
		let path = dir.path().join(format!("doc-{i}.txt"));
		std::fs::write(&path, format!("note {i} of the honest doctor, {mode}\n").repeat(20))?;
		let started = Instant::now();
		client
			.add_documents(&bob, &honest_patient, &[(path, DocumentKind::ClinicalNote)], None)
			.await?;
		latencies.push(started.elapsed().as_secs_f64());
	}
	stop.store(true, Ordering::Relaxed);
	for spammer in spammers {
		spammer.await?;
	}
	let last_block = client.chain.finalized_number().await?;
	if mode == "unlimited" {
		// Back to the runtime's defaults.
		client.propose(&alice, &set_quotas(1_000, 600, 60)).await?;
	}

	let mut per_block = vec![0usize; (last_block + 1).saturating_sub(first_block) as usize];
	let eve_account = eve.account().to_string();
	for event in client.history(Some(&eve.account()), first_block, Some(last_block)).await? {
		let read_by_eve = event.fields.iter().any(|(k, v)| k == "reader" && *v == eve_account);
		if event.event == "RecordAccessed" && read_by_eve {
			per_block[(event.block - first_block) as usize] += 1;
		}
	}
	latencies.sort_by(f64::total_cmp);
	let included: usize = per_block.iter().sum();
	println!(
		"mode={mode} documents={documents} p50={:.2}s p99={:.2}s max={:.2}s blocks={} spam_reads={} spam_reads_refused={} spam_included={included} spam_per_block_max={} spam_per_block_mean={:.1}",
		percentile(&latencies, 50.0),
		percentile(&latencies, 99.0),
		latencies.last().copied().unwrap_or_default(),
		per_block.len(),
		accepted.load(Ordering::Relaxed),
		refused.load(Ordering::Relaxed),
		per_block.iter().max().copied().unwrap_or_default(),
		included as f64 / per_block.len().max(1) as f64,
	);
	Ok(())
}
