//! Behaviour tests for the PV controller functions (cases after upstream
//! `pv_controller_test.go` / `binder_test.go` / `provision_test.go` / `recycle_test.go`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    HostPathVolumeSource, NFSVolumeSource, PersistentVolume, PersistentVolumeClaim,
    PersistentVolumeClaimVolumeSource, Pod, PodSpec, PodStatus, Volume,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use super::test_support::*;
use super::*;

fn bound_pair(
    pv_name: &str,
    claim_name: &str,
    uid: &str,
) -> (PersistentVolume, PersistentVolumeClaim) {
    let v = pv(pv_name, &format!("uid-{pv_name}"), "5Gi", &[RWO]);
    let c = claim("default", claim_name, uid, "1Gi", &[RWO]);
    bind(&v, &c)
}

fn pod(name: &str, claim: &str, node: Option<&str>) -> Pod {
    Pod {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            ..Default::default()
        },
        spec: Some(PodSpec {
            node_name: node.map(String::from),
            volumes: Some(vec![Volume {
                name: "www".into(),
                persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                    claim_name: claim.into(),
                    read_only: None,
                }),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        status: Some(PodStatus {
            phase: Some("Pending".into()),
            ..Default::default()
        }),
    }
}

fn view<'a>(
    v: &'a [PersistentVolume],
    c: &'a [PersistentVolumeClaim],
    s: &'a [StorageClass],
    p: &'a [Pod],
) -> StorageView<'a> {
    StorageView::new(v, c, s, p)
}

fn reasons(out: &Outcome) -> Vec<(EventType, String, String)> {
    out.events
        .iter()
        .map(|e| (e.type_, e.reason.clone(), e.message.clone()))
        .collect()
}

fn ann<'a>(meta: &'a ObjectMeta, key: &str) -> Option<&'a str> {
    meta.annotations.as_ref()?.get(key).map(String::as_str)
}

fn phase_of_claim(c: &PersistentVolumeClaim) -> Option<&str> {
    c.status.as_ref()?.phase.as_deref()
}

fn phase_of_volume(v: &PersistentVolume) -> Option<&str> {
    v.status.as_ref()?.phase.as_deref()
}

#[test]
fn unbound_claim_binds_to_matching_volume_with_all_four_writes() {
    let vols = [pv("pv-5g", "pv-uid", "5Gi", &[RWO])];
    let c = claim("default", "www-web-0", "claim-uid", "1Gi", &[RWO]);
    let out = sync_claim(&c, &view(&vols, &[], &[], &[]));
    assert_eq!(
        out.decision,
        Decision::Bound {
            volume: "pv-5g".into()
        }
    );
    let v = &out.update_volumes[0];
    let r = v.spec.as_ref().unwrap().claim_ref.as_ref().unwrap();
    assert_eq!(r.kind.as_deref(), Some("PersistentVolumeClaim"));
    assert_eq!(r.api_version.as_deref(), Some("v1"));
    assert_eq!(r.name.as_deref(), Some("www-web-0"));
    assert_eq!(r.namespace.as_deref(), Some("default"));
    assert_eq!(r.uid.as_deref(), Some("claim-uid"));
    assert_eq!(ann(&v.metadata, ANN_BOUND_BY_CONTROLLER), Some("yes"));
    assert_eq!(phase_of_volume(v), Some("Bound"));
    let c2 = &out.update_claims[0];
    assert_eq!(
        c2.spec.as_ref().unwrap().volume_name.as_deref(),
        Some("pv-5g")
    );
    assert_eq!(ann(&c2.metadata, ANN_BOUND_BY_CONTROLLER), Some("yes"));
    assert_eq!(ann(&c2.metadata, ANN_BIND_COMPLETED), Some("yes"));
    let status = c2.status.as_ref().unwrap();
    assert_eq!(status.phase.as_deref(), Some("Bound"));
    assert_eq!(status.access_modes, modes(&[RWO]));
    assert_eq!(
        status.capacity.as_ref().unwrap()["storage"].0,
        "5Gi",
        "CAPACITY shows the PV size"
    );
    assert!(out.events.is_empty());
}

#[test]
fn no_volume_and_no_class_gives_failed_binding_normal_event() {
    let mut c = claim("default", "data", "u1", "1Gi", &[RWO]);
    c.spec.as_mut().unwrap().storage_class_name = Some(String::new());
    let out = sync_claim(&c, &view(&[], &[], &[], &[]));
    assert_eq!(out.decision, Decision::NoMatchingVolume);
    assert_eq!(
        reasons(&out),
        vec![(
            EventType::Normal,
            "FailedBinding".into(),
            "no persistent volumes available for this claim and no storage class is set".into()
        )]
    );
    assert_eq!(phase_of_claim(&out.update_claims[0]), Some("Pending"));
}

#[test]
fn classless_claim_gets_the_default_class_retroactively() {
    let c = claim("default", "data", "u1", "1Gi", &[RWO]);
    let mut std_class = class("standard", "rancher.io/local-path", "WaitForFirstConsumer");
    std_class.metadata.annotations = Some(BTreeMap::from([(
        ANN_DEFAULT_CLASS.to_string(),
        "true".to_string(),
    )]));
    let classes = [std_class];
    let out = sync_claim(&c, &view(&[], &[], &classes, &[]));
    assert_eq!(
        out.decision,
        Decision::DefaultClassAssigned {
            class: "standard".into()
        }
    );
    assert_eq!(
        out.update_claims[0]
            .spec
            .as_ref()
            .unwrap()
            .storage_class_name
            .as_deref(),
        Some("standard")
    );
    assert_eq!(
        out.resync_claims,
        vec![("default".to_string(), "data".to_string())]
    );
    // an explicit "" opts out
    let mut opted_out = c.clone();
    opted_out.spec.as_mut().unwrap().storage_class_name = Some(String::new());
    let out = sync_claim(&opted_out, &view(&[], &[], &classes, &[]));
    assert_eq!(out.decision, Decision::NoMatchingVolume);
}

#[test]
fn newest_default_class_wins_then_name() {
    let mk = |name: &str, secs: i64, beta: bool| {
        let mut c = class(name, "x", "Immediate");
        let key = if beta {
            ANN_BETA_DEFAULT_CLASS
        } else {
            ANN_DEFAULT_CLASS
        };
        c.metadata.annotations = Some(BTreeMap::from([(key.to_string(), "true".to_string())]));
        c.metadata.creation_timestamp = Some(Time(
            k8s_openapi::jiff::Timestamp::from_second(secs).unwrap(),
        ));
        c
    };
    let not_default = class("zzz", "x", "Immediate");
    let classes = [
        mk("old", 100, false),
        mk("b-new", 200, true),
        mk("a-new", 200, false),
        not_default,
    ];
    let got = default_storage_class(&classes).and_then(|c| c.metadata.name.as_deref());
    assert_eq!(got, Some("a-new"));
    assert!(default_storage_class(&classes[3..]).is_none());

    let mut c = claim("default", "data", "u1", "1Gi", &[RWO]);
    c.spec.as_mut().unwrap().storage_class_name = None;
    assert!(admit_default_storage_class(&mut c, &classes));
    assert_eq!(
        c.spec.as_ref().unwrap().storage_class_name.as_deref(),
        Some("a-new")
    );
    assert!(
        !admit_default_storage_class(&mut c, &classes),
        "already has a class"
    );
}

#[test]
fn wait_for_first_consumer_events_name_unscheduled_pods() {
    let mut c = claim("default", "www-web-0", "u1", "1Gi", &[RWO]);
    c.spec.as_mut().unwrap().storage_class_name = Some("standard".into());
    let classes = [class(
        "standard",
        "rancher.io/local-path",
        "WaitForFirstConsumer",
    )];
    // a matching static volume is not taken by the controller in delayed mode
    let vols = [with_class(pv("static", "s", "1Gi", &[RWO]), "standard")];

    let out = sync_claim(&c, &view(&vols, &[], &classes, &[]));
    assert_eq!(out.decision, Decision::WaitingForFirstConsumer);
    assert_eq!(
        reasons(&out),
        vec![(
            EventType::Normal,
            "WaitForFirstConsumer".into(),
            "waiting for first consumer to be created before binding".into()
        )]
    );

    let pods = [
        pod("web-0", "www-web-0", None),
        pod("other", "unrelated", None),
    ];
    let out = sync_claim(&c, &view(&vols, &[], &classes, &pods));
    assert_eq!(reasons(&out)[0].1, "WaitForPodScheduled");
    assert_eq!(reasons(&out)[0].2, "waiting for pod web-0 to be scheduled");

    let pods = [
        pod("b", "www-web-0", None),
        pod("a", "www-web-0", None),
        pod("c", "www-web-0", Some("n1")),
    ];
    let out = sync_claim(&c, &view(&vols, &[], &classes, &pods));
    assert_eq!(reasons(&out)[0].2, "waiting for pods a,b to be scheduled");
}

#[test]
fn selected_node_triggers_external_provisioning() {
    let mut c = claim("default", "www-web-0", "u1", "1Gi", &[RWO]);
    c.spec.as_mut().unwrap().storage_class_name = Some("standard".into());
    let c = select_node(&c, "kind-worker");
    let classes = [class(
        "standard",
        "rancher.io/local-path",
        "WaitForFirstConsumer",
    )];
    let out = sync_claim(&c, &view(&[], &[], &classes, &[]));
    assert_eq!(
        out.decision,
        Decision::Provisioning {
            provisioner: "rancher.io/local-path".into(),
            external: true
        }
    );
    assert_eq!(reasons(&out)[0].1, "ExternalProvisioning");
    assert_eq!(reasons(&out)[0].2, "Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
    let updated = &out.update_claims[0];
    assert_eq!(
        ann(&updated.metadata, ANN_STORAGE_PROVISIONER),
        Some("rancher.io/local-path")
    );
    assert_eq!(
        ann(&updated.metadata, ANN_BETA_STORAGE_PROVISIONER),
        Some("rancher.io/local-path")
    );
}

#[test]
fn provisioning_failures_are_warnings_with_upstream_text() {
    let mut c = claim("default", "data", "u1", "1Gi", &[RWO]);
    c.spec.as_mut().unwrap().storage_class_name = Some("fast".into());
    let out = sync_claim(&c, &view(&[], &[], &[], &[]));
    assert_eq!(
        reasons(&out),
        vec![(
            EventType::Warning,
            "ProvisioningFailed".into(),
            "storageclass.storage.k8s.io \"fast\" not found".into()
        )]
    );
    let classes = [class("fast", NO_PROVISIONER, "Immediate")];
    let out = sync_claim(&c, &view(&[], &[], &classes, &[]));
    assert_eq!(
        reasons(&out)[0].2,
        "no volume plugin matched name: kubernetes.io/no-provisioner"
    );
    // migrated in-tree names go to the CSI driver
    let classes = [class("fast", "kubernetes.io/aws-ebs", "Immediate")];
    let out = sync_claim(&c, &view(&[], &[], &classes, &[]));
    assert_eq!(
        out.decision,
        Decision::Provisioning {
            provisioner: "ebs.csi.aws.com".into(),
            external: true
        }
    );
}

#[test]
fn in_tree_host_path_provisioning_creates_a_bound_by_controller_volume() {
    let mut c = claim("default", "data", "abc", "2Gi", &[RWO]);
    c.spec.as_mut().unwrap().storage_class_name = Some("hostpath".into());
    let classes = [class("hostpath", IN_TREE_HOST_PATH, "Immediate")];
    let out = sync_claim(&c, &view(&[], &[], &classes, &[]));
    let created = &out.create_volumes[0];
    assert_eq!(created.metadata.name.as_deref(), Some("pvc-abc"));
    assert_eq!(ann(&created.metadata, ANN_BOUND_BY_CONTROLLER), Some("yes"));
    assert_eq!(
        ann(&created.metadata, ANN_DYNAMICALLY_PROVISIONED),
        Some(IN_TREE_HOST_PATH)
    );
    assert_eq!(
        created.metadata.finalizers,
        Some(vec![PV_IN_TREE_DELETION_FINALIZER.to_string()])
    );
    let spec = created.spec.as_ref().unwrap();
    assert_eq!(spec.capacity.as_ref().unwrap()["storage"].0, "2Gi");
    assert_eq!(
        spec.persistent_volume_reclaim_policy.as_deref(),
        Some("Delete")
    );
    assert_eq!(spec.storage_class_name.as_deref(), Some("hostpath"));
    assert_eq!(
        reasons(&out)[0],
        (
            EventType::Normal,
            "ProvisioningSucceeded".into(),
            "Successfully provisioned volume pvc-abc using kubernetes.io/host-path".into()
        )
    );
}

#[test]
fn prebound_claim_checks_size_class_mode_but_not_selector() {
    let mut c = claim("default", "data", "u1", "10Gi", &[RWO]);
    c.spec.as_mut().unwrap().volume_name = Some("pv1".into());
    // missing volume: Pending, silently
    let out = sync_claim(&c, &view(&[], &[], &[], &[]));
    assert_eq!(
        out.decision,
        Decision::RequestedVolumeMissing {
            volume: "pv1".into()
        }
    );
    assert!(out.events.is_empty());
    assert_eq!(phase_of_claim(&out.update_claims[0]), Some("Pending"));

    let small = [pv("pv1", "x", "1Gi", &[RWO])];
    let out = sync_claim(&c, &view(&small, &[], &[], &[]));
    assert_eq!(
        reasons(&out),
        vec![(
            EventType::Warning,
            "VolumeMismatch".into(),
            "Cannot bind to requested volume \"pv1\": requested PV is too small".into()
        )]
    );
    let classy = [with_class(pv("pv1", "x", "10Gi", &[RWO]), "gold")];
    assert_eq!(
        reasons(&sync_claim(&c, &view(&classy, &[], &[], &[])))[0].2,
        "Cannot bind to requested volume \"pv1\": storageClassName does not match"
    );
    let rox = [pv("pv1", "x", "10Gi", &[ROX])];
    assert_eq!(
        reasons(&sync_claim(&c, &view(&rox, &[], &[], &[])))[0].2,
        "Cannot bind to requested volume \"pv1\": incompatible accessMode"
    );
    let mut block = pv("pv1", "x", "10Gi", &[RWO]);
    block.spec.as_mut().unwrap().volume_mode = Some("Block".into());
    assert_eq!(
        reasons(&sync_claim(&c, &view(&[block], &[], &[], &[])))[0].2,
        "Cannot bind to requested volume \"pv1\": incompatible volumeMode"
    );

    // selector ignored; phase ignored; claim gets no bound-by-controller (user chose)
    c.spec.as_mut().unwrap().selector = Some(Default::default());
    c.spec
        .as_mut()
        .unwrap()
        .selector
        .as_mut()
        .unwrap()
        .match_labels = Some(BTreeMap::from([("nope".to_string(), "x".to_string())]));
    let ok = [with_phase(pv("pv1", "x", "10Gi", &[RWO]), "Pending")];
    let out = sync_claim(&c, &view(&ok, &[], &[], &[]));
    assert_eq!(
        out.decision,
        Decision::Bound {
            volume: "pv1".into()
        }
    );
    assert_eq!(
        ann(&out.update_claims[0].metadata, ANN_BOUND_BY_CONTROLLER),
        None
    );
    assert_eq!(
        ann(&out.update_claims[0].metadata, ANN_BIND_COMPLETED),
        Some("yes")
    );
    assert_eq!(
        ann(&out.update_volumes[0].metadata, ANN_BOUND_BY_CONTROLLER),
        Some("yes")
    );

    // volume taken by someone else
    let taken = [with_claim_ref(
        pv("pv1", "x", "10Gi", &[RWO]),
        "default",
        "other",
        "u9",
    )];
    let out = sync_claim(&c, &view(&taken, &[], &[], &[]));
    assert_eq!(
        reasons(&out),
        vec![(
            EventType::Warning,
            "FailedBinding".into(),
            "volume \"pv1\" already bound to a different claim.".into()
        )]
    );
}

#[test]
fn admin_prebound_volume_binds_without_bound_by_controller() {
    let c = claim("default", "data", "u1", "1Gi", &[RWO]);
    let v = with_class(
        with_claim_ref(pv("reserved", "x", "1Gi", &[RWO]), "default", "data", ""),
        "other",
    );
    let vols = [v];
    let out = sync_claim(&c, &view(&vols, &[], &[], &[]));
    assert_eq!(
        out.decision,
        Decision::Bound {
            volume: "reserved".into()
        }
    );
    let v2 = &out.update_volumes[0];
    assert_eq!(ann(&v2.metadata, ANN_BOUND_BY_CONTROLLER), None);
    assert_eq!(
        v2.spec
            .as_ref()
            .unwrap()
            .claim_ref
            .as_ref()
            .unwrap()
            .uid
            .as_deref(),
        Some("u1")
    );
}

#[test]
fn bound_claim_lost_and_misbound() {
    let (v, c) = bound_pair("pv1", "data", "u1");
    let vols = [v.clone()];
    // all well: nothing to write
    let out = sync_claim(&c, &view(&vols, &[], &[], &[]));
    assert_eq!(
        out.decision,
        Decision::Bound {
            volume: "pv1".into()
        }
    );
    assert!(out.update_claims.is_empty() && out.update_volumes.is_empty());

    let out = sync_claim(&c, &view(&[], &[], &[], &[]));
    assert_eq!(
        reasons(&out),
        vec![(
            EventType::Warning,
            "ClaimLost".into(),
            "Bound claim has lost its PersistentVolume. Data on the volume is lost!".into()
        )]
    );
    let lost = &out.update_claims[0];
    assert_eq!(phase_of_claim(lost), Some("Lost"));
    assert!(lost.status.as_ref().unwrap().capacity.is_none());
    // already Lost: no second event
    assert!(sync_claim(lost, &view(&[], &[], &[], &[]))
        .events
        .is_empty());

    let mut cleared = c.clone();
    cleared.spec.as_mut().unwrap().volume_name = None;
    assert_eq!(
        reasons(&sync_claim(&cleared, &view(&vols, &[], &[], &[])))[0].2,
        "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!"
    );

    let stolen = [with_claim_ref(v, "default", "thief", "u2")];
    assert_eq!(
        reasons(&sync_claim(&c, &view(&stolen, &[], &[], &[]))),
        vec![(
            EventType::Warning,
            "ClaimMisbound".into(),
            "Two claims are bound to the same volume, this one is bound incorrectly".into()
        )]
    );
}

#[test]
fn volume_phases_follow_claim_ref() {
    let free = with_phase(pv("pv1", "x", "1Gi", &[RWO]), "Pending");
    let out = sync_volume(&free, &view(&[], &[], &[], &[]));
    assert_eq!(phase_of_volume(&out.update_volumes[0]), Some("Available"));
    let prebound = with_phase(
        with_claim_ref(pv("pv1", "x", "1Gi", &[RWO]), "default", "data", ""),
        "Pending",
    );
    assert_eq!(
        phase_of_volume(&sync_volume(&prebound, &view(&[], &[], &[], &[])).update_volumes[0]),
        Some("Available")
    );

    let (v, c) = bound_pair("pv1", "data", "u1");
    let claims = [c.clone()];
    let out = sync_volume(&v, &view(&[], &claims, &[], &[]));
    assert_eq!(out.decision, Decision::VolumeBound);
    assert!(out.update_volumes.is_empty());

    // claim exists but not yet bound: let the claim sync finish
    let mut unbound = c.clone();
    unbound.spec.as_mut().unwrap().volume_name = None;
    let claims = [unbound];
    let out = sync_volume(&v, &view(&[], &claims, &[], &[]));
    assert_eq!(
        out.resync_claims,
        vec![("default".to_string(), "data".to_string())]
    );
}

#[test]
fn volume_mode_mismatch_warns_on_both_objects() {
    let (mut v, c) = bound_pair("pv1", "data", "u1");
    v.spec.as_mut().unwrap().volume_mode = Some("Block".into());
    let mut unbound = c;
    unbound.spec.as_mut().unwrap().volume_name = None;
    let claims = [unbound];
    let out = sync_volume(&v, &view(&[], &claims, &[], &[]));
    let r = reasons(&out);
    assert_eq!(r[0].2, "Cannot bind PersistentVolume to requested PersistentVolumeClaim \"data\" due to incompatible volumeMode.");
    assert_eq!(r[1].2, "Cannot bind PersistentVolume \"pv1\" to requested PersistentVolumeClaim due to incompatible volumeMode.");
    assert_eq!(out.events[0].object.kind, "PersistentVolume");
    assert_eq!(out.events[1].object.kind, "PersistentVolumeClaim");
}

#[test]
fn retained_volume_stays_released_with_stale_claim_ref() {
    let (mut v, c) = bound_pair("pv1", "data", "u1");
    v.spec.as_mut().unwrap().persistent_volume_reclaim_policy = Some("Retain".into());
    let out = sync_volume(&v, &view(&[], &[], &[], &[]));
    assert_eq!(
        out.decision,
        Decision::Released {
            policy: "Retain".into(),
            result: ReclaimResult::Retained
        }
    );
    let released = out.update_volumes[0].clone();
    assert_eq!(phase_of_volume(&released), Some("Released"));
    assert!(released.spec.as_ref().unwrap().claim_ref.is_some());
    // a new claim with the same name (new UID) does not get it
    let mut again = c.clone();
    again.metadata.uid = Some("u2".into());
    again.metadata.annotations = None;
    again.spec.as_mut().unwrap().volume_name = None;
    again.spec.as_mut().unwrap().storage_class_name = Some(String::new());
    again.status = None;
    let vols = [released.clone()];
    let claims = [again.clone()];
    let out = sync_claim(&again, &view(&vols, &claims, &[], &[]));
    assert_eq!(out.decision, Decision::NoMatchingVolume);
    // and the PV stays Released (no second write)
    assert!(sync_volume(&released, &view(&vols, &claims, &[], &[]))
        .update_volumes
        .is_empty());
}

#[test]
fn delete_policy_outcomes() {
    let (mut v, _) = bound_pair("pvc-u1", "data", "u1");
    v.spec.as_mut().unwrap().persistent_volume_reclaim_policy = Some("Delete".into());
    let mut provisioned = v.clone();
    provisioned.metadata.annotations.as_mut().unwrap().insert(
        ANN_DYNAMICALLY_PROVISIONED.into(),
        "rancher.io/local-path".into(),
    );
    let out = sync_volume(&provisioned, &view(&[], &[], &[], &[]));
    assert_eq!(out.delete_volumes, vec!["pvc-u1".to_string()]);

    let mut nfs = v.clone();
    nfs.spec.as_mut().unwrap().nfs = Some(NFSVolumeSource {
        path: "/x".into(),
        server: "nfs".into(),
        read_only: None,
    });
    let out = sync_volume(&nfs, &view(&[], &[], &[], &[]));
    assert_eq!(phase_of_volume(&out.update_volumes[0]), Some("Failed"));
    assert_eq!(
        reasons(&out),
        vec![(EventType::Warning, "VolumeFailedDelete".into(), "error getting deleter volume plugin for volume \"pvc-u1\": no deletable volume plugin matched".into())]
    );
    // once Failed, no repeated event
    assert!(
        sync_volume(&out.update_volumes[0], &view(&[], &[], &[], &[]))
            .events
            .is_empty()
    );

    let mut hp = v.clone();
    hp.spec.as_mut().unwrap().host_path = Some(HostPathVolumeSource {
        path: "/mnt/data".into(),
        type_: None,
    });
    assert_eq!(
        reasons(&sync_volume(&hp, &view(&[], &[], &[], &[])))[0].2,
        "host_path deleter only supports /tmp/.+ but received provided /mnt/data"
    );
    hp.spec.as_mut().unwrap().host_path.as_mut().unwrap().path = "/tmp/data".into();
    assert_eq!(
        sync_volume(&hp, &view(&[], &[], &[], &[])).delete_volumes,
        vec!["pvc-u1".to_string()]
    );
}

#[test]
fn dynamically_provisioned_volume_of_a_claim_bound_elsewhere_is_deleted() {
    let (mut v, mut c) = bound_pair("pvc-u1", "data", "u1");
    v.spec.as_mut().unwrap().persistent_volume_reclaim_policy = Some("Delete".into());
    v.metadata
        .annotations
        .as_mut()
        .unwrap()
        .insert(ANN_DYNAMICALLY_PROVISIONED.into(), "ebs.csi.aws.com".into());
    c.spec.as_mut().unwrap().volume_name = Some("static".into());
    let claims = [c];
    let out = sync_volume(&v, &view(&[], &claims, &[], &[]));
    assert_eq!(out.delete_volumes, vec!["pvc-u1".to_string()]);
}

#[test]
fn controller_binding_is_rolled_back_user_prebinding_keeps_its_ref() {
    let (v, mut c) = bound_pair("pv1", "data", "u1");
    c.spec.as_mut().unwrap().volume_name = Some("other".into());
    let claims = [c];
    let out = sync_volume(&v, &view(&[], &claims, &[], &[]));
    assert_eq!(out.decision, Decision::Unbound);
    let rolled = &out.update_volumes[0];
    assert!(rolled.spec.as_ref().unwrap().claim_ref.is_none());
    assert_eq!(ann(&rolled.metadata, ANN_BOUND_BY_CONTROLLER), None);
    assert_eq!(phase_of_volume(rolled), Some("Available"));

    let mut user = v.clone();
    user.metadata.annotations = None;
    let out = sync_volume(&user, &view(&[], &claims, &[], &[]));
    let r = out.update_volumes[0]
        .spec
        .as_ref()
        .unwrap()
        .claim_ref
        .as_ref()
        .unwrap();
    assert_eq!(r.name.as_deref(), Some("data"));
    assert_eq!(r.uid, None);
}

#[test]
fn recycle_scrubs_unless_pods_still_use_it() {
    let (mut v, _) = bound_pair("pv1", "www-web-0", "u1");
    v.spec.as_mut().unwrap().persistent_volume_reclaim_policy = Some("Recycle".into());
    v.spec.as_mut().unwrap().host_path = Some(HostPathVolumeSource {
        path: "/data".into(),
        type_: None,
    });
    let users = [pod("web-0", "www-web-0", Some("n1"))];
    let out = sync_volume(&v, &view(&[], &[], &[], &users));
    assert_eq!(
        reasons(&out)[0],
        (
            EventType::Normal,
            "VolumeFailedRecycle".into(),
            "Volume is used by pods: default/web-0".into()
        )
    );
    assert_eq!(phase_of_volume(&out.update_volumes[0]), Some("Released"));

    let out = sync_volume(&v, &view(&[], &[], &[], &[]));
    assert_eq!(
        reasons(&out)[0],
        (
            EventType::Normal,
            "VolumeRecycled".into(),
            "Volume recycled".into()
        )
    );
    let recycled = &out.update_volumes[0];
    assert_eq!(phase_of_volume(recycled), Some("Available"));
    assert!(recycled.spec.as_ref().unwrap().claim_ref.is_none());

    let mut csi = v.clone();
    csi.spec.as_mut().unwrap().host_path = None;
    let out = sync_volume(&csi, &view(&[], &[], &[], &[]));
    assert_eq!(
        reasons(&out)[0],
        (
            EventType::Warning,
            "VolumeFailedRecycle".into(),
            "No recycler plugin found for the volume!".into()
        )
    );
}

#[test]
fn unknown_reclaim_policy_fails_the_volume() {
    let (mut v, _) = bound_pair("pv1", "data", "u1");
    v.spec.as_mut().unwrap().persistent_volume_reclaim_policy = Some("Shred".into());
    let out = sync_volume(&v, &view(&[], &[], &[], &[]));
    assert_eq!(reasons(&out)[0].1, "VolumeUnknownReclaimPolicy");
    assert_eq!(phase_of_volume(&out.update_volumes[0]), Some("Failed"));
}

/// A miniature engine: applies outcomes one at a time against the current objects, as the
/// real engine is expected to.
#[derive(Default)]
struct World {
    pvs: Vec<PersistentVolume>,
    pvcs: Vec<PersistentVolumeClaim>,
    classes: Vec<StorageClass>,
    pods: Vec<Pod>,
    events: Vec<Event>,
}

impl World {
    fn apply(&mut self, out: Outcome) -> bool {
        let changed = !(out.update_claims.is_empty()
            && out.update_volumes.is_empty()
            && out.create_volumes.is_empty()
            && out.delete_volumes.is_empty());
        for c in out.update_claims {
            if let Some(slot) = self
                .pvcs
                .iter_mut()
                .find(|x| x.metadata.name == c.metadata.name)
            {
                *slot = c;
            }
        }
        for v in out.update_volumes {
            if let Some(slot) = self
                .pvs
                .iter_mut()
                .find(|x| x.metadata.name == v.metadata.name)
            {
                *slot = v;
            }
        }
        self.pvs.extend(out.create_volumes);
        self.pvs.retain(|v| {
            !out.delete_volumes
                .contains(v.metadata.name.as_ref().unwrap())
        });
        self.events.extend(out.events);
        changed
    }

    fn settle(&mut self) {
        for _ in 0..20 {
            let mut changed = false;
            for i in 0..self.pvcs.len() {
                let c = self.pvcs[i].clone();
                let out = sync_claim(
                    &c,
                    &StorageView::new(&self.pvs, &self.pvcs, &self.classes, &self.pods),
                );
                changed |= self.apply(out);
            }
            for i in 0..self.pvs.len() {
                let v = self.pvs[i].clone();
                let out = sync_volume(
                    &v,
                    &StorageView::new(&self.pvs, &self.pvcs, &self.classes, &self.pods),
                );
                changed |= self.apply(out);
            }
            for i in 0..self.pvcs.len() {
                let c = self.pvcs[i].clone();
                let out = external_provision(
                    &c,
                    &StorageView::new(&self.pvs, &self.pvcs, &self.classes, &self.pods),
                );
                changed |= self.apply(out);
            }
            if !changed {
                return;
            }
        }
        panic!("did not settle");
    }
}

#[test]
fn statefulset_claims_on_kind_bind_after_scheduling() {
    let mut w = World::default();
    let mut std_class = class("standard", "rancher.io/local-path", "WaitForFirstConsumer");
    std_class.metadata.annotations = Some(BTreeMap::from([(
        ANN_DEFAULT_CLASS.to_string(),
        "true".to_string(),
    )]));
    w.classes.push(std_class);
    for i in 0..2 {
        let mut c = claim(
            "default",
            &format!("www-web-{i}"),
            &format!("uid-{i}"),
            "1Gi",
            &[RWO],
        );
        c.spec.as_mut().unwrap().storage_class_name = None;
        assert!(admit_default_storage_class(&mut c, &w.classes));
        w.pvcs.push(c);
    }
    w.pods.push(pod("web-0", "www-web-0", None));
    w.settle();
    assert!(w.pvs.is_empty(), "nothing provisioned before scheduling");
    assert!(w.events.iter().any(|e| e.reason == "WaitForPodScheduled"));

    // the scheduler picks a node for web-0 and annotates its claim
    w.pvcs[0] = select_node(&w.pvcs[0], "kind-worker");
    w.pods[0].spec.as_mut().unwrap().node_name = Some("kind-worker".into());
    w.settle();
    assert_eq!(w.pvs.len(), 1);
    let pv = &w.pvs[0];
    assert_eq!(pv.metadata.name.as_deref(), Some("pvc-uid-0"));
    assert_eq!(phase_of_volume(pv), Some("Bound"));
    assert_eq!(
        ann(&pv.metadata, ANN_BOUND_BY_CONTROLLER),
        None,
        "external provisioner pre-binds"
    );
    assert_eq!(
        ann(&pv.metadata, ANN_DYNAMICALLY_PROVISIONED),
        Some("rancher.io/local-path")
    );
    assert!(pv.spec.as_ref().unwrap().node_affinity.is_some());
    let c0 = &w.pvcs[0];
    assert_eq!(phase_of_claim(c0), Some("Bound"));
    assert_eq!(
        c0.spec.as_ref().unwrap().volume_name.as_deref(),
        Some("pvc-uid-0")
    );
    assert_eq!(ann(&c0.metadata, ANN_BOUND_BY_CONTROLLER), Some("yes"));
    assert_eq!(phase_of_claim(&w.pvcs[1]), Some("Pending"));
    let reasons: Vec<&str> = w.events.iter().map(|e| e.reason.as_str()).collect();
    for r in [
        "ExternalProvisioning",
        "Provisioning",
        "ProvisioningSucceeded",
    ] {
        assert!(reasons.contains(&r), "{r} in {reasons:?}");
    }

    // deleting the claim releases and deletes the volume (Delete policy)
    w.pvcs.remove(0);
    w.settle();
    assert!(w.pvs.is_empty());
}

#[test]
fn odd_objects_do_not_panic() {
    let v = PersistentVolume::default();
    let c = PersistentVolumeClaim::default();
    let _ = sync_claim(&c, &view(&[], &[], &[], &[]));
    let _ = sync_volume(&v, &view(&[], &[], &[], &[]));
    let _ = external_provision(&c, &view(&[], &[], &[], &[]));
    let _ = bind(&v, &c);
    let mut weird = v.clone();
    weird.spec = Some(Default::default());
    weird.spec.as_mut().unwrap().claim_ref = Some(Default::default());
    let _ = sync_volume(&weird, &view(&[], &[], &[], &[]));
    assert!(!Decision::InSync.describe().is_empty());
}

#[test]
fn protection_finalizers_wait_for_users() {
    let c = claim("default", "www-web-0", "u1", "1Gi", &[RWO]);
    let running = [pod("web-0", "www-web-0", Some("n1"))];
    assert!(!pvc_protection_allows_removal(
        &c,
        &view(&[], &[], &[], &running)
    ));
    let mut done = running.clone();
    done[0].status.as_mut().unwrap().phase = Some("Succeeded".into());
    assert!(pvc_protection_allows_removal(
        &c,
        &view(&[], &[], &[], &done)
    ));
    let (v, _) = bound_pair("pv1", "data", "u1");
    assert!(!pv_protection_allows_removal(&v));
    assert!(pv_protection_allows_removal(&with_phase(v, "Released")));
}

#[test]
fn pod_volume_classification_uses_scheduler_texts() {
    let p = pod("web-0", "www-web-0", None);
    let v = view(&[], &[], &[], &[]);
    assert_eq!(
        pod_volumes(&p, &v).message().as_deref(),
        Some("persistentvolumeclaim \"www-web-0\" not found")
    );
    let mut c = claim("default", "www-web-0", "u1", "1Gi", &[RWO]);
    c.spec.as_mut().unwrap().storage_class_name = Some("fast".into());
    let classes = [class("fast", "ebs.csi.aws.com", "Immediate")];
    let claims = [c.clone()];
    assert_eq!(
        pod_volumes(&p, &view(&[], &claims, &classes, &[]))
            .message()
            .as_deref(),
        Some("pod has unbound immediate PersistentVolumeClaims")
    );
    let wffc = [class("fast", "ebs.csi.aws.com", "WaitForFirstConsumer")];
    assert_eq!(
        pod_volumes(&p, &view(&[], &claims, &wffc, &[])),
        PodVolumes::DelayBinding {
            claims: vec!["www-web-0".into()]
        }
    );
    let (v1, c1) = bound_pair("pv1", "www-web-0", "u1");
    let claims = [c1];
    assert_eq!(
        pod_volumes(&p, &view(&[], &claims, &[], &[]))
            .message()
            .as_deref(),
        Some("node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)")
    );
    let vols = [v1];
    assert_eq!(
        pod_volumes(&p, &view(&vols, &claims, &[], &[])),
        PodVolumes::Bound
    );
}
