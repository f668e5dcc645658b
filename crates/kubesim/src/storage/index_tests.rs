//! The volume index answers exactly what the reference scans answer
//! ([`find_best_match_for_claim`], [`find_matching_volume`]) on random pools, and a lookup
//! looks at few volumes however many there are.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{
    Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PersistentVolume,
    VolumeNodeAffinity,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, Time};

use super::index::VolumeIndex;
use super::matching::{find_best_match_for_claim, find_matching_volume};
use super::test_support::*;
use crate::engine::rng::SplitMix64;

const SIZES: [&str; 5] = ["500Mi", "1Gi", "1024Mi", "2Gi", "5Gi"];
const MODE_SETS: [&[&str]; 6] = [
    &[RWO],
    &[RWX],
    &[ROX],
    &[RWO, RWX],
    &[RWX, RWO],
    &[RWO, ROX, RWX],
];
const CLASSES: [&str; 3] = ["", "fast", "slow"];

fn pick<T: Copy>(rng: &mut SplitMix64, xs: &[T]) -> T {
    xs[rng.below(xs.len() as u64) as usize]
}

fn random_volume(rng: &mut SplitMix64, i: usize) -> PersistentVolume {
    let mut v = pv(
        &format!("pv-{:02}", rng.below(40)),
        &format!("uid-pv-{i}"),
        pick(rng, &SIZES),
        pick(rng, &MODE_SETS),
    );
    v = with_class(v, pick(rng, &CLASSES));
    if rng.below(3) == 0 {
        v = with_labels(v, &[("tier", pick(rng, &["gold", "silver"]))]);
    }
    match rng.below(8) {
        0 => v = with_claim_ref(v, "ns", &format!("c{}", rng.below(4)), ""),
        1 => v = with_claim_ref(v, "ns", &format!("c{}", rng.below(4)), "uid-c1"),
        2 => v = with_claim_ref(v, "other", "c0", "uid-x"),
        _ => {}
    }
    match rng.below(8) {
        0 => v = with_phase(v, "Released"),
        1 => v = with_phase(v, ""),
        2 => v.metadata.deletion_timestamp = Some(Time(Default::default())),
        3 => v.spec.as_mut().unwrap().volume_mode = Some("Block".into()),
        4 => {
            v.spec.as_mut().unwrap().node_affinity = Some(VolumeNodeAffinity {
                required: Some(NodeSelector {
                    node_selector_terms: vec![NodeSelectorTerm {
                        match_expressions: Some(vec![NodeSelectorRequirement {
                            key: "kubernetes.io/hostname".into(),
                            operator: "In".into(),
                            values: Some(vec![pick(rng, &["node-1", "node-2"]).into()]),
                        }]),
                        match_fields: None,
                    }],
                }),
            })
        }
        _ => {}
    }
    v
}

fn node(name: &str) -> Node {
    let mut n = Node::default();
    n.metadata.name = Some(name.into());
    n.metadata.labels = Some(BTreeMap::from([(
        "kubernetes.io/hostname".to_string(),
        name.to_string(),
    )]));
    n
}

#[test]
fn the_index_chooses_what_the_scans_choose_on_random_pools() {
    let mut compared = 0;
    let (mut best_found, mut node_found) = (0, 0);
    for seed in 0..300u64 {
        let mut rng = SplitMix64::new(seed);
        // A pool by name (a later volume of the same name replaces the earlier one, as the
        // store does), indexed through the same writes.
        let mut pool: BTreeMap<String, PersistentVolume> = BTreeMap::new();
        let mut index = VolumeIndex::default();
        for i in 0..rng.below(30) as usize {
            let v = random_volume(&mut rng, i);
            let name = v.metadata.name.clone().unwrap();
            let old = pool.insert(name.clone(), v);
            index.replace(old.as_ref(), pool.get(&name));
            if rng.below(10) == 0 {
                let old = pool.remove(&name);
                index.replace(old.as_ref(), None);
            }
        }
        for j in 0..8 {
            let mut c = claim(
                "ns",
                &format!("c{}", rng.below(4)),
                pick(&mut rng, &["uid-c1", "uid-c2"]),
                pick(&mut rng, &SIZES),
                pick(&mut rng, &[&[RWO][..], &[RWX], &[RWO, RWX], &[ROX], &[]]),
            );
            let spec = c.spec.as_mut().unwrap();
            spec.storage_class_name = Some(pick(&mut rng, &CLASSES).into());
            if rng.below(4) == 0 {
                spec.selector = Some(LabelSelector {
                    match_labels: Some(BTreeMap::from([("tier".into(), "gold".into())])),
                    ..Default::default()
                });
            }
            if rng.below(6) == 0 {
                spec.volume_mode = Some("Block".into());
            }
            let delay = j % 3 == 0;
            let get = |n: &str| pool.get(n);
            let want = find_best_match_for_claim(pool.values(), &c, delay);
            let got = index.find_best_match(&c, delay, get);
            best_found += usize::from(want.is_some());
            assert_eq!(
                got.and_then(|v| v.metadata.name.clone()),
                want.and_then(|v| v.metadata.name.clone()),
                "seed {seed} claim {j}: best match"
            );
            let n = node(pick(&mut rng, &["node-1", "node-2"]));
            let excluded: BTreeSet<String> = (0..rng.below(3))
                .map(|_| format!("pv-{:02}", rng.below(40)))
                .collect();
            let want = find_matching_volume(&c, pool.values(), Some(&n), &excluded, false);
            let got = index.find_matching_for_node(&c, &n, &excluded, get);
            node_found += usize::from(want.is_some());
            assert_eq!(
                got.and_then(|v| v.metadata.name.clone()),
                want.and_then(|v| v.metadata.name.clone()),
                "seed {seed} claim {j}: scheduler match"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 2400);
    // Both answers were tried often: a volume was found for many claims, not for others.
    assert!(best_found > 400 && best_found < 2000, "{best_found}");
    assert!(node_found > 400 && node_found < 2000, "{node_found}");
}

#[test]
fn a_lookup_among_ten_thousand_free_volumes_looks_at_one() {
    let mut index = VolumeIndex::default();
    let mut pool: BTreeMap<String, PersistentVolume> = BTreeMap::new();
    for i in 0..10_000 {
        let v = pv(&format!("pv-{i:05}"), &format!("u{i}"), "1Gi", &[RWO]);
        index.replace(None, Some(&v));
        pool.insert(format!("pv-{i:05}"), v);
    }
    let c = claim("ns", "c", "uid-c", "1Gi", &[RWO]);
    let before = index.examined();
    let got = index.find_best_match(&c, false, |n| pool.get(n));
    assert_eq!(
        got.and_then(|v| v.metadata.name.as_deref()),
        Some("pv-00000")
    );
    assert_eq!(index.examined() - before, 1);
}
