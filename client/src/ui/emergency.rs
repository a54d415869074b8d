//! Break-glass access from the pages: a professional opens it on a patient's documents page,
//! and the patient or an admin closes it (the same library calls as `ehr emergency`).

use axum::{
	extract::State,
	response::{IntoResponse, Redirect, Response},
	Form,
};
use clap::ValueEnum;
use ehr_client::{admin::EmergencyView, chain::AccountId, Error};
use maud::{html, Markup};
use serde::Deserialize;

use super::{
	page::{account, emergency_id, Failure},
	Me, Shared,
};
use crate::cli::parse::Reason;

/// How long a break-glass access may be asked for, in hours: the runtime allows a day.
const HOURS: [u32; 5] = [1, 2, 4, 8, 24];

/// The emergency accesses of `me` to `patient` (for a professional), or a form to open one.
pub fn section(me: &Me, patient: &AccountId, accesses: &[EmergencyView]) -> Markup {
	let mine = me.account.to_string();
	let open: Vec<_> = accesses
		.iter()
		.filter(|e| e.open && e.professional == mine && e.patient == patient.to_string())
		.collect();
	html! {
		h2 { "Emergency access" }
		@if open.is_empty() {
			p.note { "Break the glass only when the patient cannot grant you access in time: the access is recorded on chain, lasts at most a day, and an admin reviews it." }
			form.card method="post" action="/emergency/open" {
				input type="hidden" name="patient" value=(patient);
				label { "Reason"
					select name="reason" {
						@for reason in Reason::value_variants() {
							@if let Some(value) = reason.to_possible_value() { option value=(value.get_name()) { (value.get_name()) } }
						}
					}
				}
				label { "For"
					select name="hours" { @for hours in HOURS { option value=(hours) { (hours) " h" } } }
				}
				button.danger type="submit" { "Break the glass" }
			}
		} @else {
			@for access in open {
				p { "Your emergency access " (access.id) " is open until block " (access.expires_at) "; "
					(if access.key_released { "the consortium released the patient's key to it." } else { "the consortium has not released the patient's key to it yet." }) }
				p.note { "It ends by itself then; the patient or an admin may close it earlier." }
			}
		}
	}
}

/// The button that closes emergency access `id`.
pub fn close_form(id: u64) -> Markup {
	html! {
		form.inline method="post" action="/emergency/close" {
			input type="hidden" name="id" value=(id);
			button.danger type="submit" { "Close access " (id) }
		}
	}
}

/// The open form.
#[derive(Deserialize)]
pub struct OpenForm {
	patient: String,
	reason: String,
	hours: String,
}

impl OpenForm {
	fn check(&self) -> Result<(AccountId, Reason, u32), Error> {
		let patient = account(&self.patient)?;
		let reason = Reason::from_str(&self.reason, true).map_err(|_| {
			Error::Input(format!("`{}` is no reason for break-glass access", self.reason))
		})?;
		let hours =
			self.hours.trim().parse::<u32>().ok().filter(|h| HOURS.contains(h)).ok_or_else(
				|| Error::Input(format!("`{}` is not a duration offered", self.hours)),
			)?;
		Ok((patient, reason, hours))
	}
}

/// `POST /emergency/open`: then back to the patient's documents.
pub async fn open(State(app): Shared, Form(form): Form<OpenForm>) -> Response {
	let result = super::finish({
		let app = app.clone();
		async move {
			let (patient, reason, hours) = form.check()?;
			let blocks = app.client.chain.state().await?.blocks_in_minutes(hours * 60)?;
			app.client.open_emergency(&app.me.identity, &patient, reason.into(), blocks).await?;
			Ok(patient)
		}
	})
	.await;
	match result {
		Ok(patient) => Redirect::to(&format!("/records/{patient}")).into_response(),
		Err(e) => Failure::new(&app.me, &e).into_response(),
	}
}

/// The close form.
#[derive(Deserialize)]
pub struct CloseForm {
	id: String,
}

/// `POST /emergency/close` (the patient or an admin): then back to the page it works from.
pub async fn close(State(app): Shared, Form(form): Form<CloseForm>) -> Response {
	let result = super::finish({
		let app = app.clone();
		async move {
			let id = emergency_id(&form.id)?;
			let closed = app.client.close_emergency(&app.me.identity, id).await?;
			Ok(closed.patient_should_rotate)
		}
	})
	.await;
	match result {
		Ok(true) if app.me.roles().patient => {
			Redirect::to("/patient/doctors?rotate=1").into_response()
		},
		Ok(_) if app.me.roles().patient => Redirect::to("/patient/doctors").into_response(),
		Ok(_) => Redirect::to("/admin").into_response(),
		Err(e) => Failure::new(&app.me, &e).into_response(),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn break_glass_needs_an_account_a_reason_and_an_offered_duration() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let form = |patient: &str, reason: &str, hours: &str| OpenForm {
			patient: patient.into(),
			reason: reason.into(),
			hours: hours.into(),
		};
		assert!(matches!(form(alice, "unconscious", "4").check(), Ok((_, Reason::Unconscious, 4))));
		for (patient, reason, hours) in [
			("nobody", "other", "1"),
			(alice, "boredom", "1"),
			(alice, "other", "3"),
			(alice, "other", "-1"),
			(alice, "other", "25"),
		] {
			assert!(matches!(form(patient, reason, hours).check(), Err(Error::Input(_))));
		}
	}
}
