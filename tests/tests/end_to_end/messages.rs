//! Messages about a patient on a real development node: a doctor with a grant and the patient
//! write to each other, nothing readable reaches the chain or the stores, a doctor without a
//! right can neither write nor be written to, a tampered blob is caught, and `ehr message`
//! says the same with its exit statuses.

use ehr_client::{
	chain::{PalletError, ProfessionalKind},
	keys::Identity,
	Client, Error,
};
use ehr_tests::Node;

use crate::helpers::{dev_settings, register, register_patient};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_and_its_doctor_write_to_each_other_and_nobody_else_reads_it() {
	let node = Node::dev();
	let tmp = tempfile::tempdir().expect("temp dir");
	let settings = dev_settings(&node, tmp.path());
	let client = Client::connect(settings.clone()).await.expect("connect");
	let alice = Identity::dev("Alice").expect("dev key");
	let bob = Identity::dev("Bob").expect("dev key");
	let charlie = Identity::dev("Charlie").expect("dev key");
	register(&client, &alice, &bob, "Dr Bob", ProfessionalKind::Doctor).await;
	register(&client, &alice, &charlie, "Dr Charlie", ProfessionalKind::Doctor).await;
	let (patient, _) = register_patient(&client, &bob, "MESSAGES 1").await.expect("patient");
	let p = patient.account();

	// Dr Bob (who registered the patient, so holds its grant) writes; the patient answers.
	let sent = client
		.send_message(&bob, &p, &[p], "Your blood results are in: all normal.")
		.await
		.expect("sent");
	client.send_message(&patient, &p, &[bob.account()], "Thank you, doctor.").await.expect("reply");
	for reader in [&bob, &patient] {
		let thread = client.messages(reader, &p).await.expect("thread");
		let texts: Vec<_> = thread.iter().map(|m| m.text.clone().unwrap_or_default()).collect();
		assert_eq!(texts, ["Your blood results are in: all normal.", "Thank you, doctor."]);
		assert_eq!(thread[0].from_name, "Dr Bob");
		assert_eq!(thread[1].from_name, "patient");
		assert!(thread.iter().all(|m| m.problem.is_none() && m.sent_at.is_some()));
	}

	// The store holds only the sealed blob: not one word of the text.
	let digest = sent.digest.trim_start_matches("0x").to_string();
	let replicas = [tmp.path().join("a"), tmp.path().join("b")];
	let blobs = replicas.clone().map(|store| store.join("sha256").join(&digest));
	for path in &blobs {
		let blob = std::fs::read(path).expect("the blob is in every store");
		assert!(!blob.windows(6).any(|w| w == b"normal"));
	}

	// Dr Charlie holds no grant: he sees nothing, may not write, nor be written to.
	assert!(client.messages(&charlie, &p).await.expect("thread").is_empty());
	let err = client.send_message(&charlie, &p, &[p], "hello").await.expect_err("no right");
	assert!(matches!(err, Error::NoRight { error: PalletError::NotAllowedToRead, .. }), "{err}");
	let err = client
		.send_message(&bob, &p, &[charlie.account()], "about our patient")
		.await
		.expect_err("Charlie may not read");
	assert!(matches!(err, Error::NoRight { error: PalletError::RecipientMayNotRead, .. }), "{err}");
	let err =
		client.send_message(&bob, &p, &[bob.account()], "note to self").await.expect_err("self");
	assert!(matches!(err, Error::Input(_)), "{err}");

	// Once granted, Dr Charlie is in the conversation from then on, not before.
	client
		.grant(&patient, &charlie.account(), ehr_client::chain::GrantScope::Read, None)
		.await
		.expect("grant");
	client
		.send_message(&bob, &p, &[p, charlie.account()], "Dr Charlie will see you on Monday.")
		.await
		.expect("sent to both");
	let seen = client.messages(&charlie, &p).await.expect("thread");
	assert_eq!(seen.len(), 1);
	assert_eq!(seen[0].text.as_deref(), Some("Dr Charlie will see you on Monday."));

	// A blob changed in every store is caught, and the others still read.
	for path in &blobs {
		let mut bytes = std::fs::read(path).expect("blob");
		let last = bytes.len() - 1;
		bytes[last] ^= 1;
		std::fs::write(path, &bytes).expect("tamper");
	}
	let thread = client.messages(&patient, &p).await.expect("thread");
	assert!(thread[0].text.is_none() && thread[0].problem.is_some(), "{:?}", thread[0]);
	assert_eq!(thread[1].text.as_deref(), Some("Thank you, doctor."));

	// The command line: Dr Charlie's list, and a message from an outsider refused with 7.
	let ehr = |who: &str, args: &[&str]| {
		std::process::Command::new(ehr_tests::client_binary())
			.args(["--dev", "--node", &node.ws_url(), "--store"])
			.arg(&replicas[0])
			.arg("--store")
			.arg(&replicas[1])
			.args(["--as", who, "message"])
			.args(args)
			.output()
			.expect("ehr runs")
	};
	let ps = p.to_string();
	let listed = ehr("//Charlie", &["list", "--patient", &ps]);
	assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
	assert!(String::from_utf8_lossy(&listed.stdout).contains("see you on Monday"));
	let refused = ehr("//Dave", &["send", "--patient", &ps, "--text", "hi"]);
	assert_eq!(refused.status.code(), Some(7), "{}", String::from_utf8_lossy(&refused.stderr));
}
