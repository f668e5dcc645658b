//! Hostile input and bounded resources (issue 19): each measured case as a regression test
//! that asserts bounded work through counts and sizes (never wall-clock time), the event TTL,
//! and the command log's checkpoints.

mod common;

use common::*;
use k8s_openapi::api::core::v1::{Container, Pod, Probe};
use kubesim::engine::{
    AnyObject, ApiError, Cluster, ClusterConfig, Kind, WatchEventType, DEFAULT_EVENT_TTL_MS,
};
use kubesim::limits;
use kubesim::manifest::Object;
use kubesim::network::dns;

fn with_containers(name: &str, n: usize) -> k8s_openapi::api::apps::v1::StatefulSet {
    let mut s = ss(name, 1);
    let spec = s.spec.as_mut().unwrap().template.spec.as_mut().unwrap();
    spec.containers = (0..n)
        .map(|i| Container {
            name: format!("c{i}"),
            image: Some("registry.k8s.io/pause:3.10".into()),
            ..Default::default()
        })
        .collect();
    s
}

// ---- a StatefulSet with 10,000 containers (47 s before) ---------------------------------

#[test]
fn ten_thousand_containers_are_refused_at_once_with_the_named_limit() {
    let mut c = Cluster::default();
    let (before, queued) = (c.watch_end(), c.footprint().queued_tasks);
    let err = c
        .apply(Object::StatefulSet(with_containers("big", 10_000)))
        .unwrap_err();
    let err = err.to_string();
    assert!(
        err.starts_with("StatefulSet \"big\" is invalid: [spec.template.spec.containers: Too many: 10000: must have at most 100 items (a playground limit: MAX_CONTAINERS)"),
        "{err}"
    );
    // 10,000 containers are also more than an object may weigh.
    assert!(
        err.contains("(a playground limit: MAX_OBJECT_BYTES)"),
        "{err}"
    );
    // Nothing was written, nothing queued: the work was the validation alone.
    assert_eq!(c.watch_end(), before);
    assert_eq!(c.footprint().queued_tasks, queued);
}

#[test]
fn a_pod_at_the_container_limit_starts_with_writes_linear_in_its_containers() {
    let mut c = Cluster::default();
    let n = limits::MAX_CONTAINERS;
    c.apply(Object::StatefulSet(with_containers("wide", n)))
        .unwrap();
    c.run_until_idle(1_000_000);
    let p = pod(&c, "wide-0").expect("the pod exists");
    assert_eq!(p.status.unwrap().phase.as_deref(), Some("Running"));
    // The kubelet writes the pod once per started container plus a handful of other writes
    // (bind, admit, ready): linear in the containers, so the copies made are at most
    // containers² = 10,000 container statuses.
    let writes = c
        .watch_log()
        .iter()
        .filter(|e| e.kind == Kind::Pod && e.name == "wide-0")
        .count();
    assert!(writes <= n + 10, "{writes} pod writes for {n} containers");
}

// ---- kubectl label with 8,000 labels (6 GB before) --------------------------------------

#[test]
fn eight_thousand_labels_are_refused_in_one_check_and_write_nothing() {
    let mut c = Cluster::default();
    create(&mut c, ss("web", 1));
    c.run_until_idle(100_000);
    let before = (c.watch_end(), c.store().resource_version());
    let changes: Vec<(String, Option<String>)> = (0..8_000)
        .map(|i| (format!("k{i}"), Some(format!("v{i}"))))
        .collect();
    let err = c
        .edit_metadata(Kind::Pod, NS, "web-0", false, changes)
        .unwrap_err();
    assert_eq!(
        err,
        ApiError::Invalid(
            "Pod \"web-0\" is invalid: metadata.labels: Too many: 8004: must have at most 100 items (a playground limit: MAX_LABELS)"
                .into()
        )
    );
    // (8,000 new labels plus the pod's 4.)
    assert_eq!((c.watch_end(), c.store().resource_version()), before);
}

#[test]
fn many_labels_in_one_command_are_one_write_and_one_command_record() {
    let mut c = Cluster::default();
    create(&mut c, ss("web", 1));
    c.run_until_idle(100_000);
    let (watch, commands) = (c.watch_end(), c.command_log().len());
    // The pod already carries 4 labels (app, hash, pod-name, pod-index).
    let changes: Vec<(String, Option<String>)> = (0..90)
        .map(|i| (format!("k{i}"), Some(format!("v{i}"))))
        .collect();
    c.edit_metadata(Kind::Pod, NS, "web-0", false, changes)
        .unwrap();
    let pod_writes: Vec<_> = c
        .watch_since(watch)
        .iter()
        .filter(|e| e.kind == Kind::Pod)
        .collect();
    assert_eq!(pod_writes.len(), 1, "one patch, one write");
    assert_eq!(c.command_log().len(), commands + 1);
    let labels = pod(&c, "web-0").unwrap().metadata.labels.unwrap();
    assert_eq!(labels.len(), 94);
    assert_eq!(labels["k89"], "v89");
}

#[test]
fn annotations_past_their_size_limit_are_refused() {
    let mut c = Cluster::default();
    create(&mut c, ss("web", 1));
    c.run_until_idle(100_000);
    let big = "x".repeat(limits::MAX_ANNOTATIONS_BYTES);
    let err = c
        .edit_metadata(Kind::Pod, NS, "web-0", true, vec![("a".into(), Some(big))])
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("metadata.annotations: Too long: must have at most 65536 bytes"),
        "{err}"
    );
}

#[test]
fn an_object_too_large_or_too_many_objects_are_refused_with_named_limits() {
    let mut c = Cluster::default();
    let mut s = ss("huge", 1);
    s.spec
        .as_mut()
        .unwrap()
        .template
        .spec
        .as_mut()
        .unwrap()
        .containers[0]
        .args = Some(vec!["y".repeat(limits::MAX_OBJECT_BYTES)]);
    let err = c.apply(Object::StatefulSet(s)).unwrap_err().to_string();
    assert!(err.contains("MAX_OBJECT_BYTES"), "{err}");
    let mut claims = with_claims(ss("claims", 1));
    let t = claims.spec.as_ref().unwrap().volume_claim_templates.clone();
    let many: Vec<_> = (0..11)
        .map(|i| {
            let mut t = t.as_ref().unwrap()[0].clone();
            t.metadata.name = Some(format!("d{i}"));
            t
        })
        .collect();
    claims.spec.as_mut().unwrap().volume_claim_templates = Some(many);
    let err = c
        .apply(Object::StatefulSet(claims))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("spec.volumeClaimTemplates: Too many: 11: must have at most 10 items (a playground limit: MAX_VOLUME_CLAIM_TEMPLATES)"),
        "{err}"
    );
    let mut s = ss("history", 1);
    s.spec.as_mut().unwrap().revision_history_limit = Some(i32::MAX);
    let err = c.apply(Object::StatefulSet(s)).unwrap_err().to_string();
    assert!(err.contains("MAX_REVISION_HISTORY"), "{err}");
}

#[test]
fn objects_of_one_kind_stop_at_the_per_kind_limit() {
    let mut c = Cluster::default();
    let pv = |i: usize| {
        format!(
            "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv-{i}\nspec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  hostPath:\n    path: /tmp/pv-{i}\n"
        )
    };
    let obj = |i: usize| kubesim::manifest::parse(&pv(i)).objects.remove(0).object;
    for i in 0..limits::MAX_OBJECTS_PER_KIND {
        c.apply(obj(i)).unwrap();
    }
    let err = c
        .apply(obj(limits::MAX_OBJECTS_PER_KIND))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "persistentvolumes \"pv-5000\" is forbidden: the playground holds at most 5000 persistentvolumes (a playground limit: MAX_OBJECTS_PER_KIND)"
    );
    // Updating one that exists is still fine.
    assert!(c.apply(obj(7)).is_ok());
}

// ---- a probe's periodSeconds × failureThreshold overflowed --------------------------------

#[test]
fn a_probe_at_int32_max_does_not_overflow_and_negative_values_are_invalid() {
    let mut c = Cluster::default();
    let mut s = ss("slow", 1);
    s.spec
        .as_mut()
        .unwrap()
        .template
        .spec
        .as_mut()
        .unwrap()
        .containers[0]
        .readiness_probe = Some(Probe {
        period_seconds: Some(i32::MAX),
        failure_threshold: Some(i32::MAX),
        success_threshold: Some(i32::MAX),
        initial_delay_seconds: Some(i32::MAX),
        ..Default::default()
    });
    create(&mut c, s);
    c.advance(60_000);
    c.set_annotation(Kind::Pod, NS, "slow-0", UNREADY, Some("true"))
        .unwrap();
    c.advance(60_000);
    c.set_annotation(Kind::Pod, NS, "slow-0", UNREADY, None)
        .unwrap();
    c.advance(60_000);
    // The probe's reaction is saturated far in the future, not wrapped into the past.
    assert!(c.next_event_at().is_none_or(|t| t > c.now()));

    let mut bad = ss("bad", 1);
    bad.spec
        .as_mut()
        .unwrap()
        .template
        .spec
        .as_mut()
        .unwrap()
        .containers[0]
        .readiness_probe = Some(Probe {
        period_seconds: Some(-1),
        ..Default::default()
    });
    // Upstream accepts the StatefulSet (its template is not validated:
    // pkg/apis/apps/validation/validation.go) and refuses each pod created from it.
    let mut c = Cluster::default();
    c.apply(Object::StatefulSet(bad)).unwrap();
    c.advance(10_000);
    assert!(pod(&c, "bad-0").is_none());
    let refused = c.store().events().any(|e| {
        e.message() == ("create Pod bad-0 in StatefulSet bad failed error: Pod \"bad-0\" is invalid: spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0")
    });
    let all: Vec<&str> = c.store().events().map(|e| e.message()).collect();
    assert!(
        refused,
        "no FailedCreate event with the pod's validation error: {all:?}"
    );
}

// ---- dig of a 100 KB name (7 s, 2.4 GB before) --------------------------------------------

#[test]
fn dig_and_nslookup_refuse_an_illegal_name_like_bind_in_output_linear_in_it() {
    let c = Cluster::default();
    let d = dns::Dns::new(
        c.store().list(),
        std::iter::empty::<&k8s_openapi::api::discovery::v1::EndpointSlice>(),
    );
    let ctx = dns::DigContext::default();
    let long_label = "a".repeat(100_000);
    let r = dns::dig(&d, &[&long_label], NS, &ctx);
    assert_eq!(r.exit_code, 10);
    assert_eq!(
        r.stderr,
        format!("dig: '{long_label}' is not a legal name (label too long)\n")
    );
    // The greeting echoes the arguments; nothing else is printed.
    assert!(r.stdout.len() < long_label.len() + 100);
    // Many short labels: the name is too long before any label is.
    let many = "a.".repeat(50_000);
    let r = dns::dig(&d, &[&many, "+short"], NS, &ctx);
    assert_eq!(r.stdout, "");
    assert!(r
        .stderr
        .ends_with("is not a legal name (ran out of space)\n"));
    let r = dns::dig(&d, &["a..b"], NS, &ctx);
    assert!(r.stderr.ends_with("(empty label)\n"), "{}", r.stderr);
    let r = dns::nslookup(&d, &many, None, NS);
    assert_eq!(r.exit_code, 1);
    assert!(r.stderr.starts_with("nslookup: 'a.a.a."));
    // The longest legal name (253 characters, 4 labels of at most 63) is still answered.
    let legal = format!(
        "{}.{}.{}.{}",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(61)
    );
    assert_eq!(dns::name_error(&legal), None);
    assert_eq!(dns::name_error(&format!("{legal}.")), None);
    assert_eq!(
        dns::name_error(&format!("{legal}e")),
        Some("ran out of space")
    );
    let r = dns::dig(&d, &[&legal], NS, &ctx);
    assert!(r.stdout.contains("status: NXDOMAIN"), "{}", r.stdout);
}

// ---- events expire after the API server's event TTL ---------------------------------------

#[test]
fn events_are_deleted_an_hour_after_their_last_write_with_a_deleted_watch_event() {
    let mut c = Cluster::default();
    create(&mut c, ss("web", 1));
    c.run_until_idle(100_000);
    let created = c.store().event_count();
    assert!(created > 0);
    let first = c.store().events().next().unwrap().clone();
    let start = c.watch_end();
    c.advance(DEFAULT_EVENT_TTL_MS - 60_000);
    assert_eq!(c.store().event_count(), created, "all younger than an hour");
    c.advance(120_000);
    assert_eq!(c.store().event_count(), 0, "all expired");
    let deleted: Vec<_> = c
        .watch_since(start)
        .iter()
        .filter(|e| e.kind == Kind::Event && e.event == WatchEventType::Deleted)
        .collect();
    assert_eq!(deleted.len(), created);
    // The first one went exactly one TTL after it was written, carrying its last state.
    let AnyObject::Event(gone) = &deleted[0].object else {
        panic!("an event")
    };
    assert_eq!(
        gone.to_event().metadata.name,
        first.to_event().metadata.name
    );
    assert_eq!(
        deleted[0].at,
        kubesim::engine::instant_of(first.to_event().last_timestamp.as_ref().unwrap())
            + DEFAULT_EVENT_TTL_MS
    );
    // Expiry is not a queued task: the cluster is idle and stays so.
    assert_eq!(c.next_event_at(), None);
    assert_eq!(c.footprint().event_series, 0);
}

#[test]
fn a_repeated_event_lives_an_hour_after_its_last_occurrence() {
    let mut c = Cluster::default();
    create(&mut c, ss("web", 1));
    c.run_until_idle(100_000);
    // A failing pod: BackOff-like repeats are aggregated into one event whose count grows.
    // Emulate with the unready fault toggled every 40 minutes: the kubelet's Unhealthy
    // warnings repeat, each renewing the lease.
    for _ in 0..3 {
        c.set_annotation(Kind::Pod, NS, "web-0", UNREADY, Some("true"))
            .unwrap();
        c.advance(20 * 60_000);
        c.set_annotation(Kind::Pod, NS, "web-0", UNREADY, None)
            .unwrap();
        c.advance(20 * 60_000);
    }
    for e in c.store().events() {
        let last = kubesim::engine::instant_of(e.to_event().last_timestamp.as_ref().unwrap());
        assert!(
            last + DEFAULT_EVENT_TTL_MS > c.now(),
            "{} outlived its TTL",
            e.reason()
        );
    }
}

#[test]
fn the_event_ttl_is_configurable_like_the_flag() {
    let mut c = Cluster::new(ClusterConfig {
        event_ttl_ms: 10_000,
        ..Default::default()
    });
    create(&mut c, ss("web", 1));
    c.advance(5_000);
    assert!(c.store().event_count() > 0);
    c.advance(60_000);
    assert_eq!(c.store().event_count(), 0);
}

// ---- the command log keeps what time travel needs -----------------------------------------

fn scripted(history: usize) -> Cluster {
    let mut c = Cluster::new(ClusterConfig {
        command_history: history,
        watch_history: usize::MAX,
        ..Default::default()
    });
    create(&mut c, ss("web", 1));
    for i in 0..40 {
        c.advance(3_000);
        let _ = c.scale(NS, "web", 1 + (i % 3));
        if i % 7 == 0 {
            let _ = c.set_annotation(Kind::Pod, NS, "web-0", UNREADY, Some("true"));
        }
        if i % 7 == 3 {
            let _ = c.set_annotation(Kind::Pod, NS, "web-0", UNREADY, None);
        }
    }
    c.advance(30_000);
    c
}

#[test]
fn the_command_log_is_bounded_and_time_travel_rebuilds_from_its_checkpoint() {
    let full = scripted(usize::MAX / 4);
    let short = scripted(10);
    assert!(full.command_log().len() > 40);
    assert!(
        short.command_log().len() < 20,
        "{}",
        short.command_log().len()
    );
    assert!(short.footprint().checkpoints <= 2);
    // Same history either way.
    assert_eq!(full.watch_log(), short.watch_log());
    let start = short.command_log_start();
    assert!(start > 0);
    for until in [start, start + 4_000, short.now()] {
        let a = full.rebuild(until).unwrap();
        let b = short.rebuild(until).unwrap();
        assert_eq!(a.now(), b.now());
        assert_eq!(a.watch_end(), b.watch_end());
        let names = |c: &Cluster| -> Vec<(String, Option<String>)> {
            c.store()
                .list::<Pod>()
                .map(|p| {
                    (
                        p.metadata.name.clone().unwrap(),
                        p.metadata.resource_version.clone(),
                    )
                })
                .collect()
        };
        assert_eq!(names(&a), names(&b));
    }
    assert!(short.rebuild(start - 1).is_none(), "before the checkpoint");
}

// ---- the console (kubectl interpreter) ------------------------------------------------------

fn seeded_shell() -> kubesim::kubectl::exec::Shell {
    seeded_shell_with(ClusterConfig::default())
}

fn seeded_shell_with(config: ClusterConfig) -> kubesim::kubectl::exec::Shell {
    let files: std::collections::BTreeMap<String, String> = kubesim::examples::MONGODB
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut sh = kubesim::kubectl::exec::Shell::new(config, files);
    for (n, _) in kubesim::examples::MONGODB {
        sh.run(&format!("kubectl apply -f {n}"));
    }
    sh.run("kubectl rollout status sts/mongo");
    sh
}

#[test]
fn kubectl_label_with_8000_labels_answers_at_once_and_writes_nothing() {
    let mut sh = seeded_shell();
    let pairs: Vec<String> = (0..8_000).map(|i| format!("k{i}=v{i}")).collect();
    let before = sh.cluster().watch_end();
    let out = sh.run(&format!("kubectl label pod mongo-0 {}", pairs.join(" ")));
    assert_eq!(out.exit_code, 1);
    let err = out.stderr();
    assert!(
        err.contains("metadata.labels: Too many: 8005: must have at most 100 items (a playground limit: MAX_LABELS)"),
        "{err}"
    );
    assert_eq!(out.stdout(), "");
    assert_eq!(sh.cluster().watch_end(), before, "nothing written");
    // Fifty labels: one write of the pod, one command in the log.
    let commands = sh.cluster().command_log().len();
    let pairs: Vec<String> = (0..50).map(|i| format!("k{i}=v{i}")).collect();
    let out = sh.run(&format!("kubectl label pod mongo-0 {}", pairs.join(" ")));
    assert_eq!(out.text(), "pod/mongo-0 labeled\n");
    let writes = sh
        .cluster()
        .watch_since(before)
        .iter()
        .filter(|e| e.kind == Kind::Pod && e.name == "mongo-0")
        .count();
    assert_eq!(writes, 1);
    assert_eq!(sh.cluster().command_log().len(), commands + 1);
    let out = sh.run("kubectl label pod mongo-0 k1- nope- k2-");
    assert_eq!(
        out.text(),
        "label \"nope\" not found.\npod/mongo-0 labeled\n"
    );
}

#[test]
fn sleep_1e308_is_refused_with_the_named_limit_and_a_week_is_accepted() {
    let mut sh = seeded_shell();
    let now = sh.cluster().now();
    let out = sh.start("sleep 1e308");
    assert!(!out.running);
    assert_eq!(out.exit_code, 1);
    assert_eq!(
        out.stderr(),
        "sleep: invalid time interval '1e308': the console sleeps at most 7 days (a playground limit: MAX_BLOCK_MS)\n"
    );
    assert_eq!(sh.cluster().now(), now);
    assert!(sh.start("sleep 168h").running);
    sh.cancel();
}

#[test]
fn a_sleep_polled_over_a_crash_loop_restarts_in_place_with_aggregated_events() {
    // A set whose pods all fail (the fault copied from the template). As the kubelet does
    // (pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff), the containers restart in
    // place with back-off and their events aggregate: no pod is replaced, and the event
    // count stays at a few series instead of the ≈ 11,000 an hour replacing pods made.
    // Polled the browser's way (6 s per tick, 60×).
    let mut sh = seeded_shell();
    let uids = |sh: &kubesim::kubectl::exec::Shell| -> Vec<Option<String>> {
        (0..3)
            .map(|i| {
                sh.cluster()
                    .store()
                    .get::<Pod>("default", &format!("mongo-{i}"))
                    .and_then(|p| p.metadata.uid.clone())
            })
            .collect()
    };
    let out = sh.run(
        r#"kubectl patch sts mongo -p '{"spec":{"template":{"metadata":{"annotations":{"playground.dev/fail":"true"}}}}}'"#,
    );
    assert_eq!(out.exit_code, 0, "{}", out.text());
    // The template changed: the rolling update replaces mongo-2 (now with the fault), which
    // never gets Ready, so OrderedReady's update waits there.
    assert!(sh.start("sleep 20m").running);
    let mut ticks = 0;
    while sh.is_blocked() {
        let out = sh.poll(sh.cluster().now() + 6_000);
        assert!(out.chunks.is_empty());
        ticks += 1;
        let c = sh.cluster();
        assert!(c.watch_log().len() < 2 * c.config().watch_history + 10);
    }
    assert_eq!(ticks, 200);
    let events = sh.cluster().store().event_count();
    let out = sh.run("kubectl get pods");
    assert!(out.text().contains("CrashLoopBackOff"), "{}", out.text());
    assert!(
        events < 120,
        "{events} events after 20 minutes of crash loop"
    );
    // An hour later, the same pods and still a handful of event series.
    let now_uids = uids(&sh);
    sh.run("sleep 1h");
    assert_eq!(uids(&sh), now_uids, "restarted in place, never replaced");
    let f = sh.cluster().footprint();
    assert!(f.events < 120, "{f:?}");
}

/// A day of crash loop: the issue-17 case (460,000 events, ~1 GB before restarts in place).
#[test]
fn a_day_of_crash_loop_stays_small() {
    let mut sh = seeded_shell();
    sh.run(r#"kubectl annotate pod mongo-0 playground.dev/fail=true"#);
    sh.run("sleep 24h");
    let f = sh.cluster().footprint();
    assert!(f.events < 60, "{f:?}");
    assert!(
        f.watch_entries < 2 * sh.cluster().config().watch_history + 10,
        "{f:?}"
    );
    let p = sh
        .cluster()
        .store()
        .get::<Pod>("default", "mongo-0")
        .unwrap()
        .clone();
    let restarts = p.status.unwrap().container_statuses.unwrap()[0].restart_count;
    // back-off reaches 5 min after 6 restarts: about 24 h / (5 min + 2 s) restarts in a day
    assert!((280..=300).contains(&restarts), "{restarts}");
}

#[test]
fn dig_of_a_100kb_name_in_the_console_says_what_bind_says() {
    let mut sh = seeded_shell();
    let name = "a".repeat(100_000);
    let out = sh.run(&format!("dig {name}"));
    assert_eq!(out.exit_code, 10);
    assert_eq!(
        out.stderr(),
        format!("dig: '{name}' is not a legal name (label too long)\n")
    );
    let out = sh.run(&format!("nslookup {}", "ab.".repeat(100)));
    assert_eq!(out.exit_code, 1);
    assert!(out
        .stderr()
        .ends_with("is not a legal name (ran out of space)\n"));
    assert!(sh
        .run("dig mongo-0.mongo.default.svc.cluster.local +short")
        .text()
        .starts_with("10.244."));
}

#[test]
fn a_watch_stops_at_its_output_limit() {
    let mut sh = seeded_shell();
    let web = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  podManagementPolicy: Parallel\n  replicas: 700\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n";
    sh.set_file("web.yaml", web);
    let mut out = sh.start("kubectl get pods -w -o json");
    assert!(out.running);
    sh.run("kubectl apply -f web.yaml");
    // (run cancelled the watch; start it again and let the rollout feed it)
    out = sh.start("kubectl get pods -w -o json");
    let mut printed = out.text().len();
    let mut polls = 0;
    while out.running && polls < 1_000 {
        out = sh.poll(sh.cluster().now() + 1_000);
        printed += out.text().len();
        polls += 1;
    }
    assert!(!out.running, "the watch ended ({printed} bytes)");
    assert_eq!(out.exit_code, 1);
    assert!(out
        .stderr()
        .contains("(a playground limit: MAX_WATCH_OUTPUT_BYTES)"));
    assert!(
        printed <= limits::MAX_WATCH_OUTPUT_BYTES + 64 * 1024,
        "{printed}"
    );
}

// ---- 10,000 PersistentVolumes and claims (25-33 s natively before: quadratic binder) -----

/// `n` 1Gi RWO volumes `pv-00000`… and `n` claims `claim-00000`… asking for `size`, written
/// straight into the store (past the per-kind limit a user meets, as a controller could), then
/// one command so the binder runs.
fn volume_pool(n: usize, size: &str) -> Cluster {
    use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};
    let mut c = Cluster::new(ClusterConfig::default());
    for i in 0..n {
        let pv: PersistentVolume = serde_json::from_value(serde_json::json!({
            "metadata": {"name": format!("pv-{i:05}")},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                     "hostPath": {"path": format!("/tmp/pv-{i}")}}
        }))
        .unwrap();
        c.store_mut().create(pv).unwrap();
        let pvc: PersistentVolumeClaim = serde_json::from_value(serde_json::json!({
            "metadata": {"name": format!("claim-{i:05}"), "namespace": "default"},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "",
                     "resources": {"requests": {"storage": size}}}
        }))
        .unwrap();
        c.store_mut().create(pvc).unwrap();
    }
    c.apply_yaml(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: go\nspec:\n  ports:\n  - port: 80\n",
    )
    .unwrap();
    c
}

fn claim_phase(c: &Cluster, name: &str) -> (String, String) {
    let claim = c
        .store()
        .get::<k8s_openapi::api::core::v1::PersistentVolumeClaim>("default", name)
        .unwrap();
    (
        claim
            .status
            .as_ref()
            .and_then(|s| s.phase.clone())
            .unwrap_or_default(),
        claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.clone())
            .unwrap_or_default(),
    )
}

#[test]
fn ten_thousand_claims_bind_to_ten_thousand_volumes_looking_at_each_volume_about_once() {
    let n = 10_000;
    let mut c = volume_pool(n, "1Gi");
    let examined = c.store().volume_index().examined();
    assert!(c.run_until_idle(1_000_000));
    // Every claim bound, each to the first free volume by name (smallest, ties by name:
    // kubernetes/kubernetes v1.35 pkg/controller/volume/persistentvolume/index.go
    // findBestMatchForClaim; claims are synced in name order).
    for i in [0, 1, 4_999, n - 1] {
        assert_eq!(
            claim_phase(&c, &format!("claim-{i:05}")),
            ("Bound".to_string(), format!("pv-{i:05}"))
        );
    }
    let bound = c
        .store()
        .list::<k8s_openapi::api::core::v1::PersistentVolumeClaim>()
        .filter(|c| c.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound"))
        .count();
    assert_eq!(bound, n);
    // A scan per claim looked at every volume (n² = 10⁸); the index looks at one per bind.
    let looked = c.store().volume_index().examined() - examined;
    assert!(
        (n as u64..=2 * n as u64).contains(&looked),
        "{looked} volumes examined"
    );
}

#[test]
fn ten_thousand_claims_no_volume_fits_stay_pending_without_scanning_the_volumes() {
    let n = 10_000;
    let mut c = volume_pool(n, "2Gi");
    assert!(c.run_until_idle(1_000_000));
    assert_eq!(
        claim_phase(&c, "claim-09999"),
        ("Pending".to_string(), String::new())
    );
    // Every pass asks for every pending claim; every volume is too small, so the index's
    // capacity order answers without looking at one.
    assert_eq!(c.store().volume_index().examined(), 0);
    assert!(c
        .events()
        .iter()
        .any(|e| e.reason.as_deref() == Some("FailedBinding")
            && e.involved_object.name.as_deref() == Some("claim-00000")));
}
