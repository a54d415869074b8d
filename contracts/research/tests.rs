//! The research contract against a stand-in chain (`ehr_contract_env::testing`): one test or
//! more for each message's success and each of its refusals.

use crate::research::{Error, Research, StudyStatus, MAX_KINDS, MAX_TEXT};
use ehr_contract_env::{
	testing::{self, account, as_caller, Chain},
	DocumentKind, EhrEnvironment, Entry, Member, ProfessionalKind,
};
use ink::{env::test, primitives::AccountId};

fn deployer() -> AccountId {
	account(1)
}
fn board() -> AccountId {
	account(2)
}
fn sponsor() -> AccountId {
	account(3)
}
fn doctor() -> AccountId {
	account(4)
}
fn patient() -> AccountId {
	account(5)
}
fn other_patient() -> AccountId {
	account(6)
}
fn gateway() -> AccountId {
	account(7)
}

const LAB: u32 = 1;
const NOTE: u32 = 2;

fn at_block(n: u32) {
	test::set_block_number::<EhrEnvironment>(n);
}

/// A chain with two professionals and two patients, the first with a lab result (entry 1) and
/// a clinical note (entry 2); the contract deployed, and `board()` an ethics board.
fn world() -> (Chain, Research) {
	let chain = testing::register();
	{
		let mut state = chain.borrow_mut();
		state.members.insert(sponsor(), Member::Professional(ProfessionalKind::Doctor));
		state.members.insert(doctor(), Member::Professional(ProfessionalKind::Laboratory));
		state.members.insert(patient(), Member::Patient(patient()));
		state.members.insert(other_patient(), Member::Patient(other_patient()));
		let entry = |kind, tag| Entry { author: doctor(), kind, hash: [tag; 32] };
		state.entries.insert((patient(), LAB), entry(DocumentKind::LabResult, 1));
		state.entries.insert((patient(), NOTE), entry(DocumentKind::ClinicalNote, 2));
	}
	as_caller(deployer());
	let mut research = Research::new();
	research.add_board(board()).unwrap();
	(chain, research)
}

/// The sponsor's proposal of a study of lab results between blocks 10 and 20, twice per
/// patient.
fn propose(research: &mut Research) -> Result<u32, Error> {
	as_caller(sponsor());
	research.propose_study(
		gateway(),
		b"HbA1c over time in type 2 diabetes".to_vec(),
		vec![DocumentKind::LabResult],
		10,
		20,
		2,
		[7; 32],
	)
}

/// The world with the study approved and the patient opted in, at block 10.
fn running() -> (Chain, Research, u32) {
	let (chain, mut research) = world();
	let id = propose(&mut research).unwrap();
	as_caller(board());
	research.approve_study(id).unwrap();
	at_block(10);
	as_caller(patient());
	research.opt_in(id).unwrap();
	as_caller(gateway());
	(chain, research, id)
}

#[ink::test]
fn only_the_deployer_names_and_removes_ethics_boards() {
	let (_chain, mut research) = world();
	assert!(research.is_board(board()));
	as_caller(sponsor());
	assert_eq!(research.add_board(sponsor()), Err(Error::NotDeployer));
	assert_eq!(research.remove_board(board()), Err(Error::NotDeployer));
	as_caller(deployer());
	research.remove_board(board()).unwrap();
	assert!(!research.is_board(board()));
	assert_eq!(research.remove_board(board()), Err(Error::NotBoard));
}

#[ink::test]
fn a_professional_proposes_a_study_and_a_board_approves_it() {
	let (_chain, mut research) = world();
	let id = propose(&mut research).unwrap();
	assert_eq!(research.study(id).unwrap().status, StudyStatus::Proposed);
	as_caller(sponsor());
	assert_eq!(research.approve_study(id), Err(Error::NotBoard));
	as_caller(board());
	assert_eq!(research.approve_study(9), Err(Error::NoSuchStudy));
	research.approve_study(id).unwrap();
	assert!(matches!(research.study(id).unwrap().status, StudyStatus::Approved { .. }));
	assert_eq!(research.approve_study(id), Err(Error::NotProposed));
	assert_eq!(research.reject_study(id, b"late".to_vec()), Err(Error::NotProposed));
}

#[ink::test]
fn a_board_rejects_a_study_with_a_reason() {
	let (_chain, mut research) = world();
	let id = propose(&mut research).unwrap();
	as_caller(board());
	assert_eq!(research.reject_study(id, Vec::new()), Err(Error::BadText));
	research.reject_study(id, b"no data protection plan".to_vec()).unwrap();
	let status = research.study(id).unwrap().status;
	assert_eq!(
		status,
		StudyStatus::Rejected { board: board(), reason: b"no data protection plan".to_vec() }
	);
	as_caller(patient());
	assert_eq!(research.opt_in(id), Err(Error::NotApproved));
}

#[ink::test]
fn proposals_from_non_professionals_or_with_bad_terms_are_refused() {
	let (_chain, mut research) = world();
	let purpose = b"a study".to_vec();
	let labs = vec![DocumentKind::LabResult];
	as_caller(patient());
	let propose_as = |research: &mut Research, purpose: Vec<u8>, kinds, start, end, quota| {
		research.propose_study(gateway(), purpose, kinds, start, end, quota, [7; 32])
	};
	assert_eq!(
		propose_as(&mut research, purpose.clone(), labs.clone(), 1, 2, 1),
		Err(Error::NotProfessional)
	);
	as_caller(sponsor());
	assert_eq!(propose_as(&mut research, Vec::new(), labs.clone(), 1, 2, 1), Err(Error::BadText));
	let long = vec![b'x'; MAX_TEXT + 1];
	assert_eq!(propose_as(&mut research, long, labs.clone(), 1, 2, 1), Err(Error::BadText));
	assert_eq!(propose_as(&mut research, purpose.clone(), vec![], 1, 2, 1), Err(Error::BadKinds));
	let twice = vec![DocumentKind::LabResult, DocumentKind::LabResult];
	assert_eq!(propose_as(&mut research, purpose.clone(), twice, 1, 2, 1), Err(Error::BadKinds));
	let genesis = vec![DocumentKind::Genesis];
	assert_eq!(propose_as(&mut research, purpose.clone(), genesis, 1, 2, 1), Err(Error::BadKinds));
	let many = vec![DocumentKind::Other; MAX_KINDS + 1];
	assert_eq!(propose_as(&mut research, purpose.clone(), many, 1, 2, 1), Err(Error::BadKinds));
	assert_eq!(
		propose_as(&mut research, purpose.clone(), labs.clone(), 5, 4, 1),
		Err(Error::BadWindow)
	);
	at_block(10);
	assert_eq!(
		propose_as(&mut research, purpose.clone(), labs.clone(), 1, 9, 1),
		Err(Error::BadWindow)
	);
	assert_eq!(
		propose_as(&mut research, purpose.clone(), labs.clone(), 10, 20, 0),
		Err(Error::ZeroQuota)
	);
	assert_eq!(research.study(0), None);
	assert_eq!(propose_as(&mut research, purpose, labs, 10, 20, 1), Ok(0));
}

#[ink::test]
fn a_patient_opts_in_and_the_study_uses_its_records_within_the_terms() {
	let (_chain, mut research, id) = running();
	assert_eq!(research.may_use(id, patient(), LAB), Ok(()));
	research.log_use(id, patient(), LAB).unwrap();
	assert_eq!(research.consent(id, patient()).unwrap().uses, 1);
	assert_eq!(research.study(id).unwrap().uses, 1);
	assert_eq!(research.may_use(id, patient(), NOTE), Err(Error::KindNotAllowed));
	assert_eq!(research.may_use(id, patient(), 9), Err(Error::NoSuchEntry));
	assert_eq!(research.may_use(id, other_patient(), LAB), Err(Error::NoConsent));
	research.log_use(id, patient(), LAB).unwrap();
	assert_eq!(research.log_use(id, patient(), LAB), Err(Error::QuotaUsed));
	assert_eq!(research.consent(id, patient()).unwrap().uses, 2);
}

#[ink::test]
fn only_the_studys_gateway_logs_uses() {
	let (_chain, mut research, id) = running();
	for who in [sponsor(), doctor()] {
		as_caller(who);
		assert_eq!(research.log_use(id, patient(), LAB), Err(Error::NotGateway));
	}
	assert_eq!(research.consent(id, patient()).unwrap().uses, 0);
}

#[ink::test]
fn a_sponsor_is_neither_its_studys_gateway_nor_its_board() {
	let (_chain, mut research) = world();
	as_caller(sponsor());
	let own_gateway = research.propose_study(
		sponsor(),
		b"a study".to_vec(),
		vec![DocumentKind::LabResult],
		1,
		2,
		1,
		[7; 32],
	);
	assert_eq!(own_gateway, Err(Error::ConflictOfInterest));
	as_caller(deployer());
	research.add_board(sponsor()).unwrap();
	let id = propose(&mut research).unwrap();
	assert_eq!(research.approve_study(id), Err(Error::ConflictOfInterest));
}

#[ink::test]
fn no_use_once_the_sponsor_or_the_patient_is_no_longer_in_good_standing() {
	let (chain, mut research, id) = running();
	chain.borrow_mut().members.remove(&sponsor());
	assert_eq!(research.log_use(id, patient(), LAB), Err(Error::NotInGoodStanding));
	chain.borrow_mut().members.insert(sponsor(), Member::Professional(ProfessionalKind::Doctor));
	chain.borrow_mut().members.remove(&patient());
	assert_eq!(research.may_use(id, patient(), LAB), Err(Error::NotInGoodStanding));
}

#[ink::test]
fn a_patient_no_longer_in_good_standing_still_withdraws_from_its_new_key() {
	let (chain, mut research) = world();
	let id = propose(&mut research).unwrap();
	as_caller(board());
	research.approve_study(id).unwrap();
	let new_key = account(9);
	{
		let mut state = chain.borrow_mut();
		state.members.remove(&patient());
		state.members.insert(new_key, Member::Patient(patient()));
	}
	as_caller(new_key);
	research.opt_in(id).unwrap();
	// Suspended: the chain no longer answers for the new key.
	chain.borrow_mut().members.remove(&new_key);
	research.withdraw(id).unwrap();
	assert!(research.consent(id, patient()).unwrap().withdrawn_at.is_some());
}

#[ink::test]
fn a_use_after_withdrawal_is_refused_until_the_patient_opts_in_again() {
	let (_chain, mut research, id) = running();
	research.log_use(id, patient(), LAB).unwrap();
	as_caller(patient());
	research.withdraw(id).unwrap();
	assert_eq!(research.withdraw(id), Err(Error::NoConsent));
	as_caller(gateway());
	assert_eq!(research.log_use(id, patient(), LAB), Err(Error::NoConsent));
	assert_eq!(research.may_use(id, patient(), LAB), Err(Error::NoConsent));
	// Opting in again keeps the count of uses: the quota is the study's over the patient.
	as_caller(patient());
	research.opt_in(id).unwrap();
	assert_eq!(research.opt_in(id), Err(Error::AlreadyOptedIn));
	as_caller(gateway());
	research.log_use(id, patient(), LAB).unwrap();
	assert_eq!(research.may_use(id, patient(), LAB), Err(Error::QuotaUsed));
}

#[ink::test]
fn a_patient_that_moved_to_a_new_key_consents_under_its_first_account() {
	let (chain, mut research) = world();
	let id = propose(&mut research).unwrap();
	as_caller(board());
	research.approve_study(id).unwrap();
	let new_key = account(9);
	chain.borrow_mut().members.insert(new_key, Member::Patient(patient()));
	at_block(10);
	as_caller(new_key);
	research.opt_in(id).unwrap();
	assert!(research.consent(id, patient()).is_some());
	assert_eq!(research.consent(id, new_key), None);
	as_caller(gateway());
	research.log_use(id, patient(), LAB).unwrap();
	as_caller(new_key);
	research.withdraw(id).unwrap();
	assert_eq!(research.may_use(id, patient(), LAB), Err(Error::NoConsent));
}

#[ink::test]
fn uses_outside_the_window_are_refused() {
	let (_chain, mut research, id) = running();
	at_block(9);
	assert_eq!(research.log_use(id, patient(), LAB), Err(Error::NotStarted));
	at_block(21);
	assert_eq!(research.log_use(id, patient(), LAB), Err(Error::Ended));
	as_caller(other_patient());
	assert_eq!(research.opt_in(id), Err(Error::Ended));
	assert_eq!(research.consent(id, patient()).unwrap().uses, 0);
}

#[ink::test]
fn only_patients_opt_in_and_only_to_approved_studies() {
	let (_chain, mut research) = world();
	let id = propose(&mut research).unwrap();
	as_caller(patient());
	assert_eq!(research.opt_in(id), Err(Error::NotApproved));
	assert_eq!(research.opt_in(9), Err(Error::NoSuchStudy));
	as_caller(doctor());
	assert_eq!(research.opt_in(id), Err(Error::NotPatient));
	assert_eq!(research.withdraw(id), Err(Error::NoConsent));
}

#[ink::test]
fn the_sponsor_closes_a_study_and_it_uses_nothing_more() {
	let (_chain, mut research, id) = running();
	as_caller(doctor());
	assert_eq!(research.close_study(id), Err(Error::NotSponsor));
	as_caller(sponsor());
	research.close_study(id).unwrap();
	assert_eq!(research.close_study(id), Err(Error::NotApproved));
	assert_eq!(research.log_use(id, patient(), LAB), Err(Error::NotApproved));
	// Withdrawing stays open to the patient.
	as_caller(patient());
	research.withdraw(id).unwrap();
}

#[ink::test]
fn only_the_deployer_upgrades_the_contract() {
	let (_chain, mut research) = world();
	as_caller(sponsor());
	assert_eq!(research.upgrade([1; 32].into()), Err(Error::NotDeployer));
}
