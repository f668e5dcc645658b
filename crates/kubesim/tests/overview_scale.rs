//! The cluster view's model at scale (issue 14): the page's per-tick picture
//! (`overview::Cache`, which rebuilds only what changed) equals a full `overview()` at every
//! instant of a scripted run; and, as a measurement,
//! `cargo test --release -p kubesim --test overview_scale -- --ignored --nocapture` prints
//! what each costs on the MongoDB example scaled to 1,000 on a 10-node kind-like cluster,
//! mid-rollout (the page's benchmark cluster, `tests/e2e/bench-view.mjs`).

use std::time::Instant;

use kubesim::engine::profile::Profile;
use kubesim::engine::{Cluster, ClusterConfig, Command, DeleteOptions, Kind};
use kubesim::{examples, manifest, overview};

/// The example's text as applied on `profile`: on kind-like its claims ask ReadWriteOnce
/// (kind's local-path provisioner refuses ReadWriteMany).
fn for_profile(text: &str, profile: Profile) -> String {
    match profile {
        Profile::KindLike => text.replace(r#"["ReadWriteMany"]"#, r#"["ReadWriteOnce"]"#),
        Profile::Bare => text.to_string(),
    }
}

/// The MongoDB example on a new cluster of `profile` with `nodes` nodes.
fn mongo(profile: Profile, nodes: usize) -> Cluster {
    let mut cluster = Cluster::new(ClusterConfig {
        nodes,
        ..ClusterConfig::with_profile(profile)
    });
    for (_, text) in examples::MONGODB {
        for parsed in manifest::parse(&for_profile(text, profile)).objects {
            cluster.apply(parsed.object).unwrap();
        }
    }
    cluster
}

fn scale(cluster: &mut Cluster, replicas: i32) {
    cluster
        .execute(Command::Scale {
            namespace: "default".into(),
            name: "mongo".into(),
            replicas,
        })
        .unwrap();
}

fn annotate(cluster: &mut Cluster, pod: &str, key: &str, value: Option<&str>) {
    cluster
        .execute(Command::Annotate {
            kind: Kind::Pod,
            namespace: "default".into(),
            name: pod.into(),
            key: key.into(),
            value: value.map(str::to_string),
        })
        .unwrap();
}

/// Runs the cluster event by event for `ms` of simulated time, checking after each event
/// that the kept picture equals a full one. Returns how many events ran.
fn run_checked(cluster: &mut Cluster, cache: &mut overview::Cache, ms: u64) -> usize {
    let until = cluster.now() + ms;
    let mut steps = 0;
    loop {
        let kept = cache.overview(cluster);
        let full = overview::overview(cluster);
        assert_eq!(kept, full, "at {} ms, after {steps} events", cluster.now());
        match cluster.step() {
            Some(at) if at <= until => steps += 1,
            _ => break,
        }
    }
    if cluster.now() < until {
        cluster.advance(until - cluster.now());
    }
    steps
}

/// The page keeps one `Cache` per cluster and asks it for the picture after every tick and
/// every command; what it shows must be exactly the full picture: scale up, a pod made
/// unready, a node down and up, a rollout (new image), a crash-looping pod (RESTARTS follows
/// the clock), a file written to a volume, a pod deleted, scale down (claims retained), and
/// claims that wait for a volume (bare: five static PVs for seven members).
#[test]
fn the_kept_picture_equals_a_full_rebuild_at_every_step() {
    for (profile, nodes) in [(Profile::Bare, 3), (Profile::KindLike, 3)] {
        let mut c = mongo(profile, nodes);
        let mut cache = overview::Cache::default();
        let mut events = run_checked(&mut c, &mut cache, 60_000);
        scale(&mut c, 7);
        events += run_checked(&mut c, &mut cache, 40_000);
        annotate(&mut c, "mongo-1", "playground.dev/unready", Some("true"));
        events += run_checked(&mut c, &mut cache, 30_000);
        annotate(&mut c, "mongo-1", "playground.dev/unready", None);
        events += run_checked(&mut c, &mut cache, 60_000);
        let node = c
            .store()
            .get::<k8s_openapi::api::core::v1::Pod>("default", "mongo-2")
            .and_then(|p| p.spec.as_ref()?.node_name.clone())
            .expect("mongo-2 is scheduled");
        c.execute(Command::NodeDown(node.clone())).unwrap();
        events += run_checked(&mut c, &mut cache, 90_000);
        c.execute(Command::NodeUp(node)).unwrap();
        events += run_checked(&mut c, &mut cache, 60_000);
        let sts = for_profile(examples::MONGO_STATEFULSET, profile)
            .replace("mongo:3.4", "mongo:3.6")
            .replace("replicas: 3", "replicas: 7");
        for parsed in manifest::parse(&sts).objects {
            c.apply(parsed.object).unwrap();
        }
        events += run_checked(&mut c, &mut cache, 30_000);
        annotate(&mut c, "mongo-0", "playground.dev/fail", Some("true"));
        events += run_checked(&mut c, &mut cache, 20_000);
        annotate(&mut c, "mongo-0", "playground.dev/fail", None);
        let _ = c.execute(Command::Exec {
            namespace: "default".into(),
            pod: "mongo-0".into(),
            container: "mongo".into(),
            argv: vec!["touch".into(), "/data/db/a".into()],
        });
        events += run_checked(&mut c, &mut cache, 60_000);
        c.execute(Command::Delete {
            kind: Kind::Pod,
            namespace: "default".into(),
            name: "mongo-1".into(),
            options: DeleteOptions::default(),
        })
        .unwrap();
        events += run_checked(&mut c, &mut cache, 60_000);
        scale(&mut c, 2);
        events += run_checked(&mut c, &mut cache, 120_000);
        scale(&mut c, 4);
        events += run_checked(&mut c, &mut cache, 120_000);
        assert!(events > 100, "{profile:?}: only {events} events");
    }
}

#[test]
#[ignore = "a measurement: run with --release --ignored --nocapture"]
fn overview_at_1000_pods_mid_rollout() {
    let mut cluster = mongo(Profile::KindLike, 10);
    cluster.advance(60_000);
    scale(&mut cluster, 1000);
    cluster.advance(900_000); // ~15 simulated minutes: about 200 members Ready
    let o = overview::overview(&cluster);
    let set = &o.sets[0];
    println!(
        "cluster: {} slots, {} Ready, {} volumes, {} records",
        set.pods.len(),
        set.ready,
        o.volumes.len(),
        o.services.iter().map(|s| s.records.len()).sum::<usize>()
    );
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(50);
    let started = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(overview::overview(&cluster));
    }
    let full = started.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    println!("overview() full rebuild, same instant: {full:.3} ms");
    // The page at 60x: a tick is 50 ms of wall time, 3 s of simulated time.
    let mut cache = overview::Cache::default();
    cache.overview(&cluster);
    let (mut full_ms, mut kept_ms, mut worst) = (0.0, 0.0, 0.0f64);
    // The page's engine budget is checked between instants: the longest instant is the
    // finest slice a tick can stop at.
    let (mut instants, mut worst_instant, mut engine_ms) = (0usize, 0.0f64, 0.0);
    for _ in 0..runs {
        let until = cluster.now() + 3_000;
        while let Some(at) = cluster.next_event_at().filter(|at| *at <= until) {
            let t = Instant::now();
            cluster.run_until(at);
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            (instants, worst_instant, engine_ms) =
                (instants + 1, worst_instant.max(ms), engine_ms + ms);
        }
        cluster.advance(until - cluster.now());
        let t = Instant::now();
        let a = std::hint::black_box(overview::overview(&cluster));
        full_ms += t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let b = std::hint::black_box(cache.overview(&cluster));
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        kept_ms += ms;
        worst = worst.max(ms);
        assert_eq!(a, b);
    }
    let n = runs as f64;
    println!(
        "per 3 s tick (60x): full {:.3} ms, kept (Cache) {:.3} ms (worst {worst:.3} ms)",
        full_ms / n,
        kept_ms / n
    );
    println!(
        "engine: {instants} instants over {runs} ticks, {:.3} ms a tick, the longest instant {worst_instant:.3} ms",
        engine_ms / n
    );
}
