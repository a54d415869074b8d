#![allow(missing_docs)]
use frame::weights_prelude::*;
pub trait WeightInfo {
	fn admit_hospital() -> Weight;
	fn remove_hospital() -> Weight;
	fn set_threshold() -> Weight;
	fn authorize_upgrade() -> Weight;
}
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn admit_hospital() -> Weight { Weight::MAX }
	fn remove_hospital() -> Weight { Weight::MAX }
	fn set_threshold() -> Weight { Weight::MAX }
	fn authorize_upgrade() -> Weight { Weight::MAX }
}
impl WeightInfo for () {
	fn admit_hospital() -> Weight { Weight::zero() }
	fn remove_hospital() -> Weight { Weight::zero() }
	fn set_threshold() -> Weight { Weight::zero() }
	fn authorize_upgrade() -> Weight { Weight::zero() }
}
