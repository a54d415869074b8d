//! Every call from every role: what succeeds, and the specific error everyone else gets.

use super::*;
use frame::deps::{sp_io, sp_runtime::StateVersion};

const ADMIN2: u64 = 2;
const SUSPENDED: u64 = 13;
const REMOVED: u64 = 14;

#[derive(Clone, Copy, Debug)]
enum Role {
	Admin,
	Professional,
	SuspendedProfessional,
	RemovedProfessional,
	Patient,
	Outsider,
}

const ROLES: [Role; 6] = [
	Role::Admin,
	Role::Professional,
	Role::SuspendedProfessional,
	Role::RemovedProfessional,
	Role::Patient,
	Role::Outsider,
];

fn account(role: Role) -> u64 {
	match role {
		Role::Admin => ADMIN,
		Role::Professional => DOCTOR,
		Role::SuspendedProfessional => SUSPENDED,
		Role::RemovedProfessional => REMOVED,
		Role::Patient => PATIENT,
		Role::Outsider => OUTSIDER,
	}
}

/// Every role present: a second admin, an active doctor with a read-write grant on PATIENT, a
/// second active doctor, a suspended and a removed professional (both once granted), an expired
/// emergency access (id 0) and an open one (id 1).
fn setup() {
	assert_ok!(Ehr::add_admin(RuntimeOrigin::signed(ADMIN), ADMIN2));
	for who in [DOCTOR, DOCTOR2, SUSPENDED, REMOVED] {
		register_doctor(who);
	}
	register_patient_by(DOCTOR, PATIENT, 1);
	register_patient_by(ADMIN, PATIENT2, 2);
	for who in [SUSPENDED, REMOVED] {
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(PATIENT),
			who,
			GrantScope::ReadWrite,
			None,
			envelope(5)
		));
	}
	assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), SUSPENDED));
	assert_ok!(Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), REMOVED));
	assert_ok!(Ehr::open_emergency_access(
		RuntimeOrigin::signed(DOCTOR2),
		PATIENT2,
		EmergencyReason::Other,
		1
	));
	run_to_block(3);
	assert_ok!(Ehr::open_emergency_access(
		RuntimeOrigin::signed(DOCTOR2),
		PATIENT,
		EmergencyReason::EmergencyCare,
		10
	));
}

type Call = fn(u64) -> DispatchResult;

fn add_record_as(who: u64) -> DispatchResult {
	let (input, hash) = next_entry(PATIENT, who, DocumentKind::ClinicalNote, None);
	Ehr::add_record(RuntimeOrigin::signed(who), PATIENT, input, hash)
}

fn calls() -> Vec<(&'static str, Call)> {
	vec![
		("add_admin", |who| Ehr::add_admin(RuntimeOrigin::signed(who), 50)),
		("remove_admin", |who| Ehr::remove_admin(RuntimeOrigin::signed(who), ADMIN2)),
		("register_professional", |who| {
			Ehr::register_professional(
				RuntimeOrigin::signed(who),
				51,
				ProfessionalKind::Laboratory,
				name("Lab"),
				name("haematology"),
				H256::repeat_byte(3),
				name("City Lab"),
				[51; 32],
			)
		}),
		("suspend_professional", |who| {
			Ehr::suspend_professional(RuntimeOrigin::signed(who), DOCTOR2)
		}),
		("reinstate_professional", |who| {
			Ehr::reinstate_professional(RuntimeOrigin::signed(who), SUSPENDED)
		}),
		("remove_professional", |who| {
			Ehr::remove_professional(RuntimeOrigin::signed(who), DOCTOR2)
		}),
		("register_patient", |who| {
			Ehr::register_patient(
				RuntimeOrigin::signed(who),
				52,
				insurance(9),
				[52; 32],
				envelope(6),
				None,
			)
		}),
		("update_patient_key", |who| Ehr::update_patient_key(RuntimeOrigin::signed(who), [8; 32])),
		("set_profile", |who| Ehr::set_profile(RuntimeOrigin::signed(who), Some(locator(1)))),
		("grant_access", |who| {
			Ehr::grant_access(
				RuntimeOrigin::signed(who),
				DOCTOR2,
				GrantScope::Read,
				None,
				envelope(8),
			)
		}),
		("revoke_access", |who| {
			Ehr::revoke_access(RuntimeOrigin::signed(who), DOCTOR, envelope(9))
		}),
		("open_emergency_access", |who| {
			Ehr::open_emergency_access(
				RuntimeOrigin::signed(who),
				PATIENT,
				EmergencyReason::LifeThreatening,
				5,
			)
		}),
		("close_emergency_access", |who| {
			Ehr::close_emergency_access(RuntimeOrigin::signed(who), 1)
		}),
		("release_emergency_key", |who| {
			Ehr::release_emergency_key(RuntimeOrigin::signed(who), 1, envelope(10))
		}),
		("review_emergency_access", |who| {
			Ehr::review_emergency_access(RuntimeOrigin::signed(who), 0, ReviewOutcome::Justified)
		}),
		("add_record", add_record_as),
		("log_access", |who| Ehr::log_access(RuntimeOrigin::signed(who), PATIENT, 0)),
		("set_difficulty", |who| Ehr::set_difficulty(RuntimeOrigin::signed(who), 9)),
	]
}

/// The expected outcome of `call` from `role`: `None` for success.
fn expected(call: &str, role: Role) -> Option<Error<Test>> {
	use Error::*;
	use Role::*;
	let admin_only = |role| if matches!(role, Admin) { None } else { Some(NotAdmin) };
	let patient_only = |role| if matches!(role, Patient) { None } else { Some(NotPatient) };
	let active_professional = |role| match role {
		Professional => None,
		SuspendedProfessional => Some(ProfessionalSuspended),
		RemovedProfessional => Some(ProfessionalRemoved),
		Admin | Patient | Outsider => Some(NotProfessional),
	};
	match call {
		"add_admin"
		| "remove_admin"
		| "register_professional"
		| "suspend_professional"
		| "reinstate_professional"
		| "remove_professional"
		| "release_emergency_key"
		| "review_emergency_access"
		| "set_difficulty" => admin_only(role),
		"update_patient_key" | "set_profile" | "grant_access" | "revoke_access" => {
			patient_only(role)
		},
		"register_patient" => match role {
			Admin | Professional => None,
			SuspendedProfessional => Some(ProfessionalSuspended),
			RemovedProfessional => Some(ProfessionalRemoved),
			Patient | Outsider => Some(NotAllowedToRegister),
		},
		"open_emergency_access" | "add_record" => active_professional(role),
		"close_emergency_access" => match role {
			Admin | Patient => None,
			_ => Some(NotAllowedToClose),
		},
		"log_access" => match role {
			Professional | Patient => None,
			SuspendedProfessional => Some(ProfessionalSuspended),
			RemovedProfessional => Some(ProfessionalRemoved),
			Admin | Outsider => Some(NotAllowedToRead),
		},
		other => panic!("no expectation for {other}"),
	}
}

#[test]
fn every_call_from_every_role() {
	let mut cells = 0;
	for (call_name, call) in calls() {
		for role in ROLES {
			test(|| {
				setup();
				let before = sp_io::storage::root(StateVersion::V1);
				let result = call(account(role));
				match expected(call_name, role) {
					None => assert!(result.is_ok(), "{call_name} from {role:?}: {result:?}"),
					Some(error) => {
						assert_eq!(result, Err(error.into()), "{call_name} from {role:?}");
						assert_eq!(
							sp_io::storage::root(StateVersion::V1),
							before,
							"{call_name} from {role:?} changed storage"
						);
					},
				}
			});
			cells += 1;
		}
	}
	assert_eq!(cells, 18 * ROLES.len());
}

#[test]
fn only_members_pass_the_membership_extension() {
	use crate::CheckMembership;
	use frame::{
		deps::frame_support::dispatch::DispatchInfo,
		deps::sp_runtime::{
			traits::{DispatchTransaction, TransactionExtension, TxBaseImplication},
			transaction_validity::{
				InvalidTransaction, TransactionSource, TransactionValidityError,
			},
		},
	};
	test(|| {
		setup();
		let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		let info = DispatchInfo::default();
		for role in ROLES {
			let result = CheckMembership::<Test>::new().validate_only(
				Some(account(role)).into(),
				&call,
				&info,
				0,
				TransactionSource::External,
				0,
			);
			let member = matches!(role, Role::Admin | Role::Professional | Role::Patient);
			if member {
				assert!(result.is_ok(), "{role:?} is a member");
			} else {
				assert_eq!(
					result.map(|_| ()),
					Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner)),
					"{role:?} is refused"
				);
			}
		}
		// Unsigned transactions are left to the runtime's other checks.
		let unsigned = TransactionExtension::<RuntimeCall>::validate(
			&CheckMembership::<Test>::new(),
			RuntimeOrigin::none(),
			&call,
			&info,
			0,
			(),
			&TxBaseImplication(()),
			TransactionSource::External,
		);
		assert!(unsigned.is_ok());
	});
}
