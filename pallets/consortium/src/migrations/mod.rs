//! Storage migrations of pallet-consortium, one module per storage version.
//!
//! Each is a [`VersionedMigration`](frame::deps::frame_support::migrations::VersionedMigration):
//! it runs only when the stored version is the one it starts from, and sets the next. The
//! runtime lists them in its `Migrations`. A chain that gains the pallet in an upgrade starts at
//! the current version (FRAME writes it before the migrations run) and runs none of them.

pub mod v2;
