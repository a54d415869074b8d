//! Prescriptions as PDF documents, which are then encrypted and added like any document.
//!
//! The form's values are checked ([`Prescription::check`]) and drawn as text runs of an embedded
//! font (DejaVu Sans, subset into the PDF): they are data, never markup, so nothing a prescriber
//! types can change the document's structure.

use std::sync::Arc;

use krilla::{
	geom::{Point, Size},
	page::PageSettings,
	text::{Font, TextDirection},
	Document,
};

use crate::{Error, Result};

/// The regular and bold faces, embedded in the binary (Bitstream Vera licence: `fonts/LICENSE`).
const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Units a dose is given in.
pub const UNITS: [&str; 8] = ["mg", "g", "µg", "ml", "IU", "tablet(s)", "drop(s)", "puff(s)"];

/// A prescription, as the prescriber fills it in.
#[derive(Debug, Clone, PartialEq)]
pub struct Prescription {
	/// The patient (its account, or a name the patient gave).
	pub patient: String,
	/// The prescriber's name, as registered.
	pub prescriber: String,
	/// The prescriber's organisation.
	pub organisation: String,
	/// The drug and its form ("Amoxicillin 500 mg capsules").
	pub drug: String,
	/// How much at a time.
	pub dose: f64,
	/// One of [`UNITS`].
	pub unit: String,
	/// Times per day.
	pub per_day: u32,
	/// For how many days.
	pub days: u32,
	/// Anything else the pharmacist or the patient must know.
	pub notes: String,
	/// The date it is written, `YYYY-MM-DD` (UTC).
	pub date: String,
}

/// Whether `text` is a line a person would write: not empty (unless `optional`), at most `max`
/// characters, no control characters but line breaks in notes.
fn check_text(what: &str, text: &str, max: usize, optional: bool, lines: bool) -> Result<()> {
	if text.trim().is_empty() && !optional {
		return Err(Error::Input(format!("the {what} is missing")));
	}
	if text.chars().count() > max {
		return Err(Error::Input(format!("the {what} is longer than {max} characters")));
	}
	if text.chars().any(|c| c.is_control() && !(lines && (c == '\n' || c == '\r'))) {
		return Err(Error::Input(format!("the {what} holds control characters")));
	}
	Ok(())
}

impl Prescription {
	/// Refuses a prescription no one should sign: a missing drug, a dose that is not a positive
	/// amount, no unit of [`UNITS`], a frequency or a duration out of bounds, text too long.
	pub fn check(&self) -> Result<()> {
		check_text("drug", &self.drug, 120, false, false)?;
		check_text("patient", &self.patient, 120, false, false)?;
		check_text("prescriber", &self.prescriber, 120, false, false)?;
		check_text("organisation", &self.organisation, 120, true, false)?;
		check_text("notes", &self.notes, 1_000, true, true)?;
		if !(self.dose.is_finite() && self.dose > 0.0 && self.dose <= 100_000.0) {
			return Err(Error::Input(format!(
				"a dose of {} is not a positive amount of at most 100000",
				self.dose
			)));
		}
		if !UNITS.contains(&self.unit.as_str()) {
			return Err(Error::Input(format!("`{}` is not a unit of dose", self.unit)));
		}
		if !(1..=24).contains(&self.per_day) {
			return Err(Error::Input(format!("{} times a day is not from 1 to 24", self.per_day)));
		}
		if !(1..=365).contains(&self.days) {
			return Err(Error::Input(format!("{} days is not from 1 to 365", self.days)));
		}
		Ok(())
	}

	/// The prescription as a one-page A4 PDF with its fonts embedded.
	pub fn render(&self) -> Result<Vec<u8>> {
		self.check()?;
		let font = |data: &'static [u8]| {
			Font::new(Arc::new(data.to_vec()).into(), 0)
				.ok_or(Error::Crypto("the embedded font does not load"))
		};
		let (regular, bold) = (font(REGULAR)?, font(BOLD)?);
		let size = Size::from_wh(595.0, 842.0).ok_or(Error::Crypto("no A4 page"))?;
		let mut document = Document::new();
		let mut page = document.start_page_with(PageSettings::new(size));
		let mut surface = page.surface();
		let mut y = 80.0;
		let mut line = |font: &Font, size: f32, text: &str, gap: f32| {
			let at = Point::from_xy(60.0, y);
			surface.draw_text(at, font.clone(), size, text, false, TextDirection::Auto);
			y += gap;
		};
		line(&bold, 22.0, "Prescription", 36.0);
		line(&regular, 11.0, &format!("Date: {}", self.date), 18.0);
		line(&regular, 11.0, &format!("Prescriber: {}", self.prescriber), 18.0);
		if !self.organisation.trim().is_empty() {
			line(&regular, 11.0, &self.organisation, 18.0);
		}
		line(&regular, 11.0, &format!("Patient: {}", self.patient), 40.0);
		line(&bold, 15.0, &self.drug, 24.0);
		let dose = format!(
			"{} {}, {} a day, for {} day{}",
			trim_number(self.dose),
			self.unit,
			match self.per_day {
				1 => "once".to_string(),
				2 => "twice".to_string(),
				n => format!("{n} times"),
			},
			self.days,
			if self.days == 1 { "" } else { "s" }
		);
		line(&regular, 12.0, &dose, 34.0);
		if !self.notes.trim().is_empty() {
			line(&bold, 11.0, "Notes", 18.0);
			for text in wrap(&self.notes, 85) {
				line(&regular, 11.0, &text, 16.0);
			}
		}
		surface.draw_text(
			Point::from_xy(60.0, 790.0),
			regular,
			8.0,
			"Recorded, encrypted, on the EHR consortium's chain; the chain holds its hash and who wrote it.",
			false,
			TextDirection::Auto,
		);
		surface.finish();
		page.finish();
		document
			.finish()
			.map_err(|e| Error::Input(format!("the prescription does not render as PDF: {e}")))
	}
}

/// `value` without a trailing `.0`.
fn trim_number(value: f64) -> String {
	let text = format!("{value}");
	text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// `text`'s lines, each broken at spaces into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
	let mut out = Vec::new();
	for paragraph in text.lines() {
		let mut current = String::new();
		for word in paragraph.split_whitespace() {
			if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
				out.push(std::mem::take(&mut current));
			}
			if !current.is_empty() {
				current.push(' ');
			}
			current.push_str(word);
		}
		out.push(current);
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	fn amoxicillin() -> Prescription {
		Prescription {
			patient: "5DCTjk2ugevdFgqxtssCmWW7gTobtU8ZU9THh6ou3YqKvbmD".into(),
			prescriber: "Dr Bob".into(),
			organisation: "City Hospital".into(),
			drug: "Amoxicillin 500 mg capsules".into(),
			dose: 500.0,
			unit: "mg".into(),
			per_day: 3,
			days: 7,
			notes: "Take with food. </script><b>not markup</b> ( ) \\ % stays text.".into(),
			date: "2026-11-27".into(),
		}
	}

	#[test]
	fn a_prescription_renders_as_a_pdf_with_its_font_embedded() {
		let pdf = amoxicillin().render().unwrap();
		assert!(pdf.starts_with(b"%PDF-"), "a PDF");
		let text = String::from_utf8_lossy(&pdf);
		assert!(text.contains("/FontFile2"), "the font is embedded");
		assert!(pdf.len() < 200_000, "the font is subset: {} bytes", pdf.len());
	}

	#[test]
	fn absurd_prescriptions_are_refused_in_words() {
		let refused = |change: fn(&mut Prescription)| {
			let mut p = amoxicillin();
			change(&mut p);
			matches!(p.render(), Err(Error::Input(_)))
		};
		assert!(refused(|p| p.dose = -5.0));
		assert!(refused(|p| p.dose = 0.0));
		assert!(refused(|p| p.dose = f64::NAN));
		assert!(refused(|p| p.unit = "buckets".into()));
		assert!(refused(|p| p.per_day = 0));
		assert!(refused(|p| p.days = 400));
		assert!(refused(|p| p.drug = "  ".into()));
		assert!(refused(|p| p.drug = "x".repeat(121)));
		assert!(refused(|p| p.drug = "Amoxicillin\u{0}".into()));
	}

	#[test]
	fn notes_wrap_at_spaces() {
		assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
		assert_eq!(wrap("a\nb", 10), vec!["a", "b"]);
		assert_eq!(trim_number(2.5), "2.5");
		assert_eq!(trim_number(500.0), "500");
	}
}
