//! Ports of `pkg/controller/volume/persistentvolume/index_test.go`.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{
    Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PersistentVolume,
    VolumeNodeAffinity,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    LabelSelector, LabelSelectorRequirement, ObjectMeta, Time,
};

use super::matching::*;
use super::test_support::*;

fn affinity(mut v: PersistentVolume, key: &str, value: &str) -> PersistentVolume {
    v.spec.as_mut().unwrap().node_affinity = Some(VolumeNodeAffinity {
        required: Some(NodeSelector {
            node_selector_terms: vec![NodeSelectorTerm {
                match_expressions: Some(vec![NodeSelectorRequirement {
                    key: key.into(),
                    operator: "In".into(),
                    values: Some(vec![value.into()]),
                }]),
                match_fields: None,
            }],
        }),
    });
    v
}

/// `createTestVolumes`, deliberately out of order.
fn test_volumes() -> Vec<PersistentVolume> {
    let rwo_rox = [RWO, ROX];
    let all = [RWO, ROX, RWX];
    vec![
        pv("gce003", "gce-pd-10", "10G", &rwo_rox),
        with_phase(
            with_claim_ref(pv("gce004", "gce-pd-20", "20G", &rwo_rox), "", "", "def456"),
            "Bound",
        ),
        pv("nfs002", "nfs-5", "5G", &all),
        with_phase(
            with_claim_ref(pv("gce001", "gce-pd-1", "1G", &rwo_rox), "", "", "abc123"),
            "Bound",
        ),
        pv("nfs003", "nfs-10", "10G", &all),
        pv("gce002", "gce-pd-5", "5G", &rwo_rox),
        pv("nfs001", "nfs-1", "1G", &all),
        with_labels(
            pv("gce0022", "gce-pd-2", "20000G", &[RWO]),
            &[("should-exist", "true")],
        ),
        with_class(
            with_labels(
                pv("gce0023", "gce-pd-silver1", "10000G", &[RWO]),
                &[("should-exist", "true")],
            ),
            "silver",
        ),
        with_class(pv("gce0024", "gce-pd-silver2", "100G", &[RWO]), "silver"),
        with_class(pv("gce0025", "gce-pd-gold", "50G", &[RWO]), "gold"),
        with_class(pv("local001", "local-pd-very-large", "200E", &all), "large"),
        with_class(
            pv("local002", "local-pd-extremely-large", "800E", &all),
            "large",
        ),
        affinity(
            with_class(pv("affinity001", "affinity-pv", "100G", &rwo_rox), "wait"),
            "key1",
            "value1",
        ),
        affinity(
            with_class(pv("affinity002", "affinity-pv2", "150G", &rwo_rox), "wait"),
            "key1",
            "value1",
        ),
        affinity(
            with_claim_ref(
                with_class(
                    pv("affinity003", "affinity-prebound", "100G", &rwo_rox),
                    "wait",
                ),
                "myns",
                "claim02",
                "",
            ),
            "key1",
            "value1",
        ),
        affinity(
            with_class(pv("affinity003", "affinity-pv3", "200G", &rwo_rox), "wait"),
            "key1",
            "value3",
        ),
        affinity(
            with_phase(
                with_class(
                    pv(
                        "affinity004-pending",
                        "affinity-pv4-pending",
                        "200G",
                        &rwo_rox,
                    ),
                    "wait",
                ),
                "Pending",
            ),
            "key1",
            "value4",
        ),
        affinity(
            with_phase(
                with_class(
                    pv(
                        "affinity004-failed",
                        "affinity-pv4-failed",
                        "200G",
                        &rwo_rox,
                    ),
                    "wait",
                ),
                "Failed",
            ),
            "key1",
            "value4",
        ),
        affinity(
            with_phase(
                with_class(
                    pv(
                        "affinity004-released",
                        "affinity-pv4-released",
                        "200G",
                        &rwo_rox,
                    ),
                    "wait",
                ),
                "Released",
            ),
            "key1",
            "value4",
        ),
        affinity(
            with_phase(
                with_class(
                    pv("affinity004-empty", "affinity-pv4-empty", "200G", &rwo_rox),
                    "wait",
                ),
                "",
            ),
            "key1",
            "value4",
        ),
    ]
}

fn uid(v: Option<&PersistentVolume>) -> Option<&str> {
    v.and_then(|v| v.metadata.uid.as_deref())
}

fn selector(labels: &[(&str, &str)]) -> Option<LabelSelector> {
    Some(LabelSelector {
        match_labels: Some(
            labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
        match_expressions: None,
    })
}

#[test]
fn match_volume_scenarios_from_upstream() {
    let vols = test_volumes();
    type Modify = fn(&mut k8s_openapi::api::core::v1::PersistentVolumeClaimSpec);
    let cases: Vec<(&str, Option<&str>, &str, Modify)> = vec![
        ("successful-match-gce-10", Some("gce-pd-10"), "8G", |_| {}),
        ("successful-match-nfs-5", Some("nfs-5"), "5G", |s| {
            s.access_modes = modes(&[ROX, RWO, RWX])
        }),
        (
            "successful-skip-1g-bound-volume",
            Some("gce-pd-5"),
            "1G",
            |_| {},
        ),
        ("successful-no-match", None, "999G", |_| {}),
        ("successful-no-match-due-to-label", None, "999G", |s| {
            s.selector = selector(&[("should-not-exist", "true")])
        }),
        (
            "successful-no-match-due-to-size-constraint-with-label-selector",
            None,
            "20000G",
            |s| {
                s.selector = selector(&[("should-exist", "true")]);
                s.access_modes = modes(&[ROX, RWO]);
            },
        ),
        (
            "successful-match-due-with-constraint-and-label-selector",
            Some("gce-pd-2"),
            "20000G",
            |s| {
                s.selector = selector(&[("should-exist", "true")]);
                s.access_modes = modes(&[RWO]);
            },
        ),
        (
            "successful-match-with-class",
            Some("gce-pd-silver1"),
            "1G",
            |s| {
                s.selector = selector(&[("should-exist", "true")]);
                s.access_modes = modes(&[RWO]);
                s.storage_class_name = Some("silver".into());
            },
        ),
        (
            "successful-match-with-class-and-labels",
            Some("gce-pd-silver2"),
            "1G",
            |s| {
                s.access_modes = modes(&[RWO]);
                s.storage_class_name = Some("silver".into());
            },
        ),
        (
            "successful-match-very-large",
            Some("local-pd-very-large"),
            "1E",
            |s| {
                s.access_modes = modes(&[RWO]);
                s.storage_class_name = Some("large".into());
            },
        ),
        (
            "successful-match-exact-extremely-large",
            Some("local-pd-extremely-large"),
            "800E",
            |s| {
                s.access_modes = modes(&[RWO]);
                s.storage_class_name = Some("large".into());
            },
        ),
        ("successful-no-match-way-too-large", None, "950E", |s| {
            s.access_modes = modes(&[RWO]);
            s.storage_class_name = Some("large".into());
        }),
    ];
    for (name, expected, size, modify) in cases {
        let mut claim = pvc(size);
        modify(claim.spec.as_mut().unwrap());
        let got = find_best_match_for_claim(&vols, &claim, false);
        assert_eq!(uid(got), expected, "scenario {name}");
    }
}

#[test]
fn a_volume_bound_to_another_claim_is_skipped() {
    let vols = vec![
        with_phase(
            with_claim_ref(
                pv("gce001", "gce-pd-1", "1G", &[RWO, ROX]),
                "",
                "",
                "abc123",
            ),
            "Bound",
        ),
        pv("gce002", "gce-pd-2", "1G", &[RWO, ROX]),
    ];
    let got = find_best_match_for_claim(&vols, &pvc("1G"), false);
    assert_eq!(got.and_then(|v| v.metadata.name.as_deref()), Some("gce002"));
}

#[test]
fn access_mode_groups_that_contain_the_request_fewest_modes_first() {
    let vols = test_volumes();
    let rwo = possible_access_mode_groups(&vols, &[RWO.to_string()]);
    assert_eq!(rwo.len(), 3);
    assert_eq!(rwo[0], vec![RWO.to_string()]);
    assert!(rwo.iter().all(|g| g.contains(&RWO.to_string())));
    let rwx = possible_access_mode_groups(&vols, &[RWX.to_string()]);
    assert_eq!(rwx.len(), 1);
    assert!(rwx[0].contains(&RWX.to_string()));
}

#[test]
fn exact_access_mode_set_beats_a_smaller_volume_with_extra_modes() {
    let gce = pv("gce", "001", "10G", &[RWO, ROX]);
    let ebs = pv("ebs", "002", "10G", &[RWO]);
    let nfs = pv("nfs", "003", "10G", &[RWO, ROX, RWX]);
    let name = |v: Option<&PersistentVolume>| v.and_then(|v| v.metadata.name.clone());
    let mut claim = pvc("1G");
    let mut vols = vec![gce.clone(), ebs.clone(), nfs.clone()];

    claim.spec.as_mut().unwrap().access_modes = modes(&[RWO]);
    assert_eq!(
        name(find_best_match_for_claim(&vols, &claim, false)).as_deref(),
        Some("ebs")
    );
    claim.spec.as_mut().unwrap().access_modes = modes(&[RWO, ROX]);
    assert_eq!(
        name(find_best_match_for_claim(&vols, &claim, false)).as_deref(),
        Some("gce")
    );
    // order of requested modes does not matter
    claim.spec.as_mut().unwrap().access_modes = modes(&[RWX, RWO, ROX]);
    assert_eq!(
        name(find_best_match_for_claim(&vols, &claim, false)).as_deref(),
        Some("nfs")
    );
    // fewer modes requested still match
    claim.spec.as_mut().unwrap().access_modes = modes(&[RWX]);
    assert_eq!(
        name(find_best_match_for_claim(&vols, &claim, false)).as_deref(),
        Some("nfs")
    );
    // the exact match is bound: next level up
    vols[1] = with_claim_ref(ebs.clone(), "", "", "");
    claim.spec.as_mut().unwrap().access_modes = modes(&[RWO]);
    assert_eq!(
        name(find_best_match_for_claim(&vols, &claim, false)).as_deref(),
        Some("gce")
    );
    // and the next
    vols[0] = with_claim_ref(gce.clone(), "", "", "");
    assert_eq!(
        name(find_best_match_for_claim(&vols, &claim, false)).as_deref(),
        Some("nfs")
    );
    // partial mode request
    vols[0] = gce;
    claim.spec.as_mut().unwrap().access_modes = modes(&[ROX]);
    assert_eq!(
        name(find_best_match_for_claim(&vols, &claim, false)).as_deref(),
        Some("gce")
    );

    // and the folklore case: RWO-only 10Gi beats RWO+RWX 5Gi
    let big_exact = pv("big", "b", "10Gi", &[RWO]);
    let small_extra = pv("small", "s", "5Gi", &[RWO, RWX]);
    let mut c = pvc("1Gi");
    c.spec.as_mut().unwrap().access_modes = modes(&[RWO]);
    let vols = [small_extra, big_exact];
    assert_eq!(
        name(find_best_match_for_claim(&vols, &c, false)).as_deref(),
        Some("big")
    );
}

#[test]
fn volume_mode_nil_means_filesystem_and_must_match() {
    let cases = [
        (Some("Block"), Some("Filesystem"), false),
        (Some("Filesystem"), Some("Block"), false),
        (Some("Block"), Some("Block"), true),
        (Some("Filesystem"), Some("Filesystem"), true),
        (Some("Filesystem"), None, true),
        (None, Some("Filesystem"), true),
        (None, None, true),
        (None, Some("Block"), false),
        (Some("Block"), None, false),
    ];
    for (claim_mode, pv_mode, matches) in cases {
        let mut v = pv("block", "local-1", "10G", &[RWO]);
        v.spec.as_mut().unwrap().volume_mode = pv_mode.map(String::from);
        let mut c = pvc("8G");
        c.spec.as_mut().unwrap().access_modes = modes(&[RWO]);
        c.spec.as_mut().unwrap().volume_mode = claim_mode.map(String::from);
        assert_eq!(
            volume_mode_mismatch(&v, &c),
            !matches,
            "{claim_mode:?} vs {pv_mode:?}"
        );
        let vols = [v];
        assert_eq!(
            find_best_match_for_claim(&vols, &c, false).is_some(),
            matches,
            "{claim_mode:?} vs {pv_mode:?}"
        );
    }
}

#[test]
fn a_volume_being_deleted_is_not_matched() {
    let mut v = pv("pv1", "pv1", "1G", &[RWO]);
    let mut c = pvc("1G");
    c.spec.as_mut().unwrap().access_modes = modes(&[RWO]);
    assert!(find_best_match_for_claim([&v], &c, false).is_some());
    v.metadata.deletion_timestamp = Some(Time(Default::default()));
    assert!(find_best_match_for_claim([&v], &c, false).is_none());
}

#[test]
fn prebound_volumes_win_regardless_of_size_ordering() {
    let mut claim = pvc("1Gi");
    claim.spec.as_mut().unwrap().access_modes = modes(&[RWO]);
    let pv1 = pv("pv1", "", "1Gi", &[RWO]);
    let pv5 = pv("pv5", "", "5Gi", &[RWO]);
    let pv8 = pv("pv8", "", "8Gi", &[RWO]);
    let bad_size = pv("pvBadSize", "", "1Mi", &[RWO]);
    let bad_mode = pv("pvBadMode", "", "1Gi", &[ROX]);
    let pick = |vols: &[PersistentVolume]| {
        find_best_match_for_claim(vols, &claim, false).and_then(|v| v.metadata.name.clone())
    };
    let all = |a: &PersistentVolume,
               b: &PersistentVolume,
               c: &PersistentVolume,
               d: &PersistentVolume,
               e: &PersistentVolume| {
        vec![a.clone(), b.clone(), c.clone(), d.clone(), e.clone()]
    };
    // exact match on size
    assert_eq!(
        pick(&all(&pv1, &pv5, &pv8, &bad_size, &bad_mode)).as_deref(),
        Some("pv1")
    );
    // the exact match is pre-bound elsewhere: next size up
    let pv1_other = with_claim_ref(pv1.clone(), "bar", "foo", "");
    assert_eq!(
        pick(&all(&pv1_other, &pv5, &pv8, &bad_size, &bad_mode)).as_deref(),
        Some("pv5")
    );
    // the largest volume is pre-bound to the claim
    let pv8_mine = with_claim_ref(pv8.clone(), "myns", "claim01", "");
    assert_eq!(
        pick(&all(&pv1, &pv5, &pv8_mine, &bad_size, &bad_mode)).as_deref(),
        Some("pv8")
    );
    // a too-small volume pre-bound to the claim is not taken
    let small_mine = with_claim_ref(bad_size.clone(), "myns", "claim01", "");
    assert_eq!(
        pick(&all(&pv1, &pv5, &pv8, &small_mine, &bad_mode)).as_deref(),
        Some("pv1")
    );
    // a wrong-mode volume pre-bound to the claim is not in a searched group
    let mode_mine = with_claim_ref(bad_mode.clone(), "myns", "claim01", "");
    assert_eq!(
        pick(&all(&pv1, &pv5, &pv8, &bad_size, &mode_mine)).as_deref(),
        Some("pv1")
    );
}

#[test]
fn prebound_volume_ignores_class_selector_and_phase() {
    let mut claim = pvc("1Gi");
    claim.spec.as_mut().unwrap().selector = selector(&[("tier", "gold")]);
    claim.spec.as_mut().unwrap().storage_class_name = Some("fast".into());
    let v = with_phase(
        with_class(
            with_claim_ref(pv("mine", "", "5Gi", &[RWO, ROX]), "myns", "claim01", ""),
            "slow",
        ),
        "Released",
    );
    let vols = [v];
    assert!(find_best_match_for_claim(&vols, &claim, false).is_some());
    // ... and it is still returned with delayed binding
    assert!(find_best_match_for_claim(&vols, &claim, true).is_some());
}

#[test]
fn delayed_binding_skips_unbound_volumes() {
    let vols = test_volumes();
    assert!(find_best_match_for_claim(&vols, &pvc("8G"), true).is_none());
}

#[test]
fn empty_class_matches_only_classless_volumes() {
    let mut claim = pvc("1Gi");
    claim.spec.as_mut().unwrap().access_modes = modes(&[RWO]);
    claim.spec.as_mut().unwrap().storage_class_name = Some(String::new());
    let classy = with_class(pv("a-classy", "", "1Gi", &[RWO]), "standard");
    let plain = pv("b-plain", "", "2Gi", &[RWO]);
    let vols = [classy.clone(), plain];
    let got = find_best_match_for_claim(&vols, &claim, false);
    assert_eq!(
        got.and_then(|v| v.metadata.name.as_deref()),
        Some("b-plain")
    );
    claim.spec.as_mut().unwrap().storage_class_name = Some("standard".into());
    let got = find_best_match_for_claim(&vols, &claim, false);
    assert_eq!(
        got.and_then(|v| v.metadata.name.as_deref()),
        Some("a-classy")
    );
}

#[test]
fn selector_match_expressions_are_honoured() {
    let mut claim = pvc("1Gi");
    claim.spec.as_mut().unwrap().access_modes = modes(&[RWO]);
    claim.spec.as_mut().unwrap().selector = Some(LabelSelector {
        match_labels: None,
        match_expressions: Some(vec![
            LabelSelectorRequirement {
                key: "disk".into(),
                operator: "In".into(),
                values: Some(vec!["ssd".into(), "nvme".into()]),
            },
            LabelSelectorRequirement {
                key: "broken".into(),
                operator: "DoesNotExist".into(),
                values: None,
            },
        ]),
    });
    let hdd = with_labels(pv("a", "", "1Gi", &[RWO]), &[("disk", "hdd")]);
    let broken = with_labels(
        pv("b", "", "1Gi", &[RWO]),
        &[("disk", "ssd"), ("broken", "yes")],
    );
    let good = with_labels(pv("c", "", "9Gi", &[RWO]), &[("disk", "nvme")]);
    let vols = [hdd, broken, good];
    let got = find_best_match_for_claim(&vols, &claim, false);
    assert_eq!(got.and_then(|v| v.metadata.name.as_deref()), Some("c"));
}

#[test]
fn equal_sizes_tie_break_by_name() {
    let mut claim = pvc("1Gi");
    claim.spec.as_mut().unwrap().access_modes = modes(&[RWO]);
    let vols = [
        pv("pv-c", "", "1Gi", &[RWO]),
        pv("pv-a", "", "1024Mi", &[RWO]),
        pv("pv-b", "", "1Gi", &[RWO]),
    ];
    let got = find_best_match_for_claim(&vols, &claim, false);
    assert_eq!(got.and_then(|v| v.metadata.name.as_deref()), Some("pv-a"));
    assert!(TIE_BREAK_RULE.contains("name"));
}

#[test]
fn smallest_sufficient_volume_wins_across_units() {
    let mut claim = pvc("1Gi");
    claim.spec.as_mut().unwrap().access_modes = modes(&[RWO]);
    let vols = [
        pv("a", "", "1G", &[RWO]), // 1e9 < 1Gi: too small
        pv("b", "", "2Gi", &[RWO]),
        pv("c", "", "1100Mi", &[RWO]),
    ];
    let got = find_best_match_for_claim(&vols, &claim, false);
    assert_eq!(got.and_then(|v| v.metadata.name.as_deref()), Some("c"));
}

#[test]
fn volume_attributes_class_must_match() {
    let mut claim = pvc("1Gi");
    claim.spec.as_mut().unwrap().access_modes = modes(&[RWO]);
    let mut v = pv("a", "", "1Gi", &[RWO]);
    v.spec.as_mut().unwrap().volume_attributes_class_name = Some("gold".into());
    let vols = [v];
    assert!(find_best_match_for_claim(&vols, &claim, false).is_none());
    claim.spec.as_mut().unwrap().volume_attributes_class_name = Some("gold".into());
    assert!(find_best_match_for_claim(&vols, &claim, false).is_some());
}

fn node(labels: &[(&str, &str)]) -> Node {
    Node {
        metadata: ObjectMeta {
            name: Some("node1".into()),
            labels: Some(
                labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            ),
            ..Default::default()
        },
        ..Default::default()
    }
}

#[test]
fn scheduler_path_checks_node_affinity() {
    let vols = test_volumes();
    let none = BTreeSet::new();
    let mut claim = pvc("1G");
    claim.spec.as_mut().unwrap().storage_class_name = Some("wait".into());
    let pick =
        |n: &Node, c: &k8s_openapi::api::core::v1::PersistentVolumeClaim, ex: &BTreeSet<String>| {
            uid(find_matching_volume(c, &vols, Some(n), ex, true)).map(String::from)
        };
    assert_eq!(
        pick(&node(&[("key1", "value1")]), &claim, &none).as_deref(),
        Some("affinity-pv")
    );
    assert_eq!(
        pick(&node(&[("key1", "value3")]), &claim, &none).as_deref(),
        Some("affinity-pv3")
    );
    assert_eq!(
        pick(&node(&[("key1", "value4")]), &claim, &none),
        None,
        "only non-Available volumes"
    );
    assert_eq!(pick(&node(&[("key2", "value1")]), &claim, &none), None);
    let excluded = BTreeSet::from(["affinity001".to_string()]);
    assert_eq!(
        pick(&node(&[("key1", "value1")]), &claim, &excluded).as_deref(),
        Some("affinity-pv2")
    );
    // pre-bound claim02: its volume on a matching node, nothing on another node
    claim.metadata.name = Some("claim02".into());
    assert_eq!(
        pick(&node(&[("key1", "value1")]), &claim, &none).as_deref(),
        Some("affinity-prebound")
    );
    assert_eq!(pick(&node(&[("key1", "value3")]), &claim, &none), None);
    // scheduler path checks access modes
    let mut rwx = pvc("1G");
    rwx.spec.as_mut().unwrap().storage_class_name = Some("wait".into());
    rwx.spec.as_mut().unwrap().access_modes = modes(&[RWX]);
    assert_eq!(pick(&node(&[("key1", "value1")]), &rwx, &none), None);
}

#[test]
fn odd_objects_do_not_panic() {
    let bare = PersistentVolume::default();
    let claim = k8s_openapi::api::core::v1::PersistentVolumeClaim::default();
    let vols = [bare];
    // no modes requested, no size: the spec-less volume has no capacity (0) and no phase
    assert!(find_best_match_for_claim(&vols, &claim, false).is_none());
    let mut garbage = pv("g", "", "lots", &[RWO]);
    garbage.spec.as_mut().unwrap().storage_class_name = None;
    let vols = [garbage];
    assert!(
        find_best_match_for_claim(&vols, &claim, false).is_some(),
        "unparsable capacity counts as 0, request is 0"
    );
}
