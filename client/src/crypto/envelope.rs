//! Envelopes: a patient's record seeds sealed to one recipient's X25519 key with HPKE (see the
//! keys in [`super`]), for a grantee or the consortium's escrow.

use hpke::{
	aead::ChaCha20Poly1305 as HpkeAead, kdf::HkdfSha256, kem::X25519HkdfSha256, Deserializable,
	Kem as _, OpModeR, OpModeS, Serializable,
};
use rand_core::{OsRng, UnwrapErr};
use zeroize::Zeroizing;

use crate::{seeds::RecordSeeds, Error};

/// The Poly1305 tag HPKE's AEAD appends.
const TAG: usize = 16;
/// Version 2 carries [`RecordSeeds`] (a seed and its bridges); version 1 carried one seed.
const ENVELOPE_VERSION: u8 = 2;
/// Length of a seed envelope's clear header: version, epoch, HPKE encapsulated key.
const ENVELOPE_HEADER: usize = 1 + 4 + 32;

/// An X25519 key pair for HPKE.
pub struct EncryptionKey {
	secret: <X25519HkdfSha256 as hpke::Kem>::PrivateKey,
	public: [u8; 32],
}

impl EncryptionKey {
	/// The key pair derived (RFC 9180 `DeriveKeyPair`) from input keying material.
	pub fn derive(ikm: &[u8]) -> Self {
		let (secret, public) = X25519HkdfSha256::derive_keypair(ikm);
		let mut bytes = [0u8; 32];
		bytes.copy_from_slice(&public.to_bytes());
		Self { secret, public: bytes }
	}

	/// The public half, as registered on chain.
	pub fn public(&self) -> [u8; 32] {
		self.public
	}

	/// The secret half, for HPKE's opening side.
	pub(crate) fn secret(&self) -> &<X25519HkdfSha256 as hpke::Kem>::PrivateKey {
		&self.secret
	}
}

fn envelope_info(patient: &[u8; 32], epoch: u32) -> Vec<u8> {
	let mut info = b"ehr record seed envelope v1".to_vec();
	info.extend_from_slice(patient);
	info.extend_from_slice(&epoch.to_le_bytes());
	info
}

/// Wraps `seeds` (an epoch's seed and the bridges before it) of `patient` for the holder of
/// `recipient`'s X25519 key.
pub fn seal_seeds(
	recipient: &[u8; 32],
	patient: &[u8; 32],
	seeds: &RecordSeeds,
) -> Result<Vec<u8>, Error> {
	let pk = <X25519HkdfSha256 as hpke::Kem>::PublicKey::from_bytes(recipient)
		.map_err(|_| Error::Crypto("the recipient's encryption key is not an X25519 key"))?;
	let epoch = seeds.epoch();
	let (encapped, sealed) = hpke::single_shot_seal::<HpkeAead, HkdfSha256, X25519HkdfSha256, _>(
		&OpModeS::Base,
		&pk,
		&envelope_info(patient, epoch),
		&seeds.to_bytes(),
		&[],
		&mut UnwrapErr(OsRng),
	)
	.map_err(|_| Error::Crypto("sealing the envelope failed"))?;
	let mut out = Vec::with_capacity(ENVELOPE_HEADER + sealed.len());
	out.push(ENVELOPE_VERSION);
	out.extend_from_slice(&epoch.to_le_bytes());
	out.extend_from_slice(&encapped.to_bytes());
	out.extend_from_slice(&sealed);
	Ok(out)
}

/// Opens an envelope made by [`seal_seeds`] for `key`.
pub fn open_seeds(
	key: &EncryptionKey,
	patient: &[u8; 32],
	envelope: &[u8],
) -> Result<RecordSeeds, Error> {
	if envelope.len() < ENVELOPE_HEADER + TAG || envelope[0] != ENVELOPE_VERSION {
		return Err(Error::Crypto("the key envelope is malformed"));
	}
	let mut epoch = [0u8; 4];
	epoch.copy_from_slice(&envelope[1..5]);
	let epoch = u32::from_le_bytes(epoch);
	let encapped =
		<X25519HkdfSha256 as hpke::Kem>::EncappedKey::from_bytes(&envelope[5..ENVELOPE_HEADER])
			.map_err(|_| Error::Crypto("the key envelope is malformed"))?;
	let opened = Zeroizing::new(
		hpke::single_shot_open::<HpkeAead, HkdfSha256, X25519HkdfSha256>(
			&OpModeR::Base,
			&key.secret,
			&encapped,
			&envelope_info(patient, epoch),
			&envelope[ENVELOPE_HEADER..],
			&[],
		)
		.map_err(|_| Error::Crypto("the key envelope was not made for this key"))?,
	);
	let seeds = RecordSeeds::from_bytes(&opened)?;
	if seeds.epoch() != epoch {
		return Err(Error::Crypto("the key envelope's epoch does not match its seeds"));
	}
	Ok(seeds)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::crypto::Secret32;

	const PATIENT: [u8; 32] = [7u8; 32];

	#[test]
	fn envelopes_open_only_for_their_recipient_patient_and_epoch() {
		let alice = EncryptionKey::derive(b"alice's input keying material, 32+");
		let bob = EncryptionKey::derive(b"bob's input keying material, 32 by");
		let bridge = crate::seeds::Bridge { last_epoch: 0, seed: Secret32([5u8; 32]) };
		let seeds = RecordSeeds::new(2, Secret32([6u8; 32]), vec![bridge]).unwrap();
		let envelope = seal_seeds(&alice.public(), &PATIENT, &seeds).unwrap();
		assert!(envelope.len() <= 512, "fits the chain's envelope limit");
		let opened = open_seeds(&alice, &PATIENT, &envelope).unwrap();
		assert_eq!(opened.epoch(), 2);
		for epoch in 0..=2 {
			assert_eq!(opened.seed_of(epoch).unwrap(), seeds.seed_of(epoch).unwrap());
		}
		assert!(open_seeds(&bob, &PATIENT, &envelope).is_err());
		assert!(open_seeds(&alice, &[0u8; 32], &envelope).is_err());
		assert!(open_seeds(&alice, &PATIENT, &envelope[1..]).is_err());
		let mut relabelled = envelope.clone();
		relabelled[1] = 3;
		assert!(open_seeds(&alice, &PATIENT, &relabelled).is_err(), "the epoch is authenticated");
	}

	#[test]
	fn an_envelope_with_the_most_bridges_fits_the_chains_limit() {
		let alice = EncryptionKey::derive(b"alice's input keying material, 32+");
		let bridges = (0..crate::seeds::MAX_BRIDGES as u32)
			.map(|e| crate::seeds::Bridge { last_epoch: e, seed: Secret32([1; 32]) })
			.collect();
		let seeds = RecordSeeds::new(100, Secret32([2; 32]), bridges).unwrap();
		assert!(seal_seeds(&alice.public(), &PATIENT, &seeds).unwrap().len() <= 512);
	}
}
