//! Every call from every role: what succeeds, and the specific error everyone else gets.

use super::*;
use frame::deps::{sp_io, sp_runtime::StateVersion};

const ADMIN2: u64 = 2;
/// An admin of [`OTHER_HOSPITAL`], which none of the staff below belongs to.
const OTHER_ADMIN: u64 = 3;
/// An admin [`HOSPITAL`] appointed.
const HOSPITAL_ADMIN: u64 = 4;
const SUSPENDED: u64 = 13;
const REMOVED: u64 = 14;
/// A doctor whose emergency access (id 0) expired and waits for review.
const DOCTOR3: u64 = 15;
/// A doctor barred from break-glass by an "unjustified" review of its access (id 1).
const BARRED: u64 = 16;
/// A patient an admin removed, whose insurance commitment is still held.
const REMOVED_PATIENT: u64 = 22;
/// A patient an admin suspended.
const SUSPENDED_PATIENT: u64 = 23;

#[derive(Clone, Copy, Debug)]
enum Caller {
	Admin,
	OtherHospitalAdmin,
	Hospital,
	Professional,
	SuspendedProfessional,
	RemovedProfessional,
	Patient,
	SuspendedPatient,
	Outsider,
}

const ROLES: [Caller; 9] = [
	Caller::Admin,
	Caller::OtherHospitalAdmin,
	Caller::Hospital,
	Caller::Professional,
	Caller::SuspendedProfessional,
	Caller::RemovedProfessional,
	Caller::Patient,
	Caller::SuspendedPatient,
	Caller::Outsider,
];

fn account(role: Caller) -> u64 {
	match role {
		Caller::Admin => ADMIN,
		Caller::OtherHospitalAdmin => OTHER_ADMIN,
		Caller::Hospital => HOSPITAL,
		Caller::Professional => DOCTOR,
		Caller::SuspendedProfessional => SUSPENDED,
		Caller::RemovedProfessional => REMOVED,
		Caller::Patient => PATIENT,
		Caller::SuspendedPatient => SUSPENDED_PATIENT,
		Caller::Outsider => OUTSIDER,
	}
}

/// Every role present: a second admin of the consortium, an admin of each hospital, an active
/// doctor with a read-write grant on PATIENT, a
/// second active doctor, a suspended and a removed professional (both once granted), an expired
/// emergency access awaiting review (id 0), a reviewed one whose doctor is barred (id 1) and an
/// open one (id 2).
fn setup() {
	assert_ok!(Ehr::add_admin(consortium(), ADMIN2, None));
	assert_ok!(Ehr::add_admin(consortium(), OTHER_ADMIN, Some(OTHER_HOSPITAL)));
	assert_ok!(Ehr::appoint_admin(RuntimeOrigin::signed(HOSPITAL), HOSPITAL_ADMIN));
	for who in [DOCTOR, DOCTOR2, SUSPENDED, REMOVED, DOCTOR3, BARRED] {
		register_doctor(who);
	}
	register_patient_by(DOCTOR, PATIENT, 1);
	register_patient_by(ADMIN, PATIENT2, 2);
	register_patient_by(ADMIN, REMOVED_PATIENT, 3);
	register_patient_by(ADMIN, SUSPENDED_PATIENT, 4);
	assert_ok!(Ehr::remove_patient(RuntimeOrigin::signed(ADMIN), REMOVED_PATIENT));
	assert_ok!(Ehr::suspend_patient(RuntimeOrigin::signed(ADMIN), SUSPENDED_PATIENT));
	assert_ok!(Ehr::set_profile(RuntimeOrigin::signed(PATIENT), Some(locator(2))));
	for who in [SUSPENDED, REMOVED] {
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(PATIENT),
			who,
			GrantScope::ReadWrite,
			None,
			0,
			envelope(5)
		));
	}
	assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), SUSPENDED));
	assert_ok!(Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), REMOVED));
	for who in [DOCTOR3, BARRED] {
		assert_ok!(Ehr::open_emergency_access(
			RuntimeOrigin::signed(who),
			PATIENT2,
			EmergencyReason::Other,
			1
		));
	}
	run_to_block(3);
	assert_ok!(Ehr::review_emergency_access(
		RuntimeOrigin::signed(ADMIN),
		1,
		ReviewOutcome::Unjustified
	));
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

fn add_records_as(who: u64) -> DispatchResult {
	let (input, hash) = next_entry(PATIENT, who, DocumentKind::ClinicalNote, None);
	let entries = vec![(input, hash)].try_into().expect("one entry");
	Ehr::add_records(RuntimeOrigin::signed(who), PATIENT, entries)
}

fn calls() -> Vec<(&'static str, Call)> {
	vec![
		("add_admin", |who| Ehr::add_admin(RuntimeOrigin::signed(who), 50, None)),
		("remove_admin", |who| Ehr::remove_admin(RuntimeOrigin::signed(who), ADMIN2)),
		("appoint_admin", |who| Ehr::appoint_admin(RuntimeOrigin::signed(who), 50)),
		("dismiss_admin", |who| Ehr::dismiss_admin(RuntimeOrigin::signed(who), HOSPITAL_ADMIN)),
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
				consent(52, who, [52; 32], &envelope(6)),
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
				epoch_of_or_zero(who),
				envelope(8),
			)
		}),
		("revoke_access", |who| {
			Ehr::revoke_access(RuntimeOrigin::signed(who), DOCTOR, envelope(9), no_regrants())
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
			Ehr::close_emergency_access(RuntimeOrigin::signed(who), 2)
		}),
		("release_emergency_key", |who| {
			Ehr::release_emergency_key(RuntimeOrigin::signed(who), 2, envelope(10))
		}),
		("review_emergency_access", |who| {
			Ehr::review_emergency_access(RuntimeOrigin::signed(who), 0, ReviewOutcome::Justified)
		}),
		("add_record", add_record_as),
		("add_records", add_records_as),
		("log_access", |who| Ehr::log_access(RuntimeOrigin::signed(who), PATIENT, 0)),
		("set_difficulty", |who| Ehr::set_difficulty(RuntimeOrigin::signed(who), 9)),
		("rotate_record_key", |who| {
			Ehr::rotate_record_key(RuntimeOrigin::signed(who), envelope(11), no_regrants())
		}),
		("set_emergency_policy", |who| {
			Ehr::set_emergency_policy(
				RuntimeOrigin::signed(who),
				EmergencyPolicy {
					kinds: vec![ProfessionalKind::Doctor].try_into().expect("one kind"),
					writable: Default::default(),
					max_opens: 3,
					period: 100,
				},
			)
		}),
		("clear_emergency_bar", |who| Ehr::clear_emergency_bar(RuntimeOrigin::signed(who), BARRED)),
		("suspend_patient", |who| Ehr::suspend_patient(RuntimeOrigin::signed(who), PATIENT)),
		("reinstate_patient", |who| {
			Ehr::reinstate_patient(RuntimeOrigin::signed(who), SUSPENDED_PATIENT)
		}),
		("remove_patient", |who| Ehr::remove_patient(RuntimeOrigin::signed(who), PATIENT)),
		("release_insurance", |who| {
			Ehr::release_insurance(RuntimeOrigin::signed(who), REMOVED_PATIENT)
		}),
		("move_patient_account", |who| {
			Ehr::move_patient_account(
				RuntimeOrigin::signed(who),
				60,
				[6; 32],
				envelope(12),
				no_regrants(),
				move_consent_of(60, who, [6; 32], &envelope(12)),
			)
		}),
		("log_profile_access", |who| Ehr::log_profile_access(RuntimeOrigin::signed(who), PATIENT)),
		("post_message", |who| {
			Ehr::post_message(
				RuntimeOrigin::signed(who),
				PATIENT,
				vec![DOCTOR2].try_into().expect("one recipient"),
				H256::repeat_byte(1),
				locator(3),
			)
		}),
		("set_quotas", |who| {
			Ehr::set_quotas(
				RuntimeOrigin::signed(who),
				Quotas { window: 5, admin: 9, professional: 9, patient: 9 },
			)
		}),
	]
}

/// The calls only a decision of the consortium may make.
const CONSORTIUM_CALLS: [&str; 6] = [
	"add_admin",
	"remove_admin",
	"release_emergency_key",
	"set_difficulty",
	"set_emergency_policy",
	"set_quotas",
];

/// The calls a hospital makes alone, for itself.
const HOSPITAL_CALLS: [&str; 2] = ["appoint_admin", "dismiss_admin"];

/// The expected outcome of `call` from `role`: `None` for success.
fn expected(call: &str, role: Caller) -> Option<DispatchError> {
	if HOSPITAL_CALLS.contains(&call) {
		return (!matches!(role, Caller::Hospital)).then_some(DispatchError::BadOrigin);
	}
	// What binds every hospital takes the consortium's vote: no signed account, admins
	// included, decides it alone.
	if CONSORTIUM_CALLS.contains(&call) {
		return Some(DispatchError::BadOrigin);
	}
	expected_error(call, role).map(Into::into)
}

/// The pallet error `call` from `role` fails with: `None` for success.
fn expected_error(call: &str, role: Caller) -> Option<Error<Test>> {
	use Caller::*;
	use Error::*;
	// Every member of staff below is the consortium's own: another hospital's admin does not
	// manage it.
	let admin_only = |role| match role {
		Admin => None,
		OtherHospitalAdmin => Some(NotOwnStaff),
		_ => Some(NotAdmin),
	};
	let patient_only = |role| match role {
		Patient => None,
		SuspendedPatient => Some(PatientSuspended),
		_ => Some(NotPatient),
	};
	let active_professional = |role| match role {
		Professional => None,
		SuspendedProfessional => Some(ProfessionalSuspended),
		RemovedProfessional => Some(ProfessionalRemoved),
		Admin | OtherHospitalAdmin | Hospital | Patient | SuspendedPatient | Outsider => {
			Some(NotProfessional)
		},
	};
	match call {
		"register_professional" => match role {
			Admin | OtherHospitalAdmin => None,
			_ => Some(NotAdmin),
		},
		"suspend_professional"
		| "reinstate_professional"
		| "remove_professional"
		| "review_emergency_access"
		| "clear_emergency_bar"
		| "suspend_patient"
		| "reinstate_patient"
		| "remove_patient"
		| "release_insurance" => admin_only(role),
		"update_patient_key"
		| "set_profile"
		| "grant_access"
		| "revoke_access"
		| "rotate_record_key"
		| "move_patient_account" => patient_only(role),
		"register_patient" => match role {
			Admin | OtherHospitalAdmin | Professional => None,
			SuspendedProfessional => Some(ProfessionalSuspended),
			RemovedProfessional => Some(ProfessionalRemoved),
			Hospital | Patient | SuspendedPatient | Outsider => Some(NotAllowedToRegister),
		},
		"open_emergency_access" | "add_record" | "add_records" => active_professional(role),
		"close_emergency_access" => match role {
			Admin | Patient => None,
			_ => Some(NotAllowedToClose),
		},
		"log_access" | "log_profile_access" | "post_message" => match role {
			Professional | Patient => None,
			SuspendedProfessional => Some(ProfessionalSuspended),
			RemovedProfessional => Some(ProfessionalRemoved),
			Admin | OtherHospitalAdmin | Hospital | SuspendedPatient | Outsider => {
				Some(NotAllowedToRead)
			},
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
						assert_eq!(result, Err(error), "{call_name} from {role:?}");
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
	assert_eq!(cells, 32 * ROLES.len());
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
			let member = matches!(
				role,
				Caller::Admin
					| Caller::OtherHospitalAdmin
					| Caller::Hospital
					| Caller::Professional
					| Caller::Patient
			);
			// A suspended patient is no member either.
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
