//! # Consortium pallet
//!
//! The hospitals that run the chain, as one body. Each hospital has an account it votes with,
//! a name and a node; together they decide, by motions of a collective (FRAME's `pallet-collective`,
//! which this pallet keeps informed of who the hospitals are), everything that binds all of them:
//! who else joins or leaves, the share of them a motion needs, runtime upgrades, and, in the
//! runtime's other pallets, whatever the runtime puts behind [`EnsureApproved`].
//!
//! ## How a decision is made
//!
//! A hospital proposes a call as a motion of the collective; the others vote; once enough ayes
//! are in, the motion is closed and its call dispatched with the collective's origin, which
//! says how many hospitals voted aye of how many there were. [`EnsureApproved`] admits that
//! origin only if those ayes meet the consortium's [`Threshold`] (by default two thirds of the
//! hospitals), whatever threshold the proposer gave the motion: a motion proposed to pass with
//! fewer ayes passes the collective but its call is refused.
//!
//! ## Dispatchable functions
//!
//! All under [`Config::ConsortiumOrigin`]: [`Pallet::admit_hospital`],
//! [`Pallet::remove_hospital`] (never the last), [`Pallet::set_threshold`] (always more than
//! half of the hospitals), [`Pallet::set_session_length`] and [`Pallet::authorize_upgrade`] (a runtime whose hash is approved may
//! then be applied by anyone, with `frame_system`'s `apply_authorized_upgrade`, and only if its
//! spec version is higher).
//!
//! Also [`Pallet::note_stalled`]: the way out when finality stalls.
//!
//! A hospital itself, signed: [`Pallet::set_node`] (its node moves to a new network key).
//!
//! ## Permissioned peers
//!
//! Each hospital names its node (admitted with it, or later with [`Pallet::set_node`]), with
//! a proof that the node's network key agrees. A hospital's node asks
//! [`Pallet::authorized_peers`] (through the runtime's API) when it starts and at each new
//! best block, and keeps the other hospitals' nodes as its only peers on the block-announce
//! protocol, so that a stock node the consortium did not admit never syncs from it. Any other
//! node keeps its operator's settings. While a hospital has not named its node (a chain
//! founded before nodes were recorded), no node is restricted, so that none is cut off. This
//! governs peering, not every protocol: a node that does connect is still answered block and
//! state requests; firewalls keep the peer-to-peer port to the consortium's addresses.
//!
//! ## Storage
//!
//! [`Hospitals`] (details by account) and [`Members`] (the accounts, sorted, as the collective
//! gets them), [`Nodes`] (the hospital of each node), [`ApprovalThreshold`] and
//! [`SessionLength`].
//!
//! ## Sessions
//!
//! The hospitals' nodes validate in sessions of [`SessionLength`] blocks, which the consortium
//! sets. This pallet's `on_initialize` ends each session at every multiple of the length
//! through [`Config::Sessions`] (the runtime's session pallet), for the rotation's measured
//! weight: the session pallet's own hook would charge the whole block.
//!
//! ## Queries
//!
//! [`Pallet::ayes_needed`]: how many ayes a motion needs now; [`Pallet::session_ends`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
mod nodes;
mod origins;
mod traits;
mod try_state;
mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use nodes::NODE_CLAIM_TAG;
pub use origins::EnsureApproved;
pub use traits::{NoteStalled, OnAdmission, Sessions};
pub use types::*;
pub use weights::WeightInfo;

#[frame::pallet]
pub mod pallet {
	use super::*;
	use alloc::{collections::BTreeSet, string::String, vec::Vec};
	use frame::{
		deps::sp_core::ed25519,
		prelude::*,
		traits::{ChangeMembers, Contains, InitializeMembers},
	};

	/// The in-code storage version.
	pub(crate) const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	/// A hospital's name, bounded.
	pub type HospitalNameOf<T> = BoundedVec<u8, <T as Config>::MaxNameLen>;
	/// A hospital of this runtime.
	pub type HospitalOf<T> = Hospital<HospitalNameOf<T>, BlockNumberFor<T>>;
	/// The hospitals' accounts, sorted.
	pub type MembersOf<T> =
		BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxHospitals>;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who decides for the consortium: in a runtime, [`EnsureApproved`] (and, on a
		/// development chain, its sudo key).
		type ConsortiumOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// A motion's backing: how many hospitals voted aye, of how many (the collective's
		/// `EnsureMembers<_, _, 1>`). [`EnsureApproved`] weighs it against [`ApprovalThreshold`].
		type Votes: EnsureOrigin<Self::RuntimeOrigin, Success = (u32, u32)>;

		/// Told of every admission and removal, so that the hospitals who vote are the
		/// hospitals of this pallet (the collective).
		type MembersChanged: ChangeMembers<Self::AccountId>;

		/// Told of the hospitals at genesis (the collective).
		type MembersInitialized: InitializeMembers<Self::AccountId>;

		/// Told of each admission.
		type OnAdmission: OnAdmission<Self::AccountId>;

		/// The finality gadget, told when the consortium decides that finality stalled.
		type Finality: NoteStalled<BlockNumberFor<Self>>;

		/// The sessions this pallet ends, every [`SessionLength`] blocks.
		type Sessions: Sessions<Self::AccountId>;

		/// Most hospitals the consortium may have (the collective's `MaxMembers` or fewer).
		#[pallet::constant]
		type MaxHospitals: Get<u32>;

		/// Longest hospital name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// The length of a session (in blocks: how often the validators may change) unless the
		/// consortium chose another.
		#[pallet::constant]
		type DefaultSessionLength: Get<BlockNumberFor<Self>>;

		/// Shortest session the consortium may choose.
		#[pallet::constant]
		type MinSessionLength: Get<BlockNumberFor<Self>>;

		/// Longest session the consortium may choose.
		#[pallet::constant]
		type MaxSessionLength: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The consortium's hospitals, by the account each votes with.
	#[pallet::storage]
	pub type Hospitals<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, HospitalOf<T>, OptionQuery>;

	/// The hospital of each node [`Hospitals`] name: no node serves two hospitals.
	#[pallet::storage]
	pub type Nodes<T: Config> = StorageMap<_, Blake2_128Concat, NodeId, T::AccountId, OptionQuery>;

	/// The keys of [`Hospitals`], sorted: the collective's members.
	#[pallet::storage]
	pub type Members<T: Config> = StorageValue<_, MembersOf<T>, ValueQuery>;

	/// The share of the hospitals a motion needs.
	#[pallet::storage]
	pub type ApprovalThreshold<T: Config> =
		StorageValue<_, Threshold, ValueQuery, DefaultThreshold>;

	/// Two thirds of the hospitals.
	#[pallet::type_value]
	pub fn DefaultThreshold() -> Threshold {
		Threshold::TWO_THIRDS
	}

	/// The length of a session, in blocks: a hospital admitted with its node's keys validates
	/// within two of them. This pallet ends a session at every multiple ([`Config::Sessions`]).
	#[pallet::storage]
	pub type SessionLength<T: Config> =
		StorageValue<_, BlockNumberFor<T>, ValueQuery, T::DefaultSessionLength>;

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The founding hospitals: account, name and node (its peer id, `12D3KooW…`). A
		/// consortium without any could never decide anything: every preset and consortium
		/// spec names at least one, and `try_state` checks it.
		pub hospitals: Vec<(T::AccountId, String, Option<NodeId>)>,
		/// The share of hospitals a motion needs, `(ayes, of)`, if not two thirds.
		pub threshold: Option<(u32, u32)>,
		/// The length of a session in blocks, if not the runtime's default.
		pub session_length: Option<BlockNumberFor<T>>,
	}

	#[pallet::genesis_build]
	// Genesis runs when a chain spec is built, never in a block: its panics refuse a spec with
	// an overlong name, a repeated hospital or node, too many hospitals or an invalid setting, before
	// any chain starts from it.
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let founders = self
				.hospitals
				.iter()
				.map(|(account, name, node)| {
					let name = HospitalNameOf::<T>::try_from(name.as_bytes().to_vec())
						.expect("hospital names in genesis fit MaxNameLen");
					(account.clone(), name, *node)
				})
				.collect::<Vec<_>>();
			let unique = founders.iter().map(|(account, ..)| account).collect::<BTreeSet<_>>();
			assert_eq!(unique.len(), founders.len(), "duplicate hospital in genesis");
			let nodes = founders.iter().filter_map(|(.., node)| node.as_ref());
			let named = nodes.clone().count();
			assert_eq!(nodes.collect::<BTreeSet<_>>().len(), named, "duplicate node in genesis");
			assert!(
				founders.len() <= T::MaxHospitals::get() as usize,
				"genesis hospitals fit MaxHospitals"
			);
			Pallet::<T>::found(founders);
			if let Some((ayes, of)) = self.threshold {
				let threshold = Threshold { ayes, of };
				assert!(
					threshold.is_valid(),
					"the genesis threshold is more than half, at most all"
				);
				ApprovalThreshold::<T>::put(threshold);
			}
			if let Some(length) = self.session_length {
				assert!(
					Pallet::<T>::session_length_is_valid(length),
					"the genesis session length is within the runtime's bounds"
				);
				SessionLength::<T>::put(length);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The consortium admitted a hospital, with its node.
		HospitalAdmitted { hospital: T::AccountId, name: HospitalNameOf<T>, node: NodeId },
		/// The consortium removed a hospital.
		HospitalRemoved { hospital: T::AccountId },
		/// The consortium changed the share of hospitals a motion needs.
		ThresholdSet { threshold: Threshold },
		/// The consortium approved a runtime upgrade, to be applied by anyone who has its code.
		UpgradeAuthorized { code_hash: T::Hash },
		/// The consortium changed the length of a session.
		SessionLengthSet { blocks: BlockNumberFor<T> },
		/// A hospital's node is now this one.
		NodeSet { hospital: T::AccountId, node: NodeId },
		/// The consortium noted that finality stalled: the finality set changes by force at
		/// the next session, `delay` blocks after it starts, finalizing on from `best_finalized`.
		FinalityStallNoted { delay: BlockNumberFor<T>, best_finalized: BlockNumberFor<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is a hospital of the consortium already.
		AlreadyHospital,
		/// The account is no hospital of the consortium.
		NotHospital,
		/// The consortium has as many hospitals as the runtime allows.
		TooManyHospitals,
		/// The last hospital cannot leave: nobody would be left to decide anything.
		LastHospital,
		/// A threshold must be more than half of the hospitals and at most all of them.
		InvalidThreshold,
		/// A hospital needs a name.
		EmptyName,
		/// A session must last between the runtime's shortest and longest.
		InvalidSessionLength,
		/// The node is another hospital's.
		NodeInUse,
		/// A stalled chain's last finalized block is not in the future.
		FinalizedInFuture,
		/// The node's proof is not a signature of its network key over this chain and the
		/// hospital's account: only the node's holder names it.
		BadNodeProof,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Ends the session at every multiple of [`SessionLength`], for the rotation's weight
		/// with as many validators as there may be hospitals: the rotation also hands on the
		/// sets chosen in the last two sessions, which may have had more hospitals than now.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			if !Self::session_ends(now) {
				return T::DbWeight::get().reads(1);
			}
			T::Sessions::rotate();
			T::WeightInfo::end_session(T::MaxHospitals::get())
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			Self::do_try_state().map_err(Into::into)
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Admit `hospital` (the account it will vote with) to the consortium under `name`,
		/// with its `node` and the node's `proof` ([`Pallet::node_claim`] signed with the
		/// node's network key). It votes from the next block on, on motions already open too;
		/// the hospitals' nodes let its node connect as they import this block.
		///
		/// Origin: [`Config::ConsortiumOrigin`]. Errors: `AlreadyHospital`,
		/// `TooManyHospitals`, `EmptyName`, `BadNodeProof`, `NodeInUse`. Event:
		/// `HospitalAdmitted`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::admit_hospital())]
		pub fn admit_hospital(
			origin: OriginFor<T>,
			hospital: T::AccountId,
			name: HospitalNameOf<T>,
			node: NodeId,
			proof: ed25519::Signature,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			ensure!(!name.is_empty(), Error::<T>::EmptyName);
			ensure!(!Hospitals::<T>::contains_key(&hospital), Error::<T>::AlreadyHospital);
			Self::check_node_proof(&hospital, &node, &proof)?;
			ensure!(!Nodes::<T>::contains_key(node), Error::<T>::NodeInUse);
			let mut members = Members::<T>::get();
			let at = members.binary_search(&hospital).unwrap_or_else(|at| at);
			members.try_insert(at, hospital.clone()).map_err(|_| Error::<T>::TooManyHospitals)?;
			let admitted_at = frame_system::Pallet::<T>::block_number();
			let details = Hospital { name: name.clone(), admitted_at, node: Some(node) };
			Hospitals::<T>::insert(&hospital, details);
			Nodes::<T>::insert(node, &hospital);
			Self::keep_account(&hospital);
			T::MembersChanged::change_members_sorted(
				core::slice::from_ref(&hospital),
				&[],
				&members,
			);
			Members::<T>::put(members);
			T::OnAdmission::admitted(&hospital);
			Self::deposit_event(Event::HospitalAdmitted { hospital, name, node });
			Ok(())
		}

		/// Remove `hospital` from the consortium; never the last one. Its votes on open motions
		/// are withdrawn, and the other hospitals' nodes drop its node as they import this
		/// block.
		/// Its account keeps existing (so its nonce never resets).
		///
		/// Origin: [`Config::ConsortiumOrigin`]. Errors: `NotHospital`, `LastHospital`.
		/// Event: `HospitalRemoved`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_hospital())]
		pub fn remove_hospital(origin: OriginFor<T>, hospital: T::AccountId) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			let mut members = Members::<T>::get();
			let at = members.binary_search(&hospital).map_err(|_| Error::<T>::NotHospital)?;
			ensure!(members.len() > 1, Error::<T>::LastHospital);
			members.remove(at);
			if let Some(node) = Hospitals::<T>::take(&hospital).and_then(|h| h.node) {
				Nodes::<T>::remove(node);
			}
			T::MembersChanged::change_members_sorted(
				&[],
				core::slice::from_ref(&hospital),
				&members,
			);
			Members::<T>::put(members);
			Self::deposit_event(Event::HospitalRemoved { hospital });
			Ok(())
		}

		/// Set the share of the hospitals a motion needs from now on (motions already open
		/// included).
		///
		/// Origin: [`Config::ConsortiumOrigin`]. Errors: `InvalidThreshold`. Event:
		/// `ThresholdSet`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_threshold())]
		pub fn set_threshold(origin: OriginFor<T>, threshold: Threshold) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			ensure!(threshold.is_valid(), Error::<T>::InvalidThreshold);
			ApprovalThreshold::<T>::put(threshold);
			Self::deposit_event(Event::ThresholdSet { threshold });
			Ok(())
		}

		/// Approve the runtime whose code hashes to `code_hash`. Anyone holding that code may
		/// then apply it with `System::apply_authorized_upgrade`, which refuses it unless it is
		/// this chain's runtime with a higher spec version. A later approval replaces this one.
		///
		/// Origin: [`Config::ConsortiumOrigin`]. Events: `UpgradeAuthorized` (and
		/// `frame_system`'s).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::authorize_upgrade())]
		pub fn authorize_upgrade(origin: OriginFor<T>, code_hash: T::Hash) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			frame_system::Pallet::<T>::do_authorize_upgrade(code_hash, true);
			Self::deposit_event(Event::UpgradeAuthorized { code_hash });
			Ok(())
		}

		/// Make sessions last `blocks` from now on: how long a hospital's node waits to join or
		/// leave the validators (two sessions at most). Every session's end costs a block
		/// without transactions, so longer sessions leave more room for them.
		///
		/// Origin: [`Config::ConsortiumOrigin`]. Errors: `InvalidSessionLength`. Event:
		/// `SessionLengthSet`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_session_length())]
		pub fn set_session_length(
			origin: OriginFor<T>,
			blocks: BlockNumberFor<T>,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			ensure!(Self::session_length_is_valid(blocks), Error::<T>::InvalidSessionLength);
			SessionLength::<T>::put(blocks);
			Self::deposit_event(Event::SessionLengthSet { blocks });
			Ok(())
		}

		/// The signing hospital's node is now `node` (a new network key, a new machine), with
		/// the node's `proof` ([`Pallet::node_claim`] signed with its network key): the other
		/// hospitals' nodes let it connect, and drop the one before, as they import this block.
		/// Like its session keys, a hospital names its own node; the proof keeps it from
		/// naming (and so blocking) a node it does not hold.
		///
		/// Origin: signed by a hospital. Errors: `NotHospital`, `BadNodeProof`, `NodeInUse`.
		/// Event: `NodeSet`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_node())]
		pub fn set_node(
			origin: OriginFor<T>,
			node: NodeId,
			proof: ed25519::Signature,
		) -> DispatchResult {
			let hospital = ensure_signed(origin)?;
			let mut details = Hospitals::<T>::get(&hospital).ok_or(Error::<T>::NotHospital)?;
			Self::check_node_proof(&hospital, &node, &proof)?;
			if let Some(owner) = Nodes::<T>::get(node) {
				ensure!(owner == hospital, Error::<T>::NodeInUse);
			}
			if let Some(old) = details.node.replace(node) {
				Nodes::<T>::remove(old);
			}
			Nodes::<T>::insert(node, &hospital);
			Hospitals::<T>::insert(&hospital, details);
			Self::deposit_event(Event::NodeSet { hospital, node });
			Ok(())
		}

		/// Finality has stalled and its validators cannot finalize a change of their own set
		/// (too many of them lost their keys or left for good): have the finality set change by
		/// force to the next session's validators (those with keys registered), `delay` blocks
		/// after the next session starts, finalizing on from `best_finalized`, the highest
		/// block the live validators all finalized. Motions pass without finality, so the
		/// hospitals can decide this on a stalled chain.
		///
		/// Origin: [`Config::ConsortiumOrigin`]. Errors: `FinalizedInFuture`. Event:
		/// `FinalityStallNoted`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::note_stalled())]
		pub fn note_stalled(
			origin: OriginFor<T>,
			delay: BlockNumberFor<T>,
			best_finalized: BlockNumberFor<T>,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(best_finalized < now, Error::<T>::FinalizedInFuture);
			T::Finality::note_stalled(delay, best_finalized)?;
			Self::deposit_event(Event::FinalityStallNoted { delay, best_finalized });
			Ok(())
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// How many ayes a motion needs now: the [`ApprovalThreshold`] of the hospitals there are.
		pub fn ayes_needed() -> u32 {
			ApprovalThreshold::<T>::get()
				.ayes_needed(Members::<T>::decode_len().unwrap_or(0) as u32)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether block `now` ends a session: every multiple of [`SessionLength`] does.
		pub fn session_ends(now: BlockNumberFor<T>) -> bool {
			(now % SessionLength::<T>::get().max(One::one())).is_zero()
		}

		/// Whether sessions may last `blocks`.
		pub fn session_length_is_valid(blocks: BlockNumberFor<T>) -> bool {
			(T::MinSessionLength::get()..=T::MaxSessionLength::get()).contains(&blocks)
				&& !blocks.is_zero()
		}

		/// Seats `founders` as the consortium's hospitals (and the council's members), unless
		/// it has hospitals already: at genesis, and when a chain that ran without a consortium
		/// upgrades to a runtime with one. Founders beyond [`Config::MaxHospitals`] and repeated
		/// accounts are left out, as is a node named twice (its second hospital has none). Sets
		/// the pallet's storage version. Returns the weight used.
		pub fn found(founders: Vec<(T::AccountId, HospitalNameOf<T>, Option<NodeId>)>) -> Weight {
			let db = T::DbWeight::get();
			if Members::<T>::decode_len().unwrap_or(0) > 0 {
				return db.reads(1);
			}
			let mut members = MembersOf::<T>::default();
			let mut seated = 0u64;
			for (account, name, node) in founders {
				let Err(at) = members.binary_search(&account) else { continue };
				if members.try_insert(at, account.clone()).is_err() {
					break;
				}
				let node = node.filter(|node| !Nodes::<T>::contains_key(node));
				if let Some(node) = node {
					Nodes::<T>::insert(node, &account);
				}
				let founder = Hospital { name, admitted_at: Zero::zero(), node };
				Hospitals::<T>::insert(&account, founder);
				Self::keep_account(&account);
				seated += 1;
			}
			T::MembersInitialized::initialize_members(&members);
			Members::<T>::put(members);
			STORAGE_VERSION.put::<Pallet<T>>();
			// Per founder: its node, its hospital, its account; then the member lists of both
			// pallets and the storage version.
			db.reads_writes(1 + 3 * seated, 3 * seated + 3)
		}

		/// Makes sure a hospital's account exists, so that its nonce is kept and its
		/// transactions pass `CheckNonce` on a chain without balances. The reference is never
		/// dropped: a removed hospital's nonce never resets, so none of its old transactions
		/// can be replayed.
		fn keep_account(who: &T::AccountId) {
			if !frame_system::Pallet::<T>::account_exists(who) {
				frame_system::Pallet::<T>::inc_providers(who);
			}
		}
	}

	/// Whether an account is one of the consortium's hospitals.
	impl<T: Config> Contains<T::AccountId> for Pallet<T> {
		fn contains(who: &T::AccountId) -> bool {
			Hospitals::<T>::contains_key(who)
		}
	}
}
