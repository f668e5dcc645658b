//! The seed walkthrough: MongoDB replica set on five NFS PVs.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, Pod};
use kubesim::engine::{ApplyOutcome, Cluster};

fn ready(c: &Cluster, n: i32) -> bool {
    c.store()
        .get::<StatefulSet>("default", "mongo")
        .and_then(|s| s.status.as_ref())
        .and_then(|s| s.ready_replicas)
        == Some(n)
}

#[test]
fn seed_walkthrough_reaches_three_ready_binds_pvs_in_order_and_scales_to_five() {
    let mut c = Cluster::default();
    for (_, text) in kubesim::examples::MONGODB {
        let out = c.apply_yaml(text).expect("apply");
        assert!(
            out.iter().all(|(_, o)| *o == ApplyOutcome::Created),
            "{out:?}"
        );
    }
    assert!(
        c.run_until_condition(120_000, |c| ready(c, 3)),
        "why: {:?}",
        c.why("default", "mongo")
    );
    for n in 0..3 {
        let pvc = c
            .store()
            .get::<PersistentVolumeClaim>("default", &format!("mongo-data-mongo-{n}"))
            .expect("pvc");
        assert_eq!(
            pvc.spec.as_ref().unwrap().volume_name.as_deref(),
            Some(format!("pv00{}", n + 1).as_str())
        );
        assert_eq!(pvc.status.as_ref().unwrap().phase.as_deref(), Some("Bound"));
        let pv = c
            .store()
            .get::<PersistentVolume>("", &format!("pv00{}", n + 1))
            .unwrap();
        assert_eq!(pv.status.as_ref().unwrap().phase.as_deref(), Some("Bound"));
    }
    c.scale("default", "mongo", 5).unwrap();
    assert!(
        c.run_until_condition(c.now() + 120_000, |c| ready(c, 5)),
        "why: {:?}",
        c.why("default", "mongo")
    );
    let pods: Vec<_> = c
        .store()
        .list::<Pod>()
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(
        pods,
        ["mongo-0", "mongo-1", "mongo-2", "mongo-3", "mongo-4"]
    );
    assert_eq!(
        c.why("default", "mongo").len(),
        1,
        "{:?}",
        c.why("default", "mongo")
    );
    for e in c.events().iter().take(40) {
        eprintln!(
            "{:?} {:?} {:?} {:?}",
            e.first_timestamp.as_ref().map(kubesim::engine::instant_of),
            e.involved_object.name,
            e.reason,
            e.message
        );
    }
}
