//! Who may do what with a patient's records is the runtime's answer, on a real development
//! node: break-glass access adds what the consortium's policy allows and nothing else, its key
//! must be released first, and a suspended professional registers nobody.

use ehr_client::{
	chain::{DocumentKind, EmergencyReason, PalletError, ProfessionalKind},
	keys::Identity,
	Client, Error,
};
use ehr_tests::Node;

use crate::helpers::{dev_settings, register, register_patient, sample};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn break_glass_adds_what_the_policy_allows_and_suspended_staff_register_nobody() {
	let node = Node::dev();
	let tmp = tempfile::tempdir().expect("temp dir");
	let client = Client::connect(dev_settings(&node, tmp.path())).await.expect("connect");
	let alice = Identity::dev("Alice").expect("dev key");
	let bob = Identity::dev("Bob").expect("dev key");
	let charlie = Identity::dev("Charlie").expect("dev key");
	register(&client, &alice, &bob, "Dr Bob", ProfessionalKind::Doctor).await;
	register(&client, &alice, &charlie, "Dr Charlie", ProfessionalKind::Doctor).await;
	let (patient, _) = register_patient(&client, &bob, "ACCESS 1").await.expect("patient");
	let p = patient.account();

	// Dr Charlie has no grant; under break-glass the chain lets him add a clinical note, but
	// the key must be released to his access first.
	client
		.open_emergency(&charlie, &p, EmergencyReason::PatientUnableToConsent, 100)
		.await
		.expect("open emergency");
	let note = sample(tmp.path(), "er-note.txt", 3_000, 5);
	let add = |kind: DocumentKind| {
		let (client, charlie, note) = (&client, &charlie, note.clone());
		async move { client.add_documents(charlie, &p, &[(note, kind)], None).await }
	};
	let err = add(DocumentKind::ClinicalNote).await.expect_err("no key yet");
	assert!(matches!(err, Error::KeyNotReleased { access: 0 }), "{err}");
	let escrow = Identity::dev("Emergency").expect("dev key");
	let release = client.key_release(&escrow, 0).await.expect("key release");
	client.propose(&alice, &release).await.expect("the consortium releases the key");

	let added = add(DocumentKind::ClinicalNote).await.expect("a note under break-glass");
	assert_eq!(added[0].entry.index, 1);
	assert_eq!(added[0].entry.author, charlie.account().to_string());
	// What the policy does not allow is refused before anything is sent or stored.
	let before = client.records(&p).await.expect("records").len();
	let err =
		add(DocumentKind::Prescription).await.expect_err("no prescriptions under break-glass");
	assert!(
		matches!(err, Error::NoRight { error: PalletError::EmergencyWriteNotAllowed, .. }),
		"{err}"
	);
	assert_eq!(err.class().exit_code(), 7);
	assert_eq!(client.records(&p).await.expect("records").len(), before);
	// Bob reads what Charlie wrote under break-glass.
	let out = tmp.path().join("read-note");
	client.read_document(&bob, &p, 1, &out, false).await.expect("bob reads the note");
	assert_eq!(std::fs::read(&out).expect("read"), std::fs::read(&note).expect("note"));

	// A suspended professional cannot be a patient's registrar: the patient's device is told
	// before it signs anything.
	client.suspend_professional(&alice, &charlie.account()).await.expect("suspend");
	let (newcomer, _) = Identity::generate().expect("key");
	let err = client
		.registration_request(&newcomer, &charlie.account())
		.await
		.expect_err("suspended registrar");
	assert!(
		matches!(err, Error::NoRight { error: PalletError::ProfessionalSuspended, .. }),
		"{err}"
	);
	// The suspended doctor's break-glass access gives it nothing any more.
	let err = client
		.read_document(&charlie, &p, 1, &tmp.path().join("suspended"), false)
		.await
		.expect_err("suspended reader");
	assert!(
		matches!(err, Error::NoRight { error: PalletError::ProfessionalSuspended, .. }),
		"{err}"
	);
}
