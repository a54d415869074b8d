//! The prescription form: a professional fills it in, the application renders it as a PDF
//! (`ehr_client::prescription`), and adds it to the patient's record like any document.

use axum::{
	extract::{Path, State},
	response::{IntoResponse, Redirect, Response},
	Form,
};
use ehr_client::{
	chain::DocumentKind,
	prescription::{Prescription, UNITS},
	Error,
};
use maud::html;
use serde::Deserialize;

use super::{
	page::{frame, Failure, PageResult},
	Shared,
};

/// `GET /records/{patient}/prescribe`.
pub async fn form(State(app): Shared, Path(patient): Path<String>) -> PageResult {
	let me = &app.me;
	let body = html! {
		p { "For patient " code { (patient) } ". The prescription is rendered as a PDF, encrypted and added to the patient's record." }
		form.card method="post" action={ "/records/" (patient) "/prescribe" } {
			label { "Drug and form" input type="text" name="drug" required maxlength="120" placeholder="Amoxicillin 500 mg capsules"; }
			label { "Dose" input type="number" name="dose" required min="0.001" max="100000" step="any"; }
			label { "Unit" select name="unit" { @for unit in UNITS { option value=(unit) { (unit) } } } }
			label { "Times a day" input type="number" name="per_day" required min="1" max="24" value="1"; }
			label { "For how many days" input type="number" name="days" required min="1" max="365" value="7"; }
			label { "Notes" textarea name="notes" rows="4" maxlength="1000" {} }
			button type="submit" { "Sign and add" }
		}
	};
	Ok(frame(me, "Prescription", body))
}

/// The form as sent: numbers as text, so that a wrong one is refused in words.
#[derive(Deserialize)]
pub struct PrescriptionForm {
	drug: String,
	dose: String,
	unit: String,
	per_day: String,
	days: String,
	#[serde(default)]
	notes: String,
}

fn number<T: std::str::FromStr>(what: &str, text: &str) -> Result<T, Error> {
	text.trim().parse().map_err(|_| Error::Input(format!("`{text}` is not a number of {what}")))
}

/// `POST /records/{patient}/prescribe`.
pub async fn submit(
	State(app): Shared,
	Path(patient): Path<String>,
	Form(form): Form<PrescriptionForm>,
) -> Response {
	let me = &app.me;
	let result = super::finish({
		let app = app.clone();
		async move {
			let account = super::page::account(&patient)?;
			let professional =
				app.client.chain.state().await?.professional(&app.me.account).await?;
			let professional = professional.ok_or_else(|| Error::NotRegistered {
				who: app.me.account.to_string(),
				role: "professional",
			})?;
			let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
			let prescription = Prescription {
				patient: patient.trim().to_string(),
				prescriber: text(&professional.display_name.0),
				organisation: text(&professional.organisation.0),
				drug: form.drug.trim().to_string(),
				dose: number("dose", &form.dose)?,
				unit: form.unit.clone(),
				per_day: number("times a day", &form.per_day)?,
				days: number("days", &form.days)?,
				notes: form.notes.trim().to_string(),
				date: super::patient::written(now_millis()).chars().take(10).collect(),
			};
			// Rendered (and so checked) before anything is stored or sent.
			let pdf = prescription.render()?;
			let dir = tempfile::tempdir()?;
			let file = dir.path().join("prescription.pdf");
			tokio::fs::write(&file, pdf).await?;
			app.client
				.add_documents(
					&app.me.identity,
					&account,
					&[(file, DocumentKind::Prescription)],
					None,
				)
				.await?;
			Ok::<_, Error>(account)
		}
	})
	.await;
	match result {
		Ok(account) => Redirect::to(&format!("/records/{account}")).into_response(),
		Err(e) => Failure::new(me, &e).into_response(),
	}
}

fn now_millis() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_millis() as u64)
		.unwrap_or_default()
}
