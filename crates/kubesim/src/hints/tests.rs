use super::*;
use crate::engine::profile::Profile;
use crate::examples;

const SEED_STS: &str = include_str!("../../../../tests/sessions/seed/mongo-sts.yaml");

fn seed_files() -> Vec<(&'static str, &'static str)> {
    examples::MONGODB.to_vec()
}

fn show(found: &[(String, Diagnostic, Option<Fix>)]) -> Vec<String> {
    found.iter().map(|(f, d, _)| format!("{f}:{d}")).collect()
}

#[test]
fn the_seed_files_have_no_diagnostics() {
    let found = diagnostics(&seed_files());
    assert_eq!(show(&found), Vec::<String>::new());
}

#[test]
fn the_seeds_apps_v1beta1_gets_kubectls_error_and_a_fix() {
    let files = [
        ("pv-demo.yaml", examples::MONGO_PVS),
        ("mongo-service.yaml", examples::MONGO_SERVICE),
        ("mongo-sts.yaml", SEED_STS),
    ];
    let found = diagnostics(&files);
    assert_eq!(found.len(), 1, "{:?}", show(&found));
    let (file, d, fix) = &found[0];
    assert_eq!(file, "mongo-sts.yaml");
    assert_eq!((d.line, d.column, d.severity), (1, 1, Severity::Error));
    assert_eq!(
        d.message,
        "resource mapping not found for name: \"mongo\" namespace: \"\" from \"mongo-sts.yaml\": no matches for kind \"StatefulSet\" in version \"apps/v1beta1\"\nensure CRDs are installed first"
    );
    let fix = fix.as_ref().unwrap();
    assert_eq!(fix.label, "Change apiVersion to apps/v1");
    assert_eq!(fix.text, SEED_STS.replacen("apps/v1beta1", "apps/v1", 1));
    // after the fix: nothing left to say
    let fixed = [files[0], files[1], ("mongo-sts.yaml", fix.text.as_str())];
    assert_eq!(show(&diagnostics(&fixed)), Vec::<String>::new());
}

#[test]
fn the_fix_adds_the_selector_apps_v1_requires() {
    // apps/v1beta2-era manifest without a selector (v1beta1 defaulted it from the labels)
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: None\n  selector:\n    app: web\n---\napiVersion: apps/v1beta2\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 2\n  template:\n    metadata:\n      labels:\n        app: web\n        tier: \"1\"\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n";
    let found = diagnostics(&[("web.yaml", text)]);
    assert_eq!(found.len(), 1, "{:?}", show(&found));
    let (_, d, fix) = &found[0];
    assert_eq!((d.line, d.column), (10, 1));
    assert!(d.message.contains(
        "from \"web.yaml\": no matches for kind \"StatefulSet\" in version \"apps/v1beta2\""
    ));
    let fix = fix.as_ref().unwrap();
    assert_eq!(
        fix.label,
        "Change apiVersion to apps/v1 and add spec.selector.matchLabels from the template labels"
    );
    assert_eq!(
        fix.text,
        text.replace("apps/v1beta2", "apps/v1").replace(
            "spec:\n  serviceName: web",
            "spec:\n  selector:\n    matchLabels:\n      app: web\n      tier: '1'\n  serviceName: web"
        )
    );
    assert_eq!(
        show(&diagnostics(&[("web.yaml", &fix.text)])),
        Vec::<String>::new()
    );

    let ext = text.replace("apps/v1beta2", "extensions/v1beta1");
    let found = diagnostics(&[("web.yaml", &ext)]);
    assert!(found[0]
        .1
        .message
        .contains("in version \"extensions/v1beta1\""));
    assert!(found[0].2.is_some());
}

#[test]
fn kinds_the_playground_does_not_simulate_are_named() {
    let found = diagnostics(&[(
        "d.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
    )]);
    assert_eq!(
        show(&found),
        ["d.yaml:2:1: warning: kind \"Deployment\" (apps/v1) is not simulated by the playground; this document is ignored (supported: StatefulSet, Service, PersistentVolume, PersistentVolumeClaim, StorageClass)"]
    );
}

#[test]
fn replicas_beyond_the_playground_limit_are_refused() {
    let sts = examples::MONGO_STATEFULSET.replace("replicas: 3", "replicas: 5000");
    let files = [
        seed_files()[0],
        seed_files()[1],
        ("mongo-sts.yaml", sts.as_str()),
    ];
    let found = diagnostics(&files);
    assert_eq!(
        show(&found)[0],
        "mongo-sts.yaml:7:3: error: spec.replicas: Invalid value: 5000: the playground simulates at most 1000 replicas"
    );
}

#[test]
fn service_name_without_a_headless_service_warns() {
    let files = [seed_files()[0], seed_files()[2]];
    assert_eq!(
        show(&diagnostics(&files)),
        ["mongo-sts.yaml:6:3: warning: serviceName \"mongo\" names no Service in these files: without a headless Service \"mongo\" the pods get no per-pod DNS names (mongo-0.mongo)"]
    );
    let svc = examples::MONGO_SERVICE.replace("  clusterIP: None\n", "");
    let files = [
        seed_files()[0],
        ("mongo-service.yaml", svc.as_str()),
        seed_files()[2],
    ];
    assert_eq!(
        show(&diagnostics(&files)),
        ["mongo-sts.yaml:6:3: warning: Service \"mongo\" is not headless (clusterIP: None): the pods get no per-pod DNS names (mongo-0.mongo)"]
    );
}

#[test]
fn claims_that_nothing_can_bind_warn_at_the_template() {
    // no PVs, bare profile: nothing binds
    let files = [seed_files()[1], seed_files()[2]];
    assert_eq!(
        show(&diagnostics(&files)),
        ["mongo-sts.yaml:42:7: warning: no PersistentVolume in these files can satisfy volumeClaimTemplate \"mongo-data\" (100Mi RWX) and no StorageClass will provision it on the cluster profile \"bare\": its claims will stay Pending"]
    );
    // kind-like: the default class provisions ReadWriteOnce claims, and its local-path
    // provisioner refuses the seed's RWX (rancher/local-path-provisioner provisioner.go)
    let kind = ClusterConfig::with_profile(Profile::KindLike);
    assert_eq!(
        show(&diagnostics_for(&files, &kind)),
        ["mongo-sts.yaml:44:7: warning: StorageClass \"standard\" (rancher.io/local-path) refuses volumeClaimTemplate \"mongo-data\" (RWX): \"NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes\": its claims will stay Pending"]
    );
    let rwo = examples::MONGO_STATEFULSET.replace("ReadWriteMany", "ReadWriteOnce");
    let rwo_files = [seed_files()[1], ("mongo-sts.yaml", rwo.as_str())];
    assert_eq!(
        show(&diagnostics_for(&rwo_files, &kind)),
        Vec::<String>::new()
    );
    // five PVs, seven replicas
    let sts = examples::MONGO_STATEFULSET.replace("replicas: 3", "replicas: 7");
    let files = [
        seed_files()[0],
        seed_files()[1],
        ("mongo-sts.yaml", sts.as_str()),
    ];
    assert_eq!(
        show(&diagnostics(&files)),
        ["mongo-sts.yaml:42:7: warning: only 5 PersistentVolume(s) in these files can satisfy volumeClaimTemplate \"mongo-data\" (100Mi RWX) for 7 replicas, and no StorageClass will provision more on the cluster profile \"bare\": the other claims will stay Pending"]
    );
    // too big a request
    let sts = examples::MONGO_STATEFULSET.replace("storage: 100Mi", "storage: 1Gi");
    let files = [
        seed_files()[0],
        seed_files()[1],
        ("mongo-sts.yaml", sts.as_str()),
    ];
    assert!(show(&diagnostics(&files))[0].contains("no PersistentVolume in these files can satisfy volumeClaimTemplate \"mongo-data\" (1Gi RWX)"));
}

#[test]
fn a_selector_nothing_matches_and_an_unknown_class_warn() {
    let sts = examples::MONGO_STATEFULSET.replace(
        "      accessModes: [\"ReadWriteMany\"]\n",
        "      accessModes: [\"ReadWriteMany\"]\n      selector:\n        matchLabels:\n          name: pv999\n",
    );
    let files = [
        seed_files()[0],
        seed_files()[1],
        ("mongo-sts.yaml", sts.as_str()),
    ];
    assert_eq!(
        show(&diagnostics(&files)),
        ["mongo-sts.yaml:45:7: warning: the selector of volumeClaimTemplate \"mongo-data\" matches no PersistentVolume in these files: its claims will stay Pending"]
    );
    let sts = examples::MONGO_STATEFULSET.replace(
        "      accessModes: [\"ReadWriteMany\"]\n",
        "      accessModes: [\"ReadWriteMany\"]\n      storageClassName: fast\n",
    );
    let files = [
        seed_files()[0],
        seed_files()[1],
        ("mongo-sts.yaml", sts.as_str()),
    ];
    assert_eq!(
        show(&diagnostics(&files)),
        ["mongo-sts.yaml:45:7: warning: storageClassName \"fast\" names no StorageClass (in these files or the cluster profile \"bare\"), and no PersistentVolume of that class can hold volumeClaimTemplate \"mongo-data\": its claims will stay Pending"]
    );
    // a StorageClass in the files makes it fine
    let sc = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: example.com/fast\n";
    let files = [
        seed_files()[1],
        ("sc.yaml", sc),
        ("mongo-sts.yaml", sts.as_str()),
    ];
    assert_eq!(show(&diagnostics(&files)), Vec::<String>::new());
    // a standalone claim is checked too
    let pvc = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: gold\n  resources:\n    requests:\n      storage: 1Gi\n";
    assert_eq!(
        show(&diagnostics(&[("pvc.yaml", pvc)])),
        ["pvc.yaml:7:3: warning: storageClassName \"gold\" names no StorageClass (in these files or the cluster profile \"bare\"), and no PersistentVolume of that class can hold persistentvolumeclaim \"data\": its claims will stay Pending"]
    );
}

#[test]
fn errors_of_the_parser_come_through_with_their_positions() {
    let sts = examples::MONGO_STATEFULSET.replace("replicas: 3", "replicas: three");
    let found = diagnostics(&[("mongo-sts.yaml", sts.as_str())]);
    assert_eq!(found[0].1.line, 7);
    assert!(found[0].1.message.contains("spec.replicas: invalid type"));
    for text in [
        "",
        "---",
        ": [",
        "apiVersion: apps/v1beta1\nkind: StatefulSet\nspec: [",
        "apiVersion: apps/v1beta1\n",
    ] {
        let _ = diagnostics(&[("x.yaml", text)]);
    }
}

/// Not a timed test: prints the time of a 5,000-line file in whatever profile runs it
/// (`cargo test -p kubesim --lib hints::tests::timing -- --ignored --nocapture`); the
/// optimized figure comes from `benches/diagnostics.rs` (BENCHMARKS.md).
#[test]
#[ignore]
fn timing_of_a_5000_line_file() {
    let mut text = String::new();
    let mut i = 0;
    while text.lines().count() < 5_000 {
        text.push_str("---\n");
        text.push_str(&examples::MONGO_PVS.replace("name: pv0", &format!("name: pv{i}-")));
        text.push_str("---\n");
        text.push_str(&examples::MONGO_SERVICE.replace("name: mongo", &format!("name: mongo{i}")));
        text.push_str("---\n");
        text.push_str(
            &examples::MONGO_STATEFULSET.replace("name: mongo\n", &format!("name: mongo{i}\n")),
        );
        i += 1;
    }
    let start = std::time::Instant::now();
    let n = diagnostics(&[("many.yaml", &text)]).len();
    println!(
        "{} lines: {n} diagnostics in {:?}",
        text.lines().count(),
        start.elapsed()
    );
}

/// The editor's `Checker` re-reads only changed documents; what it reports must be exactly
/// what a fresh reading reports, through typing, moving documents between and within files,
/// repeating a document, emptying a file and the document limit.
#[test]
fn the_checker_reports_exactly_what_a_fresh_reading_does() {
    let mut checker = Checker::default();
    let pvs = examples::MONGO_PVS;
    let svc = examples::MONGO_SERVICE;
    let sts = examples::MONGO_STATEFULSET;
    let typo = sts.replace("replicas: 3", "replicas: three");
    let unknown = svc.replace("  ports:", "  portz: 1\n  ports:");
    let joined = format!("{pvs}---\n{svc}---\n{sts}");
    let moved = format!("{sts}---\n{pvs}\n---\n{svc}");
    let twice = format!("{typo}---\n{typo}---\n{unknown}");
    let many = "kind: Nope\napiVersion: x/v1\n---\n".repeat(MAX + 1);
    const MAX: usize = manifest::MAX_DOCUMENTS;
    let rounds: Vec<Vec<(&str, &str)>> = vec![
        seed_files(),
        vec![("a.yaml", pvs), ("b.yaml", svc), ("c.yaml", &typo)],
        vec![("a.yaml", pvs), ("b.yaml", &unknown), ("c.yaml", &typo)],
        vec![("all.yaml", &joined)],
        vec![("all.yaml", &moved), ("c.yaml", SEED_STS)],
        vec![("x.yaml", &twice), ("y.yaml", &twice)],
        vec![("x.yaml", ""), ("y.yaml", "---\n# nothing\n")],
        vec![("many.yaml", &many)],
        vec![("all.yaml", &joined), ("c.yaml", SEED_STS)],
    ];
    for files in &rounds {
        let fresh = diagnostics(files);
        assert_eq!(checker.diagnostics(files), fresh, "{files:?}");
        // and again, all from the cache
        assert_eq!(checker.diagnostics(files), fresh, "{files:?}");
    }
    assert!(!diagnostics(&[("x.yaml", &twice)]).is_empty());
}
