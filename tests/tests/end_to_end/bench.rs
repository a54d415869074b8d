//! The load generator on a real development node: an admin's cast of professionals and
//! patients, a load of entries that all land linked in their patients' chains, the yardstick
//! call, a doctor's wait, the pipeline, what is refused, and `ehr bench` saying the same.

use std::time::Duration;

use ehr_client::{
	bench::{EndedBy, LoadCall, Pace},
	chain::DocumentKind,
	keys::Identity,
	Client, Error,
};
use ehr_tests::Node;

use crate::helpers::dev_settings;

fn pace() -> Pace {
	Pace { rate: None, in_flight: 1_000, stall: Duration::from_secs(60) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_load_lands_whole_and_the_chain_reports_it_block_by_block() {
	let node = Node::dev();
	let tmp = tempfile::tempdir().expect("temp dir");
	let client = Client::connect(dev_settings(&node, tmp.path())).await.expect("connect");
	let alice = Identity::dev("Alice").expect("dev key");

	// Only an admin registers a cast, of at least one patient per professional.
	let bob = Identity::dev("Bob").expect("dev key");
	let err = client.register_cast(&bob, 1, 1).await.err().expect("Bob is no admin");
	assert!(matches!(err, Error::NotRegistered { role: "admin", .. }), "{err}");
	let err = client.register_cast(&alice, 3, 2).await.err().expect("too few patients");
	assert!(matches!(err, Error::Input(_)), "{err}");

	let cast = client.register_cast(&alice, 2, 4).await.expect("cast");
	let report = client.run_load(&cast, LoadCall::AddRecord, 42, &pace()).await.expect("load");
	assert_eq!((report.transactions, report.sent, report.included), (42, 42, 42));
	assert_eq!(report.done, 42, "every entry added: {:?}", report.failed);
	assert!(report.failed.is_empty() && report.refused.is_empty(), "{report:?}");
	assert_eq!((report.not_sent, report.not_included), (0, 0));
	assert_eq!(report.blocks.iter().map(|b| u64::from(b.ours)).sum::<u64>(), 42);
	assert!(report.blocks.iter().all(|b| b.weight_percent > 0.0 || b.ours == 0), "{report:?}");
	// Forty-two small transactions fill no block: the last block ended with the pool empty.
	assert_eq!(report.blocks.last().map(|b| b.ended_by), Some(EndedBy::PoolEmpty));
	assert_eq!(report.to_block.as_ref().map(|l| l.count), Some(42));
	let to_final = report.to_final.as_ref().expect("finalized");
	assert_eq!(to_final.count, 42);
	assert!(to_final.p50_ms <= to_final.p99_ms && to_final.p99_ms <= to_final.max_ms);

	// Each patient's chain holds its share, linked entry to entry.
	let state = client.chain.state().await.expect("state");
	let mut added = Vec::new();
	for (patient, _) in &cast.patients {
		let entries = state.entries(&patient.account()).await.expect("entries");
		added.push(entries.len() - 1);
		for pair in entries.windows(2) {
			assert_eq!(pair[1].body.prev_hash, pair[0].hash);
			assert_eq!(pair[1].body.index, pair[0].body.index + 1);
		}
	}
	// Spread evenly: 42 over four patients.
	assert_eq!(added, [11, 11, 10, 10]);

	// Studies: entries in transactions of four, one patient's each.
	let studies =
		client.run_load(&cast, LoadCall::AddRecords(4), 16, &pace()).await.expect("studies");
	assert_eq!((studies.transactions, studies.included, studies.done), (4, 4, 16), "{studies:?}");

	// The yardstick: logged reads, on the same cast.
	let reads = client.run_load(&cast, LoadCall::LogAccess, 20, &pace()).await.expect("reads");
	assert_eq!((reads.included, reads.done), (20, 20), "{reads:?}");

	// Several documents of one upload go in one transaction; a batch larger than the
	// runtime's is refused before anything is made.
	let (doctor, patient) = (&cast.professionals[0], cast.patients[0].0.account());
	let files: Vec<_> = (0..3u8)
		.map(|i| {
			(
				crate::helpers::sample(tmp.path(), &format!("scan-{i}"), 3000, i + 1),
				DocumentKind::Imaging,
			)
		})
		.collect();
	let added = client.add_documents(doctor, &patient, &files, None).await.expect("a study");
	assert_eq!(added.len(), 3);
	assert!(added.iter().all(|a| a.entry.block == added[0].entry.block && !a.already_recorded));
	let err = client
		.run_load(&cast, LoadCall::AddRecords(65), 65, &pace())
		.await
		.expect_err("65 is more than a batch holds");
	assert!(matches!(err, Error::Input(ref m) if m.contains("1 to 64")), "{err}");

	// A doctor's wait, through encryption, the stores and the chain.
	let doctor = client.register_cast(&alice, 1, 1).await.expect("doctor");
	let waited = client.doctor_wait(&doctor, 2, 4096).await.expect("doctor's wait");
	assert_eq!(waited.to_final.as_ref().map(|l| l.count), Some(2));
	assert_eq!(waited.blocks.len(), 2);

	// The pipeline: four steps, each with a speed.
	let pipeline = client.measure_pipeline(1 << 20).await.expect("pipeline");
	assert_eq!(pipeline.steps.len(), 4);
	assert!(pipeline.steps.iter().all(|s| s.mb_per_second > 0.0));
	let err = client.measure_pipeline(0).await.expect_err("nothing to measure");
	assert!(matches!(err, Error::Input(_)), "{err}");
}

#[test]
fn ehr_bench_reports_a_load_as_json_and_refuses_what_it_cannot_do() {
	let node = Node::dev();
	let tmp = tempfile::tempdir().expect("temp dir");
	let ehr = |who: &str, args: &[&str]| {
		std::process::Command::new(ehr_tests::client_binary())
			.args(["--dev", "--node", &node.ws_url(), "--store"])
			.arg(tmp.path().join("a"))
			.args(["--as", who, "--json", "bench"])
			.args(args)
			.output()
			.expect("ehr runs")
	};
	let out = ehr("//Alice", &["load", "--professionals", "2", "--patients", "2", "--count", "12"]);
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
	assert_eq!(report["call"], "add-record");
	assert_eq!(report["included"], 12);
	assert_eq!(report["done"], 12);
	assert_eq!(report["to_final"]["count"], 12);
	assert!(report["blocks"].as_array().is_some_and(|b| !b.is_empty()));

	// Bob is no admin: exit status 6 (not on chain as an admin), nothing registered.
	let out = ehr("//Bob", &["load", "--count", "5"]);
	assert_eq!(out.status.code(), Some(6), "{}", String::from_utf8_lossy(&out.stderr));
	// An empty load is a usage error.
	let out = ehr("//Alice", &["load", "--count", "0"]);
	assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
	let out = ehr("//Alice", &["load", "--call", "log-access", "--batch", "4"]);
	assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));

	// A batched load: 12 entries in transactions of 4.
	let out = ehr(
		"//Alice",
		&["load", "--professionals", "1", "--patients", "2", "--count", "12", "--batch", "4"],
	);
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
	assert_eq!(report["call"]["add-records"], 4);
	assert_eq!((report["transactions"].as_u64(), report["done"].as_u64()), (Some(4), Some(12)));
}
