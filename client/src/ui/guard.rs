//! What stands between the browser and the keys: `ehr ui` serves loopback only, and every
//! request must
//! - come from the user who started it (on Linux, the kernel's socket table says who owns the
//!   client's end: see [`super::peer`]);
//! - name this server as its `Host` (a page of another site that resolves its own name to
//!   127.0.0.1, DNS rebinding, is refused);
//! - not be sent by another site's page, nor by a page of another port of this machine
//!   (`Sec-Fetch-Site`, where the browser sends it);
//! - carry the session cookie, which only opening the per-launch link (`/open?secret=…`, printed
//!   in the terminal) sets: HttpOnly, SameSite=Strict;
//! - when it changes anything (any method but GET and HEAD), come from this server's own pages
//!   (`Origin`), so another site cannot post a form to it.
//!
//! The stylesheet and the script need no session (the refusal page uses the stylesheet).
//!
//! Every answer forbids caching (the pages show health data), framing and sniffing, and carries
//! a Content-Security-Policy that admits only this server's own scripts and styles.

use std::net::SocketAddr;

use axum::{
	extract::{ConnectInfo, Request, State},
	http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode},
	middleware::Next,
	response::{IntoResponse, Redirect, Response},
};

use super::App;

/// The cookie that carries the session.
pub const COOKIE: &str = "ehr_session";

/// The policy every page is served with.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
	connect-src 'self'; form-action 'self'; frame-src 'self'; object-src 'self'; \
	frame-ancestors 'self'; base-uri 'none'";

/// The per-launch secrets: the one in the printed link, and the session it opens.
pub struct Secrets {
	/// In the link the terminal prints; exchanged once per browser for the cookie.
	pub link: String,
	/// The cookie's value.
	pub session: String,
	/// The hosts this server answers to: `127.0.0.1:PORT` and `localhost:PORT`.
	pub hosts: [String; 2],
}

impl Secrets {
	/// New random secrets for a server on `port`.
	pub fn new(port: u16) -> Result<Self, ehr_client::Error> {
		let random = || ehr_client::crypto::Secret32::random().map(|s| hex::encode(s.expose()));
		Ok(Self {
			link: random()?,
			session: random()?,
			hosts: [format!("127.0.0.1:{port}"), format!("localhost:{port}")],
		})
	}

	/// Whether `host` names this server.
	fn is_ours(&self, host: Option<&str>) -> bool {
		host.is_some_and(|host| self.hosts.iter().any(|ours| ours.eq_ignore_ascii_case(host)))
	}

	/// Whether `origin` is one of this server's own pages.
	fn is_our_origin(&self, origin: &str) -> bool {
		self.hosts.iter().any(|host| origin.eq_ignore_ascii_case(&format!("http://{host}")))
	}
}

/// Compares two secrets in time that does not depend on where they differ.
fn same_secret(given: &str, expected: &str) -> bool {
	let (given, expected) = (given.as_bytes(), expected.as_bytes());
	given.len() == expected.len()
		&& given.iter().zip(expected).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
}

/// Whether any cookie `name` in `headers` holds `expected` (a page of another port may have set
/// one of the same name first).
fn has_cookie(headers: &HeaderMap, name: &str, expected: &str) -> bool {
	headers
		.get_all(header::COOKIE)
		.iter()
		.filter_map(|value| value.to_str().ok())
		.flat_map(|value| value.split(';'))
		.filter_map(|pair| pair.trim().split_once('='))
		.any(|(key, value)| key == name && same_secret(value, expected))
}

/// The `secret` parameter of a query string.
fn link_secret(query: Option<&str>) -> Option<&str> {
	query?.split('&').find_map(|pair| pair.strip_prefix("secret="))
}

/// Why a request is turned away, before it reaches a page.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
	/// The `Host` header names another server.
	UnknownHost,
	/// No session cookie, or another one.
	NoSession,
	/// The link's secret is wrong.
	WrongSecret,
	/// A change requested by another site's page.
	CrossOrigin,
	/// A request another site's (or another port's) page made the browser send.
	CrossSite,
	/// A connection from another user of this machine.
	OtherUser,
}

impl Refusal {
	fn status(&self) -> StatusCode {
		match self {
			Refusal::UnknownHost
			| Refusal::CrossOrigin
			| Refusal::CrossSite
			| Refusal::OtherUser => StatusCode::FORBIDDEN,
			Refusal::NoSession | Refusal::WrongSecret => StatusCode::UNAUTHORIZED,
		}
	}

	fn message(&self) -> &'static str {
		match self {
			Refusal::UnknownHost => "This server answers only to its own address on this machine.",
			Refusal::NoSession | Refusal::WrongSecret => {
				"Open the link `ehr ui` printed in its terminal: it holds this session's secret."
			},
			Refusal::CrossOrigin => "A change can only be asked from this application's own pages.",
			Refusal::CrossSite => {
				"This application answers only to its own pages and to links opened directly."
			},
			Refusal::OtherUser => "This application answers only to the user who started it.",
		}
	}
}

/// What to do with a request: let it through, open a session, or refuse it.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
	/// A request of the open session.
	Pass,
	/// The link was opened: set the cookie and go to the home page.
	Open,
	/// Turned away.
	Refuse(Refusal),
}

/// Decides on a request with `method`, `path`, `query` and `headers`, over a connection from
/// this process's user or not (`same_user`).
pub fn decide(
	secrets: &Secrets,
	method: &Method,
	path: &str,
	query: Option<&str>,
	headers: &HeaderMap,
	same_user: bool,
) -> Decision {
	let header = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
	if !same_user {
		return Decision::Refuse(Refusal::OtherUser);
	}
	if !secrets.is_ours(header(header::HOST)) {
		return Decision::Refuse(Refusal::UnknownHost);
	}
	// Browsers say who made them send a request: this server's own pages, or the user (a link
	// opened, an address typed). Another port of 127.0.0.1 is the same "site" to cookies, so
	// `same-site` is refused like `cross-site`.
	if header(HeaderName::from_static("sec-fetch-site"))
		.is_some_and(|site| site != "same-origin" && site != "none")
	{
		return Decision::Refuse(Refusal::CrossSite);
	}
	let changes = !matches!(*method, Method::GET | Method::HEAD);
	if changes && !header(header::ORIGIN).is_some_and(|origin| secrets.is_our_origin(origin)) {
		return Decision::Refuse(Refusal::CrossOrigin);
	}
	if path.starts_with("/assets/") && !changes {
		return Decision::Pass;
	}
	if path == "/open" && !changes {
		return match link_secret(query) {
			Some(given) if same_secret(given, &secrets.link) => Decision::Open,
			_ => Decision::Refuse(Refusal::WrongSecret),
		};
	}
	if has_cookie(headers, COOKIE, &secrets.session) {
		Decision::Pass
	} else {
		Decision::Refuse(Refusal::NoSession)
	}
}

/// The middleware: [`decide`], then the headers every answer carries.
pub async fn guard(
	State(app): State<std::sync::Arc<App>>,
	ConnectInfo(peer): ConnectInfo<SocketAddr>,
	request: Request,
	next: Next,
) -> Response {
	let decision = decide(
		&app.secrets,
		request.method(),
		request.uri().path(),
		request.uri().query(),
		request.headers(),
		super::peer::same_user(peer, app.address),
	);
	let mut response = match decision {
		Decision::Pass => next.run(request).await,
		Decision::Open => {
			let mut response = Redirect::to("/").into_response();
			let cookie =
				format!("{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/", app.secrets.session);
			if let Ok(value) = HeaderValue::from_str(&cookie) {
				response.headers_mut().insert(header::SET_COOKIE, value);
			}
			response
		},
		Decision::Refuse(refusal) => {
			let page = super::page::refused(refusal.message());
			(refusal.status(), page).into_response()
		},
	};
	let headers = response.headers_mut();
	// A document served as data brings its own, stricter policy.
	headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(CSP));
	headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
	headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
	// Not `no-referrer`: with it, browsers send `Origin: null` on the forms, which the guard refuses.
	headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
	headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
	response
}

#[cfg(test)]
mod tests {
	use super::*;

	fn secrets() -> Secrets {
		Secrets {
			link: "a".repeat(64),
			session: "b".repeat(64),
			hosts: ["127.0.0.1:8740".into(), "localhost:8740".into()],
		}
	}

	fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
		let mut map = HeaderMap::new();
		for (name, value) in pairs {
			map.append(name.clone(), HeaderValue::from_str(value).unwrap());
		}
		map
	}

	const SESSION: &str =
		"ehr_session=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

	#[test]
	fn the_link_opens_a_session_and_the_cookie_keeps_it() {
		let s = secrets();
		let host = headers(&[(header::HOST, "127.0.0.1:8740")]);
		let link = format!("secret={}", s.link);
		assert_eq!(decide(&s, &Method::GET, "/open", Some(&link), &host, true), Decision::Open);
		let with_cookie = headers(&[
			(header::HOST, "localhost:8740"),
			(header::COOKIE, &format!("x=1; {SESSION}")),
		]);
		assert_eq!(decide(&s, &Method::GET, "/patient", None, &with_cookie, true), Decision::Pass);
	}

	#[test]
	fn no_secret_a_wrong_one_or_another_host_is_refused() {
		let s = secrets();
		let host = headers(&[(header::HOST, "127.0.0.1:8740")]);
		assert_eq!(
			decide(&s, &Method::GET, "/", None, &host, true),
			Decision::Refuse(Refusal::NoSession)
		);
		let wrong = format!("secret={}", "c".repeat(64));
		assert_eq!(
			decide(&s, &Method::GET, "/open", Some(&wrong), &host, true),
			Decision::Refuse(Refusal::WrongSecret)
		);
		let short = format!("secret={}", &s.link[..10]);
		assert_eq!(
			decide(&s, &Method::GET, "/open", Some(&short), &host, true),
			Decision::Refuse(Refusal::WrongSecret)
		);
		// DNS rebinding: another name that resolves here, with a stolen-looking cookie.
		let rebound = headers(&[(header::HOST, "evil.example:8740"), (header::COOKIE, SESSION)]);
		assert_eq!(
			decide(&s, &Method::GET, "/", None, &rebound, true),
			Decision::Refuse(Refusal::UnknownHost)
		);
		assert_eq!(
			decide(&s, &Method::GET, "/", None, &HeaderMap::new(), true),
			Decision::Refuse(Refusal::UnknownHost)
		);
	}

	#[test]
	fn other_users_other_ports_and_planted_cookies_get_nothing() {
		let s = secrets();
		let ours = headers(&[(header::HOST, "127.0.0.1:8740"), (header::COOKIE, SESSION)]);
		assert_eq!(
			decide(&s, &Method::GET, "/", None, &ours, false),
			Decision::Refuse(Refusal::OtherUser)
		);
		// A page of another port of 127.0.0.1 makes the browser send the cookie along.
		for site in ["same-site", "cross-site"] {
			let mut sent = ours.clone();
			sent.insert("sec-fetch-site", HeaderValue::from_static(site));
			assert_eq!(
				decide(&s, &Method::GET, "/records/x/1/file", None, &sent, true),
				Decision::Refuse(Refusal::CrossSite),
				"{site}"
			);
		}
		for site in ["same-origin", "none"] {
			let mut sent = ours.clone();
			sent.insert("sec-fetch-site", HeaderValue::from_static(site));
			assert_eq!(decide(&s, &Method::GET, "/", None, &sent, true), Decision::Pass, "{site}");
		}
		// A cookie of the same name planted first does not hide the session's.
		let planted = format!("ehr_session=x; {SESSION}");
		let both = headers(&[(header::HOST, "127.0.0.1:8740"), (header::COOKIE, &planted)]);
		assert_eq!(decide(&s, &Method::GET, "/", None, &both, true), Decision::Pass);
		// The stylesheet needs no session; nothing else does without one.
		let bare = headers(&[(header::HOST, "127.0.0.1:8740")]);
		assert_eq!(
			decide(&s, &Method::GET, "/assets/style.css", None, &bare, true),
			Decision::Pass
		);
		assert_eq!(
			decide(&s, &Method::GET, "/assetsx", None, &bare, true),
			Decision::Refuse(Refusal::NoSession)
		);
	}

	#[test]
	fn a_change_must_come_from_our_own_pages() {
		let s = secrets();
		let ours = headers(&[
			(header::HOST, "127.0.0.1:8740"),
			(header::COOKIE, SESSION),
			(header::ORIGIN, "http://127.0.0.1:8740"),
		]);
		assert_eq!(decide(&s, &Method::POST, "/patient/grant", None, &ours, true), Decision::Pass);
		for origin in
			[None, Some("http://evil.example"), Some("http://127.0.0.1:9999"), Some("null")]
		{
			let mut theirs =
				headers(&[(header::HOST, "127.0.0.1:8740"), (header::COOKIE, SESSION)]);
			if let Some(origin) = origin {
				theirs.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
			}
			assert_eq!(
				decide(&s, &Method::POST, "/patient/grant", None, &theirs, true),
				Decision::Refuse(Refusal::CrossOrigin),
				"{origin:?}"
			);
		}
		// Opening a session is never a change another site can make.
		let link = format!("secret={}", s.link);
		let post =
			headers(&[(header::HOST, "127.0.0.1:8740"), (header::ORIGIN, "http://evil.example")]);
		assert_eq!(
			decide(&s, &Method::POST, "/open", Some(&link), &post, true),
			Decision::Refuse(Refusal::CrossOrigin)
		);
	}
}
