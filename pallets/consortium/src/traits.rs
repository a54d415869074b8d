//! What a runtime plugs into the consortium: what it forgets when a hospital is admitted, its
//! finality gadget's way out of a stall, and its sessions.

/// Told when the consortium admits a hospital, once it is one: a runtime forgets there what
/// it kept of the account from an earlier membership (its node's old keys, say), so that it
/// starts afresh. Returns the weight used, which the runtime's weight of `admit_hospital`
/// must cover.
pub trait OnAdmission<AccountId> {
	/// `hospital` was admitted.
	fn admitted(hospital: &AccountId) -> frame::prelude::Weight;
}

impl<AccountId> OnAdmission<AccountId> for () {
	fn admitted(_: &AccountId) -> frame::prelude::Weight {
		frame::prelude::Weight::zero()
	}
}

/// The finality gadget's way out of a stall: a forced change of its authority set (GRANDPA's
/// `note_stalled`), which the consortium decides.
pub trait NoteStalled<BlockNumber> {
	/// Have the finality set change by force to the next session's validators, `delay` blocks
	/// after that session starts, finalizing on from block `best_finalized`.
	fn note_stalled(
		delay: BlockNumber,
		best_finalized: BlockNumber,
	) -> frame::prelude::DispatchResult;
}

impl<BlockNumber> NoteStalled<BlockNumber> for () {
	fn note_stalled(_: BlockNumber, _: BlockNumber) -> frame::prelude::DispatchResult {
		Ok(())
	}
}

/// The runtime's sessions, which this pallet ends at every multiple of [`SessionLength`](crate::SessionLength),
/// charging the rotation's measured weight: the session pallet's own hook charges a whole block
/// for it, which would leave every session's last block without room for anyone's transaction.
pub trait Sessions<AccountId> {
	/// End the current session and start the next (the session pallet's `rotate_session`).
	fn rotate();

	/// Give exactly `hospitals` node session keys (as each does with `Session::set_keys`) and
	/// take them from everyone else, so that a benchmark's rotations change the validators.
	#[cfg(feature = "runtime-benchmarks")]
	fn set_keys(hospitals: &[AccountId]);
}

impl<AccountId> Sessions<AccountId> for () {
	fn rotate() {}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_keys(_: &[AccountId]) {}
}
