//! Events described from the runtime's own metadata: each field by its name, accounts in SS58,
//! 32-byte hashes and byte strings in hex, enums by their variant's name, and the fields of a
//! nested structure (a policy, the quotas) as `outer.inner`. A new event or field in the
//! runtime is described without a change here.

use subxt::ext::scale_value::{Composite, Primitive, Value, ValueDef};

use crate::{chain::AccountId, views::hex32};

/// One field of an event, as the metadata gives it.
pub(crate) struct Field {
	/// The field's name.
	pub name: String,
	/// The name of its type in the runtime's source (`T::AccountId`, `Option<T::AccountId>`).
	pub type_name: Option<String>,
	/// Its value.
	pub value: Value<()>,
}

/// An event's fields in words, the accounts it names, and the emergency access it is about.
#[derive(Default)]
pub(crate) struct Described {
	/// `(name, value)` pairs in the event's order.
	pub fields: Vec<(String, String)>,
	/// Every account among the fields.
	pub accounts: Vec<AccountId>,
	/// The emergency access the event is about (its `id` field), if it is one of break-glass.
	pub emergency: Option<u64>,
}

/// Describes the fields of event `name`.
pub(crate) fn describe(name: &str, fields: Vec<Field>) -> Described {
	let mut out = Described::default();
	for field in fields {
		let is_account = field.type_name.as_deref().is_some_and(|t| t.contains("AccountId"));
		if is_account {
			let accounts = accounts_in(&field.value);
			let shown = accounts.iter().map(ToString::to_string).collect::<Vec<_>>();
			let is_list = field.type_name.as_deref().is_some_and(|t| t.contains("Vec"));
			let shown = match (is_list, shown.first()) {
				(true, _) => format!("[{}]", shown.join(", ")),
				(false, Some(account)) => account.clone(),
				(false, None) => "none".into(),
			};
			out.fields.push((field.name, shown));
			out.accounts.extend(accounts);
			continue;
		}
		if field.name == "id" && name.starts_with("Emergency") {
			out.emergency = number(&field.value);
		}
		flatten(&field.name, &field.value, &mut out.fields);
	}
	out
}

/// Pushes `value` as `name`, or each field of a structure as `name.field`.
fn flatten(name: &str, value: &Value<()>, out: &mut Vec<(String, String)>) {
	match &value.value {
		ValueDef::Composite(Composite::Named(fields)) => {
			for (field, value) in fields {
				flatten(&format!("{name}.{field}"), value, out);
			}
		},
		_ => out.push((name.to_string(), render(value))),
	}
}

/// A value in words.
fn render(value: &Value<()>) -> String {
	match &value.value {
		ValueDef::Primitive(primitive) => match primitive {
			Primitive::Bool(b) => b.to_string(),
			Primitive::Char(c) => c.to_string(),
			Primitive::String(s) => s.clone(),
			Primitive::U128(n) => n.to_string(),
			Primitive::I128(n) => n.to_string(),
			Primitive::U256(n) | Primitive::I256(n) => format!("0x{}", hex::encode(n)),
		},
		ValueDef::Variant(variant) => {
			match (variant.name.as_str(), values(&variant.values).as_slice()) {
				("None", []) => "none".into(),
				("Some", [inner]) => render(inner),
				(name, []) => name.to_string(),
				(name, _) => format!("{name}({})", render_composite(&variant.values)),
			}
		},
		ValueDef::Composite(composite) => render_composite(composite),
		ValueDef::BitSequence(bits) => format!("{} bits", bits.len()),
	}
}

fn render_composite(composite: &Composite<()>) -> String {
	if let Some(bytes) = byte_string(composite) {
		return match <[u8; 32]>::try_from(bytes.as_slice()) {
			Ok(hash) => hex32(&hash),
			Err(_) => format!("0x{}", hex::encode(bytes)),
		};
	}
	match composite {
		// A wrapper (a bounded vector, a newtype of a structure) is its content; a sequence of
		// one item stays a sequence.
		Composite::Unnamed(items)
			if items.len() == 1 && matches!(items[0].value, ValueDef::Composite(_)) =>
		{
			render(&items[0])
		},
		Composite::Unnamed(items) => {
			format!("[{}]", items.iter().map(render).collect::<Vec<_>>().join(", "))
		},
		Composite::Named(fields) => fields
			.iter()
			.map(|(name, value)| format!("{name}: {}", render(value)))
			.collect::<Vec<_>>()
			.join(", "),
	}
}

fn values(composite: &Composite<()>) -> Vec<&Value<()>> {
	match composite {
		Composite::Named(fields) => fields.iter().map(|(_, value)| value).collect(),
		Composite::Unnamed(items) => items.iter().collect(),
	}
}

/// The bytes of a non-empty sequence of `u8`s, however deep in wrappers.
fn byte_string(composite: &Composite<()>) -> Option<Vec<u8>> {
	let items = match composite {
		Composite::Unnamed(items) => items,
		Composite::Named(_) => return None,
	};
	let bytes: Option<Vec<u8>> = items
		.iter()
		.map(|item| match &item.value {
			ValueDef::Primitive(Primitive::U128(n)) => u8::try_from(*n).ok(),
			_ => None,
		})
		.collect();
	match (bytes, items.as_slice()) {
		(Some(bytes), _) if bytes.len() > 1 => Some(bytes),
		(_, [Value { value: ValueDef::Composite(inner), .. }]) => byte_string(inner),
		_ => None,
	}
}

/// The accounts in an account-typed value: one, none (`None`), or a sequence of them.
fn accounts_in(value: &Value<()>) -> Vec<AccountId> {
	match &value.value {
		ValueDef::Composite(composite) => {
			match byte_string(composite).and_then(|b| <[u8; 32]>::try_from(b).ok()) {
				Some(bytes) => vec![AccountId::from(bytes)],
				None => values(composite).into_iter().flat_map(accounts_in).collect(),
			}
		},
		ValueDef::Variant(variant) if variant.name == "Some" => {
			values(&variant.values).into_iter().flat_map(accounts_in).collect()
		},
		_ => Vec::new(),
	}
}

fn number(value: &Value<()>) -> Option<u64> {
	match &value.value {
		ValueDef::Primitive(Primitive::U128(n)) => u64::try_from(*n).ok(),
		_ => None,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn field(name: &str, type_name: &str, value: Value<()>) -> Field {
		Field { name: name.into(), type_name: Some(type_name.into()), value }
	}

	fn account(byte: u8) -> Value<()> {
		Value::unnamed_composite([Value::unnamed_composite(
			(0..32).map(|_| Value::u128(byte.into())),
		)])
	}

	#[test]
	fn accounts_hashes_enums_and_options_are_put_in_words() {
		let hash = Value::unnamed_composite([Value::unnamed_composite((0..32).map(Value::u128))]);
		let described = describe(
			"RecordAdded",
			vec![
				field("patient", "T::AccountId", account(1)),
				field("index", "u32", Value::u128(3)),
				field("kind", "DocumentKind", Value::unnamed_variant("LabResult", [])),
				field("hash", "H256", hash),
				field("amends", "Option<u32>", Value::unnamed_variant("None", [])),
			],
		);
		let patient = AccountId::from([1; 32]);
		assert_eq!(described.accounts, vec![patient]);
		let expected_hash = hex32(&core::array::from_fn::<u8, 32, _>(|i| i as u8));
		assert_eq!(
			described.fields,
			vec![
				("patient".into(), patient.to_string()),
				("index".into(), "3".into()),
				("kind".into(), "LabResult".into()),
				("hash".into(), expected_hash),
				("amends".into(), "none".into()),
			]
		);
		assert_eq!(described.emergency, None);
	}

	#[test]
	fn every_account_of_a_list_is_named() {
		let to = Value::unnamed_composite([account(2), account(3)]);
		let described = describe(
			"MessagePosted",
			vec![
				field("from", "T::AccountId", account(1)),
				field("to", "BoundedVec<T::AccountId, T::MaxMessageRecipients>", to),
			],
		);
		let [a, b, c] = [1u8, 2, 3].map(|n| AccountId::from([n; 32]));
		assert_eq!(described.accounts, vec![a, b, c]);
		assert_eq!(described.fields[1], ("to".into(), format!("[{b}, {c}]")));
	}

	#[test]
	fn structures_are_flattened_and_emergencies_found_by_id() {
		let kinds = Value::unnamed_composite([Value::unnamed_composite([
			Value::unnamed_variant("Doctor", []),
			Value::unnamed_variant("Nurse", []),
		])]);
		let writable =
			Value::unnamed_composite([Value::unnamed_composite([Value::unnamed_variant(
				"ClinicalNote",
				[],
			)])]);
		let policy = Value::named_composite([
			("kinds", kinds),
			("writable", writable),
			("max_opens", Value::u128(10)),
		]);
		let described = describe("EmergencyPolicySet", vec![field("policy", "Policy", policy)]);
		assert_eq!(
			described.fields,
			vec![
				("policy.kinds".into(), "[Doctor, Nurse]".into()),
				("policy.writable".into(), "[ClinicalNote]".into()),
				("policy.max_opens".into(), "10".into()),
			]
		);
		let closed = describe(
			"EmergencyAccessClosed",
			vec![
				field("id", "u64", Value::u128(7)),
				field("by", "T::AccountId", account(2)),
				field("hospital", "Option<T::AccountId>", Value::unnamed_variant("None", [])),
			],
		);
		assert_eq!(closed.emergency, Some(7));
		assert_eq!(closed.accounts, vec![AccountId::from([2; 32])]);
		assert_eq!(closed.fields[2], ("hospital".into(), "none".into()));
	}
}
