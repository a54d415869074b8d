//! A real browser for the tests of `ehr ui`: headless Chromium driven over WebDriver by
//! Debian's `chromedriver` (packages `chromium` and `chromium-driver`, which scripts/env.sh
//! installs). Only the few commands the tests need: open a page, find, type, click, read the
//! page, take a screenshot.

use std::{
	net::TcpListener,
	path::Path,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

use serde_json::{json, Value};

use crate::http::{request_typed, try_request};

/// The key WebDriver names an element by.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A headless Chromium session, closed (with its driver) when dropped.
pub struct Browser {
	driver: Child,
	port: u16,
	session: String,
}

impl Drop for Browser {
	fn drop(&mut self) {
		let host = format!("127.0.0.1:{}", self.port);
		let path = format!("/session/{}", self.session);
		let _ = try_request(self.port, "DELETE", &path, &[("Host", &host)], "application/json", "");
		let _ = self.driver.kill();
		let _ = self.driver.wait();
	}
}

/// Whether this machine has the browser and its driver.
pub fn available() -> bool {
	which("chromedriver") && (which("chromium") || which("chromium-browser"))
}

fn which(program: &str) -> bool {
	Command::new("sh")
		.args(["-c", &format!("command -v {program}")])
		.stdout(Stdio::null())
		.status()
		.is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("port")
}

impl Browser {
	/// Starts the driver and a headless browser with a window of 1280×900.
	pub fn start() -> Self {
		let port = free_port();
		let driver = Command::new("chromedriver")
			.arg(format!("--port={port}"))
			.stdout(Stdio::null())
			.stderr(Stdio::null())
			.spawn()
			.expect("chromedriver starts (scripts/env.sh installs chromium-driver)");
		let deadline = Instant::now() + Duration::from_secs(20);
		while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
			assert!(Instant::now() < deadline, "chromedriver did not start");
			std::thread::sleep(Duration::from_millis(100));
		}
		let mut browser = Browser { driver, port, session: String::new() };
		let capabilities = json!({ "capabilities": { "alwaysMatch": {
			"browserName": "chrome",
			"goog:chromeOptions": { "args": [
				"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--window-size=1280,900",
			] }
		} } });
		let created = browser.call("POST", "/session", capabilities);
		browser.session = created["sessionId"].as_str().expect("a session id").to_string();
		browser
	}

	/// One WebDriver command; panics with the driver's error.
	fn call(&self, method: &str, path: &str, body: Value) -> Value {
		let host = format!("127.0.0.1:{}", self.port);
		let body =
			if method == "GET" || method == "DELETE" { String::new() } else { body.to_string() };
		let answer =
			request_typed(self.port, method, path, &[("Host", &host)], "application/json", &body);
		let value: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
		assert!(
			answer.status < 300,
			"WebDriver {method} {path}: {} {}",
			answer.status,
			answer.body
		);
		value["value"].clone()
	}

	fn session_call(&self, method: &str, path: &str, body: Value) -> Value {
		self.call(method, &format!("/session/{}{path}", self.session), body)
	}

	/// Opens `url`, and waits until the page has loaded.
	pub fn open(&self, url: &str) {
		eprintln!("browser: open {url}");
		self.session_call("POST", "/url", json!({ "url": url }));
	}

	/// The element `css` selects, waiting up to `wait` for it to appear.
	pub fn find(&self, css: &str, wait: Duration) -> String {
		let deadline = Instant::now() + wait;
		loop {
			let path = format!("/session/{}/element", self.session);
			let host = format!("127.0.0.1:{}", self.port);
			let body = json!({ "using": "css selector", "value": css }).to_string();
			let answer = request_typed(
				self.port,
				"POST",
				&path,
				&[("Host", &host)],
				"application/json",
				&body,
			);
			if answer.status < 300 {
				let value: Value = serde_json::from_str(&answer.body).expect("JSON");
				if let Some(element) = value["value"][ELEMENT].as_str() {
					return element.to_string();
				}
				panic!("WebDriver found `{css}` but named no element: {}", answer.body);
			}
			assert!(
				Instant::now() < deadline,
				"no element `{css}` on the page:\n{}",
				self.source()
			);
			std::thread::sleep(Duration::from_millis(200));
		}
	}

	/// Types `text` into the element `css` selects.
	pub fn type_into(&self, css: &str, text: &str) {
		let element = self.find(css, Duration::from_secs(5));
		self.session_call("POST", &format!("/element/{element}/value"), json!({ "text": text }));
	}

	/// Replaces the value of the field `css` selects with `text`.
	pub fn fill(&self, css: &str, text: &str) {
		let element = self.find(css, Duration::from_secs(5));
		self.session_call("POST", &format!("/element/{element}/clear"), json!({}));
		self.session_call("POST", &format!("/element/{element}/value"), json!({ "text": text }));
	}

	/// Clicks the element `css` selects.
	pub fn click(&self, css: &str) {
		eprintln!("browser: click {css}");
		let element = self.find(css, Duration::from_secs(5));
		self.session_call("POST", &format!("/element/{element}/click"), json!({}));
	}

	/// The page's HTML as the browser has it now.
	pub fn source(&self) -> String {
		self.session_call("GET", "/source", Value::Null).as_str().unwrap_or_default().to_string()
	}

	/// Waits up to `wait` until the page's text contains `text`; panics with the page if not.
	/// A page that is still loading (or being replaced) is asked again.
	pub fn wait_for_text(&self, text: &str, wait: Duration) {
		eprintln!("browser: wait for {text}");
		let deadline = Instant::now() + wait;
		let script =
			json!({ "script": "return document.body ? document.body.innerText : ''", "args": [] });
		loop {
			let path = format!("/session/{}/execute/sync", self.session);
			let host = format!("127.0.0.1:{}", self.port);
			let answer = request_typed(
				self.port,
				"POST",
				&path,
				&[("Host", &host)],
				"application/json",
				&script.to_string(),
			);
			let shown: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
			if answer.status < 300 && shown["value"].as_str().is_some_and(|s| s.contains(text)) {
				return;
			}
			assert!(
				Instant::now() < deadline,
				"the page never showed `{text}`:\n{}",
				self.source()
			);
			std::thread::sleep(Duration::from_millis(300));
		}
	}

	/// The content type of the document shown (`application/pdf` in the browser's PDF viewer).
	pub fn content_type(&self) -> String {
		let script = json!({ "script": "return document.contentType", "args": [] });
		self.session_call("POST", "/execute/sync", script).as_str().unwrap_or_default().to_string()
	}

	/// The address of the page shown.
	pub fn url(&self) -> String {
		self.session_call("GET", "/url", Value::Null).as_str().unwrap_or_default().to_string()
	}

	/// Writes a screenshot of the window to `path` (PNG).
	pub fn screenshot(&self, path: &Path) {
		let data = self.session_call("GET", "/screenshot", Value::Null);
		let png = base64_decode(data.as_str().expect("base64"));
		if let Some(dir) = path.parent() {
			std::fs::create_dir_all(dir).expect("screenshot directory");
		}
		std::fs::write(path, png).expect("write the screenshot");
	}
}

/// Standard base64, as WebDriver sends screenshots.
fn base64_decode(text: &str) -> Vec<u8> {
	let value = |c: u8| match c {
		b'A'..=b'Z' => Some(c - b'A'),
		b'a'..=b'z' => Some(c - b'a' + 26),
		b'0'..=b'9' => Some(c - b'0' + 52),
		b'+' => Some(62),
		b'/' => Some(63),
		_ => None,
	};
	let mut out = Vec::with_capacity(text.len() * 3 / 4);
	let (mut buffer, mut bits) = (0u32, 0);
	for sextet in text.bytes().filter_map(value) {
		buffer = (buffer << 6) | u32::from(sextet);
		bits += 6;
		if bits >= 8 {
			bits -= 8;
			out.push((buffer >> bits) as u8);
		}
	}
	out
}

#[cfg(test)]
mod tests {
	#[test]
	fn base64_decodes_what_browsers_send() {
		assert_eq!(super::base64_decode("aGVsbG8gd29ybGQ="), b"hello world");
		assert_eq!(super::base64_decode("iVBORw0KGgo="), b"\x89PNG\r\n\x1a\n");
	}
}
