//! How long each page of `ehr ui` takes to answer on a development node, as each role sees it:
//! a measurement, not a test (it asserts only that each page answers). Run it with
//! `cargo test --release -p ehr-tests --test end_to_end -- --ignored page_times --nocapture`.

use std::time::{Duration, Instant};

use ehr_client::{chain::DocumentKind, Client};
use ehr_tests::Node;

use crate::{
	helpers::{dev_settings, sample},
	ui::{doctors_and_a_patient, Ui},
};

/// Times each page asked for.
const RUNS: usize = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run it by name with --ignored"]
async fn page_times() {
	let node = Node::dev();
	let tmp = tempfile::tempdir().expect("temp dir");
	let (bob, _charlie, patient) = doctors_and_a_patient(&node, tmp.path(), "TIMES 1").await;
	let client = Client::connect(dev_settings(&node, tmp.path())).await.expect("connect");
	let p = patient.account();
	let note = sample(tmp.path(), "note.txt", 2_000, 1);
	client.add_documents(&bob, &p, &[(note, DocumentKind::ClinicalNote)], None).await.expect("add");
	client.send_message(&bob, &p, &[p], "See you on Monday.").await.expect("message");

	let mut table = Vec::new();
	tokio::task::block_in_place(|| {
		for (who, pages) in [
			(
				"//Bob",
				vec![
					"/",
					"/professional",
					"/professional/patients",
					"/records/{patient}",
					"/messages/{patient}",
					"/audit",
				],
			),
			(
				"pat",
				vec![
					"/patient",
					"/patient/doctors",
					"/messages/{patient}",
					"/records/{patient}/1/file",
				],
			),
			("//Alice", vec!["/admin", "/hospital"]),
		] {
			let ui = Ui::start(&node, tmp.path(), who);
			let cookie = ui.open();
			for page in pages {
				let path = page.replace("{patient}", &p.to_string());
				let mut times: Vec<Duration> = (0..RUNS)
					.map(|_| {
						let started = Instant::now();
						let answer = ui.get(&cookie, &path);
						assert_eq!(answer.status, 200, "{who} {page}: {answer:?}");
						started.elapsed()
					})
					.collect();
				times.sort();
				table.push((who, page, times[RUNS / 2], times[RUNS - 1]));
			}
		}
	});
	println!("| as | page | median | slowest of {RUNS} |\n|---|---|---:|---:|");
	for (who, page, median, slowest) in table {
		println!("| {who} | `{page}` | {} ms | {} ms |", median.as_millis(), slowest.as_millis());
	}
}
