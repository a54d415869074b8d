//! `ehr ui` in a real, headless browser on a real development node: a patient grants and
//! revokes, a doctor adds a document the patient then opens, doctor and patient write to each
//! other and a message shows as a live notification, a doctor without a grant is refused, one
//! breaks the glass and an admin closes and reviews the access, a hospital appoints and
//! dismisses an admin of its own, and a page opened without the session's secret shows
//! nothing. Screenshots of the
//! pages go to `$CARGO_TARGET_DIR/screenshots/`, or, with `EHR_UPDATE_SCREENSHOTS=1`, to
//! `docs/screenshots/`, which the README shows.

use std::{path::PathBuf, time::Duration};

use ehr_client::{chain::ProfessionalKind, keys::Identity, Client};
use ehr_tests::{browser::Browser, repo_root, Node};

use crate::{
	helpers::{dev_settings, register},
	ui::{doctors_and_a_patient, Ui},
};

fn screenshot_dir() -> PathBuf {
	if std::env::var_os("EHR_UPDATE_SCREENSHOTS").is_some() {
		return repo_root().join("docs/screenshots");
	}
	let target = ehr_tests::client_binary();
	let target = target.parent().and_then(|p| p.parent()).expect("target dir");
	target.join("screenshots")
}

const WAIT: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patients_and_doctors_use_the_pages_in_a_real_browser() {
	assert!(
		ehr_tests::browser::available(),
		"chromium and chromedriver: run scripts/env.sh's set-up"
	);
	let node = Node::dev();
	let tmp = tempfile::tempdir().expect("temp dir");
	let (bob, charlie, patient) = doctors_and_a_patient(&node, tmp.path(), "BROWSER 1").await;
	let bob_client = Client::connect(dev_settings(&node, tmp.path())).await.expect("connect");
	let p = patient.account().to_string();
	let shots = screenshot_dir();

	let browser = tokio::task::block_in_place(Browser::start);
	tokio::task::block_in_place(|| {
		// Dr Bob adds a note to the patient's record from his pages.
		let bob_ui = Ui::start(&node, tmp.path(), "//Bob");
		browser.open(&bob_ui.link);
		browser.wait_for_text("Dashboard", WAIT);
		browser.open(&format!("http://127.0.0.1:{}/professional", bob_ui.port));
		browser.wait_for_text("latest final block", WAIT);
		browser.screenshot(&shots.join("professional-dashboard.png"));
		browser.open(&format!("http://127.0.0.1:{}/professional/patients", bob_ui.port));
		browser.wait_for_text("My patients", WAIT);
		browser.click(&format!("a[href='/records/{p}']"));
		browser.wait_for_text("Add a document", WAIT);
		let note = tmp.path().join("note.txt");
		std::fs::write(&note, "Blood pressure 120/80. Follow-up in two weeks.").expect("note");
		browser.click("select[name=kind] option[value=clinical-note]");
		browser.type_into("input[type=file]", &note.display().to_string());
		browser.click("form.card button[type=submit]");
		browser.wait_for_text("ClinicalNote", WAIT);
		browser.screenshot(&shots.join("patient-documents.png"));
		// And a prescription, from the form: rendered as a PDF and added as document 2.
		browser.click("a[href$='/prescribe']");
		browser.wait_for_text("Sign and add", WAIT);
		browser.type_into("input[name=drug]", "Amoxicillin 500 mg capsules");
		browser.type_into("input[name=dose]", "500");
		browser.fill("input[name=per_day]", "3");
		browser.type_into("textarea[name=notes]", "Take with food.");
		browser.screenshot(&shots.join("prescription-form.png"));
		browser.click("form.card button[type=submit]");
		// Back on the patient's documents once the chain has it.
		browser.wait_for_text("Add a document", WAIT);
		assert!(browser.source().contains("<td>Prescription</td>"), "{}", browser.source());
		// He writes to the patient about it.
		browser.open(&format!("http://127.0.0.1:{}/messages/{p}", bob_ui.port));
		browser.wait_for_text("Seal and send", WAIT);
		// The patient is the only one he can write to about it: already chosen.
		assert!(
			browser.source().contains(&format!("value=\"{p}\" checked")),
			"{}",
			browser.source()
		);
		browser
			.type_into("textarea[name=text]", "Your prescription is ready: three capsules a day.");
		browser.click("form.card button[type=submit]");
		browser.wait_for_text("three capsules a day", WAIT);

		// The patient opens it, and grants and revokes Dr Charlie.
		let pat_ui = Ui::start(&node, tmp.path(), "pat");
		browser.open(&pat_ui.link);
		browser.wait_for_text("My doctors", WAIT);
		browser.screenshot(&shots.join("home.png"));
		browser.open(&format!("http://127.0.0.1:{}/patient", pat_ui.port));
		browser.wait_for_text("ClinicalNote", WAIT);
		browser.screenshot(&shots.join("patient-records.png"));
		browser.open(&format!("http://127.0.0.1:{}/records/{p}/1/file", pat_ui.port));
		browser.wait_for_text("Follow-up in two weeks", WAIT);
		// The patient writes its profile; reading it back is logged on chain.
		browser.open(&format!("http://127.0.0.1:{}/profile/{p}", pat_ui.port));
		browser.wait_for_text("Write your profile", WAIT);
		browser.type_into("input[name=name]", "Ada Lovelace");
		browser.type_into("textarea[name=allergies]", "Penicillin");
		browser.click("form[action='/profile'] button");
		browser.wait_for_text("Change your profile", WAIT);
		assert!(browser.source().contains("<dd>Penicillin</dd>"), "{}", browser.source());
		browser.screenshot(&shots.join("profile.png"));
		// Dr Bob's message is in the patient's thread; one he sends while the page is open
		// shows as a notification; the patient answers.
		browser.open(&format!("http://127.0.0.1:{}/messages", pat_ui.port));
		browser.wait_for_text("three capsules a day", WAIT);
		tokio::runtime::Handle::current()
			.block_on(bob_client.send_message(
				&bob,
				&patient.account(),
				&[patient.account()],
				"Please book a follow-up.",
			))
			.expect("Dr Bob writes");
		browser.wait_for_text("New message from", WAIT);
		browser.screenshot(&shots.join("notification.png"));
		browser.click("#notices a");
		browser.wait_for_text("Please book a follow-up", WAIT);
		browser.type_into("textarea[name=text]", "Booked for Monday, thank you.");
		browser.click("form.card button[type=submit]");
		browser.wait_for_text("Booked for Monday", WAIT);
		browser.screenshot(&shots.join("messages.png"));
		// The prescription opens in the browser's PDF viewer, in the page.
		browser.open(&format!("http://127.0.0.1:{}/records/{p}/2", pat_ui.port));
		browser.wait_for_text("Prescription by", WAIT);
		std::thread::sleep(Duration::from_secs(3));
		browser.screenshot(&shots.join("prescription.png"));
		browser.open(&format!("http://127.0.0.1:{}/records/{p}/2/file", pat_ui.port));
		assert_eq!(browser.content_type(), "application/pdf");
		browser.open(&format!("http://127.0.0.1:{}/patient/doctors", pat_ui.port));
		browser.wait_for_text("Grant access", WAIT);
		let charlie_account = charlie.account().to_string();
		browser.click(&format!("select[name=professional] option[value='{charlie_account}']"));
		browser.type_into("input[name=days]", "30");
		browser.click("form.card button[type=submit]");
		browser.wait_for_text("Dr Charlie", WAIT);
		// The expiry, in blocks on chain, is shown as the day it comes.
		browser.wait_for_text("about 20", WAIT);
		browser.screenshot(&shots.join("patient-doctors.png"));
		browser.click(&format!("form.inline:has(input[value='{charlie_account}']) button.danger"));
		browser.wait_for_text("ended", WAIT);

		// Dr Charlie, whose grant ended, is refused in words; and a page opened without the
		// session's link shows nothing.
		let charlie_ui = Ui::start(&node, tmp.path(), "//Charlie");
		browser.open(&format!("http://127.0.0.1:{}/", charlie_ui.port));
		browser.wait_for_text("Open the link", WAIT);
		browser.screenshot(&shots.join("refused-without-secret.png"));
		browser.open(&charlie_ui.link);
		browser.open(&format!("http://127.0.0.1:{}/records/{p}/1/file", charlie_ui.port));
		browser.wait_for_text("revoked your grant", WAIT);
		browser.screenshot(&shots.join("refusal.png"));

		// The auditor's history.
		browser.open(&format!("http://127.0.0.1:{}/audit?account={p}", charlie_ui.port));
		browser.wait_for_text("AccessRevoked", WAIT);
		browser.screenshot(&shots.join("history.png"));

		// Dr Dave, a doctor the patient never granted, breaks the glass from the patient's
		// documents; an admin closes the access and reviews it.
		let alice = Identity::dev("Alice").expect("dev key");
		let dave = Identity::dev("Dave").expect("dev key");
		tokio::runtime::Handle::current().block_on(register(
			&bob_client,
			&alice,
			&dave,
			"Dr Dave",
			ProfessionalKind::Doctor,
		));
		let dave_ui = Ui::start(&node, tmp.path(), "//Dave");
		browser.open(&dave_ui.link);
		browser.open(&format!("http://127.0.0.1:{}/records/{p}", dave_ui.port));
		browser.wait_for_text("Break the glass", WAIT);
		browser.click("select[name=reason] option[value=unconscious]");
		browser.click("form[action='/emergency/open'] button");
		browser.wait_for_text("Your emergency access 0 is open", WAIT);
		browser.screenshot(&shots.join("emergency.png"));
		let alice_ui = Ui::start(&node, tmp.path(), "//Alice");
		browser.open(&alice_ui.link);
		browser.open(&format!("http://127.0.0.1:{}/admin", alice_ui.port));
		browser.wait_for_text("review after it closes", WAIT);
		browser.click("form[action='/emergency/close'] button");
		browser.wait_for_text("justified", WAIT);
		browser.click("form[action='/admin/review']:has(input[value=justified]) button");
		browser.wait_for_text("Justified by", WAIT);
		browser.screenshot(&shots.join("admin.png"));

		// Alice's hospital appoints an admin of its own, and dismisses it.
		let ferdie = Identity::dev("Ferdie").expect("dev key").account().to_string();
		browser.open(&format!("http://127.0.0.1:{}/hospital", alice_ui.port));
		browser.wait_for_text("Appoint an admin", WAIT);
		browser.type_into("input[name=account]", &ferdie);
		browser.click("form[action='/hospital/appoint'] button");
		browser.wait_for_text(&ferdie, WAIT);
		browser.screenshot(&shots.join("hospital.png"));
		browser.click(&format!(
			"form[action='/hospital/dismiss']:has(input[value='{ferdie}']) button"
		));
		browser.wait_for_text("no admin of its own", WAIT);
	});
}
