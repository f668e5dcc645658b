//! The StatefulSet controller works from a cache between passes (engine/statefulset/cache.rs).
//! These pin what the cache has to notice without a full relist: writes to claims, pods
//! leaving and re-entering the selector, and availability that arrives with time alone.

mod common;

use common::*;
use k8s_openapi::api::apps::v1::StatefulSetPersistentVolumeClaimRetentionPolicy;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use kubesim::engine::{Cluster, Kind};

fn claim_owners(c: &Cluster, claim: &str) -> Vec<String> {
    c.store()
        .get::<PersistentVolumeClaim>(NS, claim)
        .unwrap()
        .metadata
        .owner_references
        .iter()
        .flatten()
        .map(|o| format!("{}/{}", o.kind, o.name))
        .collect()
}

#[test]
fn a_claim_owner_reference_removed_by_hand_is_restored_at_the_next_pass() {
    for incremental in [true, false] {
        let mut c = Cluster::default();
        c.set_incremental_controllers(incremental);
        add_pvs(&mut c, 2);
        let mut s = with_claims(ss("web", 2));
        s.spec
            .as_mut()
            .unwrap()
            .persistent_volume_claim_retention_policy =
            Some(StatefulSetPersistentVolumeClaimRetentionPolicy {
                when_deleted: Some("Delete".into()),
                when_scaled: Some("Retain".into()),
            });
        create(&mut c, s);
        wait_ready(&mut c, "web", 2);
        assert_eq!(claim_owners(&c, "datadir-web-1"), ["StatefulSet/web"]);

        // Someone strips the claim's ownerReferences; the controller does not watch claims,
        // but its next pass (here: caused by an annotation on the set) puts them back.
        let mut pvc = c
            .store()
            .get::<PersistentVolumeClaim>(NS, "datadir-web-1")
            .unwrap()
            .clone();
        pvc.metadata.owner_references = None;
        c.store_mut().update(pvc).unwrap();
        c.advance(1_000);
        assert!(claim_owners(&c, "datadir-web-1").is_empty());
        c.set_annotation(Kind::StatefulSet, NS, "web", "note", Some("x"))
            .unwrap();
        c.advance(1_000);
        assert_eq!(
            claim_owners(&c, "datadir-web-1"),
            ["StatefulSet/web"],
            "incremental: {incremental}"
        );
    }
}

#[test]
fn a_pod_relabelled_out_of_the_selector_is_released_uncounted_and_adopted_back() {
    let mut c = Cluster::default();
    create(&mut c, ss("web", 2));
    wait_ready(&mut c, "web", 2);
    c.set_label(Kind::Pod, NS, "web-1", "app", Some("other"))
        .unwrap();
    c.advance(500);
    let released = pod(&c, "web-1").unwrap();
    assert!(
        released.metadata.owner_references.is_none(),
        "web-1 is released: {:?}",
        released.metadata.owner_references
    );
    // The released pod keeps the name, so ordinal 1 cannot be recreated until it goes.
    assert_eq!(set(&c, "web").status.unwrap().replicas, 1);
    // Labelled back: adopted again and counted.
    c.set_label(Kind::Pod, NS, "web-1", "app", Some("web"))
        .unwrap();
    wait_ready(&mut c, "web", 2);
    let adopted = pod(&c, "web-1").unwrap();
    assert_eq!(
        adopted.metadata.owner_references.unwrap()[0].name,
        "web",
        "web-1 is adopted back"
    );
    assert_eq!(set(&c, "web").status.unwrap().ready_replicas, Some(2));
}

#[test]
fn available_replicas_grow_when_min_ready_seconds_pass_without_any_pod_write() {
    let mut c = Cluster::default();
    let mut s = ss("web", 1);
    s.spec.as_mut().unwrap().min_ready_seconds = Some(10);
    create(&mut c, s);
    wait_ready(&mut c, "web", 1);
    let status = set(&c, "web").status.unwrap();
    assert_eq!(status.ready_replicas, Some(1));
    assert_eq!(
        status.available_replicas,
        Some(0),
        "not available yet (always written: apps/v1 has no omitempty on it)"
    );
    let mark = c.watch_end();
    c.advance(12_000);
    assert!(
        pod_events(&c, mark, kubesim::engine::WatchEventType::Modified).is_empty(),
        "no pod was written"
    );
    assert_eq!(set(&c, "web").status.unwrap().available_replicas, Some(1));
}

#[test]
fn a_replaced_pod_version_is_freed_as_soon_as_the_store_replaces_it() {
    // The cache keeps counts and names, not pods: once the watch log has moved past a pod's
    // last write, a new version of the pod frees the old one at once, before the controller
    // has even looked at the change.
    let mut c = Cluster::new(kubesim::engine::ClusterConfig {
        watch_history: 4,
        ..Default::default()
    });
    create(&mut c, ss("web", 2));
    wait_ready(&mut c, "web", 2);
    for i in 0..6 {
        c.set_annotation(Kind::StatefulSet, NS, "web", "note", Some(&i.to_string()))
            .unwrap();
        c.advance(1_000);
    }
    let old = std::sync::Arc::downgrade(&c.store().get_arc::<Pod>(NS, "web-0").unwrap());
    annotate_pod(&mut c, "web-0", "note", Some("x"));
    assert!(
        old.upgrade().is_none(),
        "the replaced version is still alive"
    );
    c.advance(1_000);
    assert_eq!(ready_count(&c, "web"), 2);
}
