//! Upstream StatefulSet scenarios (spec §5.1–5.3), ported to the simulated cluster. Each test
//! is named after the upstream test or e2e spec it pins.

mod common;

use common::*;
use k8s_openapi::api::apps::v1::{StatefulSet, StatefulSetOrdinals};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use kubesim::engine::statefulset::{is_running_and_ready, ordinal_of};
use kubesim::engine::{Cluster, DeleteOptions, Kind, Propagation, WatchEventType};

// ---- e2e [StatefulSetBasic] -------------------------------------------------------------

#[test]
fn scaling_should_happen_in_predictable_order_and_halt_if_any_stateful_pod_is_unhealthy() {
    let mut c = Cluster::default();
    create(&mut c, ss("ss", 1));
    wait_ready(&mut c, "ss", 1);

    // Scale up halts while ss-0 is unhealthy.
    annotate_pod(&mut c, "ss-0", UNREADY, Some("true"));
    // The prober needs failureThreshold (3) × periodSeconds (10 s) to call it unready.
    c.advance(35_000);
    assert!(!is_running_and_ready(&pod(&c, "ss-0").unwrap()));
    c.scale(NS, "ss", 3).unwrap();
    c.advance(60_000);
    assert_eq!(pod_names(&c, "ss"), ["ss-0"], "scale up must halt");
    assert_eq!(
        c.why(NS, "ss")[1],
        "ss-1 is not created yet: ss-0 is Running but not Ready: its readiness probe fails (playground.dev/unready=true) (OrderedReady creates one pod at a time and waits for each to be Running and Ready)"
    );

    // Restoring health lets it scale up in order 0,1,2, each after its predecessor is Ready.
    let mark = c.watch_end();
    annotate_pod(&mut c, "ss-0", UNREADY, None);
    wait_ready(&mut c, "ss", 3);
    assert_eq!(
        pod_events(&c, mark, WatchEventType::Added),
        ["ss-1", "ss-2"]
    );
    let snaps = watch_pod_snapshots(&c, mark);
    let ready_at = |name: &str| {
        snaps
            .iter()
            .find(|(_, _, p)| p.metadata.name.as_deref() == Some(name) && is_running_and_ready(p))
            .map(|(t, _, _)| *t)
            .unwrap()
    };
    let added_at = |name: &str| {
        snaps
            .iter()
            .find(|(_, e, p)| {
                *e == WatchEventType::Added && p.metadata.name.as_deref() == Some(name)
            })
            .map(|(t, _, _)| *t)
            .unwrap()
    };
    assert!(added_at("ss-1") >= ready_at("ss-0"));
    assert!(added_at("ss-2") >= ready_at("ss-1"));

    // Scale down halts while the pods are unhealthy (e2e BreakHTTPProbe breaks all of them).
    for n in ["ss-0", "ss-1", "ss-2"] {
        annotate_pod(&mut c, n, UNREADY, Some("true"));
    }
    c.advance(35_000);
    assert_eq!(status_ready(&c, "ss"), 0);
    c.scale(NS, "ss", 0).unwrap();
    c.advance(60_000);
    assert_eq!(
        pod_names(&c, "ss"),
        ["ss-0", "ss-1", "ss-2"],
        "scale down must halt"
    );

    // Restored: deletion order 2, 1, 0, one at a time.
    let mark = c.watch_end();
    for n in ["ss-0", "ss-1", "ss-2"] {
        annotate_pod(&mut c, n, UNREADY, None);
    }
    let ok = c.run_until_condition(c.now() + 600_000, |c| pods(c, "ss").is_empty());
    assert!(ok, "{:?}", c.why(NS, "ss"));
    assert_eq!(
        pod_events(&c, mark, WatchEventType::Deleted),
        ["ss-2", "ss-1", "ss-0"]
    );
    // One at a time: ss-1 got its deletionTimestamp only after ss-2 was gone.
    let snaps = watch_pod_snapshots(&c, mark);
    let gone = |n: &str| {
        snaps
            .iter()
            .find(|(_, e, p)| {
                *e == WatchEventType::Deleted && p.metadata.name.as_deref() == Some(n)
            })
            .unwrap()
            .0
    };
    let marked = |n: &str| {
        snaps
            .iter()
            .find(|(_, _, p)| {
                p.metadata.name.as_deref() == Some(n) && p.metadata.deletion_timestamp.is_some()
            })
            .unwrap()
            .0
    };
    assert!(marked("ss-1") >= gone("ss-2"));
    assert!(marked("ss-0") >= gone("ss-1"));
}

#[test]
fn burst_scaling_should_run_to_completion_even_with_unhealthy_pods() {
    let mut c = Cluster::default();
    let mut s = ss("ss", 1);
    s.spec.as_mut().unwrap().pod_management_policy = Some("Parallel".into());
    create(&mut c, s);
    wait_ready(&mut c, "ss", 1);
    annotate_pod(&mut c, "ss-0", UNREADY, Some("true"));
    c.advance(5_000);
    c.scale(NS, "ss", 3).unwrap();
    c.advance(100);
    // All missing pods are created in one pass, not waiting for ss-0.
    assert_eq!(pod_names(&c, "ss"), ["ss-0", "ss-1", "ss-2"]);
    let ok = c.run_until_condition(c.now() + 60_000, |c| {
        ready_count(c, "ss") == 2 && status_ready(c, "ss") == 2
    });
    assert!(ok);
    c.scale(NS, "ss", 0).unwrap();
    let ok = c.run_until_condition(c.now() + 120_000, |c| pods(c, "ss").is_empty());
    assert!(ok, "burst scale-down must complete with an unhealthy pod");
    c.advance(1_000);
    assert_eq!(set(&c, "ss").status.unwrap().replicas, 0);
}

#[test]
fn should_not_deadlock_when_a_pods_predecessor_fails() {
    let mut c = Cluster::default();
    create(&mut c, ss("ss", 2));
    wait_ready(&mut c, "ss", 2);
    annotate_pod(&mut c, "ss-1", UNREADY, Some("true"));
    c.advance(5_000);
    let old_uid = pod(&c, "ss-0").unwrap().metadata.uid;
    delete_pod(&mut c, "ss-0");
    let ok = c.run_until_condition(c.now() + 120_000, |c| {
        pod(c, "ss-0").is_some_and(|p| p.metadata.uid != old_uid && is_running_and_ready(&p))
    });
    assert!(
        ok,
        "ss-0 must be recreated although ss-1 is unready: {:?}",
        c.why(NS, "ss")
    );
}

#[test]
fn should_perform_canary_updates_and_phased_rolling_updates_of_template_modifications() {
    let mut c = Cluster::default();
    create(&mut c, ss("ss2", 3));
    wait_ready(&mut c, "ss2", 3);
    let st = set(&c, "ss2").status.unwrap();
    assert_eq!(
        st.current_revision, st.update_revision,
        "current == update at creation"
    );
    let old_rev = st.current_revision.clone().unwrap();

    // Partition 3 (>= replicas): nothing is updated.
    update(&mut c, "ss2", |s| {
        let spec = s.spec.as_mut().unwrap();
        spec.update_strategy
            .as_mut()
            .unwrap()
            .rolling_update
            .as_mut()
            .unwrap()
            .partition = Some(3);
        spec.template.spec.as_mut().unwrap().containers[0].image =
            Some("registry.k8s.io/e2e-test-images/httpd:2.4.39-4".into());
    });
    c.advance(60_000);
    let st = set(&c, "ss2").status.unwrap();
    let new_rev = st.update_revision.clone().unwrap();
    assert_ne!(new_rev, old_rev);
    assert_eq!(st.current_revision.as_deref(), Some(old_rev.as_str()));
    for p in pods(&c, "ss2") {
        assert_eq!(
            revision_of(&p),
            old_rev,
            "{:?} must not be updated",
            p.metadata.name
        );
    }

    // Canary: partition 2 updates only ss2-2.
    update(&mut c, "ss2", |s| {
        s.spec
            .as_mut()
            .unwrap()
            .update_strategy
            .as_mut()
            .unwrap()
            .rolling_update
            .as_mut()
            .unwrap()
            .partition = Some(2);
    });
    let ok = c.run_until_condition(c.now() + 120_000, |c| {
        pod(c, "ss2-2").is_some_and(|p| revision_of(&p) == new_rev && is_running_and_ready(&p))
    });
    assert!(ok);
    c.advance(30_000);
    assert_eq!(revision_of(&pod(&c, "ss2-0").unwrap()), old_rev);
    assert_eq!(revision_of(&pod(&c, "ss2-1").unwrap()), old_rev);

    // Deleted pods come back at their own revisions.
    delete_pod(&mut c, "ss2-0");
    delete_pod(&mut c, "ss2-2");
    wait_ready(&mut c, "ss2", 3);
    assert_eq!(revision_of(&pod(&c, "ss2-0").unwrap()), old_rev);
    assert_eq!(revision_of(&pod(&c, "ss2-2").unwrap()), new_rev);

    // Phased: lower the partition step by step.
    for part in [1, 0] {
        update(&mut c, "ss2", |s| {
            s.spec
                .as_mut()
                .unwrap()
                .update_strategy
                .as_mut()
                .unwrap()
                .rolling_update
                .as_mut()
                .unwrap()
                .partition = Some(part);
        });
        let ok = c.run_until_condition(c.now() + 120_000, |c| {
            pods(c, "ss2")
                .iter()
                .filter(|p| ordinal_of(p).unwrap() >= part as i64)
                .all(|p| revision_of(p) == new_rev && is_running_and_ready(p))
                && ready_count(c, "ss2") == 3
        });
        assert!(ok, "partition {part}: {:?}", c.why(NS, "ss2"));
        if part == 1 {
            assert_eq!(revision_of(&pod(&c, "ss2-0").unwrap()), old_rev);
        }
    }
    wait_rolled_out(&mut c, "ss2");
    let st = set(&c, "ss2").status.unwrap();
    assert_eq!(st.current_revision.as_deref(), Some(new_rev.as_str()));
}

#[test]
fn should_perform_rolling_updates_and_roll_backs_of_template_modifications() {
    let mut c = Cluster::default();
    create(&mut c, ss("ss2", 3));
    wait_ready(&mut c, "ss2", 3);
    let rev1 = set(&c, "ss2").status.unwrap().current_revision.unwrap();

    // An unready pod blocks the update.
    annotate_pod(&mut c, "ss2-1", UNREADY, Some("true"));
    // The prober needs failureThreshold (3) × periodSeconds (10 s) to call it unready.
    c.advance(35_000);
    set_image(
        &mut c,
        "ss2",
        "registry.k8s.io/e2e-test-images/httpd:2.4.39-4",
    );
    c.advance(60_000);
    let rev2 = set(&c, "ss2").status.unwrap().update_revision.unwrap();
    assert_ne!(rev1, rev2);
    assert!(
        pods(&c, "ss2").iter().all(|p| revision_of(p) == rev1),
        "unready pod must block the update"
    );
    annotate_pod(&mut c, "ss2-1", UNREADY, None);

    // Update proceeds in reverse ordinal order.
    let before = deletions(&c).len();
    wait_rolled_out(&mut c, "ss2");
    let order: Vec<String> = deletions(&c)[before..]
        .iter()
        .map(|(_, p)| p.clone())
        .collect();
    assert_eq!(order, ["ss2-2", "ss2-1", "ss2-0"]);
    assert_eq!(
        set(&c, "ss2").status.unwrap().current_revision.as_deref(),
        Some(rev2.as_str())
    );

    // Roll back: the prior revision is reused (same name), with .revision bumped to 3.
    set_image(
        &mut c,
        "ss2",
        "registry.k8s.io/e2e-test-images/httpd:2.4.38-4",
    );
    wait_rolled_out(&mut c, "ss2");
    let st = set(&c, "ss2").status.unwrap();
    assert_eq!(st.update_revision.as_deref(), Some(rev1.as_str()));
    assert_eq!(st.current_revision.as_deref(), Some(rev1.as_str()));
    let crs = revisions(&c);
    assert_eq!(
        crs.len(),
        2,
        "rollback must not create a new ControllerRevision"
    );
    let r1 = crs
        .iter()
        .find(|r| r.metadata.name.as_deref() == Some(rev1.as_str()))
        .unwrap();
    assert_eq!(r1.revision, 3);
    assert!(pods(&c, "ss2")
        .iter()
        .all(|p| revision_of(p) == rev1 && image_of(p).ends_with("2.4.38-4")));
}

#[test]
fn should_implement_legacy_replacement_when_the_update_strategy_is_on_delete() {
    let mut c = Cluster::default();
    let mut s = ss("ss2", 3);
    s.spec.as_mut().unwrap().update_strategy =
        Some(serde_json::from_value(serde_json::json!({"type": "OnDelete"})).unwrap());
    create(&mut c, s);
    wait_ready(&mut c, "ss2", 3);
    let rev1 = set(&c, "ss2").status.unwrap().current_revision.unwrap();
    set_image(
        &mut c,
        "ss2",
        "registry.k8s.io/e2e-test-images/httpd:2.4.39-4",
    );
    c.advance(120_000);
    assert!(
        pods(&c, "ss2").iter().all(|p| revision_of(p) == rev1),
        "OnDelete must not touch pods"
    );
    let rev2 = set(&c, "ss2").status.unwrap().update_revision.unwrap();
    for n in ["ss2-0", "ss2-1", "ss2-2"] {
        delete_pod(&mut c, n);
    }
    let ok = c.run_until_condition(c.now() + 600_000, |c| {
        pods(c, "ss2")
            .iter()
            .filter(|p| revision_of(p) == rev2 && is_running_and_ready(p))
            .count()
            == 3
    });
    assert!(ok, "{:?}", c.why(NS, "ss2"));
    let st = set(&c, "ss2").status.unwrap();
    assert_eq!(st.updated_replicas, Some(3));
    // Before v1.36 currentRevision never advances under OnDelete.
    assert_eq!(st.current_revision.as_deref(), Some(rev1.as_str()));
}

#[test]
fn should_recreate_evicted_statefulset() {
    let mut c = Cluster::default();
    create(&mut c, ss("test-ss", 1));
    wait_ready(&mut c, "test-ss", 1);
    let old_uid = pod(&c, "test-ss-0").unwrap().metadata.uid;
    let mark = c.watch_end();
    // Upstream's e2e makes the kubelet reject the pod (a hostPort conflict): phase Failed.
    // (The `fail` fault no longer does: a `restartPolicy: Always` container restarts in
    // place, see kubelet.rs.) Written as the kubelet's status update, then a command so the
    // informers see it.
    let mut failed = pod(&c, "test-ss-0").unwrap();
    let st = failed.status.as_mut().unwrap();
    st.phase = Some("Failed".into());
    st.reason = Some("NodePorts".into());
    c.store_mut().update(failed).unwrap();
    annotate_pod(&mut c, "test-ss-0", "e2e/failed", Some("true"));
    let ok = c.run_until_condition(c.now() + 120_000, |c| {
        pod(c, "test-ss-0").is_some_and(|p| p.metadata.uid != old_uid && is_running_and_ready(&p))
    });
    assert!(ok, "{:?}", c.why(NS, "test-ss"));
    let snaps = watch_pod_snapshots(&c, mark);
    let failed_at = snaps
        .iter()
        .find(|(_, _, p)| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Failed"))
        .unwrap()
        .0;
    let deleted = snaps
        .iter()
        .position(|(_, e, _)| *e == WatchEventType::Deleted)
        .unwrap();
    let added = snaps
        .iter()
        .position(|(_, e, _)| *e == WatchEventType::Added)
        .unwrap();
    assert!(
        deleted < added,
        "the replacement is created only after the failed pod is gone"
    );
    assert!(snaps[deleted].0 >= failed_at);
    assert!(c
        .events()
        .iter()
        .all(|e| e.reason.as_deref() != Some("RecreatingFailedPod")));
}

// ---- StatefulSetStartOrdinal e2e ----------------------------------------------------------

fn set_start(c: &mut Cluster, name: &str, start: Option<i32>, replicas: i32) {
    update(c, name, |s| {
        let spec = s.spec.as_mut().unwrap();
        spec.replicas = Some(replicas);
        spec.ordinals = start.map(|st| StatefulSetOrdinals { start: Some(st) });
    });
}

#[test]
fn setting_start_ordinal() {
    let mut c = Cluster::default();
    create(&mut c, ss("ss", 2));
    wait_ready(&mut c, "ss", 2);
    set_start(&mut c, "ss", Some(2), 3);
    wait_ready(&mut c, "ss", 3);
    assert_eq!(pod_names(&c, "ss"), ["ss-2", "ss-3", "ss-4"]);
}

#[test]
fn increasing_decreasing_and_removing_start_ordinal() {
    let mut c = Cluster::default();
    let mut s = ss("ss", 2);
    s.spec.as_mut().unwrap().ordinals = Some(StatefulSetOrdinals { start: Some(2) });
    create(&mut c, s);
    wait_ready(&mut c, "ss", 2);
    assert_eq!(pod_names(&c, "ss"), ["ss-2", "ss-3"]);
    set_start(&mut c, "ss", Some(4), 2);
    wait_ready(&mut c, "ss", 2);
    assert_eq!(pod_names(&c, "ss"), ["ss-4", "ss-5"]);
    set_start(&mut c, "ss", Some(3), 2);
    wait_ready(&mut c, "ss", 2);
    assert_eq!(pod_names(&c, "ss"), ["ss-3", "ss-4"]);
    set_start(&mut c, "ss", None, 2);
    wait_ready(&mut c, "ss", 2);
    assert_eq!(pod_names(&c, "ss"), ["ss-0", "ss-1"]);
}

// ---- unit-level scenarios of stateful_set_control_test.go ---------------------------------

#[test]
fn creates_pods_with_pod_index_label_and_identity() {
    let mut c = Cluster::default();
    add_pvs(&mut c, 3);
    create(&mut c, with_claims(ss("web", 3)));
    wait_ready(&mut c, "web", 3);
    let rev = set(&c, "web").status.unwrap().update_revision.unwrap();
    for p in pods(&c, "web") {
        let name = p.metadata.name.clone().unwrap();
        let ord = ordinal_of(&p).unwrap();
        let l = p.metadata.labels.as_ref().unwrap();
        assert_eq!(l["apps.kubernetes.io/pod-index"], ord.to_string());
        assert_eq!(l["statefulset.kubernetes.io/pod-name"], name);
        assert_eq!(l["controller-revision-hash"], rev);
        assert!(rev.starts_with("web-"));
        let spec = p.spec.as_ref().unwrap();
        assert_eq!(spec.hostname.as_deref(), Some(name.as_str()));
        assert_eq!(spec.subdomain.as_deref(), Some("test"));
        let claim = spec.volumes.as_ref().unwrap()[0]
            .persistent_volume_claim
            .as_ref()
            .unwrap();
        assert_eq!(claim.claim_name, format!("datadir-web-{ord}"));
        let o = &p.metadata.owner_references.as_ref().unwrap()[0];
        assert_eq!(
            (o.kind.as_str(), o.controller, o.block_owner_deletion),
            ("StatefulSet", Some(true), Some(true))
        );
    }
    // Claim created before its pod, with the upstream event texts, and matchLabels copied.
    let msgs: Vec<String> = c
        .events()
        .iter()
        .filter(|e| e.involved_object.name.as_deref() == Some("web"))
        .map(|e| e.message.clone().unwrap())
        .collect();
    assert_eq!(
        msgs[0],
        "create Claim datadir-web-0 Pod web-0 in StatefulSet web success"
    );
    assert_eq!(msgs[1], "create Pod web-0 in StatefulSet web successful");
    let pvc = c
        .store()
        .get::<PersistentVolumeClaim>(NS, "datadir-web-0")
        .unwrap();
    assert_eq!(pvc.metadata.labels.as_ref().unwrap()["app"], "web");
    assert!(
        pvc.metadata.owner_references.is_none(),
        "Retain/Retain: no owner refs"
    );
}

#[test]
fn recreates_pvc_for_pending_pod() {
    let mut c = Cluster::default();
    create(&mut c, with_claims(ss("web", 1)));
    c.advance(10_000);
    let p = pod(&c, "web-0").unwrap();
    assert_eq!(p.status.as_ref().unwrap().phase.as_deref(), Some("Pending"));
    assert!(p.spec.as_ref().unwrap().node_name.is_none());
    let failed = c.events().iter().any(|e| {
        e.reason.as_deref() == Some("FailedScheduling")
            && e.message.as_deref() == Some("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    });
    assert!(failed);
    let old = c
        .store()
        .get::<PersistentVolumeClaim>(NS, "datadir-web-0")
        .unwrap()
        .metadata
        .uid
        .clone();
    c.delete(
        Kind::PersistentVolumeClaim,
        NS,
        "datadir-web-0",
        DeleteOptions::default(),
    )
    .unwrap();
    c.advance(1_000);
    let new = c
        .store()
        .get::<PersistentVolumeClaim>(NS, "datadir-web-0")
        .map(|p| p.metadata.uid.clone());
    assert!(
        new.is_some() && new != Some(old),
        "missing PVC of a Pending pod is re-created"
    );
    // Once a volume exists the pod schedules and runs.
    add_pvs(&mut c, 1);
    wait_ready(&mut c, "web", 1);
}

#[test]
fn rolling_update_with_max_unavailable() {
    for parallel in [false, true] {
        let mut c = Cluster::default();
        let mut s = ss("web", 6);
        let spec = s.spec.as_mut().unwrap();
        if parallel {
            spec.pod_management_policy = Some("Parallel".into());
        }
        spec.update_strategy = Some(
            serde_json::from_value(serde_json::json!({
                "type": "RollingUpdate", "rollingUpdate": {"partition": 3, "maxUnavailable": 2}
            }))
            .unwrap(),
        );
        create(&mut c, s);
        wait_ready(&mut c, "web", 6);
        let rev1 = set(&c, "web").status.unwrap().current_revision.unwrap();
        let before = deletions(&c).len();
        set_image(
            &mut c,
            "web",
            "registry.k8s.io/e2e-test-images/httpd:2.4.39-4",
        );
        let ok = c.run_until_condition(c.now() + 600_000, |c| {
            let st = set(c, "web").status.unwrap();
            st.updated_replicas == Some(3) && st.ready_replicas == Some(6)
        });
        assert!(ok, "{:?}", c.why(NS, "web"));
        let dels = deletions(&c)[before..].to_vec();
        assert_eq!(dels.len(), 3, "{dels:?}");
        // Pods 5 and 4 are deleted together; pod 3 once a slot frees.
        assert_eq!(dels[0].0, dels[1].0);
        let mut first_two = vec![dels[0].1.clone(), dels[1].1.clone()];
        first_two.sort();
        assert_eq!(first_two, ["web-4", "web-5"]);
        assert_eq!(dels[2].1, "web-3");
        assert!(dels[2].0 > dels[0].0);
        for n in 0..3 {
            assert_eq!(revision_of(&pod(&c, &format!("web-{n}")).unwrap()), rev1);
        }
        // Status: partitioned roll out never promotes currentRevision.
        let st = set(&c, "web").status.unwrap();
        assert_eq!(st.current_revision.as_deref(), Some(rev1.as_str()));
        assert_eq!(st.current_replicas, Some(3));
    }
}

#[test]
fn max_unavailable_counts_already_terminating_pods() {
    // TestStatefulSetControlRollingUpdateWithMaxUnavailableInOrderedModeVerifyInvariant:
    // with one pod terminating, only max(0, 2-1) more is deleted. (Burst mode: in OrderedReady
    // the terminating pod blocks the pass before the update step.)
    let mut c = Cluster::default();
    let mut s = ss("web", 6);
    s.spec.as_mut().unwrap().pod_management_policy = Some("Parallel".into());
    s.spec.as_mut().unwrap().update_strategy = Some(
        serde_json::from_value(serde_json::json!({
            "type": "RollingUpdate", "rollingUpdate": {"partition": 0, "maxUnavailable": 2}
        }))
        .unwrap(),
    );
    create(&mut c, s);
    wait_ready(&mut c, "web", 6);
    delete_pod(&mut c, "web-1");
    c.advance(10);
    let before = deletions(&c).len();
    set_image(
        &mut c,
        "web",
        "registry.k8s.io/e2e-test-images/httpd:2.4.39-4",
    );
    c.advance(10);
    let dels = deletions(&c)[before..].to_vec();
    let names: Vec<&str> = dels.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["web-5"]);
}

#[test]
fn on_delete_update_scaled_up_pods_get_the_new_template() {
    // TestStatefulSetControlOnDeleteUpdate
    let mut c = Cluster::default();
    let mut s = ss("web", 3);
    s.spec.as_mut().unwrap().update_strategy =
        Some(serde_json::from_value(serde_json::json!({"type": "OnDelete"})).unwrap());
    create(&mut c, s);
    wait_ready(&mut c, "web", 3);
    set_image(&mut c, "web", "nginx:new");
    c.scale(NS, "web", 5).unwrap();
    wait_ready(&mut c, "web", 5);
    let images: Vec<String> = pod_names(&c, "web")
        .iter()
        .map(|n| image_of(&pod(&c, n).unwrap()))
        .collect();
    assert_eq!(&images[3..], ["nginx:new", "nginx:new"]);
    assert!(images[..3].iter().all(|i| i.ends_with("2.4.38-4")));
    c.scale(NS, "web", 0).unwrap();
    let ok = c.run_until_condition(c.now() + 600_000, |c| pods(c, "web").is_empty());
    assert!(ok);
    c.scale(NS, "web", 3).unwrap();
    wait_ready(&mut c, "web", 3);
    assert!(pods(&c, "web").iter().all(|p| image_of(p) == "nginx:new"));
}

#[test]
fn rolling_update_with_partition_scale_up_uses_revision_by_ordinal() {
    // TestStatefulSetControlRollingUpdateWithPartition
    let mut c = Cluster::default();
    let mut s = ss("web", 3);
    s.spec.as_mut().unwrap().update_strategy = Some(
        serde_json::from_value(serde_json::json!({
            "type": "RollingUpdate", "rollingUpdate": {"partition": 2}
        }))
        .unwrap(),
    );
    create(&mut c, s);
    wait_ready(&mut c, "web", 3);
    set_image(&mut c, "web", "nginx:new");
    c.scale(NS, "web", 5).unwrap();
    let ok = c.run_until_condition(c.now() + 600_000, |c| {
        ready_count(c, "web") == 5
            && pods(c, "web")
                .iter()
                .filter(|p| image_of(p) == "nginx:new")
                .count()
                == 3
    });
    assert!(ok, "{:?}", c.why(NS, "web"));
    let images: Vec<String> = pod_names(&c, "web")
        .iter()
        .map(|n| image_of(&pod(&c, n).unwrap()))
        .collect();
    assert!(images[..2].iter().all(|i| i.ends_with("2.4.38-4")));
    assert!(images[2..].iter().all(|i| i == "nginx:new"));
}

#[test]
fn statefulset_honor_revision_history_limit() {
    let mut c = Cluster::default();
    let mut s = ss("web", 2);
    s.spec.as_mut().unwrap().revision_history_limit = Some(2);
    create(&mut c, s);
    wait_ready(&mut c, "web", 2);
    for i in 0..6 {
        set_image(&mut c, "web", &format!("nginx:{i}"));
        wait_rolled_out(&mut c, "web");
        assert!(
            revisions(&c).len() <= 2 + 2,
            "{} revisions",
            revisions(&c).len()
        );
    }
    // After a full rollout only the current one is live: limit + 1.
    assert_eq!(revisions(&c).len(), 3);
    let max = revisions(&c).iter().map(|r| r.revision).max().unwrap();
    assert_eq!(max, 7);
}

#[test]
fn min_ready_seconds_should_be_honored() {
    // e2e "MinReadySeconds should be honored when enabled" + v1.34 ordered gating.
    let mut c = Cluster::default();
    let mut s = ss("web", 2);
    s.spec.as_mut().unwrap().min_ready_seconds = Some(30);
    create(&mut c, s);
    let ok = c.run_until_condition(60_000, |c| {
        pod(c, "web-0").is_some_and(|p| is_running_and_ready(&p))
    });
    assert!(ok);
    let ready_at = c.now();
    assert_eq!(set(&c, "web").status.unwrap().available_replicas, Some(0));
    let ok = c.run_until_condition(ready_at + 120_000, |c| pod(c, "web-1").is_some());
    assert!(ok);
    assert!(
        c.now() > ready_at + 30_000,
        "web-1 must wait until web-0 is available"
    );
    let ok = c.run_until_condition(c.now() + 120_000, |c| {
        set(c, "web").status.unwrap().available_replicas == Some(2)
    });
    assert!(ok);
}

#[test]
fn available_replicas_should_get_updated_accordingly_when_min_ready_seconds_is_enabled() {
    let mut c = Cluster::default();
    let mut s = ss("web", 2);
    s.spec.as_mut().unwrap().pod_management_policy = Some("Parallel".into());
    s.spec.as_mut().unwrap().min_ready_seconds = Some(30);
    create(&mut c, s);
    wait_ready(&mut c, "web", 2);
    assert_eq!(set(&c, "web").status.unwrap().available_replicas, Some(0));
    c.advance(35_000);
    assert_eq!(set(&c, "web").status.unwrap().available_replicas, Some(2));
    update(&mut c, "web", |s| {
        s.spec.as_mut().unwrap().min_ready_seconds = Some(3600)
    });
    c.advance(1_000);
    assert_eq!(set(&c, "web").status.unwrap().available_replicas, Some(0));
    let revs = revisions(&c).len();
    update(&mut c, "web", |s| {
        s.spec.as_mut().unwrap().min_ready_seconds = Some(0)
    });
    c.advance(1_000);
    assert_eq!(set(&c, "web").status.unwrap().available_replicas, Some(2));
    assert_eq!(
        revisions(&c).len(),
        revs,
        "minReadySeconds changes make no revision"
    );
}

#[test]
fn statefulset_controller_blocks_scaling_while_a_pod_is_terminating() {
    let mut c = Cluster::default();
    create(&mut c, ss("web", 3));
    wait_ready(&mut c, "web", 3);
    delete_pod(&mut c, "web-0");
    c.scale(NS, "web", 5).unwrap();
    c.advance(20_000);
    assert!(pod(&c, "web-0")
        .unwrap()
        .metadata
        .deletion_timestamp
        .is_some());
    assert_eq!(
        pods(&c, "web").len(),
        3,
        "no new pods while web-0 terminates"
    );
    wait_ready(&mut c, "web", 5);
}

#[test]
fn stale_owner_ref_on_scale_up_with_when_scaled_delete() {
    // e2e "should delete PVCs with a OnScaledown policy" + TestStaleOwnerRefOnScaleup.
    let mut c = Cluster::default();
    add_pvs(&mut c, 6);
    let mut s = with_claims(ss("web", 3));
    s.spec
        .as_mut()
        .unwrap()
        .persistent_volume_claim_retention_policy = Some(
        serde_json::from_value(
            serde_json::json!({"whenScaled": "Delete", "whenDeleted": "Retain"}),
        )
        .unwrap(),
    );
    create(&mut c, s);
    wait_ready(&mut c, "web", 3);
    c.scale(NS, "web", 1).unwrap();
    wait_ready(&mut c, "web", 1);
    c.advance(5_000);
    let claims: Vec<String> = c
        .store()
        .list::<PersistentVolumeClaim>()
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(
        claims,
        ["datadir-web-0"],
        "scaled-down claims are garbage collected"
    );
    c.scale(NS, "web", 3).unwrap();
    wait_ready(&mut c, "web", 3);
}

#[test]
fn should_delete_pvcs_with_a_when_deleted_policy() {
    let mut c = Cluster::default();
    add_pvs(&mut c, 3);
    let mut s = with_claims(ss("web", 3));
    s.spec
        .as_mut()
        .unwrap()
        .persistent_volume_claim_retention_policy = Some(
        serde_json::from_value(
            serde_json::json!({"whenScaled": "Retain", "whenDeleted": "Delete"}),
        )
        .unwrap(),
    );
    create(&mut c, s);
    wait_ready(&mut c, "web", 3);
    let uid = set(&c, "web").metadata.uid.unwrap();
    for p in c.store().list::<PersistentVolumeClaim>() {
        let refs = p.metadata.owner_references.as_ref().unwrap();
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].uid, uid);
    }
    c.delete(Kind::StatefulSet, NS, "web", DeleteOptions::default())
        .unwrap();
    let ok = c.run_until_condition(c.now() + 120_000, |c| {
        c.store().count::<PersistentVolumeClaim>() == 0 && c.store().count::<Pod>() == 0
    });
    assert!(ok);
}

#[test]
fn retain_policy_keeps_claims_and_reattaches_on_scale_up() {
    let mut c = Cluster::default();
    add_pvs(&mut c, 3);
    create(&mut c, with_claims(ss("web", 3)));
    wait_ready(&mut c, "web", 3);
    let vol = |c: &Cluster| {
        c.store()
            .get::<PersistentVolumeClaim>(NS, "datadir-web-2")
            .unwrap()
            .spec
            .clone()
            .unwrap()
            .volume_name
    };
    let before = vol(&c);
    c.scale(NS, "web", 1).unwrap();
    wait_ready(&mut c, "web", 1);
    assert_eq!(c.store().count::<PersistentVolumeClaim>(), 3);
    c.scale(NS, "web", 3).unwrap();
    wait_ready(&mut c, "web", 3);
    assert_eq!(
        vol(&c),
        before,
        "web-2 re-attaches to the same claim and volume"
    );
    c.delete(Kind::StatefulSet, NS, "web", DeleteOptions::default())
        .unwrap();
    let ok = c.run_until_condition(c.now() + 120_000, |c| c.store().count::<Pod>() == 0);
    assert!(ok);
    assert_eq!(
        c.store().count::<PersistentVolumeClaim>(),
        3,
        "Retain keeps claims after set deletion"
    );
}

#[test]
fn orphan_and_foreground_deletion_of_a_statefulset() {
    let mut c = Cluster::default();
    create(&mut c, ss("web", 2));
    wait_ready(&mut c, "web", 2);
    let opts = DeleteOptions {
        propagation: Propagation::Orphan,
        ..Default::default()
    };
    c.delete(Kind::StatefulSet, NS, "web", opts).unwrap();
    c.advance(1_000);
    assert!(c.store().get::<StatefulSet>(NS, "web").is_none());
    assert_eq!(pods(&c, "web").len(), 2);
    assert!(pods(&c, "web")
        .iter()
        .all(|p| p.metadata.owner_references.is_none()));

    // Re-creating the set adopts the orphans.
    create(&mut c, ss("web", 2));
    c.advance(1_000);
    let uid = set(&c, "web").metadata.uid.unwrap();
    assert!(pods(&c, "web").iter().all(|p| p
        .metadata
        .owner_references
        .as_ref()
        .is_some_and(|r| r[0].uid == uid)));

    let opts = DeleteOptions {
        propagation: Propagation::Foreground,
        ..Default::default()
    };
    c.delete(Kind::StatefulSet, NS, "web", opts).unwrap();
    c.advance(1_000);
    let s = c
        .store()
        .get::<StatefulSet>(NS, "web")
        .expect("foreground: set waits for its pods");
    assert!(s.metadata.deletion_timestamp.is_some());
    let ok = c.run_until_condition(c.now() + 120_000, |c| {
        c.store().get::<StatefulSet>(NS, "web").is_none()
    });
    assert!(ok);
    assert!(pods(&c, "web").is_empty());
}

#[test]
fn node_down_pods_are_not_replaced_until_force_deleted() {
    let mut c = Cluster::default();
    create(&mut c, ss("web", 3));
    wait_ready(&mut c, "web", 3);
    let node = pod(&c, "web-1").unwrap().spec.unwrap().node_name.unwrap();
    c.node_down(&node).unwrap();
    c.advance(400_000);
    let p = pod(&c, "web-1").unwrap();
    assert!(p.metadata.deletion_timestamp.is_some());
    assert_eq!(
        p.status.as_ref().unwrap().reason.as_deref(),
        Some("NodeLost")
    );
    let old_uid = p.metadata.uid.clone();
    assert!(c.why(NS, "web").iter().any(|w| w.contains("force-delete")));
    c.delete(
        Kind::Pod,
        NS,
        "web-1",
        DeleteOptions {
            force: true,
            grace_period: Some(0),
            ..Default::default()
        },
    )
    .unwrap();
    let ok = c.run_until_condition(c.now() + 120_000, |c| {
        pod(c, "web-1").is_some_and(|p| p.metadata.uid != old_uid && is_running_and_ready(&p))
    });
    assert!(ok, "{:?}", c.why(NS, "web"));
    assert_ne!(
        pod(&c, "web-1").unwrap().spec.unwrap().node_name.unwrap(),
        node
    );
}

#[test]
fn immutable_fields_are_rejected_on_update() {
    let mut c = Cluster::default();
    create(&mut c, ss("web", 1));
    let mut s = set(&c, "web");
    s.spec.as_mut().unwrap().service_name = Some("other".into());
    let err = c
        .apply(kubesim::manifest::Object::StatefulSet(s))
        .unwrap_err();
    assert!(err
        .to_string()
        .contains("spec: Forbidden: updates to statefulset spec for fields other than"));
}

#[test]
fn status_counts_follow_pods() {
    let mut c = Cluster::default();
    create(&mut c, ss("web", 3));
    wait_ready(&mut c, "web", 3);
    let st = set(&c, "web").status.unwrap();
    assert_eq!(
        (
            st.replicas,
            st.ready_replicas,
            st.available_replicas,
            st.current_replicas,
            st.updated_replicas
        ),
        (3, Some(3), Some(3), Some(3), Some(3))
    );
    assert_eq!(st.observed_generation, set(&c, "web").metadata.generation);
    assert_eq!(st.collision_count, Some(0));
    // Ready pods count while terminating; not in currentReplicas.
    delete_pod(&mut c, "web-2");
    c.advance(10);
    let st = set(&c, "web").status.unwrap();
    assert_eq!(
        (st.replicas, st.ready_replicas, st.current_replicas),
        (3, Some(3), Some(2))
    );
}

#[test]
fn rollout_undo_restores_the_previous_template() {
    // TestStatefulSetControlRollback: after an update, applying the oldest revision brings all
    // pods back on the original image without a new ControllerRevision.
    let mut c = Cluster::default();
    create(&mut c, ss("web", 3));
    wait_ready(&mut c, "web", 3);
    let rev1 = set(&c, "web").status.unwrap().current_revision.unwrap();
    set_image(&mut c, "web", "nginx:new");
    wait_rolled_out(&mut c, "web");
    assert_eq!(c.rollout_undo(NS, "web", 0).unwrap(), "rolled back");
    wait_rolled_out(&mut c, "web");
    assert_eq!(
        set(&c, "web").status.unwrap().current_revision.as_deref(),
        Some(rev1.as_str())
    );
    assert!(pods(&c, "web")
        .iter()
        .all(|p| image_of(p).ends_with("2.4.38-4")));
    assert_eq!(revisions(&c).len(), 2);
    assert_eq!(
        c.rollout_undo(NS, "web", 3).unwrap(),
        "skipped rollback (current template already matches revision 3)"
    );
    assert!(c.rollout_undo(NS, "web", 9).is_err());
}

#[test]
fn should_adopt_matching_orphans_and_release_non_matching_pods() {
    let mut c = Cluster::default();
    create(&mut c, ss("ss", 1));
    wait_ready(&mut c, "ss", 1);
    let uid = set(&c, "ss").metadata.uid.unwrap();
    let owned = |c: &Cluster| {
        pod(c, "ss-0")
            .unwrap()
            .metadata
            .owner_references
            .is_some_and(|r| r.iter().any(|o| o.uid == uid))
    };
    // Labels no longer match: released.
    c.set_label(Kind::Pod, NS, "ss-0", "app", Some("other"))
        .unwrap();
    c.advance(100);
    assert!(!owned(&c));
    assert_eq!(set(&c, "ss").status.unwrap().replicas, 0);
    // Matching again: adopted.
    c.set_label(Kind::Pod, NS, "ss-0", "app", Some("ss"))
        .unwrap();
    c.advance(100);
    assert!(owned(&c));
    wait_ready(&mut c, "ss", 1);
}

#[test]
fn watch_shows_pending_container_creating_running_then_ready_per_pod() {
    // kubectl get pods -w during an OrderedReady scale-up (spec section 4.4).
    let mut c = Cluster::default();
    create(&mut c, ss("web", 1));
    wait_ready(&mut c, "web", 1);
    let rows: Vec<String> = watch_pod_snapshots(&c, 0)
        .iter()
        .map(|(_, _, p)| {
            let st = p.status.clone().unwrap_or_default();
            let waiting = st
                .container_statuses
                .as_ref()
                .and_then(|cs| cs[0].state.as_ref())
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| w.reason.clone());
            let ready = if is_running_and_ready(p) {
                "1/1"
            } else {
                "0/1"
            };
            let status = waiting.unwrap_or_else(|| st.phase.clone().unwrap_or_default());
            let node = if p.spec.as_ref().unwrap().node_name.is_some() {
                "node"
            } else {
                "-"
            };
            format!("{ready} {status} {node}")
        })
        .collect();
    let mut dedup = rows.clone();
    dedup.dedup();
    assert_eq!(
        dedup,
        [
            "0/1 Pending -",
            "0/1 Pending node",
            "0/1 ContainerCreating node",
            "0/1 Running node",
            "1/1 Running node"
        ]
    );
}

#[test]
fn should_provide_basic_identity() {
    // e2e: stable hostnames and PVC-backed storage survive a full restart (scale 3 -> 0 -> 3).
    let mut c = Cluster::default();
    add_pvs(&mut c, 3);
    create(&mut c, with_claims(ss("ss", 3)));
    wait_ready(&mut c, "ss", 3);
    let volumes = |c: &Cluster| -> Vec<(String, String)> {
        c.store()
            .list::<PersistentVolumeClaim>()
            .map(|p| {
                (
                    p.metadata.name.clone().unwrap(),
                    p.spec.clone().unwrap().volume_name.unwrap_or_default(),
                )
            })
            .collect()
    };
    let before = volumes(&c);
    assert_eq!(
        before,
        [
            ("datadir-ss-0".to_string(), "pv-1".to_string()),
            ("datadir-ss-1".to_string(), "pv-2".to_string()),
            ("datadir-ss-2".to_string(), "pv-3".to_string())
        ]
    );
    c.scale(NS, "ss", 0).unwrap();
    let ok = c.run_until_condition(c.now() + 600_000, |c| pods(c, "ss").is_empty());
    assert!(ok);
    c.scale(NS, "ss", 3).unwrap();
    wait_ready(&mut c, "ss", 3);
    assert_eq!(volumes(&c), before);
    for p in pods(&c, "ss") {
        let spec = p.spec.as_ref().unwrap();
        assert_eq!(spec.hostname, p.metadata.name);
        let claim = spec.volumes.as_ref().unwrap()[0]
            .persistent_volume_claim
            .as_ref()
            .unwrap();
        assert_eq!(
            claim.claim_name,
            format!("datadir-{}", p.metadata.name.as_ref().unwrap())
        );
    }
}

#[test]
fn why_explains_a_pod_waiting_for_its_claim() {
    let mut c = Cluster::default();
    create(&mut c, with_claims(ss("web", 2)));
    c.advance(5_000);
    let why = c.why(NS, "web");
    assert_eq!(
        why,
        [
            "claim datadir-web-0 is Pending: no PersistentVolume matches and no storage class is set, so nothing can be provisioned",
            "web-0 is Pending, not scheduled: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
            "web-1 is not created yet: web-0 is Pending, not scheduled: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling. (OrderedReady creates one pod at a time and waits for each to be Running and Ready)",
        ]
    );
    add_pvs(&mut c, 2);
    wait_ready(&mut c, "web", 2);
    let why = c.why(NS, "web");
    assert_eq!(why.len(), 1);
    assert!(
        why[0].starts_with("web is up to date: 2/2 Ready at revision web-"),
        "{why:?}"
    );
}

#[test]
fn should_not_delete_pvc_with_on_scaledown_policy_if_another_controller_owns_the_pvc() {
    let mut c = Cluster::default();
    add_pvs(&mut c, 3);
    let mut s = with_claims(ss("web", 3));
    s.spec
        .as_mut()
        .unwrap()
        .persistent_volume_claim_retention_policy = Some(
        serde_json::from_value(
            serde_json::json!({"whenScaled": "Delete", "whenDeleted": "Retain"}),
        )
        .unwrap(),
    );
    create(&mut c, s);
    wait_ready(&mut c, "web", 3);
    // Another controller takes over datadir-web-2 (written as that controller would).
    let node_uid = c
        .store()
        .get::<k8s_openapi::api::core::v1::Node>("", "node-1")
        .unwrap()
        .metadata
        .uid
        .clone()
        .unwrap();
    let mut pvc = c
        .store()
        .get::<PersistentVolumeClaim>(NS, "datadir-web-2")
        .unwrap()
        .clone();
    pvc.metadata.owner_references = Some(vec![serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Node", "name": "node-1", "uid": node_uid, "controller": true
    }))
    .unwrap()]);
    c.store_mut().update(pvc).unwrap();
    c.scale(NS, "web", 1).unwrap();
    wait_ready(&mut c, "web", 1);
    c.advance(5_000);
    let claims: Vec<String> = c
        .store()
        .list::<PersistentVolumeClaim>()
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(
        claims,
        ["datadir-web-0", "datadir-web-2"],
        "the foreign-owned claim is kept"
    );
}
