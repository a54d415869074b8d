//! The whole story, on a real development node, through the client library: registration,
//! documents, reads, grants, revoke, emergency access, damaged replicas, verification, the audit
//! history, and refusals of everyone without the right.

use ehr_client::{
	audit::{HistoryEvent, Page},
	chain::{
		DocumentKind, EmergencyReason, GrantScope, PalletError, ProfessionalKind, ReviewOutcome,
	},
	config::Settings,
	consortium::{Decision, Outcome},
	crypto,
	keys::Identity,
	store, Class, Client, Error,
};
use ehr_tests::Node;

use crate::helpers::{dev_settings, register, register_patient, sample};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_story_on_a_real_node() {
	let node = Node::dev();
	let tmp = tempfile::tempdir().expect("temp dir");
	// A client that is not in development mode trusts no chain it was not told of, and one
	// told of another chain refuses this one.
	let production = Settings { development: false, ..dev_settings(&node, tmp.path()) };
	let err = Client::connect(production.clone()).await.err().expect("no genesis hash set");
	assert!(err.to_string().contains("genesis_hash"), "{err}");
	let other_chain = Settings { genesis_hash: Some([7; 32]), ..production };
	let err = Client::connect(other_chain).await.err().expect("another chain's genesis hash");
	assert!(err.to_string().contains("another chain"), "{err}");
	let client = Client::connect(dev_settings(&node, tmp.path())).await.expect("connect");
	assert!(client.chain.is_development());
	let alice = Identity::dev("Alice").expect("dev key");
	let bob = Identity::dev("Bob").expect("dev key");
	let charlie = Identity::dev("Charlie").expect("dev key");
	let dave = Identity::dev("Dave").expect("dev key");
	let ferdie = Identity::dev("Ferdie").expect("dev key");

	// A non-member is refused at the pool, before anything is written.
	let refused = client
		.open_emergency(&ferdie, &alice.account(), EmergencyReason::Other, 10)
		.await
		.expect_err("a non-member's transaction");
	assert!(refused.to_string().contains("not a member"), "{refused}");

	// An admin registers the doctors and a lab.
	register(&client, &alice, &bob, "Dr Bob", ProfessionalKind::Doctor).await;
	register(&client, &alice, &charlie, "Dr Charlie", ProfessionalKind::Doctor).await;
	register(&client, &alice, &dave, "Lab Dave", ProfessionalKind::Laboratory).await;
	// A professional cannot register another one.
	let err = client
		.register_professional(
			&bob,
			&ferdie.account(),
			[1; 32],
			ProfessionalKind::Doctor,
			"x",
			"x",
			"x",
			"x",
		)
		.await
		.expect_err("only admins register professionals");
	assert!(matches!(&err, Error::Refused { error, .. } if error == "NotAdmin"), "{err}");

	// The doctor registers a patient from the request its own device made (its secret never
	// leaves it); sending the same request again finds the registration done. The same
	// insurance number cannot be registered twice, nor a patient without its consent.
	let (patient, registered) =
		register_patient(&client, &bob, "AB 123 456").await.expect("register patient");
	assert!(registered.receipt.is_some());
	let request =
		client.registration_request(&patient, &bob.account()).await.expect("same request");
	let again = client.register_patient(&bob, &request, "AB 123 456").await.expect("retry");
	assert!(again.receipt.is_none(), "a retry finds the registration done");
	assert_eq!(again.registered_at, registered.registered_at);
	let err =
		register_patient(&client, &bob, "ab123-456").await.expect_err("duplicate insurance number");
	assert!(matches!(&err, Error::Refused { error, .. } if error == "DuplicateInsurance"), "{err}");
	let (stranger, _) = Identity::generate().expect("new key");
	let mut forged =
		client.registration_request(&stranger, &charlie.account()).await.expect("request");
	forged.registrar = bob.account().to_string();
	let err =
		client.register_patient(&bob, &forged, "CD 1").await.expect_err("consent for charlie");
	assert!(matches!(&err, Error::Refused { error, .. } if error == "InvalidConsent"), "{err}");
	let p = patient.account();
	assert_eq!(client.my_patients(&bob.account()).await.expect("my patients").len(), 1);

	// The patient grants the lab read access.
	client.grant(&patient, &dave.account(), GrantScope::Read, None).await.expect("grant");
	let doctors = client.my_doctors(&p).await.expect("my doctors");
	assert_eq!(doctors.len(), 2);
	assert!(doctors.iter().all(|g| g.live));

	// The patient's profile (health data: name, address) lives off chain, encrypted; grantees
	// read it, others do not.
	let profile = sample(tmp.path(), "profile.txt", 900, 5);
	client.set_profile(&patient, Some(&profile)).await.expect("set profile");
	let lab_profile = tmp.path().join("lab-profile");
	client.read_profile(&dave, &p, &lab_profile, false).await.expect("lab reads the profile");
	assert_eq!(
		std::fs::read(&lab_profile).expect("profile"),
		std::fs::read(&profile).expect("original")
	);
	let err = client
		.read_profile(&charlie, &p, &tmp.path().join("x"), false)
		.await
		.expect_err("no grant");
	assert!(matches!(err, Error::NoRight { error: PalletError::NotAllowedToRead, .. }), "{err}");

	// The doctor adds a prescription PDF and an X-ray image, back to back.
	let pdf = sample(tmp.path(), "prescription.pdf", 150_000, 7);
	let xray = sample(tmp.path(), "xray.png", 3 * 1024 * 1024 + 11, 13);
	let added = client
		.add_documents(
			&bob,
			&p,
			&[(pdf.clone(), DocumentKind::Prescription), (xray.clone(), DocumentKind::Imaging)],
			None,
		)
		.await
		.expect("add documents");
	assert_eq!(added.iter().map(|a| a.entry.index).collect::<Vec<_>>(), [1, 2]);
	assert!(added.iter().all(|a| !a.already_recorded));
	// Sending the same file again finds the entry instead of making a second one.
	let again = client
		.add_documents(&bob, &p, &[(pdf.clone(), DocumentKind::Prescription)], None)
		.await
		.expect("retry");
	assert!(again[0].already_recorded);
	assert_eq!(again[0].entry.index, 1);
	assert_eq!(client.records(&p).await.expect("records").len(), 3);

	// The patient reads both back, bit for bit; the lab (granted) can read too.
	for (index, original) in [(1, &pdf), (2, &xray)] {
		let out = tmp.path().join(format!("read-{index}"));
		client.read_document(&patient, &p, index, &out, false).await.expect("patient reads");
		assert_eq!(
			std::fs::read(&out).expect("read back"),
			std::fs::read(original).expect("original")
		);
	}
	client.read_document(&dave, &p, 1, &tmp.path().join("lab-1"), false).await.expect("lab reads");
	// Reading never overwrites a file unless told to.
	let err = client
		.read_document(&patient, &p, 1, &tmp.path().join("read-1"), false)
		.await
		.expect_err("exists");
	assert!(matches!(err, Error::OutputExists(_)), "{err}");

	// A second doctor without a grant is refused and gets no file.
	let stolen = tmp.path().join("stolen");
	let err = client.read_document(&charlie, &p, 1, &stolen, false).await.expect_err("no grant");
	assert!(matches!(err, Error::NoRight { error: PalletError::NotAllowedToRead, .. }), "{err}");
	assert!(!stolen.exists());
	// The lab's read-only grant does not let it write.
	let err = client
		.add_documents(&dave, &p, &[(pdf.clone(), DocumentKind::LabResult)], None)
		.await
		.expect_err("read only");
	assert!(matches!(err, Error::NoRight { error: PalletError::ReadOnlyGrant, .. }), "{err}");

	// A revoke of someone without a grant is refused before anything is sent: no key of the
	// next epoch reaches anyone (it once reached every other grantee).
	let err =
		client.revoke(&patient, &charlie.account()).await.expect_err("charlie holds no grant");
	assert!(matches!(err, Error::Denied(_)), "{err}");
	assert_eq!(
		client
			.chain
			.state()
			.await
			.expect("state")
			.patient(&p)
			.await
			.expect("patient")
			.expect("exists")
			.key_epoch,
		0
	);
	let old_grant = client
		.chain
		.state()
		.await
		.expect("state")
		.grant(&p, &dave.account())
		.await
		.expect("grant")
		.expect("exists");
	let old_seeds =
		crypto::open_seeds(dave.encryption(), &p.0, &old_grant.envelope.0).expect("lab's envelope");
	assert_eq!(old_seeds.epoch(), 0, "the lab holds the key of epoch 0 only");

	// After a revoke, the doctor (re-granted in the same call) writes under the new epoch, and
	// the lab cannot decrypt it, through the client or with the key it held.
	let receipts = client.revoke(&patient, &dave.account()).await.expect("revoke");
	assert_eq!(receipts.len(), 1, "the revoke and the doctor's re-grant are one call");
	let note = sample(tmp.path(), "note.txt", 4_000, 3);
	let added = client
		.add_documents(&bob, &p, &[(note.clone(), DocumentKind::ClinicalNote)], None)
		.await
		.expect("add after revoke");
	let entry = &added[0].entry;
	assert_eq!((entry.index, entry.key_epoch), (3, 1));
	let err = client
		.read_document(&dave, &p, 3, &tmp.path().join("lab-3"), false)
		.await
		.expect_err("revoked");
	assert!(matches!(err, Error::NoRight { error: PalletError::GrantRevoked, .. }), "{err}");
	let blob = tmp.path().join("blob-3");
	let hash = store::parse_locator(entry.locator.as_bytes()).expect("locator");
	client.stores.fetch(&hash, &blob, false, &|_| {}).await.expect("fetch");
	assert!(old_seeds.seed_of(1).is_err(), "an earlier seed never gives a later one");
	let with_old_key = crypto::decrypt(
		&p.0,
		&crypto::record_key(&old_seeds.seed_of(0).expect("its own epoch")),
		std::fs::File::open(&blob).expect("blob"),
		std::io::sink(),
		|_| {},
	);
	assert!(with_old_key.is_err(), "the revoked key opens the new document");

	// The emergency lifecycle: opened, key released from escrow, read, closed, reviewed.
	client
		.open_emergency(&charlie, &p, EmergencyReason::LifeThreatening, 100)
		.await
		.expect("open emergency");
	let err = client
		.read_document(&charlie, &p, 3, &tmp.path().join("er-early"), false)
		.await
		.expect_err("no key yet");
	assert!(matches!(err, Error::KeyNotReleased { access: 0 }), "{err}");
	let escrow = Identity::dev("Emergency").expect("dev key");
	// Releasing the escrowed key is the consortium's decision: on the development chain, its
	// one hospital's proposal is carried out at once.
	let release = client.key_release(&escrow, 0).await.expect("key release");
	let released = client.propose(&alice, &release).await.expect("release key");
	assert_eq!(released.outcome, Outcome::Executed);
	let err = client.propose(&charlie, &release).await.expect_err("charlie is no hospital");
	assert!(matches!(err, Error::Denied(_)), "{err}");
	// A decision the chain refuses comes back as the pallet's error.
	let err = client.propose(&alice, &Decision::SetDifficulty(99)).await.expect_err("bounds");
	assert!(
		matches!(&err, Error::Refused { error, .. } if error == "DifficultyOutOfBounds"),
		"{err}"
	);
	let er = tmp.path().join("er-3");
	client.read_document(&charlie, &p, 3, &er, false).await.expect("emergency read");
	assert_eq!(std::fs::read(&er).expect("read"), std::fs::read(&note).expect("note"));
	let err =
		client.review_emergency(&alice, 0, ReviewOutcome::Justified).await.expect_err("still open");
	assert!(matches!(&err, Error::Refused { error, .. } if error == "EmergencyStillOpen"), "{err}");
	let closed = client.close_emergency(&patient, 0).await.expect("close");
	assert!(closed.patient_should_rotate, "the key was released to the access");
	let err = client
		.read_document(&charlie, &p, 3, &tmp.path().join("er-late"), false)
		.await
		.expect_err("closed");
	assert!(matches!(err, Error::NoRight { error: PalletError::NotAllowedToRead, .. }), "{err}");
	client.review_emergency(&alice, 0, ReviewOutcome::Justified).await.expect("review");
	assert_eq!(
		client
			.chain
			.state()
			.await
			.expect("state")
			.counts()
			.await
			.expect("counts")
			.unreviewed_emergency_accesses,
		0
	);
	// The released key opens what is written under it until the patient rotates: after the
	// rotation, the break-glass reader's copy opens nothing new.
	let released = client
		.chain
		.state()
		.await
		.expect("state")
		.emergency(0)
		.await
		.expect("access")
		.expect("exists");
	let er_seeds =
		crypto::open_seeds(charlie.encryption(), &p.0, &released.key_envelope.expect("released").0)
			.expect("charlie's released key");
	client.rotate_key(&patient).await.expect("rotate");
	let note2 = sample(tmp.path(), "note2.txt", 2_000, 9);
	let added = client
		.add_documents(&bob, &p, &[(note2.clone(), DocumentKind::ClinicalNote)], None)
		.await
		.expect("add after rotation");
	assert_eq!((added[0].entry.index, added[0].entry.key_epoch), (4, 2));
	let hash = store::parse_locator(added[0].entry.locator.as_bytes()).expect("locator");
	let blob = tmp.path().join("blob-4");
	client.stores.fetch(&hash, &blob, false, &|_| {}).await.expect("fetch");
	let with_released = crypto::decrypt(
		&p.0,
		&crypto::record_key(&er_seeds.seed_of(er_seeds.epoch()).expect("its epoch")),
		std::fs::File::open(&blob).expect("blob"),
		std::io::sink(),
		|_| {},
	);
	assert!(with_released.is_err(), "the released key opens a document written after rotation");
	// Break-glass is the consortium's to allow: the laboratory may not open it.
	let err = client
		.open_emergency(&dave, &p, EmergencyReason::LifeThreatening, 10)
		.await
		.expect_err("a laboratory breaks no glass");
	assert!(
		matches!(&err, Error::Refused { error, .. } if error == "KindMayNotBreakGlass"),
		"{err}"
	);

	// One flipped bit in one replica is detected and repaired from the other.
	let xray_hash =
		store::parse_locator(added_locator(&client, &p, 2).await.as_bytes()).expect("locator");
	let damaged = tmp.path().join("a").join(store::locator(&xray_hash));
	let mut bytes = std::fs::read(&damaged).expect("replica");
	bytes[12_345] ^= 0x10;
	std::fs::write(&damaged, &bytes).expect("damage");
	let report = client.verify(&p, Some(&patient)).await.expect("verify");
	assert!(report.ok(), "{report:?}");
	assert_eq!((report.documents, report.documents_decrypted), (4, 4));
	assert!(report.not_decrypted.is_none(), "{report:?}");
	// The revoked lab still verifies the chain, and is told it could check no content.
	let lab_report = client.verify(&p, Some(&dave)).await.expect("verify as the lab");
	assert!(lab_report.ok(), "{lab_report:?}");
	assert_eq!(lab_report.documents_decrypted, 0, "{lab_report:?}");
	assert!(lab_report.not_decrypted.is_some(), "{lab_report:?}");
	assert_eq!(report.repaired.len(), 1, "{report:?}");
	assert_eq!(
		(report.repaired[0].index, report.repaired[0].state),
		(Some(2), store::ReplicaState::Repaired)
	);
	assert_eq!(crypto::sha256(&std::fs::read(&damaged).expect("repaired")), xray_hash);
	// Both replicas damaged: the read fails clearly and writes nothing.
	for replica in ["a", "b"] {
		let path = tmp.path().join(replica).join(store::locator(&xray_hash));
		let mut bytes = std::fs::read(&path).expect("replica");
		bytes[7] ^= 1;
		std::fs::write(&path, bytes).expect("damage");
	}
	let out = tmp.path().join("never");
	let err = client.read_document(&patient, &p, 2, &out, false).await.expect_err("no good copy");
	assert!(matches!(err, Error::NoGoodReplica(_)), "{err}");
	assert!(!out.exists());
	let report = client.verify(&p, None).await.expect("verify");
	assert_eq!(report.first_bad.map(|b| b.index), Some(2));

	// Bad input: a missing file, a file over the limit, an unknown patient. Nothing is written.
	let before = client.chain.state().await.expect("state").counts().await.expect("counts").records;
	let err = client
		.add_documents(&bob, &p, &[(tmp.path().join("nope.pdf"), DocumentKind::Other)], None)
		.await
		.expect_err("missing");
	assert!(matches!(err, Error::FileNotFound(_)), "{err}");
	let big = tmp.path().join("big.bin");
	std::fs::File::create(&big).and_then(|f| f.set_len(9 * 1024 * 1024)).expect("big file");
	let err = client
		.add_documents(&bob, &p, &[(big, DocumentKind::Imaging)], None)
		.await
		.expect_err("too large");
	assert!(matches!(err, Error::FileTooLarge { .. }), "{err}");
	let err = client
		.add_documents(&bob, &ferdie.account(), &[(note, DocumentKind::Other)], None)
		.await
		.expect_err("unknown patient");
	assert!(matches!(err, Error::NotRegistered { role: "patient", .. }), "{err}");
	assert_eq!(err.class(), Class::NotFound);
	assert_eq!(
		client.chain.state().await.expect("state").counts().await.expect("counts").records,
		before
	);

	// The audit history lists every event touching the patient, in order.
	let history = client.history(Some(&p), 1, None).await.expect("history");
	let names: Vec<&str> = history.iter().map(|e| e.event.as_str()).collect();
	assert_eq!(
		names,
		[
			"PatientRegistered",
			"AccessGranted", // the registrar
			"AccessGranted", // the lab
			"PatientProfileUpdated",
			"ProfileAccessed", // the lab reads it
			"RecordAdded",
			"RecordAdded",
			"RecordAccessed",
			"RecordAccessed",
			"RecordAccessed",
			"AccessRevoked",
			"AccessGranted", // the doctor, again, with the new key
			"RecordAdded",
			"EmergencyAccessOpened",
			"EmergencyKeyReleased",
			"RecordAccessed",
			"EmergencyAccessClosed",
			"EmergencyAccessReviewed",
			"RecordKeyRotated",
			"AccessGranted", // the doctor, with the rotated key
			"RecordAdded",
			"RecordAccessed", // the read of the damaged X-ray: logged first, then refused
		]
	);
	assert!(history
		.windows(2)
		.all(|w| (w[0].block, w[0].event_index) < (w[1].block, w[1].event_index)));
	// The dashboard shows the newest events a page at a time, all read at one block.
	let page = |number| Page { size: 3, number };
	let stats = client.stats(10_000, page(1)).await.expect("stats");
	let (from, to) = stats.recent_blocks;
	let all = client.history(None, from, Some(to)).await.expect("every event");
	assert_eq!(stats.recent_total, all.len());
	let at = |events: &[HistoryEvent]| -> Vec<(u64, u32)> {
		events.iter().map(|e| (e.block, e.event_index)).collect()
	};
	let newest: Vec<_> = all.iter().rev().take(3).cloned().collect();
	assert_eq!(at(&stats.recent), at(&newest));
	let older = client.stats(10_000, page(2)).await.expect("stats");
	let next: Vec<_> = all.iter().rev().skip(3).take(3).cloned().collect();
	assert_eq!(at(&older.recent), at(&next));
	let past_the_end = client.stats(10_000, page(stats.recent_total + 1)).await.expect("stats");
	assert!(past_the_end.recent.is_empty());
	let err = client.stats(10, Page { size: 0, number: 1 }).await.expect_err("an empty page");
	assert!(matches!(err, Error::Input(_)), "{err}");

	// A read the chain would not log releases nothing: here, a suspended patient's own read.
	client.suspend_patient(&alice, &p).await.expect("suspend");
	let unlogged = tmp.path().join("unlogged");
	let err = client.read_document(&patient, &p, 1, &unlogged, false).await.expect_err("unlogged");
	assert!(matches!(err, Error::NoRight { error: PalletError::PatientSuspended, .. }), "{err}");
	assert!(!unlogged.exists(), "the plaintext was released without its read on chain");
	client.reinstate_patient(&alice, &p).await.expect("back");

	// The same file by another author, or as another kind, is a new entry: only the same
	// document by the same author as the same kind is a retry.
	client.grant(&patient, &charlie.account(), GrantScope::ReadWrite, None).await.expect("grant");
	let by_charlie = client
		.add_documents(&charlie, &p, &[(note2.clone(), DocumentKind::ClinicalNote)], None)
		.await
		.expect("charlie adds the same file");
	assert!(!by_charlie[0].already_recorded, "another author's entry");
	let as_referral = client
		.add_documents(&bob, &p, &[(note2, DocumentKind::Referral)], None)
		.await
		.expect("bob adds it as a referral");
	assert!(!as_referral[0].already_recorded, "another kind's entry");
	assert_eq!(as_referral[0].entry.index, by_charlie[0].entry.index + 1);
}

/// A walk-in patient whose key its registrar made moves to a key only it holds: the
/// registrar's copy of the old key can no longer act for the patient nor open what is written
/// afterwards, while the patient (and its doctor) still read everything, before and after.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_moves_away_from_the_key_its_registrar_made() {
	let node = Node::dev();
	let tmp = tempfile::tempdir().expect("temp dir");
	let client = Client::connect(dev_settings(&node, tmp.path())).await.expect("connect");
	let alice = Identity::dev("Alice").expect("dev key");
	let bob = Identity::dev("Bob").expect("dev key");
	register(&client, &alice, &bob, "Dr Bob", ProfessionalKind::Doctor).await;
	// Alice, an admin, made the walk-in patient's key, and keeps a copy.
	let (walkin, _) = register_patient(&client, &alice, "WALK 1").await.expect("walk-in");
	let w = walkin.account();
	client.grant(&walkin, &bob.account(), GrantScope::ReadWrite, None).await.expect("grant");
	let before = sample(tmp.path(), "before.txt", 1_000, 11);
	client
		.add_documents(&bob, &w, &[(before.clone(), DocumentKind::ClinicalNote)], None)
		.await
		.expect("before the move");

	let bridges = client.bridges_for_move(&walkin).await.expect("bridges");
	let moved = Identity::generate().expect("new key").0.with_bridges(bridges);
	client.move_account(&walkin, &moved).await.expect("move");
	let after = sample(tmp.path(), "after.txt", 1_000, 12);
	let added = client
		.add_documents(&bob, &w, &[(after.clone(), DocumentKind::ClinicalNote)], None)
		.await
		.expect("after the move");
	let (index, epoch) = (added[0].entry.index, added[0].entry.key_epoch);
	assert_eq!((index, epoch), (2, 1));

	// The old key acts no more: the chain refuses it, and the client says why.
	let err = client
		.open_emergency(&walkin, &w, EmergencyReason::Other, 10)
		.await
		.expect_err("the old key signs for nobody");
	assert!(err.to_string().contains("not a member"), "{err}");
	let err = client.rotate_key(&walkin).await.expect_err("moved");
	assert!(err.to_string().contains("moved"), "{err}");
	// The old key's seeds do not open the document written after the move.
	let hash = store::parse_locator(added[0].entry.locator.as_bytes()).expect("locator");
	let blob = tmp.path().join("blob-after");
	client.stores.fetch(&hash, &blob, false, &|_| {}).await.expect("fetch");
	let old = walkin.record_seeds(epoch).expect("old chain").seed_of(epoch).expect("seed");
	let opened = crypto::decrypt(
		&w.0,
		&crypto::record_key(&old),
		std::fs::File::open(&blob).expect("blob"),
		std::io::sink(),
		|_| {},
	);
	assert!(opened.is_err(), "the registrar's copy opens a document written after the move");

	// The patient, with its new key, and its doctor read both.
	for (reader, name) in [(&moved, "patient"), (&bob, "doctor")] {
		for (i, original) in [(1, &before), (index, &after)] {
			let out = tmp.path().join(format!("{name}-{i}"));
			client.read_document(reader, &w, i, &out, false).await.expect("read");
			assert_eq!(std::fs::read(&out).expect("out"), std::fs::read(original).expect("in"));
		}
	}
	let report = client.verify(&w, Some(&moved)).await.expect("verify");
	assert!(report.ok() && report.documents_decrypted == 2, "{report:?}");
}

async fn added_locator(
	client: &Client,
	patient: &ehr_client::chain::AccountId,
	index: usize,
) -> String {
	client.records(patient).await.expect("records")[index].locator.clone()
}
