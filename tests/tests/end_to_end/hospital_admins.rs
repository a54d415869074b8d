//! A hospital's own admins, on a real development node: the hospital appoints them, they
//! register and manage its staff and nobody else's, and once dismissed they are no members.

use ehr_client::{chain::ProfessionalKind, keys::Identity, Client, Error};
use ehr_tests::Node;

use crate::helpers::{dev_settings, register};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hospitals_admins_manage_its_own_staff_only() {
	let node = Node::dev();
	let tmp = tempfile::tempdir().expect("temp dir");
	let client = Client::connect(dev_settings(&node, tmp.path())).await.expect("connect");
	// Alice is the development chain's hospital and the consortium's admin.
	let alice = Identity::dev("Alice").expect("dev key");
	let bob = Identity::dev("Bob").expect("dev key");
	let eve = Identity::dev("Eve").expect("dev key");
	let ferdie = Identity::dev("Ferdie").expect("dev key");

	client.appoint_admin(&alice, &eve.account()).await.expect("the hospital appoints Eve");
	register(&client, &eve, &ferdie, "Dr Ferdie", ProfessionalKind::Doctor).await;
	register(&client, &alice, &bob, "Dr Bob", ProfessionalKind::Doctor).await;
	let staff =
		client.chain.state().await.expect("state").professionals().await.expect("professionals");
	let hospital_of = |who: &Identity| {
		staff.iter().find(|(account, _)| *account == who.account()).map(|(_, p)| p.hospital)
	};
	assert_eq!(hospital_of(&ferdie), Some(Some(alice.account())), "Eve's hire is the hospital's");
	assert_eq!(hospital_of(&bob), Some(None), "the consortium's admin hires for the consortium");

	// Eve manages her hospital's doctor, not the consortium's.
	let err = client.suspend_professional(&eve, &bob.account()).await.expect_err("not her staff");
	assert!(matches!(&err, Error::Refused { error, .. } if error == "NotOwnStaff"), "{err}");
	client.suspend_professional(&eve, &ferdie.account()).await.expect("her own staff");

	// Only a hospital appoints; a doctor is told so before anything is sent.
	let err = client.appoint_admin(&bob, &bob.account()).await.expect_err("not a hospital");
	assert!(matches!(err, Error::Denied(_)), "{err}");

	// Dismissed, Eve holds no role: the chain takes nothing more from her.
	client.dismiss_admin(&alice, &eve.account()).await.expect("the hospital dismisses Eve");
	let err = client.suspend_professional(&eve, &bob.account()).await.expect_err("no member");
	assert!(err.to_string().contains("not a member"), "{err}");
}
