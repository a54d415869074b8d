//! The runtime's own weights, measured on this chain by `scripts/benchmark.sh overhead`:
//! executing an empty block, and a transaction's cost beyond its call (its signature, the
//! membership, nonce, quota and era checks, weight accounting, its event); and by
//! `scripts/benchmark.sh pallets`, frame_system's transaction extensions, each alone; and by
//! `scripts/benchmark.sh storage`, a storage item read and written in ParityDB. The pallets'
//! calls are weighed in their own `weights.rs`.

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system_extensions;
pub mod paritydb_weights;

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
pub use paritydb_weights::ParityDbWeight;
