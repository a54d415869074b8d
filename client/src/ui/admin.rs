//! The administrator's page: professionals (register, suspend, reinstate, remove), patients,
//! and the emergency accesses to review.

use axum::{
	extract::{Path, State},
	response::{IntoResponse, Redirect, Response},
	Form,
};
use clap::ValueEnum;
use ehr_client::Error;
use maud::html;
use serde::Deserialize;

use super::{
	page::{account, emergency_id, frame, short, Failure, PageResult},
	App, Shared,
};
use crate::cli::parse::{Outcome, Profession};

/// `GET /admin`.
pub async fn page(State(app): Shared) -> PageResult {
	let me = &app.me;
	let fail = |e: Error| Failure::new(me, &e);
	let professionals = app.client.professionals().await.map_err(fail)?;
	let patients = app.client.patients().await.map_err(fail)?;
	let emergencies = app.client.emergencies().await.map_err(fail)?;
	let admins = app.client.admins().await.map_err(fail)?;
	let body = html! {
		h2 { "Emergency accesses" }
		table {
			thead { tr { th { "#" } th { "Professional" } th { "Patient" } th { "Reason" } th { "Open" } th { "Review" } } }
			tbody {
				@for e in &emergencies {
					tr {
						td { (e.id) }
						td { code title=(e.professional) { (short(&e.professional)) } }
						td { code title=(e.patient) { (short(&e.patient)) } }
						td { (e.reason) }
						td { (if e.open { "open" } else { "closed" }) }
						td {
							@match &e.review {
								Some(review) => { (review) },
								None if e.open => { (super::emergency::close_form(e.id)) " " span.muted { "review after it closes" } },
								None => {
									@for outcome in ["justified", "unjustified"] {
										form.inline method="post" action="/admin/review" {
											input type="hidden" name="id" value=(e.id);
											input type="hidden" name="outcome" value=(outcome);
											button.danger[outcome == "unjustified"] type="submit" { (outcome) }
										}
										" "
									}
								},
							}
						}
					}
				}
			}
		}
		h2 { "Professionals" }
		table {
			thead { tr { th { "Name" } th { "Kind" } th { "Organisation" } th { "Status" } th { "Account" } th {} } }
			tbody {
				@for p in &professionals {
					tr {
						td { (p.name) " " span.muted { (p.specialty) } }
						td { (p.kind) }
						td { (p.organisation) }
						td { (p.status) }
						td { code title=(p.account) { (short(&p.account)) } }
						td {
							@for (action, label, shown) in [("suspend", "Suspend", p.status == "Active"), ("reinstate", "Reinstate", p.status == "Suspended"), ("remove", "Remove", p.status != "Removed")] {
								@if shown {
									form.inline method="post" action={ "/admin/professional/" (action) } {
										input type="hidden" name="account" value=(p.account);
										button.danger[action != "reinstate"] type="submit" { (label) }
									}
									" "
								}
							}
						}
					}
				}
			}
		}
		h2 { "Register a professional" }
		form.card method="post" action="/admin/register" {
			label { "Account (SS58)" input type="text" name="account" required; }
			label { "Encryption key (hex, from the professional's `ehr key list`)" input type="text" name="encryption_key" required; }
			label { "Kind"
				select name="kind" {
					@for kind in Profession::value_variants() {
						@if let Some(value) = kind.to_possible_value() { option value=(value.get_name()) { (value.get_name()) } }
					}
				}
			}
			label { "Name" input type="text" name="name" required maxlength="64"; }
			label { "Specialty" input type="text" name="specialty" maxlength="64"; }
			label { "Licence number (kept on chain only as a keyed commitment)" input type="text" name="licence" required; }
			label { "Organisation" input type="text" name="organisation" required maxlength="64"; }
			button type="submit" { "Register" }
		}
		h2 { "Administrators" }
		table {
			thead { tr { th { "Admin" } th { "Manages" } } }
			tbody {
				@for admin in &admins {
					tr {
						td { code title=(admin.account) { (short(&admin.account)) } }
						td { @match &admin.hospital {
							Some(hospital) => { "the staff of hospital " code title=(hospital) { (short(hospital)) } },
							None => "everyone (the consortium's admin)",
						} }
					}
				}
			}
		}
		p.note { "The consortium adds and removes its admins by a vote of its hospitals (ehr consortium propose add-admin); each hospital appoints its own from its Hospital page." }
		h2 { "Patients" }
		table {
			thead { tr { th { "Patient" } th { "Registered by" } th { "Block" } th { "Entries" } } }
			tbody {
				@for p in &patients {
					tr {
						td { code title=(p.account) { (short(&p.account)) } }
						td { code title=(p.registered_by) { (short(&p.registered_by)) } }
						td { (p.registered_at) }
						td { (p.records) }
					}
				}
			}
		}
	};
	Ok(frame(me, "Administration", body))
}

/// A form naming one account.
#[derive(Deserialize)]
pub struct AccountForm {
	account: String,
}

/// Back to the page after a change, or the refusal.
fn after(app: &App, result: Result<(), Error>) -> Response {
	match result {
		Ok(()) => Redirect::to("/admin").into_response(),
		Err(e) => Failure::new(&app.me, &e).into_response(),
	}
}

/// `POST /admin/professional/{suspend|reinstate|remove}`.
pub async fn professional(
	State(app): Shared,
	Path(action): Path<String>,
	Form(form): Form<AccountForm>,
) -> Response {
	let result = super::finish({
		let app = app.clone();
		async move {
			let who = account(&form.account)?;
			let admin = &app.me.identity;
			match action.as_str() {
				"suspend" => app.client.suspend_professional(admin, &who).await,
				"reinstate" => app.client.reinstate_professional(admin, &who).await,
				"remove" => app.client.remove_professional(admin, &who).await,
				other => Err(Error::Input(format!("`{other}` is nothing an admin does"))),
			}
			.map(drop)
		}
	})
	.await;
	after(&app, result)
}

/// The registration form.
#[derive(Deserialize)]
pub struct RegisterForm {
	account: String,
	encryption_key: String,
	kind: String,
	name: String,
	#[serde(default)]
	specialty: String,
	licence: String,
	organisation: String,
}

/// `POST /admin/register`.
pub async fn register(State(app): Shared, Form(form): Form<RegisterForm>) -> Response {
	let result = super::finish({
		let app = app.clone();
		async move {
			let who = account(&form.account)?;
			let key = ehr_client::config::parse_hex32(&form.encryption_key, "the encryption key")
				.map_err(|_| {
				Error::Input("the encryption key must be 32 bytes of hex".into())
			})?;
			let kind = Profession::from_str(&form.kind, true)
				.map_err(|_| Error::Input(format!("`{}` is no kind of professional", form.kind)))?;
			for (what, value) in [
				("name", &form.name),
				("licence number", &form.licence),
				("organisation", &form.organisation),
			] {
				if value.trim().is_empty() {
					return Err(Error::Input(format!("the {what} is missing")));
				}
			}
			app.client
				.register_professional(
					&app.me.identity,
					&who,
					key,
					kind.into(),
					form.name.trim(),
					form.specialty.trim(),
					form.licence.trim(),
					form.organisation.trim(),
				)
				.await
				.map(drop)
		}
	})
	.await;
	after(&app, result)
}

/// The review form.
#[derive(Deserialize)]
pub struct ReviewForm {
	id: String,
	outcome: String,
}

/// `POST /admin/review`.
pub async fn review(State(app): Shared, Form(form): Form<ReviewForm>) -> Response {
	let result = super::finish({
		let app = app.clone();
		async move {
			let id = emergency_id(&form.id)?;
			let outcome = Outcome::from_str(&form.outcome, true)
				.map_err(|_| Error::Input(format!("`{}` is no review outcome", form.outcome)))?;
			app.client.review_emergency(&app.me.identity, id, outcome.into()).await.map(drop)
		}
	})
	.await;
	after(&app, result)
}
