use super::*;

fn seed_files() -> Vec<File> {
    crate::examples::MONGODB
        .iter()
        .map(|(n, t)| File {
            name: n.to_string(),
            text: t.to_string(),
        })
        .collect()
}

fn map(files: &[File]) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|f| (f.name.clone(), f.text.clone()))
        .collect()
}

/// Lets the page's clock run: 100 ms ticks, as the browser's interval does.
fn tick(shell: &mut Shell, ms: u64) {
    for _ in 0..ms / 100 {
        let until = shell.cluster().now() + 100;
        shell.poll(until);
    }
}

/// What a person does in the page: apply, watch and stop the watch (the runner's watch ends
/// by itself when the cluster is idle, before the next line), edit and apply again,
/// wait for a rollout, delete a pod and type on before the deletion finished, edit again
/// without applying.
fn a_page_session() -> (Shell, Vec<File>) {
    let mut files = seed_files();
    let mut shell = Shell::new(ClusterConfig::default(), map(&files));
    for f in ["pv-demo.yaml", "mongo-service.yaml", "mongo-sts.yaml"] {
        shell.start(&format!("kubectl apply -f {f}"));
    }
    tick(&mut shell, 1_000);
    shell.start("kubectl get pods -w");
    tick(&mut shell, 4_000);
    shell.cancel();
    tick(&mut shell, 15_000);
    files[2].text = files[2].text.replace("replicas: 3", "replicas: 5");
    shell.set_file("mongo-sts.yaml", files[2].text.clone());
    shell.start("kubectl apply -f mongo-sts.yaml");
    tick(&mut shell, 2_000);
    shell.start("kubectl rollout status sts/mongo");
    tick(&mut shell, 30_000);
    shell.start("kubectl delete pod mongo-0");
    tick(&mut shell, 1_000);
    shell.start("kubectl get pods");
    tick(&mut shell, 3_300);
    shell.start("sleep 100");
    tick(&mut shell, 2_000);
    // The final text differs from what was applied: the workspace keeps the applied version.
    files[2].text = files[2].text.replace("replicas: 5", "replicas: 4");
    shell.set_file("mongo-sts.yaml", files[2].text.clone());
    (shell, files)
}

fn workspace_of(shell: &Shell, files: Vec<File>) -> Workspace {
    from_page(
        files,
        Profile::Bare,
        3,
        shell.history.entries(),
        shell.cluster().now(),
        0.25,
        Some("mongo-sts.yaml".into()),
    )
}

#[test]
fn a_shared_workspace_rebuilds_the_same_cluster_history() {
    let (mut page, files) = a_page_session();
    let ws = workspace_of(&page, files);
    let text = encode(&ws);
    let decoded = decode(&text).unwrap();
    assert_eq!(decoded, ws);
    let mut replayed = replay(&decoded).unwrap();
    let (a, b) = (page.cluster(), replayed.shell.cluster());
    assert_eq!(a.now(), b.now());
    assert_eq!(a.watch_end(), b.watch_end());
    let start = a.store().watch_start().max(b.store().watch_start());
    assert!(a.watch_end() - start > 100, "compare a real history");
    assert_eq!(a.watch_since(start), b.watch_since(start));
    for command in [
        "kubectl get pods -o wide",
        "kubectl get pvc",
        "kubectl get sts",
        "kubectl get events",
    ] {
        assert_eq!(
            page.run(command).text(),
            replayed.shell.run(command).text(),
            "{command}"
        );
    }
    // The editor's final text is back in place; the 5-replica version was applied.
    assert!(replayed.shell.files()["mongo-sts.yaml"].contains("replicas: 4"));
    // Both applied texts differ from the final one (3 replicas, then 5).
    let versions: Vec<(usize, bool)> = ws
        .file_versions
        .iter()
        .map(|v| (v.before_command, v.text.contains("replicas: 5")))
        .collect();
    assert_eq!(versions, [(2, false), (6, true)]);
    assert_eq!(
        replayed
            .shell
            .run("kubectl get sts mongo -o jsonpath={.spec.replicas}")
            .text(),
        "5"
    );
}

#[test]
fn the_session_keeps_the_instants_and_marks_what_the_page_interrupted() {
    let (page, files) = a_page_session();
    let ws = workspace_of(&page, files);
    assert_eq!(
        ws.session,
        "$ kubectl apply -f pv-demo.yaml\n\
         $ kubectl apply -f mongo-service.yaml\n\
         $ kubectl apply -f mongo-sts.yaml\n\
         $ sleep 1\n\
         $ kubectl get pods -w\n\
         $ sleep 1\n\
         $ kubectl apply -f mongo-sts.yaml\n\
         $ sleep 2\n\
         $ kubectl rollout status sts/mongo\n\
         $ sleep 23.4\n\
         $ kubectl delete pod mongo-0 --wait=false\n\
         $ sleep 1\n\
         $ kubectl get pods\n\
         $ sleep 3.3\n\
         # interrupted: sleep 100\n"
    );
    // `kubesim run` reads the same text (the runner's transcript of the session).
    let transcript = crate::kubectl::exec::run_session(&ws.session_file(), |f| {
        ws.files
            .iter()
            .find(|x| x.name == f)
            .map(|x| x.text.clone())
    })
    .unwrap();
    assert!(transcript.contains("$ kubectl rollout status sts/mongo\n"));
    assert!(
        transcript.contains("pod \"mongo-0\" deleted"),
        "{transcript}"
    );
}

#[test]
fn sleep_lines_keep_every_millisecond() {
    assert_eq!(sleep_line(12_500), "sleep 12.5");
    assert_eq!(sleep_line(3_000), "sleep 3");
    assert_eq!(sleep_line(1), "sleep 0.001");
    for ms in [1, 999, 1_001, 123_456] {
        assert_eq!(sleep_ms(&sleep_line(ms)), Some(ms));
    }
}

/// A bundle as format version 1 wrote it. It must keep its meaning in every later version
/// (migrate it, never edit this fixture).
const V1_FIXTURE: &str = include_str!("v1-fixture.json");

#[test]
fn a_version_1_bundle_keeps_its_meaning() {
    let ws = decode(V1_FIXTURE).unwrap();
    assert_eq!(ws.profile, Profile::KindLike);
    assert_eq!((ws.nodes, ws.speed, ws.at_ms), (2, 4.0, 30_000));
    assert_eq!(ws.tab.as_deref(), Some("web.yaml"));
    let mut r = replay(&ws).unwrap();
    assert_eq!(r.shell.cluster().now(), 30_000);
    assert_eq!(
        r.shell.run("kubectl get pods -o wide").text(),
        "NAME    READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n\
         web-0   1/1     Running   0          30s   10.244.1.2   node-1   <none>           <none>\n\
         web-1   1/1     Running   0          26s   10.244.2.2   node-2   <none>           <none>\n"
    );
    assert!(r.transcript.starts_with("# The upstream web example on two nodes\n$ kubectl apply -f web.yaml\nservice/nginx created\n"));
}

#[test]
fn the_cluster_header_picks_profile_and_nodes() {
    let ws = decode(V1_FIXTURE).unwrap();
    assert!(ws
        .session_file()
        .starts_with("# cluster: profile=kind-like nodes=2\n"));
    let lines = session::parse(&ws.session_file()).unwrap();
    let config = session::cluster_config(&lines).unwrap();
    assert_eq!((config.profile, config.nodes), (Profile::KindLike, 2));
    let bad = session::parse("# cluster: profile=huge\n").unwrap();
    assert_eq!(
        session::cluster_config(&bad).unwrap_err(),
        "# cluster: profile=huge: unknown profile \"huge\" (bare or kind-like)"
    );
}

fn with(f: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(V1_FIXTURE).unwrap();
    f(&mut v);
    v.to_string()
}

#[test]
fn hostile_or_broken_bundles_are_refused_with_a_reason() {
    let cases: Vec<(String, &str)> = vec![
        ("x".repeat(MAX_BUNDLE_BYTES + 1), "more than the 1024 KB"),
        ("[".repeat(100_000), "not JSON"),
        ("{\"format\": 1".into(), "not JSON"),
        ("<script>alert(1)</script>".into(), "not JSON"),
        ("{}".into(), "not a playground workspace"),
        (with(|v| v["version"] = 7.into()), "newer playground"),
        (
            with(|v| v["version"] = 0.into()),
            "unknown workspace format version 0",
        ),
        (with(|v| v["version"] = "1".into()), "no format version"),
        (with(|v| v["extra"] = 1.into()), "unknown field `extra`"),
        (
            with(|v| v["files"][0]["name"] = "../etc/passwd".into()),
            "bad file name",
        ),
        (
            with(|v| v["files"][0]["name"] = "<img src=x onerror=alert(1)>".into()),
            "bad file name",
        ),
        (
            with(|v| {
                let first = v["files"][0].clone();
                v["files"].as_array_mut().unwrap().push(first)
            }),
            "appears twice",
        ),
        (with(|v| v["tab"] = "nope.yaml".into()), "selected tab"),
        (with(|v| v["cluster"]["nodes"] = 0.into()), "1 to 20 nodes"),
        (with(|v| v["cluster"]["nodes"] = (-1).into()), "malformed"),
        (
            with(|v| v["cluster"]["profile"] = "gke".into()),
            "unknown cluster profile",
        ),
        (with(|v| v["clock"]["speed"] = 1000.into()), "clock speed"),
        (with(|v| v["clock"]["speed"] = 0.1.into()), "clock speed"),
        (
            with(|v| v["clock"]["at_ms"] = u64::MAX.into()),
            "one simulated day",
        ),
        (
            with(|v| v["kubernetes"] = "v1.99".into()),
            "Kubernetes v1.99",
        ),
        (
            with(|v| v["session"] = "$ sleep 90000\n".into()),
            "more than one simulated day",
        ),
        (
            with(|v| v["session"] = "rm -rf /\n".into()),
            "session: line 1: expected `$ COMMAND`",
        ),
        (
            with(|v| v["session"] = "$ kubectl get pods\n".repeat(MAX_COMMANDS + 1).into()),
            "2001 commands",
        ),
        (
            with(|v| v["files"][0]["text"] = "a".repeat(MAX_FILE_BYTES + 1).into()),
            "more than 256 KB",
        ),
        (
            with(|v| {
                v["file_versions"] =
                    serde_json::json!([{"before_command": 99, "name": "web.yaml", "text": ""}])
            }),
            "is for command 99",
        ),
    ];
    for (input, expected) in cases {
        let err = decode(&input).expect_err(expected);
        assert!(err.contains(expected), "{expected:?} not in {err:?}");
    }
}

#[test]
fn missing_files_are_named() {
    let files = map(&seed_files());
    assert_eq!(
        missing_files(
            "$ kubectl apply -f web.yaml\n$ kubectl apply -f pv-demo.yaml\n",
            &files
        ),
        ["web.yaml"]
    );
}

#[test]
fn a_session_played_on_its_schedule_matches_kubesim_run() {
    let text = "# cluster: profile=kind-like nodes=2\n# The web example\n$ kubectl apply -f web.yaml\n$ kubectl rollout status sts/web\n$ kubectl get pods -w\n$ kubectl scale sts web --replicas=3\n$ sleep 2.5\n$ kubectl get pods\n";
    let ws = decode(V1_FIXTURE).unwrap();
    let files = ws.file_map();
    let lines = session::parse(text).unwrap();
    let config = session::cluster_config(&lines).unwrap();
    let plan = schedule(text, config.clone(), &files).unwrap();
    let at: Vec<u64> = plan.iter().map(|(at, _)| *at).collect();
    assert_eq!(at[0], 0);
    assert!(at[4] > 0 && at[5] > at[4], "{at:?}");
    // The page: start each line at its instant, 100 ms ticks in between.
    let mut page = Shell::new(config, files.clone());
    let mut printed = String::new();
    for (at, line) in &plan {
        while page.cluster().now() + 100 <= *at {
            let until = page.cluster().now() + 100;
            printed.push_str(&page.poll(until).text());
        }
        printed.push_str(&page.poll(*at).text());
        match line {
            Line::Command(c) => {
                printed.push_str(&format!("$ {c}\n"));
                printed.push_str(&page.start(c).text());
            }
            Line::Text(t) => printed.push_str(&format!("{t}\n")),
        }
    }
    let runner = crate::kubectl::exec::run_session(text, |f| files.get(f).cloned()).unwrap();
    assert_eq!(printed, runner);
}
