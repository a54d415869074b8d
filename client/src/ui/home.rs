//! The home page: who the application acts as, and the pages of each of its roles.

use axum::response::Html;
use maud::html;

use super::{page::frame, Shared};

/// `GET /`.
pub async fn page(axum::extract::State(app): Shared) -> Html<String> {
	let me = &app.me;
	// A registration, suspension or removal since launch shows here; if the chain cannot be
	// read now, the roles as last read are shown.
	let roles = me.refresh_roles(&app.client).await.unwrap_or_else(|_| me.roles());
	let body = html! {
		p { "Acting as " strong { (me.name) } ", account " code { (me.account.to_string()) } "." }
		ul.roles {
			@if roles.patient {
				li { a href="/patient" { "My records" } " — your documents, who wrote them, and your chain's check." }
				li { a href="/patient/doctors" { "My doctors" } " — who may read your records; grant and revoke." }
			}
			@if roles.professional {
				li { a href="/professional" { "Dashboard" } " — the consortium's totals and the latest activity." }
				li { a href="/professional/patients" { "Patients" } " — the patients who granted you access." }
			}
			@if roles.admin {
				li { a href="/admin" { "Administration" } " — professionals, patients and emergency reviews." }
			}
			li { a href="/audit" { "History" } " — every event of the chain, by account and block, with export." }
		}
		@if !(roles.patient || roles.professional || roles.admin) {
			p.note { "This account holds no role on the chain: it can read the history, as an auditor does." }
		}
	};
	frame(me, "Welcome", body)
}

/// Any other path.
pub async fn not_found(
	axum::extract::State(app): Shared,
) -> (axum::http::StatusCode, Html<String>) {
	let body = html! { p { "There is no such page. " a href="/" { "Home" } } };
	(axum::http::StatusCode::NOT_FOUND, frame(&app.me, "Not found", body))
}
