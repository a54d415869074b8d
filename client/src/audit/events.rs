//! The pallet's events of a block, read with the metadata of the runtime that made it.

use subxt::ext::scale_value::{Composite, Value};

use super::describe::Field;
use crate::{
	chain::{query_error, Chain},
	Error, Result,
};

impl Chain {
	/// The events of the pallet in block `number`: each one's index in the block, name and
	/// fields, decoded by the metadata of the runtime that made the block.
	pub(crate) async fn ehr_events(&self, number: u64) -> Result<Vec<(u32, String, Vec<Field>)>> {
		let at = self
			.api()
			.at_block(number)
			.await
			.map_err(|e| Error::Chain(format!("cannot read block {number}: {e} (an archive node keeps every block's state: run it with --state-pruning archive)")))?;
		let events = at.events().fetch().await.map_err(query_error)?;
		let metadata = at.metadata_ref();
		let Some(pallet) = metadata.pallet_by_name("Ehr") else { return Ok(Vec::new()) };
		let mut out = Vec::new();
		for event in events.iter() {
			let event = event.map_err(query_error)?;
			if event.pallet_name() != "Ehr" {
				continue;
			}
			let variant = pallet.event_variant_by_index(event.event_index()).ok_or_else(|| {
				Error::Chain(format!(
					"event {} of block {number} is not in its metadata",
					event.index()
				))
			})?;
			let values: Vec<Value<()>> = match event
				.decode_fields_unchecked_as::<Composite<()>>()
				.map_err(query_error)?
			{
				Composite::Named(fields) => fields.into_iter().map(|(_, value)| value).collect(),
				Composite::Unnamed(values) => values,
			};
			let fields = variant
				.fields
				.iter()
				.zip(values)
				.enumerate()
				.map(|(i, (field, value))| Field {
					name: field.name.clone().unwrap_or_else(|| i.to_string()),
					type_name: field.type_name.clone(),
					value,
				})
				.collect();
			out.push((event.index(), event.event_name().to_string(), fields));
		}
		Ok(out)
	}
}
