//! The frame every page shares, and the ways a page says that something went wrong. Pages are
//! built with `maud`, which escapes every value it is given: nothing a user or the chain
//! supplies becomes markup.

use axum::{
	http::StatusCode,
	response::{Html, IntoResponse, Response},
};
use maud::{html, Markup, DOCTYPE};

use super::Me;

/// A page: its title and body in the shared frame, with the roles' menus of `me`.
pub fn frame(me: &Me, title: &str, body: Markup) -> Html<String> {
	let roles = me.roles();
	Html(
		html! {
			(DOCTYPE)
			html lang="en" {
				head {
					meta charset="utf-8";
					meta name="viewport" content="width=device-width, initial-scale=1";
					title { (title) " · EHR" }
					link rel="stylesheet" href="/assets/style.css";
					script src="/assets/app.js" defer {}
				}
				body {
					header {
						a.brand href="/" { "EHR" }
						nav {
							@if roles.patient { a href="/patient" { "My records" } a href="/patient/doctors" { "My doctors" } }
							@if roles.patient || roles.professional { a href="/messages" { "Messages" } }
							@if roles.professional { a href="/professional" { "Dashboard" } a href="/professional/patients" { "Patients" } }
							@if roles.admin { a href="/admin" { "Administration" } }
							@if roles.hospital { a href="/hospital" { "Hospital" } }
							a href="/audit" { "History" }
						}
						span.who title=(me.account) { (me.label()) }
					}
					div #notices aria-live="polite" {}
					main {
						h1 { (title) }
						(body)
					}
				}
			}
		}
		.into_string(),
	)
}

/// The page a refused request gets, before any session exists.
pub fn refused(message: &str) -> Html<String> {
	Html(
		html! {
			(DOCTYPE)
			html lang="en" {
				head { meta charset="utf-8"; title { "Not allowed · EHR" } link rel="stylesheet" href="/assets/style.css"; }
				body { main { h1 { "Not allowed" } p.refusal { (message) } } }
			}
		}
		.into_string(),
	)
}

/// A failed operation, in the user's words, on a page of its own.
pub struct Failure {
	status: StatusCode,
	page: Html<String>,
}

impl Failure {
	/// `error` of the library, shown to `me`.
	pub fn new(me: &Me, error: &ehr_client::Error) -> Self {
		use ehr_client::Class;
		let status = match error.class() {
			Class::Usage => StatusCode::BAD_REQUEST,
			Class::NotFound => StatusCode::NOT_FOUND,
			Class::Denied | Class::Refused => StatusCode::FORBIDDEN,
			Class::Node | Class::Store => StatusCode::BAD_GATEWAY,
			_ => StatusCode::INTERNAL_SERVER_ERROR,
		};
		let body = html! { p.refusal role="alert" { (error) } p { a href="/" { "Home" } } };
		Self { status, page: frame(me, "That did not work", body) }
	}
}

impl IntoResponse for Failure {
	fn into_response(self) -> Response {
		(self.status, self.page).into_response()
	}
}

/// A page's result: the page, or why it could not be made.
pub type PageResult = Result<Html<String>, Failure>;

/// A short form of an account for tables: its first and last characters.
pub fn short(account: &str) -> String {
	match (account.get(..6), account.get(account.len().saturating_sub(4)..)) {
		(Some(head), Some(tail)) if account.len() > 12 => format!("{head}…{tail}"),
		_ => account.to_string(),
	}
}

/// An account a form or a path gives, in SS58.
pub fn account(text: &str) -> Result<ehr_client::chain::AccountId, ehr_client::Error> {
	text.trim()
		.parse()
		.map_err(|_| ehr_client::Error::Input(format!("`{text}` is not an account (SS58)")))
}

/// An emergency access's id a form gives.
pub fn emergency_id(text: &str) -> Result<u64, ehr_client::Error> {
	text.trim()
		.parse()
		.map_err(|_| ehr_client::Error::Input(format!("`{text}` is no emergency access")))
}
