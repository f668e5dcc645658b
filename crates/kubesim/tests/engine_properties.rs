//! Property tests: random action sequences (seeded SplitMix64) with the upstream controller
//! invariants checked after every simulated event, plus determinism.

mod common;

use common::*;
use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::Pod;
use kubesim::engine::rng::SplitMix64;
use kubesim::engine::statefulset::{
    is_running_and_ready, is_terminating, ordinal_of, start_ordinal,
};
use kubesim::engine::{AnyObject, Cluster, ClusterConfig, DeleteOptions, Kind, WatchEventType};

const SETS: [&str; 2] = ["ordered", "burst"];

/// A cluster that keeps its whole watch history (these tests compare histories).
fn keeping_history(watch_history: usize) -> Cluster {
    Cluster::new(ClusterConfig {
        watch_history,
        ..Default::default()
    })
}

fn setup() -> Cluster {
    let mut c = keeping_history(usize::MAX);
    create(&mut c, ss("ordered", 2));
    let mut b = ss("burst", 2);
    b.spec.as_mut().unwrap().pod_management_policy = Some("Parallel".into());
    create(&mut c, b);
    c
}

fn random_pod(c: &Cluster, rng: &mut SplitMix64) -> Option<String> {
    let pods: Vec<String> = c
        .store()
        .list::<Pod>()
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    if pods.is_empty() {
        return None;
    }
    Some(pods[rng.below(pods.len() as u64) as usize].clone())
}

/// Applies one random user action.
fn act(c: &mut Cluster, rng: &mut SplitMix64) {
    let set = SETS[rng.below(2) as usize];
    match rng.below(10) {
        0 | 1 => c.scale(NS, set, rng.below(5) as i32).unwrap(),
        2 => {
            if let Some(p) = random_pod(c, rng) {
                let force = rng.below(4) == 0;
                let opts = DeleteOptions {
                    force,
                    grace_period: force.then_some(0),
                    ..Default::default()
                };
                let _ = c.delete(Kind::Pod, NS, &p, opts);
            }
        }
        3 => {
            if let Some(p) = random_pod(c, rng) {
                let v = if rng.below(2) == 0 {
                    Some("true")
                } else {
                    None
                };
                let _ = c.set_annotation(Kind::Pod, NS, &p, UNREADY, v);
            }
        }
        4 => {
            if let Some(p) = random_pod(c, rng) {
                let _ = c.set_annotation(Kind::Pod, NS, &p, FAIL, Some("true"));
            }
        }
        5 => {
            let image = format!(
                "registry.k8s.io/e2e-test-images/httpd:2.4.{}",
                38 + rng.below(3)
            );
            set_image(c, set, &image);
        }
        6 => {
            let part = rng.below(4) as i32;
            update(c, set, |s| {
                let us = s.spec.as_mut().unwrap().update_strategy.as_mut().unwrap();
                if us.type_.as_deref() == Some("RollingUpdate") {
                    us.rolling_update
                        .get_or_insert_with(Default::default)
                        .partition = Some(part);
                }
            });
        }
        7 => {
            let node = format!("node-{}", 1 + rng.below(3));
            if rng.below(2) == 0 {
                c.node_down(&node).unwrap();
            } else {
                c.node_up(&node).unwrap();
            }
        }
        _ => {}
    }
}

/// Upstream invariants, checked against the store after every event.
fn check_invariants(c: &Cluster, watch_from: usize) {
    for name in SETS {
        let Some(set) = c.store().get::<StatefulSet>(NS, name) else {
            continue;
        };
        let uid = set.metadata.uid.clone().unwrap();
        let spec = set.spec.clone().unwrap();
        let owned: Vec<_> = pods(c, name)
            .into_iter()
            .filter(|p| {
                p.metadata
                    .owner_references
                    .iter()
                    .flatten()
                    .any(|o| o.uid == uid)
            })
            .collect();
        // Identity labels and a live revision for every pod.
        let mut seen = std::collections::BTreeSet::new();
        for p in &owned {
            let pname = p.metadata.name.clone().unwrap();
            let ord = ordinal_of(p).unwrap();
            assert!(seen.insert(ord), "two pods for ordinal {ord}");
            let l = p.metadata.labels.clone().unwrap();
            assert_eq!(l["statefulset.kubernetes.io/pod-name"], pname);
            assert_eq!(l["apps.kubernetes.io/pod-index"], ord.to_string());
            let rev = &l["controller-revision-hash"];
            assert!(
                c.store().get::<ControllerRevision>(NS, rev).is_some(),
                "{pname}: revision {rev} of a live pod was deleted"
            );
            assert_eq!(
                p.spec.as_ref().unwrap().hostname.as_deref(),
                Some(pname.as_str())
            );
            // PodObservedGenerationTracking (GA in v1.35): generation 1 on create, one more
            // for the first deletion (apiserver rest/delete.go BeforeDelete); the kubelet
            // reports a generation the pod has had, never a future one.
            let generation = p.metadata.generation.unwrap_or(0);
            let deleting = p.metadata.deletion_timestamp.is_some();
            assert_eq!(
                generation,
                if deleting { 2 } else { 1 },
                "{pname}: generation"
            );
            let status = p.status.as_ref();
            let observed = status.and_then(|s| s.observed_generation).unwrap_or(0);
            assert!(observed <= generation, "{pname}: observedGeneration ahead");
            for cond in status
                .and_then(|s| s.conditions.as_ref())
                .into_iter()
                .flatten()
            {
                assert!(cond.observed_generation.unwrap_or(0) <= generation);
            }
        }
        // Status counts are consistent.
        if let Some(st) = &set.status {
            let ready = st.ready_replicas.unwrap_or(0);
            assert!(ready <= st.replicas);
            assert!(st.available_replicas.unwrap_or(0) <= ready);
            assert!(st.current_replicas.unwrap_or(0) <= st.replicas);
            assert!(st.updated_replicas.unwrap_or(0) <= st.replicas);
            assert!(st.observed_generation <= set.metadata.generation);
        }
        // OrderedReady: a pod is only ever created when every lower in-range ordinal exists
        // and is Running, Ready and not terminating.
        if spec.pod_management_policy.as_deref() != Some("Parallel") {
            let start = start_ordinal(&spec);
            for e in c.watch_since(watch_from) {
                if e.kind != Kind::Pod || e.event != WatchEventType::Added {
                    continue;
                }
                let AnyObject::Pod(new) = &e.object else {
                    continue;
                };
                if kubesim::engine::store::parse_ordinal(&e.name).map(|(p, _)| p) != Some(name) {
                    continue;
                }
                let ord = ordinal_of(new).unwrap();
                for lower in start..ord {
                    let pred = pod(c, &format!("{name}-{lower}"));
                    assert!(
                        pred.as_ref()
                            .is_some_and(|p| is_running_and_ready(p) && !is_terminating(p)),
                        "{} created while {name}-{lower} is not Running and Ready",
                        e.name
                    );
                }
            }
        }
    }
}

/// The kubelet's restarts and the node failures (pkg/kubelet/kuberuntime
/// kuberuntime_manager.go; upstream's "Force Delete StatefulSet Pods" at-most-one guarantee),
/// checked against the watch entries of one event: a StatefulSet pod (restartPolicy Always)
/// is never Failed by its containers exiting, its restart count per uid never goes down, and
/// no controller removes a pod from a NotReady node (`by_user`: the entries come from a user
/// command, which may be a force delete): its kubelet is gone, so nobody confirms the
/// containers stopped.
fn check_restarts_and_lost_nodes(
    c: &Cluster,
    watch_from: usize,
    by_user: bool,
    restarts: &mut std::collections::BTreeMap<String, i32>,
) {
    for e in c.watch_since(watch_from) {
        let AnyObject::Pod(p) = &e.object else {
            continue;
        };
        let uid = p.metadata.uid.clone().unwrap_or_default();
        let count: i32 = p
            .status
            .iter()
            .flat_map(|s| s.container_statuses.iter().flatten())
            .map(|cs| cs.restart_count)
            .sum();
        let before = restarts.insert(uid, count).unwrap_or(0);
        assert!(count >= before, "{}: restartCount went down", e.name);
        let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
        assert_ne!(
            phase,
            Some("Failed"),
            "{}: a restartPolicy Always pod failed",
            e.name
        );
        if e.event == WatchEventType::Deleted && !by_user {
            let node = p.spec.as_ref().and_then(|s| s.node_name.clone());
            let node_down = node.is_some_and(|n| {
                c.store()
                    .get::<k8s_openapi::api::core::v1::Node>("", &n)
                    .is_some_and(|n| !kubesim::engine::node_is_ready(n))
            });
            assert!(!node_down, "{} removed from a down node", e.name);
        }
    }
}

fn heal_and_converge(c: &mut Cluster) {
    for n in 1..=3 {
        c.node_up(&format!("node-{n}")).unwrap();
    }
    let stuck: Vec<String> = c
        .store()
        .list::<Pod>()
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    for p in stuck {
        let _ = c.set_annotation(Kind::Pod, NS, &p, UNREADY, None);
        let _ = c.set_annotation(Kind::Pod, NS, &p, FAIL, None);
    }
    for name in SETS {
        update(c, name, |s| {
            s.spec
                .as_mut()
                .unwrap()
                .update_strategy
                .as_mut()
                .unwrap()
                .rolling_update
                .as_mut()
                .unwrap()
                .partition = Some(0);
        });
    }
    for name in SETS {
        let want = set(c, name).spec.unwrap().replicas.unwrap() as usize;
        wait_ready(c, name, want);
        wait_rolled_out(c, name);
    }
}

#[test]
fn random_action_sequences_keep_upstream_invariants_after_every_event() {
    let mut restarted = 0;
    for seed in 0..24u64 {
        let mut rng = SplitMix64::new(seed);
        let mut c = setup();
        let mut restarts: std::collections::BTreeMap<String, i32> = Default::default();
        for _ in 0..30 {
            let mark = c.watch_end();
            act(&mut c, &mut rng);
            check_restarts_and_lost_nodes(&c, mark, true, &mut restarts);
            let until = c.now() + rng.below(20_000);
            loop {
                let mark = c.watch_end();
                match c.next_event_at() {
                    Some(at) if at <= until => {
                        c.step();
                        check_invariants(&c, mark);
                        check_restarts_and_lost_nodes(&c, mark, false, &mut restarts);
                    }
                    _ => break,
                }
            }
            c.run_until(until);
        }
        heal_and_converge(&mut c);
        check_invariants(&c, c.watch_end());
        restarted += restarts.values().filter(|n| **n > 0).count();
    }
    assert!(
        restarted >= 10,
        "the runs restarted too few containers ({restarted})"
    );
}

/// `rounds` random actions, each followed by up to `max_gap` ms of simulated time, then two
/// quiet minutes.
fn drive(
    mut c: Cluster,
    seed: u64,
    rounds: usize,
    max_gap: u64,
    act: fn(&mut Cluster, &mut SplitMix64),
) -> Cluster {
    let mut rng = SplitMix64::new(seed);
    for _ in 0..rounds {
        act(&mut c, &mut rng);
        c.advance(rng.below(max_gap));
    }
    c.advance(120_000);
    c
}

fn scripted_run(seed: u64) -> Cluster {
    drive(setup(), seed, 25, 15_000, act)
}

#[test]
fn same_script_twice_gives_identical_histories() {
    let a = scripted_run(7);
    let b = scripted_run(7);
    assert!(a.watch_end() > 100);
    assert_eq!(a.watch_log(), b.watch_log());
    let ea = a.events();
    let eb = b.events();
    assert_eq!(ea, eb);
    assert_eq!(a.now(), b.now());
}

#[test]
fn replaying_the_command_log_rebuilds_a_past_instant() {
    let a = scripted_run(11);
    let midpoint = a.command_log()[12].at;
    let replayed = Cluster::replay(a.config().clone(), a.command_log(), midpoint);
    let b_log: Vec<_> = a
        .watch_log()
        .iter()
        .filter(|e| e.at <= midpoint)
        .cloned()
        .collect();
    let brief = |log: &[kubesim::engine::WatchEntry]| -> Vec<(u64, u64, String)> {
        log.iter()
            .map(|e| (e.at, e.resource_version, e.name.clone()))
            .collect()
    };
    assert_eq!(brief(replayed.watch_log()), brief(&b_log));
    assert_eq!(replayed.watch_log(), &b_log[..]);
    let full = Cluster::replay(a.config().clone(), a.command_log(), a.now());
    assert_eq!(brief(full.watch_log()), brief(a.watch_log()));
    assert!(full.watch_log() == a.watch_log());
}

/// A richer cluster for comparing incremental passes with full relists: claims with
/// `whenScaled: Delete`, minReadySeconds, a set that switches to OnDelete, and a headless
/// Service over one set (EndpointSlices and Endpoints follow its pods).
fn rich_setup(incremental: bool, watch_history: usize) -> Cluster {
    let mut c = keeping_history(watch_history);
    c.set_incremental_controllers(incremental);
    c.apply_yaml(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: test\nspec:\n  clusterIP: None\n  selector:\n    app: ordered\n  ports:\n  - port: 80\n",
    )
    .unwrap();
    add_pvs(&mut c, 12);
    let mut o = with_claims(ss("ordered", 2));
    {
        let spec = o.spec.as_mut().unwrap();
        spec.min_ready_seconds = Some(2);
        spec.persistent_volume_claim_retention_policy = Some(
            k8s_openapi::api::apps::v1::StatefulSetPersistentVolumeClaimRetentionPolicy {
                when_deleted: Some("Retain".into()),
                when_scaled: Some("Delete".into()),
            },
        );
    }
    create(&mut c, o);
    let mut b = ss("burst", 2);
    b.spec.as_mut().unwrap().pod_management_policy = Some("Parallel".into());
    create(&mut c, b);
    c
}

/// The random actions, plus ones that only the cache has to notice: a pod's selected label
/// removed and restored (release and adoption), minReadySeconds and the strategy changed.
fn rich_act(c: &mut Cluster, rng: &mut SplitMix64) {
    let set = SETS[rng.below(2) as usize];
    match rng.below(14) {
        10 => {
            if let Some(p) = random_pod(c, rng) {
                let v = (rng.below(2) == 0).then_some("web");
                let _ = c.set_label(Kind::Pod, NS, &p, "app", v);
            }
        }
        11 => {
            let mrs = rng.below(3) as i32;
            update(c, set, |s| {
                s.spec.as_mut().unwrap().min_ready_seconds = Some(mrs)
            });
        }
        12 => {
            let on_delete = rng.below(2) == 0;
            update(c, set, |s| {
                let us = s.spec.as_mut().unwrap().update_strategy.as_mut().unwrap();
                if on_delete {
                    us.type_ = Some("OnDelete".into());
                    us.rolling_update = None;
                } else {
                    us.type_ = Some("RollingUpdate".into());
                }
            });
        }
        13 => {
            let _ = c.set_annotation(Kind::StatefulSet, NS, set, "note", Some("x"));
        }
        _ => act(c, rng),
    }
}

fn rich_run(seed: u64, incremental: bool, watch_history: usize) -> Cluster {
    drive(
        rich_setup(incremental, watch_history),
        seed,
        40,
        12_000,
        rich_act,
    )
}

#[test]
fn incremental_controller_passes_give_the_same_history_as_full_relists() {
    for seed in 0..20u64 {
        let fast = rich_run(seed, true, usize::MAX);
        let full = rich_run(seed, false, usize::MAX);
        assert!(fast.watch_end() > 100, "seed {seed}: too little happened");
        if fast.watch_log() != full.watch_log() {
            let first = fast
                .watch_log()
                .iter()
                .zip(full.watch_log())
                .position(|(a, b)| a != b)
                .unwrap_or(fast.watch_end().min(full.watch_end()));
            let show = |e: Option<&kubesim::engine::WatchEntry>| {
                e.map(|e| format!("@{} {:?} {:?} {}", e.at, e.event, e.kind, e.name))
            };
            panic!(
                "seed {seed}: histories differ at entry {first}: incremental {:?}, full relist {:?}",
                show(fast.watch_log().get(first)),
                show(full.watch_log().get(first))
            );
        }
    }
}

/// A bounded watch log (the default keeps the newest 1,000 entries) changes nothing but what
/// is retained: controller caches that fall out of it relist, and the history they write is
/// the one a cluster keeping everything writes. With a 1-entry history a cache that sits out
/// 16 writes falls out (dozens of relists over these runs).
#[test]
fn a_short_watch_history_makes_caches_relist_without_changing_the_history() {
    for seed in 0..8u64 {
        let short = rich_run(seed, true, 1);
        let full = rich_run(seed, false, usize::MAX);
        let start = short.store().watch_start();
        assert!(start > 0, "seed {seed}: the log was never trimmed");
        assert!(
            short.watch_log().len() * 4 < full.watch_log().len(),
            "seed {seed}: the log was not bounded"
        );
        assert_eq!(short.watch_end(), full.watch_end(), "seed {seed}");
        assert!(
            short.watch_log() == full.watch_since(start),
            "seed {seed}: the retained tail differs from the full history"
        );
    }
}

/// `HISTORY_DUMP=/path cargo test -p kubesim --test engine_properties -- --ignored dump`:
/// one line per watch entry of `rich_run(seed, true, usize::MAX)` for seeds 0..40 (a hash of
/// the entry's `{:?}`), to `diff` between two trees after an engine change that must keep
/// every history byte-identical.
#[test]
#[ignore = "writes fingerprints for a differential check between two trees"]
fn dump_rich_run_fingerprints() {
    let Ok(path) = std::env::var("HISTORY_DUMP") else {
        return;
    };
    let fnv = |text: &str| {
        text.bytes().fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100000001b3)
        })
    };
    let mut out = String::new();
    for seed in 0..40u64 {
        out.push_str(&format!("== rich_run seed {seed}\n"));
        for (i, e) in rich_run(seed, true, usize::MAX)
            .watch_log()
            .iter()
            .enumerate()
        {
            out.push_str(&format!(
                "{i} @{} {:?} {} {:016x}\n",
                e.at,
                e.kind,
                e.name,
                fnv(&format!("{e:?}"))
            ));
        }
    }
    std::fs::write(path, out).unwrap();
}
