//! Storage (PV controller, provisioning, protection, reclaim, disk fault) and DNS
//! (EndpointSlices + CoreDNS semantics) wired into the engine.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, Pod};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kubesim::engine::profile::Profile;
use kubesim::engine::pv_controller::FAULT_VOLUME_FAILED;
use kubesim::engine::rng::SplitMix64;
use kubesim::engine::{Cluster, ClusterConfig, DeleteOptions, Kind};
use kubesim::network::dns::RecordType;

// ---- helpers ------------------------------------------------------------------------------

fn apply_seed(c: &mut Cluster) {
    for (_, text) in kubesim::examples::MONGODB {
        c.apply_yaml(text).expect("apply seed");
    }
}

/// The seed with ReadWriteOnce claims: what kind's local-path provisioner accepts (it refuses
/// the seed's ReadWriteMany, see `kind_like_local_path_refuses_read_write_many_claims`).
fn rwo(manifest: &str) -> String {
    manifest.replace("ReadWriteMany", "ReadWriteOnce")
}

fn apply_seed_rwo(c: &mut Cluster) {
    for (_, text) in kubesim::examples::MONGODB {
        c.apply_yaml(&rwo(text)).expect("apply seed");
    }
}

fn mongo_ready(c: &Cluster) -> i32 {
    c.store()
        .get::<StatefulSet>(NS, "mongo")
        .and_then(|s| s.status.as_ref())
        .and_then(|s| s.ready_replicas)
        .unwrap_or(0)
}

fn claim(c: &Cluster, name: &str) -> Option<PersistentVolumeClaim> {
    c.store().get::<PersistentVolumeClaim>(NS, name).cloned()
}

fn volume(c: &Cluster, name: &str) -> Option<PersistentVolume> {
    c.store().get::<PersistentVolume>("", name).cloned()
}

fn claim_phase(c: &PersistentVolumeClaim) -> &str {
    c.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn volume_phase(v: &PersistentVolume) -> &str {
    v.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn volume_name(c: &PersistentVolumeClaim) -> &str {
    c.spec
        .as_ref()
        .and_then(|s| s.volume_name.as_deref())
        .unwrap_or("")
}

fn pod_is_ready(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True")
}

fn pod_ip(p: &Pod) -> Option<String> {
    p.status.as_ref().and_then(|s| s.pod_ip.clone())
}

/// Every `<pod>.<svc>.default.svc.cluster.local` answers exactly for Ready, non-terminating
/// pods of the set (with their IP), and NXDOMAIN otherwise.
fn check_pod_dns(c: &Cluster, set: &str, svc: &str, max_ordinal: usize) {
    for n in 0..max_ordinal {
        let pod_name = format!("{set}-{n}");
        let fqdn = format!("{pod_name}.{svc}.default.svc.cluster.local");
        let got = c.resolve(&fqdn);
        let want: Vec<String> = match pod(c, &pod_name) {
            Some(p) if pod_is_ready(&p) && p.metadata.deletion_timestamp.is_none() => {
                pod_ip(&p).into_iter().collect()
            }
            _ => Vec::new(),
        };
        assert_eq!(got, want, "{fqdn} at t={}", c.now());
    }
}

/// Runs until `done`, checking the DNS invariant whenever an instant is finished (all work
/// queued for that instant ran: controllers see a write one step after it happens).
fn run_checking_dns(
    c: &mut Cluster,
    deadline: u64,
    done: impl Fn(&Cluster) -> bool,
    max_ordinal: usize,
) -> bool {
    loop {
        if done(c) {
            return true;
        }
        match c.next_event_at() {
            Some(at) if at <= deadline => {
                c.step();
                if c.next_event_at().is_none_or(|n| n > c.now()) {
                    check_pod_dns(c, "mongo", "mongo", max_ordinal);
                }
            }
            _ => return done(c),
        }
    }
}

fn events_about(c: &Cluster, name: &str) -> Vec<(String, String, String, i32)> {
    c.events()
        .iter()
        .filter(|e| e.involved_object.name.as_deref() == Some(name))
        .map(|e| {
            (
                e.reason.clone().unwrap_or_default(),
                e.message.clone().unwrap_or_default(),
                e.source
                    .as_ref()
                    .and_then(|s| s.component.clone())
                    .unwrap_or_default(),
                e.count.unwrap_or(1),
            )
        })
        .collect()
}

fn mongo_with_policy(when_deleted: &str, when_scaled: &str) -> String {
    kubesim::examples::MONGO_STATEFULSET.replace(
        "  serviceName: \"mongo\"\n",
        &format!(
            "  serviceName: \"mongo\"\n  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: {when_deleted}\n    whenScaled: {when_scaled}\n"
        ),
    )
}

// ---- the seed walkthrough ---------------------------------------------------------------

#[test]
fn seed_walkthrough_binds_pv_n_plus_1_and_dns_follows_readiness_at_every_step() {
    let mut c = Cluster::default();
    assert_eq!(c.config().profile, Profile::Bare);
    apply_seed(&mut c);
    assert!(
        run_checking_dns(&mut c, 120_000, |c| mongo_ready(c) == 3, 6),
        "{:?}",
        c.why(NS, "mongo")
    );
    c.scale(NS, "mongo", 5).unwrap();
    let deadline = c.now() + 120_000;
    assert!(
        run_checking_dns(&mut c, deadline, |c| mongo_ready(c) == 5, 6),
        "{:?}",
        c.why(NS, "mongo")
    );
    c.advance(1_000);
    check_pod_dns(&c, "mongo", "mongo", 6);

    // `kubectl get pvc`: mongo-data-mongo-N → pv00(N+1), 100Mi, RWX.
    let claims: Vec<PersistentVolumeClaim> =
        c.store().list::<PersistentVolumeClaim>().cloned().collect();
    let now = k8s_openapi::jiff::Timestamp::from_millisecond(
        kubesim::engine::EPOCH_UNIX_MS + c.now() as i64,
    )
    .unwrap();
    let table = kubesim::kubectl::printers::table(&claims, now)
        .render(&kubesim::kubectl::table::PrintOptions::default());
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 6, "{table}");
    assert!(lines[0].starts_with("NAME"), "{table}");
    for n in 0..5 {
        let cells: Vec<&str> = lines[n + 1].split_whitespace().collect();
        assert_eq!(
            &cells[..5],
            [
                format!("mongo-data-mongo-{n}").as_str(),
                "Bound",
                format!("pv00{}", n + 1).as_str(),
                "100Mi",
                "RWX"
            ],
            "{table}"
        );
        let pv = volume(&c, &format!("pv00{}", n + 1)).unwrap();
        assert_eq!(volume_phase(&pv), "Bound");
        let cr = pv.spec.as_ref().unwrap().claim_ref.as_ref().unwrap();
        assert_eq!(cr.name.as_deref(), Some(&*format!("mongo-data-mongo-{n}")));
        let ann = pv.metadata.annotations.clone().unwrap_or_default();
        assert_eq!(
            ann.get("pv.kubernetes.io/bound-by-controller")
                .map(String::as_str),
            Some("yes")
        );
        let pvc = claim(&c, &format!("mongo-data-mongo-{n}")).unwrap();
        let ann = pvc.metadata.annotations.clone().unwrap_or_default();
        assert_eq!(
            ann.get("pv.kubernetes.io/bind-completed")
                .map(String::as_str),
            Some("yes")
        );
        assert_eq!(
            pvc.metadata.finalizers.as_deref(),
            Some(&["kubernetes.io/pvc-protection".to_string()][..])
        );
        assert_eq!(
            pv.metadata.finalizers.as_deref(),
            Some(&["kubernetes.io/pv-protection".to_string()][..])
        );
    }

    // Service-level name: one A record per ready pod; SRV needs a named port (none here).
    let svc = c.resolve("mongo");
    assert_eq!(svc.len(), 5);
    let lookup = c.nslookup("mongo-0.mongo");
    assert_eq!(lookup.exit_code, 0, "{}", lookup.stdout);
    assert!(
        lookup
            .stdout
            .contains("Name:\tmongo-0.mongo.default.svc.cluster.local"),
        "{}",
        lookup.stdout
    );
    let dig = c.dig(&["+short", "mongo-4.mongo.default.svc.cluster.local"]);
    assert_eq!(
        dig.stdout.trim(),
        pod_ip(&pod(&c, "mongo-4").unwrap()).unwrap()
    );
    let missing = c.nslookup("mongo-7.mongo");
    assert_eq!(missing.exit_code, 1);
    assert!(missing.stdout.contains("NXDOMAIN"), "{}", missing.stdout);

    // The slice is stored and managed by the controller.
    let slices = c.endpoint_slices(NS, "mongo");
    assert_eq!(slices.len(), 1);
    assert_eq!(slices[0].endpoints.len(), 5);
    assert!(slices[0].endpoints.iter().all(|e| e
        .hostname
        .as_deref()
        .is_some_and(|h| h.starts_with("mongo-"))));
    let ep = c.endpoints(NS, "mongo").expect("stored Endpoints");
    assert_eq!(
        ep.subsets.as_ref().unwrap()[0]
            .addresses
            .as_ref()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(c.dns_lookup("mongo", RecordType::A).answer.answers.len(), 5);

    // pv binding events were recorded by nobody but the PV controller's own writes: no
    // FailedBinding (every claim found a volume).
    for n in 0..5 {
        assert!(
            events_about(&c, &format!("mongo-data-mongo-{n}"))
                .iter()
                .all(|e| e.0 != "FailedBinding"),
            "{:?}",
            events_about(&c, &format!("mongo-data-mongo-{n}"))
        );
    }
}

#[test]
fn unready_pod_drops_out_of_dns_and_the_headless_service() {
    let mut c = Cluster::default();
    apply_seed(&mut c);
    assert!(c.run_until_condition(120_000, |c| mongo_ready(c) == 3));
    c.advance(1_000);
    annotate_pod(&mut c, "mongo-1", UNREADY, Some("true"));
    let deadline = c.now() + 10_000;
    assert!(run_checking_dns(
        &mut c,
        deadline,
        |c| mongo_ready(c) == 2,
        3
    ));
    c.advance(100);
    assert!(c
        .resolve("mongo-1.mongo.default.svc.cluster.local")
        .is_empty());
    assert_eq!(c.resolve("mongo").len(), 2);
    // The slice keeps the pod, not ready.
    let slice: EndpointSlice = c.endpoint_slices(NS, "mongo")[0].clone();
    let e1 = slice
        .endpoints
        .iter()
        .find(|e| e.hostname.as_deref() == Some("mongo-1"))
        .unwrap();
    assert_eq!(e1.conditions.as_ref().unwrap().ready, Some(false));
    annotate_pod(&mut c, "mongo-1", UNREADY, None);
    let deadline = c.now() + 10_000;
    assert!(run_checking_dns(
        &mut c,
        deadline,
        |c| mongo_ready(c) == 3,
        3
    ));
}

// ---- profiles ----------------------------------------------------------------------------

#[test]
fn profiles_have_names_for_the_ui() {
    assert_eq!(Profile::ALL.map(|p| p.name()), ["bare", "kind-like"]);
    assert_eq!(Profile::from_name("kind-like"), Some(Profile::KindLike));
    assert_eq!(ClusterConfig::profile("nope"), None);
    assert_eq!(
        ClusterConfig::profile("bare").unwrap(),
        ClusterConfig::default()
    );
    let kind = Cluster::new(ClusterConfig::profile("kind-like").unwrap());
    let sc = kind
        .store()
        .get::<k8s_openapi::api::storage::v1::StorageClass>("", "standard")
        .unwrap();
    assert_eq!(sc.provisioner, "rancher.io/local-path");
    assert_eq!(
        sc.volume_binding_mode.as_deref(),
        Some("WaitForFirstConsumer")
    );
    assert_eq!(sc.reclaim_policy.as_deref(), Some("Delete"));
    assert_eq!(
        Cluster::default()
            .store()
            .count::<k8s_openapi::api::storage::v1::StorageClass>(),
        0
    );
}

#[test]
fn kind_like_profile_provisions_pvc_uid_volumes_on_the_pods_node() {
    let mut c = Cluster::new(ClusterConfig::with_profile(Profile::KindLike));
    apply_seed_rwo(&mut c);
    assert!(
        run_checking_dns(&mut c, 120_000, |c| mongo_ready(c) == 3, 4),
        "{:?}",
        c.why(NS, "mongo")
    );
    for n in 0..3 {
        let pvc = claim(&c, &format!("mongo-data-mongo-{n}")).unwrap();
        let uid = pvc.metadata.uid.clone().unwrap();
        assert_eq!(volume_name(&pvc), format!("pvc-{uid}"));
        assert_eq!(claim_phase(&pvc), "Bound");
        assert_eq!(
            pvc.spec.as_ref().unwrap().storage_class_name.as_deref(),
            Some("standard")
        );
        let node = pod(&c, &format!("mongo-{n}"))
            .unwrap()
            .spec
            .unwrap()
            .node_name
            .unwrap();
        let ann = pvc.metadata.annotations.clone().unwrap();
        assert_eq!(ann["volume.kubernetes.io/selected-node"], node);
        assert_eq!(
            ann["volume.kubernetes.io/storage-provisioner"],
            "rancher.io/local-path"
        );
        let pv = volume(&c, &format!("pvc-{uid}")).unwrap();
        assert_eq!(volume_phase(&pv), "Bound");
        let spec = pv.spec.as_ref().unwrap();
        assert_eq!(
            spec.persistent_volume_reclaim_policy.as_deref(),
            Some("Delete")
        );
        assert_eq!(spec.storage_class_name.as_deref(), Some("standard"));
        assert!(format!("{:?}", spec.node_affinity).contains(&node));
        assert!(events_about(&c, &format!("mongo-data-mongo-{n}"))
            .iter()
            .any(|e| e.0 == "WaitForPodScheduled"
                && e.1 == format!("waiting for pod mongo-{n} to be scheduled")));
        let reasons: Vec<String> = events_about(&c, &format!("mongo-data-mongo-{n}"))
            .into_iter()
            .map(|e| e.0)
            .collect();
        for r in [
            "WaitForPodScheduled",
            "ExternalProvisioning",
            "Provisioning",
            "ProvisioningSucceeded",
        ] {
            assert!(reasons.iter().any(|x| x == r), "{r} in {reasons:?}");
        }
    }
    // The seed's NFS volumes have no class: they stay Available.
    for i in 1..=5 {
        assert_eq!(
            volume_phase(&volume(&c, &format!("pv00{i}")).unwrap()),
            "Available"
        );
    }
}

/// rancher/local-path-provisioner `provisioner.go` (`provisionFor`): a node path cannot be
/// shared, so ReadWriteMany claims are refused; sig-storage-lib-external-provisioner records
/// `ProvisioningFailed` "failed to provision volume with StorageClass ..." and the claim (and
/// its pod) stay Pending, as the seed's RWX claims do on a real kind cluster.
#[test]
fn kind_like_local_path_refuses_read_write_many_claims() {
    let mut c = Cluster::new(ClusterConfig::with_profile(Profile::KindLike));
    apply_seed(&mut c);
    c.advance(60_000);
    assert_eq!(
        c.store().count::<PersistentVolume>(),
        5,
        "only the seed's own PVs"
    );
    let pvc = claim(&c, "mongo-data-mongo-0").unwrap();
    assert_eq!(claim_phase(&pvc), "Pending");
    assert!(
        pod(&c, "mongo-1").is_none(),
        "OrderedReady waits for mongo-0"
    );
    let ev = events_about(&c, "mongo-data-mongo-0");
    assert!(
        ev.iter().any(|e| e.0 == "ProvisioningFailed"
            && e.1 == "failed to provision volume with StorageClass \"standard\": NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes"
            && e.2 == "rancher.io/local-path"),
        "{ev:?}"
    );
    assert_eq!(mongo_ready(&c), 0);
}

#[test]
fn kind_like_claim_without_consumer_waits_for_first_consumer() {
    let mut c = Cluster::new(ClusterConfig::with_profile(Profile::KindLike));
    c.apply_yaml("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n").unwrap();
    c.advance(5_000);
    let pvc = claim(&c, "data").unwrap();
    assert_eq!(claim_phase(&pvc), "Pending");
    assert_eq!(
        pvc.spec.as_ref().unwrap().storage_class_name.as_deref(),
        Some("standard"),
        "DefaultStorageClass admission"
    );
    let ev = events_about(&c, "data");
    assert!(ev.iter().any(|e| e.0 == "WaitForFirstConsumer"
        && e.1 == "waiting for first consumer to be created before binding"
        && e.2 == "persistentvolume-controller"));
    assert_eq!(c.store().count::<PersistentVolume>(), 0);
}

#[test]
fn kind_like_deleting_the_set_with_when_deleted_delete_removes_claims_and_volumes() {
    let mut c = Cluster::new(ClusterConfig::with_profile(Profile::KindLike));
    c.apply_yaml(kubesim::examples::MONGO_SERVICE).unwrap();
    c.apply_yaml(&rwo(&mongo_with_policy("Delete", "Retain")))
        .unwrap();
    assert!(c.run_until_condition(120_000, |c| mongo_ready(c) == 3));
    assert_eq!(c.store().count::<PersistentVolume>(), 3);
    c.delete(Kind::StatefulSet, NS, "mongo", DeleteOptions::default())
        .unwrap();
    assert!(c.run_until_condition(c.now() + 120_000, |c| {
        c.store().count::<Pod>() == 0
            && c.store().count::<PersistentVolumeClaim>() == 0
            && c.store().count::<PersistentVolume>() == 0
    }));
}

// ---- Immediate binding and the scheduler ----------------------------------------------------

#[test]
fn immediate_claim_without_volume_keeps_the_pod_pending_until_a_volume_appears() {
    let mut c = Cluster::default();
    c.apply_yaml(kubesim::examples::MONGO_SERVICE).unwrap();
    c.apply_yaml(kubesim::examples::MONGO_STATEFULSET).unwrap();
    c.advance(10_000);
    let p = pod(&c, "mongo-0").unwrap();
    assert!(p.spec.as_ref().unwrap().node_name.is_none());
    assert!(
        pod(&c, "mongo-1").is_none(),
        "OrderedReady waits for mongo-0"
    );
    let ev = events_about(&c, "mongo-0");
    assert!(ev.iter().any(|e| e.0 == "FailedScheduling"
        && e.1 == "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        && e.2 == "default-scheduler"));
    let claim_ev = events_about(&c, "mongo-data-mongo-0");
    let fb = claim_ev
        .iter()
        .find(|e| e.0 == "FailedBinding")
        .expect("FailedBinding");
    assert_eq!(
        fb.1,
        "no persistent volumes available for this claim and no storage class is set"
    );
    assert_eq!(fb.2, "persistentvolume-controller");
    assert_eq!(
        claim_ev.iter().filter(|e| e.0 == "FailedBinding").count(),
        1,
        "merged"
    );
    // The volume arrives: the claim binds and the pod schedules.
    c.apply_yaml(kubesim::examples::MONGO_PVS).unwrap();
    assert!(c.run_until_condition(c.now() + 60_000, |c| mongo_ready(c) == 3));
    assert_eq!(
        volume_name(&claim(&c, "mongo-data-mongo-0").unwrap()),
        "pv001"
    );
}

/// A bare pod mounting claim `data` (pods are not an applyable manifest kind, so a
/// registered controller writes it, as a test double for another API client).
fn create_bare_pod(c: &mut Cluster) {
    let pod: Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "app", "namespace": "default"},
        "spec": {
            "containers": [{"name": "app", "image": "nginx"}],
            "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]
        },
        "status": {"phase": "Pending"}
    }))
    .unwrap();
    let _ = c.store_mut().create(pod);
}

#[test]
fn missing_claim_is_reported_as_the_scheduler_does() {
    let mut c = Cluster::default();
    c.register_controller("test-client", &[Kind::Node], 0, create_bare_pod);
    c.set_label(Kind::Node, "", "node-1", "trigger", Some("1"))
        .unwrap();
    c.advance(1_000);
    assert!(pod(&c, "app").is_some());
    assert!(
        events_about(&c, "app").iter().any(|e| e.0 == "FailedScheduling"
            && e.1 == "0/3 nodes are available: persistentvolumeclaim \"data\" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
        "{:?}",
        events_about(&c, "app")
    );
    // The claim and a volume appear: it binds, the pod schedules and runs.
    c.apply_yaml("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\nspec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  hostPath:\n    path: /tmp/x\n").unwrap();
    c.apply_yaml("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n").unwrap();
    c.advance(10_000);
    let p = pod(&c, "app").unwrap();
    assert!(p.spec.as_ref().unwrap().node_name.is_some());
    assert_eq!(p.status.as_ref().unwrap().phase.as_deref(), Some("Running"));
    assert_eq!(volume_name(&claim(&c, "data").unwrap()), "pv1");
}

// ---- protection, retention, reclaim -----------------------------------------------------------

#[test]
fn claim_in_use_stays_terminating_until_its_pod_is_gone() {
    let mut c = Cluster::default();
    apply_seed(&mut c);
    assert!(c.run_until_condition(120_000, |c| mongo_ready(c) == 3));
    c.delete(
        Kind::PersistentVolumeClaim,
        NS,
        "mongo-data-mongo-2",
        DeleteOptions::default(),
    )
    .unwrap();
    c.advance(5_000);
    let pvc = claim(&c, "mongo-data-mongo-2").expect("still there");
    assert!(pvc.metadata.deletion_timestamp.is_some());
    assert_eq!(claim_phase(&pvc), "Bound");
    // Scale down: the pod goes, then the claim, then the Retain volume is Released.
    c.scale(NS, "mongo", 2).unwrap();
    assert!(
        c.run_until_condition(c.now() + 60_000, |c| claim(c, "mongo-data-mongo-2")
            .is_none())
    );
    c.advance(1_000);
    let pv = volume(&c, "pv003").unwrap();
    assert_eq!(volume_phase(&pv), "Released");
    assert!(
        pv.spec.as_ref().unwrap().claim_ref.is_some(),
        "stale claimRef kept"
    );
}

#[test]
fn when_scaled_delete_removes_claims_and_retain_volumes_end_released() {
    let mut c = Cluster::default();
    c.apply_yaml(kubesim::examples::MONGO_PVS).unwrap();
    c.apply_yaml(kubesim::examples::MONGO_SERVICE).unwrap();
    c.apply_yaml(&mongo_with_policy("Retain", "Delete"))
        .unwrap();
    assert!(c.run_until_condition(120_000, |c| mongo_ready(c) == 3));
    c.scale(NS, "mongo", 1).unwrap();
    assert!(c.run_until_condition(c.now() + 120_000, |c| {
        claim(c, "mongo-data-mongo-1").is_none() && claim(c, "mongo-data-mongo-2").is_none()
    }));
    c.advance(1_000);
    assert!(claim(&c, "mongo-data-mongo-0").is_some());
    for pv in ["pv002", "pv003"] {
        assert_eq!(volume_phase(&volume(&c, pv).unwrap()), "Released", "{pv}");
    }
    // Scaling up again: the Released volumes keep their stale claimRef, so the new claims
    // take the next Available volumes.
    c.scale(NS, "mongo", 3).unwrap();
    assert!(c.run_until_condition(c.now() + 120_000, |c| mongo_ready(c) == 3));
    assert_eq!(
        volume_name(&claim(&c, "mongo-data-mongo-1").unwrap()),
        "pv004"
    );
    assert_eq!(
        volume_name(&claim(&c, "mongo-data-mongo-2").unwrap()),
        "pv005"
    );
    assert_eq!(volume_phase(&volume(&c, "pv002").unwrap()), "Released");
}

#[test]
fn when_deleted_delete_gc_removes_claims_and_retain_volumes_end_released() {
    let mut c = Cluster::default();
    c.apply_yaml(kubesim::examples::MONGO_PVS).unwrap();
    c.apply_yaml(kubesim::examples::MONGO_SERVICE).unwrap();
    c.apply_yaml(&mongo_with_policy("Delete", "Retain"))
        .unwrap();
    assert!(c.run_until_condition(120_000, |c| mongo_ready(c) == 3));
    c.delete(Kind::StatefulSet, NS, "mongo", DeleteOptions::default())
        .unwrap();
    assert!(c.run_until_condition(c.now() + 120_000, |c| {
        c.store().count::<Pod>() == 0 && c.store().count::<PersistentVolumeClaim>() == 0
    }));
    c.advance(1_000);
    for i in 1..=3 {
        assert_eq!(
            volume_phase(&volume(&c, &format!("pv00{i}")).unwrap()),
            "Released"
        );
    }
    for i in 4..=5 {
        assert_eq!(
            volume_phase(&volume(&c, &format!("pv00{i}")).unwrap()),
            "Available"
        );
    }
    // The service's slice is empty now, DNS answers nothing.
    assert!(c.resolve("mongo").is_empty());
    assert_eq!(c.endpoint_slices(NS, "mongo")[0].endpoints.len(), 0);
    // Deleting the Service removes its slices (GC, owner reference) and Endpoints.
    c.delete(Kind::Service, NS, "mongo", DeleteOptions::default())
        .unwrap();
    c.advance(1_000);
    assert!(c.endpoint_slices(NS, "mongo").is_empty());
    assert!(c.endpoints(NS, "mongo").is_none());
    assert_eq!(c.store().count::<EndpointSlice>(), 0);
}

#[test]
fn recycle_policy_scrubs_the_volume_back_to_available() {
    let mut c = Cluster::default();
    c.apply_yaml("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pvr\nspec:\n  persistentVolumeReclaimPolicy: Recycle\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  nfs:\n    server: store111\n    path: /r\n").unwrap();
    c.apply_yaml("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n").unwrap();
    c.advance(1_000);
    assert_eq!(claim_phase(&claim(&c, "data").unwrap()), "Bound");
    c.delete(
        Kind::PersistentVolumeClaim,
        NS,
        "data",
        DeleteOptions::default(),
    )
    .unwrap();
    c.advance(1_000);
    let pv = volume(&c, "pvr").unwrap();
    assert_eq!(volume_phase(&pv), "Available");
    assert!(events_about(&c, "pvr")
        .iter()
        .any(|e| e.0 == "VolumeRecycled"));
}

// ---- the disk fault ---------------------------------------------------------------------------

#[test]
fn failed_volume_keeps_its_pod_unready_and_blocks_ordered_scale_up() {
    let mut c = Cluster::default();
    apply_seed(&mut c);
    assert!(c.run_until_condition(120_000, |c| mongo_ready(c) == 3));
    c.fail_volume("pv002").unwrap();
    assert!(c.run_until_condition(c.now() + 10_000, |c| mongo_ready(c) == 2));
    let pv = volume(&c, "pv002").unwrap();
    assert_eq!(volume_phase(&pv), "Failed");
    assert_eq!(
        pv.metadata.annotations.as_ref().unwrap()[FAULT_VOLUME_FAILED],
        "true"
    );
    assert!(c
        .resolve("mongo-1.mongo.default.svc.cluster.local")
        .is_empty());
    assert!(events_about(&c, "mongo-1").iter().any(|e| {
        e.0 == "Unhealthy"
        && e.1 == "Readiness probe failed: fault injected (volume lost: playground.dev/failed=true)"
    }));
    // OrderedReady: scaling up waits for mongo-1.
    c.scale(NS, "mongo", 5).unwrap();
    c.advance(30_000);
    assert!(pod(&c, "mongo-3").is_none());
    // The pod is recreated, but cannot mount its volume.
    delete_pod(&mut c, "mongo-1");
    assert!(c.run_until_condition(c.now() + 60_000, |c| {
        pod(c, "mongo-1").is_some_and(|p| p.spec.as_ref().unwrap().node_name.is_some())
            && !events_about(c, "mongo-1")
                .iter()
                .all(|e| e.0 != "FailedMount")
    }));
    c.advance(5_000);
    let p = pod(&c, "mongo-1").unwrap();
    assert_eq!(p.status.as_ref().unwrap().phase.as_deref(), Some("Pending"));
    assert!(pod_ip(&p).is_none());
    let mounts: Vec<_> = events_about(&c, "mongo-1")
        .into_iter()
        .filter(|e| e.0 == "FailedMount")
        .collect();
    assert!(
        mounts.iter().any(|e| e.1.starts_with(
            "MountVolume.SetUp failed for volume \"pv002\" : mount failed: exit status 32"
        ) && e.2 == "kubelet"),
        "{mounts:?}"
    );
    assert!(mounts.iter().any(|e| e.1 == "Unable to attach or mount volumes: unmounted volumes=[mongo-data], unattached volumes=[], failed to process volumes=[]: context deadline exceeded"), "{mounts:?}");
    assert!(pod(&c, "mongo-3").is_none());
    // Repairing the disk lets everything converge.
    c.set_annotation(
        Kind::PersistentVolume,
        "",
        "pv002",
        FAULT_VOLUME_FAILED,
        None,
    )
    .unwrap();
    assert!(
        c.run_until_condition(c.now() + 400_000, |c| mongo_ready(c) == 5),
        "{:?}",
        c.why(NS, "mongo")
    );
    assert_eq!(volume_phase(&volume(&c, "pv002").unwrap()), "Bound");
}

// ---- properties ---------------------------------------------------------------------------------

fn random_pv(c: &mut Cluster, rng: &mut SplitMix64, n: usize) -> (String, String) {
    let policy = ["Retain", "Delete", "Recycle"][rng.below(3) as usize];
    let size = ["100Mi", "1Gi"][rng.below(2) as usize];
    let name = format!("rpv-{n}");
    let yaml = format!(
        "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: {name}\nspec:\n  persistentVolumeReclaimPolicy: {policy}\n  capacity:\n    storage: {size}\n  accessModes: [ReadWriteMany, ReadWriteOnce]\n  nfs:\n    server: store111\n    path: /tmp/{name}\n"
    );
    c.apply_yaml(&yaml).unwrap();
    (name, policy.to_string())
}

fn check_storage_invariants(
    c: &Cluster,
    retained: &BTreeSet<String>,
    user_deleted: &BTreeSet<String>,
) {
    // A PV is never bound to two claims.
    let mut by_volume: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pvc in c.store().list::<PersistentVolumeClaim>() {
        if claim_phase(pvc) == "Bound" {
            by_volume
                .entry(volume_name(pvc).to_string())
                .or_default()
                .push(pvc.metadata.name.clone().unwrap());
        }
    }
    for (v, claims) in &by_volume {
        assert!(claims.len() <= 1, "{v} bound to {claims:?}");
        if let Some(pv) = volume(c, v) {
            let cr = pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref());
            assert_eq!(
                cr.and_then(|r| r.name.clone()).as_deref(),
                Some(claims[0].as_str()),
                "{v} claimRef agrees"
            );
        }
    }
    // Retain never deletes a PV.
    for v in retained {
        if !user_deleted.contains(v) {
            assert!(volume(c, v).is_some(), "Retain volume {v} deleted");
        }
    }
}

#[test]
fn random_storage_sequences_never_double_bind_never_delete_retain_and_dns_tracks_readiness() {
    for seed in 0..10u64 {
        let mut rng = SplitMix64::new(seed);
        let mut c = if seed % 2 == 0 {
            Cluster::default()
        } else {
            Cluster::new(ClusterConfig::with_profile(Profile::KindLike))
        };
        c.apply_yaml(kubesim::examples::MONGO_SERVICE).unwrap();
        let policy = ["Retain", "Delete"];
        c.apply_yaml(&rwo(&mongo_with_policy(
            policy[rng.below(2) as usize],
            policy[rng.below(2) as usize],
        )))
        .unwrap();
        let mut retained = BTreeSet::new();
        let mut user_deleted = BTreeSet::new();
        let mut pvs = 0usize;
        for _ in 0..25 {
            match rng.below(9) {
                0 | 1 => {
                    pvs += 1;
                    let (name, p) = random_pv(&mut c, &mut rng, pvs);
                    if p == "Retain" {
                        retained.insert(name);
                    }
                }
                2 => c.scale(NS, "mongo", rng.below(5) as i32).unwrap(),
                3 => {
                    let n = rng.below(5);
                    let _ = c.delete(
                        Kind::PersistentVolumeClaim,
                        NS,
                        &format!("mongo-data-mongo-{n}"),
                        DeleteOptions::default(),
                    );
                }
                4 => {
                    let n = rng.below(5);
                    let _ = c.delete(
                        Kind::Pod,
                        NS,
                        &format!("mongo-{n}"),
                        DeleteOptions::default(),
                    );
                }
                5 if pvs > 0 => {
                    let name = format!("rpv-{}", rng.below(pvs as u64) + 1);
                    let v = (rng.below(2) == 0).then_some("true");
                    let _ =
                        c.set_annotation(Kind::PersistentVolume, "", &name, FAULT_VOLUME_FAILED, v);
                }
                6 if pvs > 0 => {
                    let name = format!("rpv-{}", rng.below(pvs as u64) + 1);
                    if c.delete(Kind::PersistentVolume, "", &name, DeleteOptions::default())
                        .is_ok()
                    {
                        user_deleted.insert(name);
                    }
                }
                7 => {
                    let n = rng.below(5);
                    let v = (rng.below(2) == 0).then_some("true");
                    let _ = c.set_annotation(Kind::Pod, NS, &format!("mongo-{n}"), UNREADY, v);
                }
                _ => {}
            }
            let until = c.now() + rng.below(30_000);
            while let Some(at) = c.next_event_at() {
                if at > until {
                    break;
                }
                c.step();
                check_storage_invariants(&c, &retained, &user_deleted);
                if c.next_event_at().is_none_or(|n| n > c.now()) {
                    check_pod_dns(&c, "mongo", "mongo", 6);
                }
            }
            c.run_until(until);
        }
    }
}

#[test]
fn storage_runs_are_deterministic() {
    let run = || {
        let mut c = Cluster::new(ClusterConfig::with_profile(Profile::KindLike));
        apply_seed_rwo(&mut c);
        c.run_until_condition(120_000, |c| mongo_ready(c) == 3);
        c.scale(NS, "mongo", 1).unwrap();
        c.advance(60_000);
        let names: Vec<String> = c
            .store()
            .list::<PersistentVolume>()
            .filter_map(|v| v.metadata.name.clone())
            .collect();
        (names, c.watch_end(), c.now())
    };
    assert_eq!(run(), run());
}

#[test]
fn kind_like_parallel_set_spreads_and_each_volume_is_pinned_to_its_pods_node() {
    let mut c = Cluster::new(ClusterConfig::with_profile(Profile::KindLike));
    c.apply_yaml(kubesim::examples::MONGO_SERVICE).unwrap();
    let sts = rwo(kubesim::examples::MONGO_STATEFULSET).replace(
        "replicas: 3",
        "replicas: 30\n  podManagementPolicy: Parallel",
    );
    c.apply_yaml(&sts).unwrap();
    assert!(
        c.run_until_condition(600_000, |c| mongo_ready(c) == 30),
        "{:?}",
        c.why(NS, "mongo")
    );
    let mut per_node: BTreeMap<String, usize> = BTreeMap::new();
    for n in 0..30 {
        let node = pod(&c, &format!("mongo-{n}"))
            .unwrap()
            .spec
            .unwrap()
            .node_name
            .unwrap();
        *per_node.entry(node.clone()).or_default() += 1;
        let pvc = claim(&c, &format!("mongo-data-mongo-{n}")).unwrap();
        let pv = volume(&c, volume_name(&pvc)).unwrap();
        assert!(format!("{:?}", pv.spec.unwrap().node_affinity).contains(&format!("\"{node}\"")));
    }
    assert_eq!(per_node.values().copied().collect::<Vec<_>>(), [10, 10, 10]);
    // A deleted pod comes back on the node its local volume lives on.
    let before = pod(&c, "mongo-7").unwrap().spec.unwrap().node_name;
    delete_pod(&mut c, "mongo-7");
    assert!(
        c.run_until_condition(c.now() + 120_000, |c| mongo_ready(c) == 30
            && pod(c, "mongo-7").is_some_and(|p| p.metadata.deletion_timestamp.is_none()))
    );
    assert_eq!(pod(&c, "mongo-7").unwrap().spec.unwrap().node_name, before);
}

const CLAIM_NO_CLASS: &str = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n";

#[test]
fn a_default_class_created_later_is_assigned_retroactively_and_provisions() {
    let mut c = Cluster::default();
    c.apply_yaml(CLAIM_NO_CLASS).unwrap();
    c.advance(1_000);
    let pvc = claim(&c, "data").unwrap();
    assert_eq!(claim_phase(&pvc), "Pending");
    assert_eq!(pvc.spec.as_ref().unwrap().storage_class_name, None);
    c.apply_yaml("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n  annotations:\n    storageclass.kubernetes.io/is-default-class: \"true\"\nprovisioner: kubernetes.io/host-path\n").unwrap();
    c.advance(1_000);
    let pvc = claim(&c, "data").unwrap();
    assert_eq!(
        pvc.spec.as_ref().unwrap().storage_class_name.as_deref(),
        Some("fast")
    );
    assert_eq!(claim_phase(&pvc), "Bound");
    let pv_name = format!("pvc-{}", pvc.metadata.uid.clone().unwrap());
    assert_eq!(volume_name(&pvc), pv_name);
    assert!(events_about(&c, "data")
        .iter()
        .any(|e| e.0 == "ProvisioningSucceeded"
            && e.1
                == format!(
                    "Successfully provisioned volume {pv_name} using kubernetes.io/host-path"
                )));
    // reclaimPolicy Delete: deleting the claim deletes the volume.
    c.delete(
        Kind::PersistentVolumeClaim,
        NS,
        "data",
        DeleteOptions::default(),
    )
    .unwrap();
    c.advance(1_000);
    assert!(volume(&c, &pv_name).is_none());
}

#[test]
fn no_provisioner_class_without_a_fitting_local_volume_leaves_the_pod_unschedulable() {
    let mut c = Cluster::default();
    c.apply_yaml("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: local-storage\nprovisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: WaitForFirstConsumer\n").unwrap();
    c.apply_yaml(kubesim::examples::MONGO_SERVICE).unwrap();
    let sts = kubesim::examples::MONGO_STATEFULSET.replace(
        "      accessModes: [\"ReadWriteMany\"]",
        "      storageClassName: local-storage\n      accessModes: [\"ReadWriteMany\"]",
    );
    c.apply_yaml(&sts).unwrap();
    c.advance(5_000);
    assert!(events_about(&c, "mongo-0").iter().any(|e| e.0 == "FailedScheduling"
        && e.1 == "0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."), "{:?}", events_about(&c, "mongo-0"));
    assert!(events_about(&c, "mongo-data-mongo-0")
        .iter()
        .any(|e| e.0 == "WaitForPodScheduled"));
    // A local volume on node-2 appears: the pod goes there and the scheduler binds it.
    c.apply_yaml("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: local-2\nspec:\n  storageClassName: local-storage\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteMany]\n  local:\n    path: /mnt/disks/ssd1\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - key: kubernetes.io/hostname\n          operator: In\n          values: [node-2]\n").unwrap();
    assert!(c.run_until_condition(c.now() + 60_000, |c| mongo_ready(c) == 1));
    assert_eq!(
        pod(&c, "mongo-0")
            .unwrap()
            .spec
            .unwrap()
            .node_name
            .as_deref(),
        Some("node-2")
    );
    assert_eq!(
        volume_name(&claim(&c, "mongo-data-mongo-0").unwrap()),
        "local-2"
    );
}

/// An administrator force-removes pv001 (finalizers stripped), via a registered controller
/// standing in for another API client.
fn force_remove_pv001(c: &mut Cluster) {
    if let Some(pv) = c.store_mut().get::<PersistentVolume>("", "pv001").cloned() {
        let mut pv = pv;
        pv.metadata.finalizers = None;
        let _ = c.store_mut().update(pv);
        let _ = c.store_mut().delete::<PersistentVolume>(
            "",
            "pv001",
            kubesim::engine::Propagation::Background,
            Some(0),
        );
    }
}

#[test]
fn bound_claim_whose_volume_disappears_is_lost() {
    let mut c = Cluster::default();
    apply_seed(&mut c);
    assert!(c.run_until_condition(120_000, |c| mongo_ready(c) == 3));
    // A bound PV is protected: deleting it leaves it Terminating.
    c.delete(
        Kind::PersistentVolume,
        "",
        "pv001",
        DeleteOptions::default(),
    )
    .unwrap();
    c.advance(1_000);
    let pv = volume(&c, "pv001").expect("protected");
    assert!(pv.metadata.deletion_timestamp.is_some());
    assert_eq!(volume_phase(&pv), "Bound");
    c.register_controller("admin", &[Kind::Node], 0, force_remove_pv001);
    c.set_label(Kind::Node, "", "node-1", "trigger", Some("1"))
        .unwrap();
    c.advance(1_000);
    assert!(volume(&c, "pv001").is_none());
    let pvc = claim(&c, "mongo-data-mongo-0").unwrap();
    assert_eq!(claim_phase(&pvc), "Lost");
    assert!(events_about(&c, "mongo-data-mongo-0")
        .iter()
        .any(|e| e.0 == "ClaimLost"
            && e.1 == "Bound claim has lost its PersistentVolume. Data on the volume is lost!"));
}

#[test]
fn why_explains_waiting_claims_in_the_pv_controllers_words() {
    let mut c = Cluster::default();
    c.apply_yaml(kubesim::examples::MONGO_SERVICE).unwrap();
    c.apply_yaml(kubesim::examples::MONGO_STATEFULSET).unwrap();
    c.advance(5_000);
    let why = c.why(NS, "mongo").join("\n");
    assert!(
        why.contains("claim mongo-data-mongo-0 is Pending: no PersistentVolume matches and no storage class is set"),
        "{why}"
    );
    c.apply_yaml(kubesim::examples::MONGO_PVS).unwrap();
    assert!(c.run_until_condition(c.now() + 60_000, |c| mongo_ready(c) == 3));
    c.fail_volume("pv002").unwrap();
    c.advance(5_000);
    let why = c.why(NS, "mongo").join("\n");
    assert!(
        why.contains(
            "claim mongo-data-mongo-1 is bound to PersistentVolume pv002, whose disk is lost"
        ),
        "{why}"
    );
}

#[test]
fn a_claim_the_provisioner_refuses_says_why_in_the_view() {
    let mut c = Cluster::new(ClusterConfig::with_profile(Profile::KindLike));
    apply_seed(&mut c);
    c.advance(10_000);
    let pvc = claim(&c, "mongo-data-mongo-0").unwrap();
    let why = kubesim::engine::pv_controller::explain_claim(c.store(), &pvc).unwrap();
    assert_eq!(why, "claim mongo-data-mongo-0 is Pending: provisioning failed: failed to provision volume with StorageClass \"standard\": NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes");
}
