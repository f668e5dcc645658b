//! The shell's own behaviour: output order, blocking commands, bad input.

use super::*;
use crate::examples::MONGODB;

pub(in crate::kubectl) fn shell() -> Shell {
    let files = MONGODB
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    Shell::new(ClusterConfig::default(), files)
}

pub(in crate::kubectl) fn seeded() -> Shell {
    let mut sh = shell();
    for line in [
        "kubectl apply -f pv-demo.yaml",
        "kubectl create -f mongo-service.yaml",
        "kubectl apply -f mongo-sts.yaml",
    ] {
        assert_eq!(sh.run(line).exit_code, 0, "{line}");
    }
    sh
}

#[test]
fn stdout_and_stderr_keep_their_order() {
    let mut sh = seeded();
    let out = sh.run("kubectl get endpoints");
    assert_eq!(out.chunks[0].0, Stream::Stderr);
    assert!(out.chunks[0]
        .1
        .starts_with("Warning: v1 Endpoints is deprecated"));
    assert_eq!(out.chunks[1].0, Stream::Stdout);
    assert!(out.text().starts_with("Warning:"));
    let out = sh.run("kubectl get pods nope");
    assert_eq!(out.exit_code, 1);
    assert_eq!(out.stdout(), "");
    assert_eq!(
        out.stderr(),
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
}

#[test]
fn blocking_commands_can_be_polled_and_cancelled() {
    let mut sh = seeded();
    let first = sh.start("kubectl rollout status sts/mongo");
    assert!(first.running && sh.is_blocked());
    assert_eq!(first.text(), "Waiting for 3 pods to be ready...\n");
    // one simulated second at a time, as the browser's timer would
    let mut text = first.text();
    let mut t = sh.cluster().now();
    let mut finished = false;
    for _ in 0..120 {
        t += 1000;
        let o = sh.poll(t);
        text.push_str(&o.text());
        assert_eq!(sh.cluster().now(), t, "poll advances the clock to `until`");
        if !o.running {
            finished = true;
            break;
        }
    }
    assert!(finished, "{text}");
    assert!(text.ends_with("partitioned roll out complete: 3 new pods have been updated...\n"));
    // the same command run synchronously prints the same lines
    let mut other = seeded();
    assert_eq!(other.run("kubectl rollout status sts/mongo").text(), text);

    // get -w: Ctrl+C ends it with 130
    let w = sh.start("kubectl get pods -w");
    assert!(w.running);
    let c = sh.cancel();
    assert_eq!(c.exit_code, 130);
    assert!(!sh.is_blocked());
}

/// The page's budgeted polling: stopping between instants and carrying on later gives the
/// same console output and the same cluster history as one `poll` over the same span.
#[test]
fn polling_in_budgeted_slices_is_the_same_as_one_poll() {
    let mut whole = seeded();
    let mut sliced = seeded();
    let start = whole.cluster().now();
    let line = "kubectl get pods -w";
    let mut a = whole.start(line).text();
    let mut b = sliced.start(line).text();
    let until = start + 60_000;
    a.push_str(&whole.poll(until).text());
    // Two instants per slice, then the budget is spent.
    let mut slices = 0;
    loop {
        let mut left = 2;
        let (out, reached) = sliced.poll_while(until, || {
            left -= 1;
            left > 0
        });
        b.push_str(&out.text());
        slices += 1;
        if reached == until {
            break;
        }
        assert!(reached < until && sliced.cluster().now() == reached);
    }
    assert!(slices > 5, "the rollout spans many instants: {slices}");
    assert_eq!(a, b);
    assert_eq!(whole.cluster().now(), sliced.cluster().now());
    whole.cancel();
    sliced.cancel();
    let objects = |sh: &mut Shell| sh.run("kubectl get sts,pods,pvc,pv,events -o yaml").text();
    assert_eq!(objects(&mut whole), objects(&mut sliced));
    assert_eq!(whole.cluster().watch_end(), sliced.cluster().watch_end());
}

#[test]
fn wait_times_out_at_its_deadline_when_polled() {
    let mut sh = seeded();
    let start = sh.cluster().now();
    let o =
        sh.start("kubectl wait --for=jsonpath='{.status.readyReplicas}'=9 sts/mongo --timeout=5s");
    assert!(o.running);
    let o = sh.poll(start + 4_000);
    assert!(o.running);
    let o = sh.poll(start + 6_000);
    assert!(!o.running);
    assert_eq!(o.exit_code, 1);
    assert_eq!(
        o.text(),
        "error: timed out waiting for the condition on statefulsets/mongo\n"
    );
}

/// `kubectl get pods -w` prints every change even when the cluster keeps only a few
/// watch entries: the shell holds what it has not printed yet.
#[test]
fn a_watch_prints_every_change_even_with_a_short_watch_history() {
    let burst = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  podManagementPolicy: Parallel\n  replicas: 40\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n";
    let watched = |watch_history: usize| {
        let config = ClusterConfig {
            watch_history,
            ..Default::default()
        };
        let mut sh = Shell::new(config, BTreeMap::new());
        let o = sh.start("kubectl get pods -w --output-watch-events");
        assert!(o.running);
        sh.cluster_mut().apply_yaml(burst).unwrap();
        // The cluster runs on without the shell reading (as the UI's step button does).
        for _ in 0..100 {
            sh.cluster_mut().step();
        }
        let o = sh.poll(sh.cluster().now() + 60_000);
        (o.text(), sh.cluster().watch_log().len())
    };
    let (short, kept) = watched(4);
    let (full, all) = watched(usize::MAX);
    assert!(
        kept < all / 4,
        "the short history was not trimmed ({kept} of {all})"
    );
    assert_eq!(short.matches("ADDED").count(), 40);
    assert!(short.matches("MODIFIED").count() >= 40 * 3);
    assert_eq!(short, full);
}

#[test]
fn get_watch_stops_at_the_watch_limit_when_the_cluster_never_idles() {
    let mut sh = seeded();
    sh.watch_limit_ms = 2_000;
    let start = sh.cluster().now();
    let out = sh.run("kubectl get pods -w");
    assert!(!out.running);
    assert_eq!(sh.cluster().now(), start + 2_000);
}
#[test]
fn apply_from_the_editor_and_bad_input_never_panic() {
    let mut sh = shell();
    sh.set_current_file(Some("mongo-service.yaml".into()));
    assert_eq!(
        sh.run("kubectl apply -f -").text(),
        "service/mongo created\n"
    );
    assert_eq!(
        sh.run("kubectl apply -f -").text(),
        "service/mongo unchanged\n"
    );
    sh.set_file("bad.yaml", "apiVersion: v1\nkind: Service\nmetadata: [\n");
    let o = sh.run("kubectl apply -f bad.yaml");
    assert_eq!(o.exit_code, 1);
    assert!(
        o.text().starts_with("error: error parsing bad.yaml"),
        "{}",
        o.text()
    );
    for line in [
        "",
        "kubectl",
        "kubectl get",
        "kubectl patch sts nope -p '{'",
        "kubectl patch svc mongo -p '{not json'",
        "kubectl get pods -l 'a in (b'",
        "kubectl rollout undo sts/mongo",
        "kubectl wait --for=delete pod/none",
        "dig",
        "nslookup",
        "kubectl get pods -o jsonpath='{.items[9].x}'",
        "kubectl label endpoints mongo a=b",
        "kubectl delete endpoints mongo",
    ] {
        let _ = sh.run(line);
    }
}

/// `kubectl delete pod -l app=...` (the StatefulSet Basics tutorial's step) and `--all`, as
/// upstream's pkg/cmd/delete/delete.go selects: by label, names refused beside a selector, and
/// "No resources found" when nothing matches.
#[test]
fn delete_by_selector_and_all() {
    let mut sh = seeded();
    sh.run("kubectl rollout status sts/mongo");
    let o = sh.run("kubectl delete pod -l app=nope");
    assert_eq!(
        (o.exit_code, o.text()),
        (0, "No resources found\n".to_string())
    );
    let o = sh.run("kubectl delete pod mongo-0 -l role=mongo");
    assert_eq!(o.exit_code, 1);
    assert_eq!(
        o.text(),
        "error: name cannot be provided when a selector is specified\n"
    );
    let o = sh.run("kubectl delete pod -l role=mongo --wait=false");
    assert_eq!(o.exit_code, 0, "{}", o.text());
    assert_eq!(o.text().matches(" deleted").count(), 3, "{}", o.text());
    assert!(
        o.text().starts_with("pod \"mongo-0\" deleted"),
        "{}",
        o.text()
    );
    let o = sh.run("kubectl delete pv --all --wait=false");
    assert_eq!(o.text().matches(" deleted").count(), 5, "{}", o.text());
}
