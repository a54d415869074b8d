//! The runtime's own weights, measured on this chain by `scripts/benchmark.sh overhead`:
//! executing an empty block, and a transaction's cost beyond its call (its signature, the
//! membership, nonce, quota and era checks, weight accounting, its event); and by
//! `scripts/benchmark.sh pallets`, frame_system's transaction extensions, each alone. The
//! pallets' calls are weighed in their own `weights.rs`.

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system_extensions;

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
