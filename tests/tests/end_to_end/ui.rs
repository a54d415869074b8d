//! `ehr ui` on a real development node, driven over HTTP as a browser would: the session's
//! secret, the checks against other hosts and other sites, and a patient who grants and revokes
//! from its pages.

use std::{
	io::{BufRead, BufReader},
	process::{Child, Command, Stdio},
};

use ehr_client::{chain::ProfessionalKind, keys::Identity, Client};
use ehr_tests::{
	client_binary,
	http::{form_encode, request, Response},
	Node,
};

use crate::helpers::{dev_settings, register};

/// `ehr ui` running as keystore key `name`: the process, its port and the link it printed.
pub struct Ui {
	process: Child,
	pub port: u16,
	pub link: String,
}

impl Drop for Ui {
	fn drop(&mut self) {
		let _ = self.process.kill();
		let _ = self.process.wait();
	}
}

impl Ui {
	/// Starts `ehr ui` as `name` (a key of the keystore in `dir`, or `//Dev`), with the stores
	/// of [`dev_settings`] for `dir`, which the tests' own clients use too.
	pub fn start(node: &Node, dir: &std::path::Path, name: &str) -> Self {
		let settings = dev_settings(node, dir);
		let stores = settings.stores.iter().flat_map(|store| ["--store", store.as_str()]);
		let mut process = Command::new(client_binary())
			.args(["--dev", "--node", &node.ws_url(), "--keystore"])
			.arg(&settings.keystore)
			.args(stores)
			.args(["--as", name, "ui", "--port", "0"])
			.env("EHR_PASSPHRASE", "the test keystore passphrase")
			.stdout(Stdio::piped())
			.stderr(Stdio::inherit())
			.spawn()
			.expect("ehr ui starts");
		let stdout = process.stdout.take().expect("stdout");
		let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
		let link = lines
			.find_map(|line| line.split_once("secret): ").map(|(_, link)| link.to_string()))
			.expect("ehr ui prints its link");
		// Whatever it prints later is read, so that it never writes to a closed pipe.
		std::thread::spawn(move || lines.for_each(drop));
		let port = link
			.strip_prefix("http://127.0.0.1:")
			.and_then(|rest| rest.split('/').next())
			.and_then(|port| port.parse().ok())
			.expect("a port in the link");
		Ui { process, port, link }
	}

	pub fn host(&self) -> String {
		format!("127.0.0.1:{}", self.port)
	}

	/// Opens the session with the printed link: the cookie it sets.
	pub fn open(&self) -> String {
		let path = self.link.trim_start_matches(&format!("http://{}", self.host()));
		let opened = request(self.port, "GET", path, &[("Host", &self.host())], "");
		assert_eq!(opened.status, 303, "{opened:?}");
		let cookie = opened.header("set-cookie").expect("a session cookie");
		assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
		cookie.split(';').next().expect("name=value").to_string()
	}

	pub fn get(&self, cookie: &str, path: &str) -> Response {
		request(self.port, "GET", path, &[("Host", &self.host()), ("Cookie", cookie)], "")
	}

	fn post(&self, cookie: &str, path: &str, form: &[(&str, &str)]) -> Response {
		let body: Vec<String> =
			form.iter().map(|(k, v)| format!("{k}={}", form_encode(v))).collect();
		let origin = format!("http://{}", self.host());
		let headers = [("Host", self.host()), ("Cookie", cookie.into()), ("Origin", origin)];
		let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
		request(self.port, "POST", path, &headers, &body.join("&"))
	}
}

/// Dr Bob and Dr Charlie registered on `node`, and a patient Dr Bob registered whose key is
/// `pat` in the keystore under `dir` (what `ehr ui --as pat` unlocks).
pub async fn doctors_and_a_patient(
	node: &Node,
	dir: &std::path::Path,
	insurance: &str,
) -> (Identity, Identity, Identity) {
	let settings = dev_settings(node, dir);
	let client = Client::connect(settings.clone()).await.expect("connect");
	let alice = Identity::dev("Alice").expect("dev key");
	let bob = Identity::dev("Bob").expect("dev key");
	let charlie = Identity::dev("Charlie").expect("dev key");
	register(&client, &alice, &bob, "Dr Bob", ProfessionalKind::Doctor).await;
	register(&client, &alice, &charlie, "Dr Charlie", ProfessionalKind::Doctor).await;
	// The patient's key, made on its device and kept in its keystore under a passphrase.
	let (patient, phrase) = Identity::generate().expect("new key");
	let request = client.registration_request(&patient, &bob.account()).await.expect("request");
	client.register_patient(&bob, &request, insurance).await.expect("registered");
	let keystore = ehr_client::keys::Keystore::open(&settings.keystore);
	keystore.add("pat", &phrase, "the test keystore passphrase").expect("keystore");
	(bob, charlie, patient)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_grants_and_revokes_from_its_pages_and_strangers_get_nothing() {
	let node = Node::dev();
	let tmp = tempfile::tempdir().expect("temp dir");
	let (_bob, charlie, patient) = doctors_and_a_patient(&node, tmp.path(), "UI 1").await;

	let ui = Ui::start(&node, tmp.path(), "pat");
	let host = ui.host();

	// Without the link's secret, nothing; with another Host (DNS rebinding), nothing.
	let bare = request(ui.port, "GET", "/", &[("Host", &host)], "");
	assert_eq!(bare.status, 401, "{bare:?}");
	assert!(bare.body.contains("Open the link"), "{}", bare.body);
	let wrong = request(ui.port, "GET", "/open?secret=00", &[("Host", &host)], "");
	assert_eq!(wrong.status, 401);
	let cookie = ui.open();
	let rebound = request(
		ui.port,
		"GET",
		"/",
		&[("Host", &format!("evil.example:{}", ui.port)), ("Cookie", &cookie)],
		"",
	);
	assert_eq!(rebound.status, 403);
	// A page of another port of this machine gets the browser to send the cookie: refused.
	let from_another_port = request(
		ui.port,
		"GET",
		"/patient",
		&[("Host", &host), ("Cookie", &cookie), ("Sec-Fetch-Site", "same-site")],
		"",
	);
	assert_eq!(from_another_port.status, 403);
	// The stylesheet needs no session (the refusal page uses it); unknown pages need one.
	let style = request(ui.port, "GET", "/assets/style.css", &[("Host", &host)], "");
	assert_eq!(
		(style.status, style.header("content-type")),
		(200, Some("text/css; charset=utf-8"))
	);
	let unknown = request(ui.port, "GET", "/nowhere", &[("Host", &host)], "");
	assert_eq!(unknown.status, 401);
	assert_eq!(ui.get(&cookie, "/nowhere").status, 404);

	// The home page, with the headers every page carries.
	let home = ui.get(&cookie, "/");
	assert_eq!(home.status, 200, "{home:?}");
	assert!(home.body.contains("My records") && home.body.contains("My doctors"), "{}", home.body);
	assert_eq!(home.header("cache-control"), Some("no-store"));
	assert!(home
		.header("content-security-policy")
		.is_some_and(|p| p.contains("default-src 'none'")));

	// Another site's page cannot post a grant, even with the cookie.
	let charlie_account = charlie.account().to_string();
	let forged = request(
		ui.port,
		"POST",
		"/patient/grant",
		&[("Host", &host), ("Cookie", &cookie), ("Origin", "http://evil.example")],
		&format!("professional={charlie_account}&scope=read&days="),
	);
	assert_eq!(forged.status, 403);

	// An absurd form is refused in words, and nothing is sent.
	let absurd = ui.post(
		&cookie,
		"/patient/grant",
		&[("professional", &charlie_account), ("scope", "read"), ("days", "-3")],
	);
	assert_eq!(absurd.status, 400, "{absurd:?}");
	assert!(absurd.body.contains("is not a number of days"), "{}", absurd.body);

	// The patient grants Dr Charlie for 30 days, and revokes him.
	let granted = ui.post(
		&cookie,
		"/patient/grant",
		&[("professional", &charlie_account), ("scope", "read"), ("days", "30")],
	);
	assert_eq!(granted.status, 303, "{granted:?}");
	let doctors = ui.get(&cookie, "/patient/doctors");
	assert!(doctors.body.contains("Dr Charlie"), "{}", doctors.body);
	let revoked = ui.post(&cookie, "/patient/revoke", &[("professional", &charlie_account)]);
	assert_eq!(revoked.status, 303, "{revoked:?}");
	let after = ui.get(&cookie, "/patient/doctors");
	assert!(after.body.contains("ended"), "{}", after.body);
	// Revoking again is refused in the user's words.
	let again = ui.post(&cookie, "/patient/revoke", &[("professional", &charlie_account)]);
	assert_eq!(again.status, 403, "{again:?}");
	assert!(again.body.contains("already revoked"), "{}", again.body);

	// The history shows what happened, and exports it.
	let history = ui.get(&cookie, &format!("/audit?account={}", patient.account()));
	assert!(history.body.contains("AccessRevoked"), "{}", history.body);
	let csv = ui.get(&cookie, &format!("/audit/export.csv?account={}", patient.account()));
	assert!(csv.body.starts_with("block,event_index,event,fields"), "{}", csv.body);
}
