//! Data on volumes outlives pods: files written through a pod's claim land on the bound PV and
//! survive pod deletion, scale down/up and failures; the container's own files do not; a deleted
//! PV takes its files; a Retain PV that is Released keeps them; an RWX PV bound by two claims
//! shows one set of files. (Upstream: the StatefulSet Basics tutorial's "Stable Storage"
//! section, kubernetes/website content/en/docs/tutorials/stateful-application/basic-stateful-set.md,
//! and the PV lifecycle in content/en/docs/concepts/storage/persistent-volumes.md.)

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{PersistentVolume, Pod};
use kubesim::engine::rng::SplitMix64;
use kubesim::engine::Kind;
use kubesim::kubectl::exec::Shell;

fn seeded() -> Shell {
    let files: BTreeMap<String, String> = kubesim::examples::MONGODB
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut sh = Shell::new(Default::default(), files);
    for line in [
        "kubectl apply -f pv-demo.yaml",
        "kubectl create -f mongo-service.yaml",
        "kubectl apply -f mongo-sts.yaml",
        "kubectl rollout status sts/mongo",
    ] {
        assert_eq!(sh.run(line).exit_code, 0, "{line}");
    }
    sh
}

fn running(sh: &Shell, pod: &str) -> bool {
    sh.cluster()
        .store()
        .get::<Pod>("default", pod)
        .is_some_and(kubesim::engine::statefulset::is_running_and_ready)
}

fn pv_uid(sh: &Shell, name: &str) -> String {
    sh.cluster()
        .store()
        .get::<PersistentVolume>("", name)
        .and_then(|p| p.metadata.uid.clone())
        .unwrap()
}

#[test]
fn no_sequence_of_deletions_scalings_and_failures_loses_a_file_on_a_kept_claim() {
    let mut checked = 0;
    for seed in 0..10u64 {
        let mut sh = seeded();
        let mut rng = SplitMix64::new(seed);
        // one file per ordinal, through the pod's mounted claim
        let mut written: BTreeMap<i64, String> = BTreeMap::new();
        for round in 0..12 {
            match rng.below(5) {
                0 => {
                    let n = 1 + rng.below(5);
                    sh.run(&format!("kubectl scale sts mongo --replicas={n}"));
                }
                1 => {
                    let o = rng.below(5);
                    sh.run(&format!("kubectl delete pod mongo-{o} --wait=false"));
                }
                2 => {
                    let o = rng.below(5);
                    sh.run(&format!(
                        "kubectl annotate pod mongo-{o} playground.dev/fail=true"
                    ));
                }
                _ => {
                    let o = rng.below(5) as i64;
                    if running(&sh, &format!("mongo-{o}")) {
                        let text = format!("round {round} seed {seed}");
                        let out = sh.run(&format!(
                            "kubectl exec mongo-{o} -c mongo -- sh -c 'echo \"{text}\" >> /data/db/notes'"
                        ));
                        assert_eq!(out.exit_code, 0, "{}", out.text());
                        written.entry(o).or_default().push_str(&format!("{text}\n"));
                    }
                }
            }
            sh.run("sleep 20");
        }
        // heal (a failing container restarts in place until its fault is removed) and bring
        // every member back: every file is where it was written
        for o in 0..5 {
            sh.run(&format!(
                "kubectl annotate pod mongo-{o} playground.dev/fail-"
            ));
        }
        sh.run("kubectl scale sts mongo --replicas=5");
        // (a crash loop at its 5-minute back-off restarts within 5 minutes)
        let _ = sh.run("sleep 600");
        for (o, text) in &written {
            let pod = format!("mongo-{o}");
            assert!(running(&sh, &pod), "seed {seed}: {pod} not back");
            let out = sh.run(&format!(
                "kubectl exec {pod} -c mongo -- cat /data/db/notes"
            ));
            assert_eq!(&out.stdout(), text, "seed {seed}: {pod} lost data");
            checked += 1;
        }
    }
    assert!(
        checked >= 6,
        "the runs wrote too little to test anything ({checked})"
    );
}

#[test]
fn container_files_die_with_the_pod_and_pv_files_with_the_pv() {
    let mut sh = seeded();
    let run = |sh: &mut Shell, l: &str| sh.run(l).text();
    run(
        &mut sh,
        "kubectl exec mongo-0 -c mongo -- sh -c 'echo a > /tmp/x; echo b > /data/db/y'",
    );
    assert_eq!(
        run(&mut sh, "kubectl exec mongo-0 -c mongo -- cat /tmp/x"),
        "a\n"
    );
    let pv = pv_uid(&sh, "pv001");
    assert!(sh.cluster().fs().volume(&pv).is_some());
    run(&mut sh, "kubectl delete pod mongo-0");
    run(&mut sh, "kubectl rollout status sts/mongo");
    assert_eq!(
        run(
            &mut sh,
            "kubectl exec mongo-0 -c mongo -- cat /tmp/x /data/db/y"
        ),
        "cat: /tmp/x: No such file or directory\nb\ncommand terminated with exit code 1\n"
    );
    // Retain: deleting the set and the claim leaves the PV Released, files kept
    run(&mut sh, "kubectl delete sts mongo");
    run(&mut sh, "kubectl delete pvc mongo-data-mongo-0");
    run(&mut sh, "sleep 5");
    let released = sh
        .cluster()
        .store()
        .get::<PersistentVolume>("", "pv001")
        .unwrap();
    assert_eq!(
        released.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Released")
    );
    let files = sh.cluster().fs().volume(&pv).unwrap();
    assert_eq!(files.files().collect::<Vec<_>>(), [("y", "b\n")]);
    // deleting the PV takes its files
    run(&mut sh, "kubectl delete pv pv001");
    assert!(sh.cluster().fs().volume(&pv).is_none());
    let _ = Kind::Pod;
}

#[test]
fn an_rwx_volume_shared_by_two_pods_shows_the_same_files() {
    let mut sh = Shell::default();
    sh.set_file(
        "shared.yaml",
        "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: nfs\nspec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteMany]\n  nfs:\n    server: nfs.example\n    path: /\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: shared\nspec:\n  storageClassName: \"\"\n  accessModes: [ReadWriteMany]\n  resources:\n    requests:\n      storage: 1Gi\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: app\nspec:\n  serviceName: app\n  replicas: 2\n  selector:\n    matchLabels:\n      app: a\n  template:\n    metadata:\n      labels:\n        app: a\n    spec:\n      containers:\n      - name: c\n        image: busybox:1.36\n        volumeMounts:\n        - name: data\n          mountPath: /data\n      volumes:\n      - name: data\n        persistentVolumeClaim:\n          claimName: shared\n",
    );
    assert_eq!(sh.run("kubectl apply -f shared.yaml").exit_code, 0);
    sh.run("kubectl rollout status sts/app");
    let w = sh.run("kubectl exec app-0 -- sh -c 'echo from-0 > /data/f'");
    assert_eq!(w.exit_code, 0, "{}", w.text());
    assert_eq!(
        sh.run("kubectl exec app-1 -- cat /data/f").text(),
        "from-0\n"
    );
    assert_eq!(
        sh.run("kubectl exec app-1 -- curl localhost").text(),
        "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"curl\": executable file not found in $PATH: unknown\n"
    );
}

#[test]
fn logs_follow_prints_lines_as_they_are_written() {
    let mut sh = Shell::default();
    sh.set_file(
        "n.yaml",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 1\n  selector:\n    matchLabels:\n      app: w\n  template:\n    metadata:\n      labels:\n        app: w\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27.3\n",
    );
    sh.run("kubectl apply -f n.yaml");
    // started before the container runs: -f waits, then prints the startup lines
    let o = sh.start("kubectl logs -f web-0");
    assert!(o.running, "{}", o.text());
    let o = sh.poll(sh.cluster().now() + 10_000);
    assert!(o.running);
    assert!(
        o.text().contains("[notice] 1#1: nginx/1.27.3"),
        "{}",
        o.text()
    );
    sh.cancel();
    sh.run("kubectl exec web-0 -- curl -s localhost/missing");
    let tail = sh.run("kubectl logs web-0 --tail=1").text();
    assert!(
        tail.ends_with("\"GET /missing HTTP/1.1\" 404 146 \"-\" \"curl/7.88.1\" \"-\"\n"),
        "{tail}"
    );
    let o = sh.run("kubectl logs web-0 -c nope");
    assert_eq!(
        o.text(),
        "error: container nope is not valid for pod web-0\n"
    );
}

/// Hostile scripts and mongo expressions never panic, and each command's work and output stay
/// bounded.
#[test]
fn random_scripts_never_panic_and_stay_bounded() {
    let mut sh = seeded();
    let alphabet: Vec<char> = "ab $(){}'\"\\;&|><2>1echo cat ls -p/data/db/x hostname mongo --eval db.x.insert({a:1}) rs.status() \n\t李"
        .chars()
        .collect();
    let mut rng = SplitMix64::new(7);
    for round in 0..400 {
        let len = rng.below(60) as usize;
        let script: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
            .collect();
        let argv = if round % 3 == 0 {
            vec!["mongo".to_string(), "--eval".into(), script]
        } else {
            vec!["sh".to_string(), "-c".into(), script]
        };
        let out = sh
            .cluster_mut()
            .execute(kubesim::engine::Command::Exec {
                namespace: "default".into(),
                pod: "mongo-0".into(),
                container: "mongo".into(),
                argv,
            })
            .expect("the pod runs");
        let kubesim::engine::CommandOutput::Exec(o) = out else {
            panic!("not an exec output")
        };
        assert!(o.text().len() <= kubesim::engine::container::MAX_OUTPUT + 100);
    }
    // output and expansion bounds
    let big = "kubectl exec mongo-0 -c mongo -- sh -c 'echo 0123456789abcdef0123456789abcdef > /tmp/a; cat /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a > /tmp/b; cat /tmp/b /tmp/b /tmp/b /tmp/b /tmp/b /tmp/b /tmp/b /tmp/b > /tmp/c; cat /tmp/c /tmp/c /tmp/c /tmp/c /tmp/c /tmp/c /tmp/c /tmp/c > /tmp/d; cat /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d > /tmp/e'";
    let o = sh.run(big);
    assert!(o.text().contains("File too large"), "{}", o.text());
    let o = sh.run("kubectl exec mongo-0 -c mongo -- sh -c 'cat /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d /tmp/d'");
    assert!(o.text().len() < 300 * 1024);
    assert!(
        o.text().contains("output cut"),
        "{}",
        &o.text()[o.text().len() - 200..]
    );
}
