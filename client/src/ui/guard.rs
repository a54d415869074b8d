//! What stands between the browser and the keys: `ehr ui` serves loopback only, and every
//! request must
//! - name this server as its `Host` (a page of another site that resolves its own name to
//!   127.0.0.1, DNS rebinding, is refused);
//! - carry the session cookie, which only opening the per-launch link (`/open?secret=…`, printed
//!   in the terminal) sets: HttpOnly, SameSite=Strict;
//! - when it changes anything (any method but GET and HEAD), come from this server's own pages
//!   (`Origin`), so another site cannot post a form to it.
//!
//! Every answer forbids caching (the pages show health data), framing and sniffing, and carries
//! a Content-Security-Policy that admits only this server's own scripts and styles.

use axum::{
	extract::{Request, State},
	http::{header, HeaderMap, HeaderValue, Method, StatusCode},
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

/// The value of cookie `name` in `headers`.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
	headers
		.get_all(header::COOKIE)
		.iter()
		.filter_map(|value| value.to_str().ok())
		.flat_map(|value| value.split(';'))
		.filter_map(|pair| pair.trim().split_once('='))
		.find_map(|(key, value)| (key == name).then_some(value))
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
}

impl Refusal {
	fn status(&self) -> StatusCode {
		match self {
			Refusal::UnknownHost | Refusal::CrossOrigin => StatusCode::FORBIDDEN,
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

/// Decides on a request with `method`, `path`, `query` and `headers`.
pub fn decide(
	secrets: &Secrets,
	method: &Method,
	path: &str,
	query: Option<&str>,
	headers: &HeaderMap,
) -> Decision {
	let header = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
	if !secrets.is_ours(header(header::HOST)) {
		return Decision::Refuse(Refusal::UnknownHost);
	}
	let changes = !matches!(*method, Method::GET | Method::HEAD);
	if changes && !header(header::ORIGIN).is_some_and(|origin| secrets.is_our_origin(origin)) {
		return Decision::Refuse(Refusal::CrossOrigin);
	}
	if path == "/open" && !changes {
		return match link_secret(query) {
			Some(given) if same_secret(given, &secrets.link) => Decision::Open,
			_ => Decision::Refuse(Refusal::WrongSecret),
		};
	}
	match cookie(headers, COOKIE) {
		Some(session) if same_secret(session, &secrets.session) => Decision::Pass,
		_ => Decision::Refuse(Refusal::NoSession),
	}
}

/// The middleware: [`decide`], then the headers every answer carries.
pub async fn guard(
	State(app): State<std::sync::Arc<App>>,
	request: Request,
	next: Next,
) -> Response {
	let decision = decide(
		&app.secrets,
		request.method(),
		request.uri().path(),
		request.uri().query(),
		request.headers(),
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
	headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
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
		assert_eq!(decide(&s, &Method::GET, "/open", Some(&link), &host), Decision::Open);
		let with_cookie = headers(&[
			(header::HOST, "localhost:8740"),
			(header::COOKIE, &format!("x=1; {SESSION}")),
		]);
		assert_eq!(decide(&s, &Method::GET, "/patient", None, &with_cookie), Decision::Pass);
	}

	#[test]
	fn no_secret_a_wrong_one_or_another_host_is_refused() {
		let s = secrets();
		let host = headers(&[(header::HOST, "127.0.0.1:8740")]);
		assert_eq!(
			decide(&s, &Method::GET, "/", None, &host),
			Decision::Refuse(Refusal::NoSession)
		);
		let wrong = format!("secret={}", "c".repeat(64));
		assert_eq!(
			decide(&s, &Method::GET, "/open", Some(&wrong), &host),
			Decision::Refuse(Refusal::WrongSecret)
		);
		let short = format!("secret={}", &s.link[..10]);
		assert_eq!(
			decide(&s, &Method::GET, "/open", Some(&short), &host),
			Decision::Refuse(Refusal::WrongSecret)
		);
		// DNS rebinding: another name that resolves here, with a stolen-looking cookie.
		let rebound = headers(&[(header::HOST, "evil.example:8740"), (header::COOKIE, SESSION)]);
		assert_eq!(
			decide(&s, &Method::GET, "/", None, &rebound),
			Decision::Refuse(Refusal::UnknownHost)
		);
		assert_eq!(
			decide(&s, &Method::GET, "/", None, &HeaderMap::new()),
			Decision::Refuse(Refusal::UnknownHost)
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
		assert_eq!(decide(&s, &Method::POST, "/patient/grant", None, &ours), Decision::Pass);
		for origin in
			[None, Some("http://evil.example"), Some("http://127.0.0.1:9999"), Some("null")]
		{
			let mut theirs =
				headers(&[(header::HOST, "127.0.0.1:8740"), (header::COOKIE, SESSION)]);
			if let Some(origin) = origin {
				theirs.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
			}
			assert_eq!(
				decide(&s, &Method::POST, "/patient/grant", None, &theirs),
				Decision::Refuse(Refusal::CrossOrigin),
				"{origin:?}"
			);
		}
		// Opening a session is never a change another site can make.
		let link = format!("secret={}", s.link);
		let post =
			headers(&[(header::HOST, "127.0.0.1:8740"), (header::ORIGIN, "http://evil.example")]);
		assert_eq!(
			decide(&s, &Method::POST, "/open", Some(&link), &post),
			Decision::Refuse(Refusal::CrossOrigin)
		);
	}
}
