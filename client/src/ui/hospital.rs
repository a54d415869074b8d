//! The hospital's page: its own administrators, appointed and dismissed by the hospital's
//! account alone (the same library calls as `ehr consortium appoint-admin` and
//! `dismiss-admin`). The consortium's decisions are motions its hospitals vote on, from
//! `ehr consortium`.

use axum::{
	extract::{Path, State},
	response::{IntoResponse, Redirect, Response},
	Form,
};
use ehr_client::Error;
use maud::html;
use serde::Deserialize;

use super::{
	page::{account, frame, short, Failure, PageResult},
	Shared,
};

/// `GET /hospital`: the hospital's admins, with a form to appoint one and a button to dismiss
/// each.
pub async fn page(State(app): Shared) -> PageResult {
	let me = &app.me;
	let fail = |e: Error| Failure::new(me, &e);
	let mine = me.account.to_string();
	let admins: Vec<_> = app
		.client
		.admins()
		.await
		.map_err(fail)?
		.into_iter()
		.filter(|a| a.hospital.as_deref() == Some(mine.as_str()))
		.collect();
	let body = html! {
		p.note { "Your admins register and manage your hospital's professionals, the patients they register and their emergency accesses, while your hospital is in the consortium." }
		@if admins.is_empty() { p.note { "Your hospital has no admin of its own yet." } }
		@else {
			table {
				thead { tr { th { "Admin" } th {} } }
				tbody {
					@for admin in &admins {
						tr {
							td { code { (admin.account) } }
							td {
								form.inline method="post" action="/hospital/dismiss" {
									input type="hidden" name="account" value=(admin.account);
									button.danger type="submit" { "Dismiss" }
								}
							}
						}
					}
				}
			}
		}
		h2 { "Appoint an admin" }
		form.card method="post" action="/hospital/appoint" {
			label { "Account (SS58)" input type="text" name="account" required; }
			button type="submit" { "Appoint" }
		}
	};
	Ok(frame(me, &format!("Hospital {}", short(&mine)), body))
}

/// A form naming one account.
#[derive(Deserialize)]
pub struct AccountForm {
	account: String,
}

/// `POST /hospital/{appoint|dismiss}`.
pub async fn change(
	State(app): Shared,
	Path(action): Path<String>,
	Form(form): Form<AccountForm>,
) -> Response {
	let result = super::finish({
		let app = app.clone();
		async move {
			let admin = account(&form.account)?;
			let hospital = &app.me.identity;
			match action.as_str() {
				"appoint" => app.client.appoint_admin(hospital, &admin).await,
				"dismiss" => app.client.dismiss_admin(hospital, &admin).await,
				other => Err(Error::NotFound(format!("no such change: {other}"))),
			}
		}
	})
	.await;
	match result {
		Ok(_) => Redirect::to("/hospital").into_response(),
		Err(e) => Failure::new(&app.me, &e).into_response(),
	}
}
