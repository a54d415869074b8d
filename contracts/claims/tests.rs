//! The claims contract against a stand-in chain (`ehr_contract_env::testing`): one test or more
//! for each message's success and each of its refusals.

use crate::{
	claims::Claims,
	types::{
		Decision, Error, Ground, Reason, Status, DISPUTE_WINDOW, MAX_CODE, MAX_STATEMENT_CLAIMS,
	},
};
use ehr_contract_env::{
	testing::{self, account, as_caller, Chain},
	DocumentKind, EhrEnvironment, Entry, Grant, GrantScope, Member, ProfessionalKind,
};
use ink::{env::test, primitives::AccountId};

fn deployer() -> AccountId {
	account(1)
}
fn insurer() -> AccountId {
	account(2)
}
fn doctor() -> AccountId {
	account(3)
}
fn pharmacist() -> AccountId {
	account(4)
}
fn patient() -> AccountId {
	account(5)
}
fn other_insurer() -> AccountId {
	account(6)
}

const PRESCRIPTION: u32 = 1;
const DISPENSED: u32 = 2;
const NOTE: u32 = 3;

/// A chain with an insurer the patient granted access, a doctor's prescription (entry 1), a
/// pharmacist's dispensing note (entry 2) and a doctor's clinical note (entry 3); and the
/// contract, deployed by `deployer()`.
fn world() -> (Chain, Claims) {
	let chain = testing::register();
	{
		let mut state = chain.borrow_mut();
		let professional = |kind| Member::Professional(kind);
		state.members.insert(insurer(), professional(ProfessionalKind::Insurer));
		state.members.insert(other_insurer(), professional(ProfessionalKind::Insurer));
		state.members.insert(doctor(), professional(ProfessionalKind::Doctor));
		state.members.insert(pharmacist(), professional(ProfessionalKind::Pharmacist));
		state.members.insert(patient(), Member::Patient(patient()));
		let grant = Grant { scope: GrantScope::Read, expires_at: None };
		state.grants.insert((insurer(), patient()), grant);
		let entry = |author, kind, tag| Entry { author, kind, hash: [tag; 32] };
		state.entries.insert((patient(), 0), entry(doctor(), DocumentKind::Genesis, 0));
		state
			.entries
			.insert((patient(), PRESCRIPTION), entry(doctor(), DocumentKind::Prescription, 1));
		state
			.entries
			.insert((patient(), DISPENSED), entry(pharmacist(), DocumentKind::Prescription, 2));
		state.entries.insert((patient(), NOTE), entry(doctor(), DocumentKind::ClinicalNote, 3));
	}
	as_caller(deployer());
	(chain, Claims::new())
}

/// The world, with the insurer paying up to 50 for a prescription and 30 for a clinical note,
/// and the patient's policy capped at `cap`.
fn insured(cap: u64) -> (Chain, Claims) {
	let (chain, mut claims) = world();
	as_caller(insurer());
	claims.set_tariff(DocumentKind::Prescription, None, Some(50)).unwrap();
	claims.set_tariff(DocumentKind::ClinicalNote, None, Some(30)).unwrap();
	claims.register_policy(patient(), [7; 32], cap, None).unwrap();
	(chain, claims)
}

fn because(ground: Ground) -> Reason {
	Reason { ground, details: None }
}

fn approved(amount: u64, automatically: bool) -> Status {
	Status::Approved { amount, automatically }
}

#[ink::test]
fn an_insurer_sets_and_removes_tariffs_by_kind_and_code() {
	let (_chain, mut claims) = world();
	as_caller(insurer());
	let code = Some(b"RX-GENERIC".to_vec());
	claims.set_tariff(DocumentKind::Prescription, None, Some(50)).unwrap();
	claims.set_tariff(DocumentKind::Prescription, code.clone(), Some(20)).unwrap();
	assert_eq!(claims.tariff(insurer(), DocumentKind::Prescription, code.clone()), Some(20));
	let unknown_code = Some(b"RX-OTHER".to_vec());
	assert_eq!(claims.tariff(insurer(), DocumentKind::Prescription, unknown_code), Some(50));
	assert_eq!(claims.tariff(other_insurer(), DocumentKind::Prescription, None), None);
	claims.set_tariff(DocumentKind::Prescription, None, None).unwrap();
	assert_eq!(claims.tariff(insurer(), DocumentKind::Prescription, None), None);
	assert_eq!(test::recorded_events().count(), 3);
}

#[ink::test]
fn tariffs_are_refused_from_non_insurers_and_for_bad_input() {
	let (_chain, mut claims) = world();
	as_caller(doctor());
	let set = |claims: &mut Claims, kind, code, amount| claims.set_tariff(kind, code, amount);
	assert_eq!(set(&mut claims, DocumentKind::Prescription, None, Some(5)), Err(Error::NotInsurer));
	as_caller(insurer());
	assert_eq!(set(&mut claims, DocumentKind::Genesis, None, Some(5)), Err(Error::NotBillable));
	let long = Some(vec![b'x'; MAX_CODE + 1]);
	assert_eq!(set(&mut claims, DocumentKind::Imaging, long, Some(5)), Err(Error::CodeTooLong));
	assert_eq!(set(&mut claims, DocumentKind::Imaging, None, Some(0)), Err(Error::ZeroAmount));
	assert_eq!(claims.tariff(insurer(), DocumentKind::Imaging, None), None);
	assert_eq!(test::recorded_events().count(), 0);
}

#[ink::test]
fn a_policy_needs_the_patients_grant_and_is_registered_once_while_live() {
	let (chain, mut claims) = world();
	as_caller(other_insurer());
	assert_eq!(claims.register_policy(patient(), [7; 32], 100, None), Err(Error::NoGrant));
	as_caller(insurer());
	assert_eq!(claims.register_policy(doctor(), [7; 32], 100, None), Err(Error::NotPatient));
	assert_eq!(claims.register_policy(patient(), [7; 32], 0, None), Err(Error::ZeroAmount));
	test::set_block_number::<EhrEnvironment>(10);
	assert_eq!(claims.register_policy(patient(), [7; 32], 100, Some(9)), Err(Error::EndsInThePast));
	assert_eq!(claims.policy(insurer(), patient()), None);

	claims.register_policy(patient(), [7; 32], 100, Some(20)).unwrap();
	let policy = claims.policy(insurer(), patient()).unwrap();
	assert_eq!((policy.cap, policy.approved, policy.ends_at), (100, 0, Some(20)));
	assert_eq!(claims.register_policy(patient(), [8; 32], 100, None), Err(Error::PolicyExists));

	// The patient revoking the grant leaves the policy, but no new one can be registered.
	chain.borrow_mut().grants.clear();
	claims.end_policy(patient()).unwrap();
	test::advance_block::<EhrEnvironment>();
	assert_eq!(claims.register_policy(patient(), [8; 32], 100, None), Err(Error::NoGrant));
	as_caller(doctor());
	assert_eq!(claims.register_policy(patient(), [8; 32], 100, None), Err(Error::NotInsurer));
}

#[ink::test]
fn a_policy_is_registered_under_the_patients_id_after_it_moved_to_a_new_key() {
	let (chain, mut claims) = world();
	{
		let mut state = chain.borrow_mut();
		state.members.remove(&patient());
		state.members.insert(account(9), Member::Patient(patient()));
	}
	as_caller(insurer());
	claims.register_policy(patient(), [7; 32], 100, None).unwrap();
	assert_eq!(claims.register_policy(account(9), [7; 32], 100, None), Err(Error::NotPatient));
}

#[ink::test]
fn an_insurer_ends_a_policy_and_may_register_a_new_one() {
	let (_chain, mut claims) = insured(100);
	as_caller(other_insurer());
	assert_eq!(claims.end_policy(patient()), Err(Error::NoPolicy));
	as_caller(insurer());
	claims.end_policy(patient()).unwrap();
	assert_eq!(claims.end_policy(patient()), Err(Error::PolicyEnded));
	test::advance_block::<EhrEnvironment>();
	as_caller(doctor());
	let claim = claims.submit_claim(insurer(), patient(), PRESCRIPTION, None, 10);
	assert_eq!(claim, Err(Error::PolicyEnded));
	as_caller(insurer());
	claims.register_policy(patient(), [8; 32], 60, None).unwrap();
	assert_eq!(claims.policy(insurer(), patient()).unwrap().commitment, [8; 32]);
}

#[ink::test]
fn a_claim_within_tariff_and_cap_is_approved_at_once() {
	let (_chain, mut claims) = insured(100);
	as_caller(doctor());
	let id = claims.submit_claim(insurer(), patient(), PRESCRIPTION, None, 45).unwrap();
	let claim = claims.claim(id).unwrap();
	assert_eq!(claim.status, approved(45, true));
	assert_eq!((claim.provider, claim.kind), (doctor(), DocumentKind::Prescription));
	assert_eq!(claims.claim_of_entry(patient(), PRESCRIPTION), Some(id));
	assert_eq!(claims.policy(insurer(), patient()).unwrap().approved, 45);
}

#[ink::test]
fn a_claim_beyond_the_cap_waits_for_the_insurer() {
	let (_chain, mut claims) = insured(60);
	as_caller(doctor());
	claims.submit_claim(insurer(), patient(), PRESCRIPTION, None, 45).unwrap();
	let id = claims.submit_claim(insurer(), patient(), NOTE, None, 30).unwrap();
	assert_eq!(claims.claim(id).unwrap().status, Status::Pending);
	as_caller(insurer());
	assert_eq!(claims.decide(id, Decision::Approve(16)), Err(Error::CapExceeded));
	claims.decide(id, Decision::Approve(15)).unwrap();
	assert_eq!(claims.claim(id).unwrap().status, approved(15, false));
	assert_eq!(claims.policy(insurer(), patient()).unwrap().approved, 60);
	assert_eq!(claims.decide(id, Decision::Approve(1)), Err(Error::NotAwaitingDecision));
}

#[ink::test]
fn claims_for_what_the_provider_did_not_write_or_cannot_bill_are_refused() {
	let (_chain, mut claims) = insured(100);
	let submit = |claims: &mut Claims, index, code, amount| {
		claims.submit_claim(insurer(), patient(), index, code, amount)
	};
	as_caller(doctor());
	assert_eq!(submit(&mut claims, DISPENSED, None, 10), Err(Error::NotAuthor));
	assert_eq!(submit(&mut claims, 0, None, 10), Err(Error::NotBillable));
	assert_eq!(submit(&mut claims, 9, None, 10), Err(Error::NoSuchEntry));
	assert_eq!(submit(&mut claims, PRESCRIPTION, None, 51), Err(Error::AboveTariff));
	assert_eq!(submit(&mut claims, PRESCRIPTION, None, 0), Err(Error::ZeroAmount));
	let long = Some(vec![b'x'; MAX_CODE + 1]);
	assert_eq!(submit(&mut claims, PRESCRIPTION, long, 10), Err(Error::CodeTooLong));
	let other = claims.submit_claim(other_insurer(), patient(), PRESCRIPTION, None, 10);
	assert_eq!(other, Err(Error::NoPolicy));
	as_caller(insurer());
	assert_eq!(submit(&mut claims, PRESCRIPTION, None, 10), Err(Error::NotProvider));
	as_caller(patient());
	assert_eq!(submit(&mut claims, PRESCRIPTION, None, 10), Err(Error::NotProvider));

	// Nothing of it was kept: the first claim accepted gets the first id.
	assert_eq!(claims.claim_of_entry(patient(), PRESCRIPTION), None);
	as_caller(doctor());
	assert_eq!(submit(&mut claims, PRESCRIPTION, None, 10), Ok(0));
	assert_eq!(submit(&mut claims, PRESCRIPTION, None, 10), Err(Error::AlreadyClaimed));
}

#[ink::test]
fn a_kind_without_the_insurers_tariff_is_not_billable_and_a_codes_tariff_comes_first() {
	let (_chain, mut claims) = insured(100);
	as_caller(insurer());
	claims.set_tariff(DocumentKind::ClinicalNote, None, None).unwrap();
	claims.set_tariff(DocumentKind::Prescription, Some(b"RX-1".to_vec()), Some(5)).unwrap();
	as_caller(doctor());
	let note = claims.submit_claim(insurer(), patient(), NOTE, None, 10);
	assert_eq!(note, Err(Error::NoTariff));
	let coded = Some(b"RX-1".to_vec());
	let above = claims.submit_claim(insurer(), patient(), PRESCRIPTION, coded.clone(), 6);
	assert_eq!(above, Err(Error::AboveTariff));
	let id = claims.submit_claim(insurer(), patient(), PRESCRIPTION, coded.clone(), 5).unwrap();
	assert_eq!(claims.claim(id).unwrap().code, coded);
}

#[ink::test]
fn only_the_claims_insurer_decides_and_a_rejection_gives_its_ground() {
	let (_chain, mut claims) = insured(10);
	as_caller(doctor());
	let id = claims.submit_claim(insurer(), patient(), PRESCRIPTION, None, 40).unwrap();
	assert_eq!(claims.decide(id, Decision::Approve(5)), Err(Error::NotYours));
	as_caller(other_insurer());
	assert_eq!(claims.decide(id, Decision::Approve(5)), Err(Error::NotYours));
	as_caller(insurer());
	assert_eq!(claims.decide(7, Decision::Approve(5)), Err(Error::NoSuchClaim));
	assert_eq!(claims.decide(id, Decision::Approve(41)), Err(Error::AboveTariff));
	assert_eq!(claims.decide(id, Decision::Approve(0)), Err(Error::ZeroAmount));
	let unexplained = Decision::Reject(because(Ground::Other));
	assert_eq!(claims.decide(id, unexplained), Err(Error::ReasonNeedsDetails));
	assert_eq!(claims.claim(id).unwrap().status, Status::Pending);
	let explained = Reason { ground: Ground::Other, details: Some([3; 32]) };
	claims.decide(id, Decision::Reject(explained)).unwrap();
	assert_eq!(claims.claim(id).unwrap().status, Status::Rejected(explained));
}

#[ink::test]
fn a_provider_disputes_once_and_the_insurers_second_decision_is_final() {
	let (_chain, mut claims) = insured(10);
	as_caller(doctor());
	let id = claims.submit_claim(insurer(), patient(), PRESCRIPTION, None, 40).unwrap();
	as_caller(insurer());
	claims.decide(id, Decision::Approve(8)).unwrap();
	as_caller(pharmacist());
	assert_eq!(claims.dispute(id, because(Ground::Amount)), Err(Error::NotYours));
	as_caller(doctor());
	let unexplained = because(Ground::Other);
	assert_eq!(claims.dispute(id, unexplained), Err(Error::ReasonNeedsDetails));
	claims.dispute(id, because(Ground::Amount)).unwrap();
	assert_eq!(claims.claim(id).unwrap().status, Status::Disputed(because(Ground::Amount)));
	// What was approved is withdrawn until the insurer decides again.
	assert_eq!(claims.policy(insurer(), patient()).unwrap().approved, 0);
	as_caller(insurer());
	claims.decide(id, Decision::Approve(10)).unwrap();
	as_caller(doctor());
	assert_eq!(claims.dispute(id, because(Ground::Amount)), Err(Error::NotDisputable));
}

#[ink::test]
fn a_claim_approved_in_full_cannot_be_disputed() {
	let (_chain, mut claims) = insured(100);
	as_caller(doctor());
	let id = claims.submit_claim(insurer(), patient(), PRESCRIPTION, None, 40).unwrap();
	assert_eq!(claims.dispute(id, because(Ground::Amount)), Err(Error::NotDisputable));
	assert_eq!(claims.dispute(9, because(Ground::Amount)), Err(Error::NoSuchClaim));
}

#[ink::test]
fn an_insurer_settles_approved_claims_by_statement_and_the_provider_confirms_payment() {
	let (_chain, mut claims) = insured(100);
	as_caller(doctor());
	let first = claims.submit_claim(insurer(), patient(), PRESCRIPTION, None, 40).unwrap();
	let second = claims.submit_claim(insurer(), patient(), NOTE, None, 30).unwrap();
	as_caller(insurer());
	let id = claims.issue_statement(doctor(), vec![first, second]).unwrap();
	let statement = claims.statement(id).unwrap();
	assert_eq!((statement.total, statement.claims.len()), (70, 2));
	assert_eq!(claims.claim(first).unwrap().statement, Some(id));
	as_caller(doctor());
	assert_eq!(claims.confirm_payment(id), Err(Error::NotConfirmable));
	assert_eq!(claims.attest_payment(id, [9; 32]), Err(Error::NotYours));
	as_caller(insurer());
	claims.attest_payment(id, [9; 32]).unwrap();
	assert_eq!(claims.attest_payment(id, [9; 32]), Err(Error::AlreadyAttested));
	assert_eq!(claims.confirm_payment(id), Err(Error::NotYours));
	as_caller(doctor());
	claims.confirm_payment(id).unwrap();
	assert_eq!(claims.confirm_payment(id), Err(Error::NotConfirmable));
	assert_eq!(claims.confirm_payment(5), Err(Error::NoSuchStatement));
	let payment = claims.statement(id).unwrap().payment.unwrap();
	assert_eq!((payment.reference, payment.confirmed_at.is_some()), ([9; 32], true));
}

#[ink::test]
fn a_statement_lists_only_the_providers_approved_unsettled_claims_once() {
	let (_chain, mut claims) = insured(45);
	as_caller(doctor());
	let approved = claims.submit_claim(insurer(), patient(), PRESCRIPTION, None, 40).unwrap();
	let pending = claims.submit_claim(insurer(), patient(), NOTE, None, 30).unwrap();
	as_caller(insurer());
	let issue =
		|claims: &mut Claims, provider, ids: Vec<u64>| claims.issue_statement(provider, ids);
	assert_eq!(issue(&mut claims, doctor(), vec![]), Err(Error::BadStatement));
	let too_many = (0..=MAX_STATEMENT_CLAIMS as u64).collect();
	assert_eq!(issue(&mut claims, doctor(), too_many), Err(Error::BadStatement));
	assert_eq!(issue(&mut claims, doctor(), vec![approved, approved]), Err(Error::BadStatement));
	assert_eq!(issue(&mut claims, doctor(), vec![approved, pending]), Err(Error::NotSettleable));
	assert_eq!(issue(&mut claims, pharmacist(), vec![approved]), Err(Error::NotSettleable));
	assert_eq!(issue(&mut claims, doctor(), vec![approved, 9]), Err(Error::NoSuchClaim));
	assert_eq!(claims.claim(approved).unwrap().statement, None);
	as_caller(other_insurer());
	assert_eq!(issue(&mut claims, doctor(), vec![approved]), Err(Error::NotSettleable));
	as_caller(doctor());
	assert_eq!(issue(&mut claims, doctor(), vec![approved]), Err(Error::NotInsurer));

	as_caller(insurer());
	assert_eq!(issue(&mut claims, doctor(), vec![approved]), Ok(0));
	assert_eq!(issue(&mut claims, doctor(), vec![approved]), Err(Error::NotSettleable));
	// A claim on a statement is settled: no dispute reopens it.
	as_caller(doctor());
	assert_eq!(claims.dispute(approved, because(Ground::Coverage)), Err(Error::NotDisputable));
}

#[ink::test]
fn only_the_deployer_upgrades_the_contract() {
	let (_chain, mut claims) = world();
	assert_eq!(claims.deployer(), deployer());
	as_caller(insurer());
	assert_eq!(claims.upgrade([1; 32].into()), Err(Error::NotDeployer));
}

#[ink::test]
fn claims_under_a_replaced_policy_are_never_paid_from_the_new_ones_cap() {
	let (_chain, mut claims) = insured(50);
	as_caller(doctor());
	let paid = claims.submit_claim(insurer(), patient(), PRESCRIPTION, None, 40).unwrap();
	let pending = claims.submit_claim(insurer(), patient(), NOTE, None, 30).unwrap();
	as_caller(insurer());
	claims.end_policy(patient()).unwrap();
	test::advance_block::<EhrEnvironment>();
	claims.register_policy(patient(), [8; 32], 100, None).unwrap();
	assert_eq!(claims.decide(pending, Decision::Approve(30)), Err(Error::PolicyEnded));
	assert_eq!(claims.policy(insurer(), patient()).unwrap().approved, 0);
	// A rejection stays possible; a dispute of it cannot reopen the old cap.
	claims.decide(pending, Decision::Reject(because(Ground::Coverage))).unwrap();
	assert_eq!(claims.claim(paid).unwrap().status, approved(40, true));
}

#[ink::test]
fn a_partial_approval_is_settled_only_after_the_dispute_window_or_a_dispute() {
	let (_chain, mut claims) = insured(10);
	as_caller(doctor());
	let id = claims.submit_claim(insurer(), patient(), PRESCRIPTION, None, 40).unwrap();
	as_caller(insurer());
	claims.decide(id, Decision::Approve(5)).unwrap();
	assert_eq!(claims.issue_statement(doctor(), vec![id]), Err(Error::NotSettleable));
	test::set_block_number::<EhrEnvironment>(DISPUTE_WINDOW - 1);
	assert_eq!(claims.issue_statement(doctor(), vec![id]), Err(Error::NotSettleable));
	test::set_block_number::<EhrEnvironment>(DISPUTE_WINDOW);
	assert_eq!(claims.issue_statement(doctor(), vec![id]), Ok(0));
}

#[ink::test]
fn a_claim_decided_again_after_its_dispute_is_settled_at_once() {
	let (_chain, mut claims) = insured(10);
	as_caller(doctor());
	let id = claims.submit_claim(insurer(), patient(), PRESCRIPTION, None, 40).unwrap();
	as_caller(insurer());
	claims.decide(id, Decision::Reject(because(Ground::Information))).unwrap();
	as_caller(doctor());
	claims.dispute(id, because(Ground::Information)).unwrap();
	as_caller(insurer());
	assert_eq!(claims.decide(id, Decision::Approve(11)), Err(Error::CapExceeded));
	claims.decide(id, Decision::Approve(6)).unwrap();
	assert_eq!(claims.issue_statement(doctor(), vec![id]), Ok(0));
}

#[ink::test]
fn a_claim_under_a_code_above_the_kinds_own_tariff_waits_for_the_insurer() {
	let (_chain, mut claims) = insured(100);
	as_caller(insurer());
	claims.set_tariff(DocumentKind::Prescription, Some(b"RX-BRAND".to_vec()), Some(90)).unwrap();
	as_caller(doctor());
	let coded = Some(b"RX-BRAND".to_vec());
	let id = claims.submit_claim(insurer(), patient(), PRESCRIPTION, coded, 80).unwrap();
	assert_eq!(claims.claim(id).unwrap().status, Status::Pending);
	assert_eq!(claims.policy(insurer(), patient()).unwrap().approved, 0);
}

#[ink::test]
fn a_policy_needs_a_grant_that_has_not_expired() {
	let (chain, mut claims) = world();
	let grant = Grant { scope: GrantScope::Read, expires_at: Some(5) };
	chain.borrow_mut().grants.insert((insurer(), patient()), grant);
	test::set_block_number::<EhrEnvironment>(6);
	chain.borrow_mut().now = 6;
	as_caller(insurer());
	assert_eq!(claims.register_policy(patient(), [7; 32], 100, None), Err(Error::NoGrant));
	test::set_block_number::<EhrEnvironment>(5);
	chain.borrow_mut().now = 5;
	claims.register_policy(patient(), [7; 32], 100, None).unwrap();
}
