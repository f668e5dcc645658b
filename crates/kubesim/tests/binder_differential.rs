//! The PV binder's histories, fingerprinted for differential checks across engine changes.
//!
//! `storage_mix(seed)` drives a cluster through random storage work: static volumes of mixed
//! sizes, access modes, classes, labels and admin pre-bindings; claims with selectors,
//! requested volume names, WaitForFirstConsumer and provisioned classes; StatefulSets with claim
//! templates scaled up and down; claims and volumes deleted; disks failed and repaired. The
//! fingerprint is one hash per watch entry (`{:?}` of the entry through FNV-1a), so two builds of
//! the engine give the same lines exactly when they write the same history.
//!
//! `HISTORY_DUMP=/path cargo test -p kubesim --test binder_differential -- --ignored` writes the
//! fingerprints (`/path.storage_mix`, `/path.endpoints_mix`); run it in two trees and `diff`
//! the files (see ARCHITECTURE.md).

mod common;

use common::*;
use kubesim::engine::profile::Profile;
use kubesim::engine::rng::SplitMix64;
use kubesim::engine::{Cluster, ClusterConfig, DeleteOptions, Kind};

const SIZES: [&str; 4] = ["500Mi", "1Gi", "2Gi", "5Gi"];
const MODES: [&str; 4] = [
    "[ReadWriteOnce]",
    "[ReadWriteMany]",
    "[ReadWriteOnce, ReadWriteMany]",
    "[ReadOnlyMany]",
];
const CLASSES: [&str; 4] = ["", "manual", "slow", "standard"];

fn storage_setup(seed: u64) -> Cluster {
    let profile = if seed.is_multiple_of(2) {
        Profile::KindLike
    } else {
        Profile::Bare
    };
    let mut c = Cluster::new(ClusterConfig {
        watch_history: usize::MAX,
        profile,
        nodes: 3,
        ..Default::default()
    });
    c.apply_yaml(
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: slow\nprovisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: WaitForFirstConsumer\n",
    )
    .unwrap();
    c.apply_yaml(
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: manual\nprovisioner: kubernetes.io/host-path\n",
    )
    .unwrap();
    c
}

fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn add_volume(c: &mut Cluster, rng: &mut SplitMix64, i: u64) {
    let size = SIZES[rng.below(4) as usize];
    let modes = MODES[rng.below(4) as usize];
    let class = CLASSES[rng.below(4) as usize];
    let tier = ["gold", "silver"][rng.below(2) as usize];
    let prebound = if rng.below(6) == 0 {
        format!(
            "  claimRef:\n    namespace: default\n    name: claim-{}\n",
            rng.below(8)
        )
    } else {
        String::new()
    };
    let policy = ["Retain", "Delete", "Recycle"][rng.below(3) as usize];
    let path = if rng.below(2) == 0 {
        "/tmp/v"
    } else {
        "/data/v"
    };
    let yaml = format!(
        "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: vol-{i:03}\n  labels:\n    tier: {tier}\nspec:\n  capacity:\n    storage: {size}\n  accessModes: {modes}\n  storageClassName: \"{class}\"\n  persistentVolumeReclaimPolicy: {policy}\n{prebound}  hostPath:\n    path: {path}{i}\n"
    );
    let _ = c.apply_yaml(&yaml);
}

fn add_claim(c: &mut Cluster, rng: &mut SplitMix64) {
    let n = rng.below(8);
    let size = SIZES[rng.below(4) as usize];
    let modes = MODES[rng.below(3) as usize];
    let class = match rng.below(5) {
        4 => String::new(),
        k => format!("  storageClassName: \"{}\"\n", CLASSES[k as usize]),
    };
    let selector = if rng.below(4) == 0 {
        "  selector:\n    matchLabels:\n      tier: gold\n".to_string()
    } else {
        String::new()
    };
    let volume = if rng.below(8) == 0 {
        format!("  volumeName: vol-{:03}\n", rng.below(30))
    } else {
        String::new()
    };
    let yaml = format!(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: claim-{n}\nspec:\n  accessModes: {modes}\n{class}{selector}{volume}  resources:\n    requests:\n      storage: {size}\n"
    );
    let _ = c.apply_yaml(&yaml);
}

fn storage_act(c: &mut Cluster, rng: &mut SplitMix64, next_volume: &mut u64) {
    match rng.below(12) {
        0..=2 => {
            add_volume(c, rng, *next_volume);
            *next_volume += 1;
        }
        3 | 4 => add_claim(c, rng),
        5 => {
            let n = rng.below(8);
            let _ = c.delete(
                Kind::PersistentVolumeClaim,
                NS,
                &format!("claim-{n}"),
                DeleteOptions::default(),
            );
        }
        6 => {
            let n = rng.below((*next_volume).max(1));
            let _ = c.delete(
                Kind::PersistentVolume,
                "",
                &format!("vol-{n:03}"),
                DeleteOptions::default(),
            );
        }
        7 => {
            let replicas = rng.below(5) as i32;
            let _ = c.scale(NS, "db", replicas);
        }
        8 => {
            let n = rng.below((*next_volume).max(1));
            let _ = c.fail_volume(&format!("vol-{n:03}"));
        }
        9 => {
            let n = rng.below((*next_volume).max(1));
            let _ = c.set_annotation(
                Kind::PersistentVolume,
                "",
                &format!("vol-{n:03}"),
                kubesim::engine::pv_controller::FAULT_VOLUME_FAILED,
                None,
            );
        }
        10 => {
            let p = format!("db-{}", rng.below(4));
            let _ = c.delete(Kind::Pod, NS, &p, DeleteOptions::default());
        }
        _ => {
            let replicas = rng.below(4) as i32;
            let _ = c.scale(NS, "web", replicas);
        }
    }
}

/// One seeded storage run; the cluster keeps its whole history.
pub fn storage_mix(seed: u64) -> Cluster {
    let mut c = storage_setup(seed);
    let mut rng = SplitMix64::new(seed);
    let mut next_volume = 0u64;
    for _ in 0..8 {
        add_volume(&mut c, &mut rng, next_volume);
        next_volume += 1;
    }
    // `db` claims through the default class (provisioned on kind-like, static on bare);
    // `web` claims from the WaitForFirstConsumer static class.
    create(&mut c, with_claims(ss("db", 2)));
    let mut web = with_claims(ss("web", 1));
    web.spec
        .as_mut()
        .unwrap()
        .volume_claim_templates
        .as_mut()
        .unwrap()[0]
        .spec
        .as_mut()
        .unwrap()
        .storage_class_name = Some("slow".into());
    create(&mut c, web);
    for _ in 0..40 {
        storage_act(&mut c, &mut rng, &mut next_volume);
        c.advance(rng.below(6_000));
    }
    c.advance(120_000);
    c
}

/// One line per watch entry: position, instant, kind, event, key and a hash of the entry.
pub fn fingerprint(c: &Cluster) -> String {
    let mut out = String::new();
    for (i, e) in c.watch_log().iter().enumerate() {
        out.push_str(&format!(
            "{i} @{} {:?} {:?} {}/{} {:016x}\n",
            e.at,
            e.kind,
            e.event,
            e.namespace,
            e.name,
            fnv(&format!("{e:?}"))
        ));
    }
    out
}

#[test]
fn the_storage_mix_binds_claims_and_is_deterministic() {
    for seed in 0..4u64 {
        let a = storage_mix(seed);
        let bound = a
            .store()
            .list::<k8s_openapi::api::core::v1::PersistentVolumeClaim>()
            .filter(|c| c.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound"))
            .count();
        assert!(a.watch_end() > 100, "seed {seed}: too little happened");
        assert!(bound > 0, "seed {seed}: nothing bound");
        assert_eq!(
            fingerprint(&a),
            fingerprint(&storage_mix(seed)),
            "seed {seed}"
        );
    }
}

/// Writes the fingerprints of `run(seed)` for `seeds` to `$HISTORY_DUMP.NAME` (nothing
/// without `HISTORY_DUMP`).
fn dump(name: &str, seeds: std::ops::Range<u64>, run: fn(u64) -> Cluster) {
    let Ok(path) = std::env::var("HISTORY_DUMP") else {
        return;
    };
    let mut out = String::new();
    for seed in seeds {
        out.push_str(&format!("== {name} seed {seed}\n"));
        out.push_str(&fingerprint(&run(seed)));
    }
    std::fs::write(format!("{path}.{name}"), out).unwrap();
}

#[test]
#[ignore = "writes fingerprints for a differential check between two trees"]
fn dump_storage_mix_fingerprints() {
    dump("storage_mix", 0..40, storage_mix);
}

/// A headless Service over two Parallel sets of up to 1,000 pods each: the legacy Endpoints
/// object crosses its 1,000-address cap (truncated, annotated) and back while pods turn
/// unready, are deleted and the sets scale.
pub fn endpoints_mix(seed: u64) -> Cluster {
    let mut c = Cluster::new(ClusterConfig {
        watch_history: usize::MAX,
        nodes: 4,
        ..Default::default()
    });
    c.apply_yaml(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: test\nspec:\n  clusterIP: None\n  selector:\n    tier: web\n  ports:\n  - port: 80\n",
    )
    .unwrap();
    let mut rng = SplitMix64::new(seed);
    for name in ["a", "b"] {
        let mut s = ss(name, 300 + rng.below(600) as i32);
        let spec = s.spec.as_mut().unwrap();
        spec.pod_management_policy = Some("Parallel".into());
        spec.template
            .metadata
            .as_mut()
            .unwrap()
            .labels
            .as_mut()
            .unwrap()
            .insert("tier".into(), "web".into());
        create(&mut c, s);
    }
    c.advance(20_000);
    for _ in 0..12 {
        let set = ["a", "b"][rng.below(2) as usize];
        match rng.below(4) {
            0 => {
                let _ = c.scale(NS, set, 200 + rng.below(800) as i32);
            }
            1 => {
                for _ in 0..rng.below(20) {
                    let p = format!("{set}-{}", rng.below(300));
                    let _ = c.set_annotation(Kind::Pod, NS, &p, UNREADY, Some("true"));
                }
            }
            2 => {
                for _ in 0..rng.below(20) {
                    let p = format!("{set}-{}", rng.below(300));
                    let _ = c.set_annotation(Kind::Pod, NS, &p, UNREADY, None);
                }
            }
            _ => {
                for _ in 0..rng.below(10) {
                    let p = format!("{set}-{}", rng.below(600));
                    let _ = c.delete(Kind::Pod, NS, &p, DeleteOptions::default());
                }
            }
        }
        c.advance(rng.below(8_000));
    }
    c.advance(60_000);
    c
}

#[test]
#[ignore = "writes fingerprints for a differential check between two trees"]
fn dump_endpoints_mix_fingerprints() {
    dump("endpoints_mix", 0..6, endpoints_mix);
}
