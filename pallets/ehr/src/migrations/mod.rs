//! Storage migrations of pallet-ehr, one module per storage version.
//!
//! Each is a [`VersionedMigration`](frame::deps::frame_support::migrations::VersionedMigration):
//! it runs only when the stored version is the one it starts from, and sets the next. The
//! runtime lists them in its `Migrations`.

pub mod v2;
pub mod v3;
