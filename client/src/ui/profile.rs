//! A patient's profile (name, date of birth, address, contacts, allergies): health data, so
//! encrypted off chain under the patient's record key like a document. The patient writes it
//! from a form; the patient and the professionals it granted read it, each read logged on
//! chain first (the same library calls as `ehr profile set` and `ehr profile show`).

use axum::{
	extract::{Path, State},
	response::{IntoResponse, Redirect, Response},
	Form,
};
use ehr_client::Error;
use maud::html;
use serde_json::{Map, Value};

use super::{
	page::{account, frame, Failure, PageResult},
	Shared,
};

/// The profile's fields: the name each has in the stored document, and its label.
const FIELDS: [(&str, &str); 7] = [
	("name", "Name"),
	("born", "Date of birth"),
	("address", "Address"),
	("phone", "Phone"),
	("emergency_contact", "Emergency contact"),
	("allergies", "Allergies"),
	("notes", "Notes"),
];
/// Longest value of a field, in characters.
const MAX_FIELD: usize = 1_000;

/// What a stored profile holds, as the page shows it.
enum Shown {
	/// None is stored.
	Nothing,
	/// A profile written by this form: its fields.
	Fields(Map<String, Value>),
	/// Text written otherwise (`ehr profile set` takes any file).
	Text(String),
	/// A file that is not text, of this many bytes.
	Binary(usize),
}

/// `GET /profile/{patient}`: the profile, decrypted after its read is logged; for the patient,
/// the form that replaces it.
pub async fn show(State(app): Shared, Path(patient): Path<String>) -> PageResult {
	let me = &app.me;
	let fail = |e: Error| Failure::new(me, &e);
	let patient = account(&patient).map_err(fail)?;
	let own = app.client.patient_of(&me.identity).await.ok() == Some(patient);
	let dir = tempfile::tempdir().map_err(|e| fail(e.into()))?;
	let out = dir.path().join("profile");
	let shown = match app.client.read_profile(&me.identity, &patient, &out, false).await {
		Ok(_) => {
			let bytes = tokio::fs::read(&out).await.map_err(|e| fail(e.into()))?;
			match (serde_json::from_slice::<Map<String, Value>>(&bytes), String::from_utf8(bytes)) {
				(Ok(fields), _) => Shown::Fields(fields),
				(Err(_), Ok(text)) => Shown::Text(text),
				(Err(_), Err(e)) => Shown::Binary(e.into_bytes().len()),
			}
		},
		Err(Error::NotFound(_)) => Shown::Nothing,
		Err(e) => return Err(fail(e)),
	};
	let value = |name: &str| match &shown {
		Shown::Fields(fields) => fields.get(name).and_then(Value::as_str).unwrap_or("").to_string(),
		_ => String::new(),
	};
	let body = html! {
		@match &shown {
			Shown::Nothing => p.note { "No profile yet." },
			Shown::Fields(_) => {
				p.note { "Reading it was logged on the chain." }
				dl.profile {
					@for (name, label) in FIELDS {
						@let text = value(name);
						@if !text.is_empty() { dt { (label) } dd { (text) } }
					}
				}
			},
			Shown::Text(text) => { p.note { "Reading it was logged on the chain." } pre { (text) } },
			Shown::Binary(len) => p.note { "The profile is a file of " (len) " bytes that is not text: read it with ehr profile show." },
		}
		@if own {
			h2 { (if matches!(shown, Shown::Nothing) { "Write your profile" } else { "Change your profile" }) }
			p.note { "Encrypted under your record key and stored off chain: only you and the professionals you grant can read it." }
			form.card method="post" action="/profile" {
				@for (name, label) in FIELDS {
					label { (label)
						@if name == "notes" || name == "allergies" || name == "address" {
							textarea name=(name) rows="2" maxlength=(MAX_FIELD) { (value(name)) }
						} @else {
							input type="text" name=(name) value=(value(name)) maxlength=(MAX_FIELD) required[name == "name"];
						}
					}
				}
				button type="submit" { "Encrypt and store" }
			}
		}
	};
	Ok(frame(me, "Profile", body))
}

/// The profile document the form makes: its fields as a JSON object, empty ones left out.
fn document(form: &[(String, String)]) -> Result<Vec<u8>, Error> {
	let mut fields = Map::new();
	for (name, value) in form {
		let Some((name, label)) = FIELDS.iter().find(|(field, _)| field == name) else {
			return Err(Error::Input(format!("`{name}` is not a field of the profile")));
		};
		let value = value.trim();
		if value.chars().count() > MAX_FIELD {
			return Err(Error::Input(format!("{label} is longer than {MAX_FIELD} characters")));
		}
		if !value.is_empty() {
			fields.insert((*name).to_string(), Value::String(value.to_string()));
		}
	}
	if !fields.contains_key("name") {
		return Err(Error::Input("a profile needs a name".into()));
	}
	serde_json::to_vec_pretty(&fields).map_err(|e| Error::Input(e.to_string()))
}

/// `POST /profile`: the patient's new profile, encrypted, stored and pointed to on chain.
pub async fn set(State(app): Shared, Form(form): Form<Vec<(String, String)>>) -> Response {
	let result = super::finish({
		let app = app.clone();
		async move {
			let document = document(&form)?;
			let patient = app.client.patient_of(&app.me.identity).await?;
			let dir = tempfile::tempdir()?;
			let path = dir.path().join("profile.json");
			tokio::fs::write(&path, document).await?;
			app.client.set_profile(&app.me.identity, Some(&path)).await?;
			Ok(patient)
		}
	})
	.await;
	match result {
		Ok(patient) => Redirect::to(&format!("/profile/{patient}")).into_response(),
		Err(e) => Failure::new(&app.me, &e).into_response(),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn pair(name: &str, value: &str) -> (String, String) {
		(name.to_string(), value.to_string())
	}

	#[test]
	fn the_form_makes_a_json_profile_of_its_filled_fields() {
		let form =
			[pair("name", " Ada Lovelace "), pair("phone", ""), pair("allergies", "penicillin")];
		let fields: Map<String, Value> = serde_json::from_slice(&document(&form).unwrap()).unwrap();
		assert_eq!(fields.get("name").and_then(Value::as_str), Some("Ada Lovelace"));
		assert_eq!(fields.get("allergies").and_then(Value::as_str), Some("penicillin"));
		assert!(!fields.contains_key("phone"));
	}

	#[test]
	fn a_profile_without_a_name_with_an_unknown_or_overlong_field_is_refused() {
		let long = "x".repeat(MAX_FIELD + 1);
		for form in [
			vec![pair("phone", "123")],
			vec![pair("name", "Ada"), pair("password", "secret")],
			vec![pair("name", "Ada"), pair("notes", &long)],
		] {
			assert!(matches!(document(&form), Err(Error::Input(_))), "{form:?}");
		}
	}
}
