//! Editor diagnostics benchmark (harness = false): how long `kubesim::hints::diagnostics`
//! takes on a 5,000-line file, the size the issue sets a 50 ms budget for (in Chromium).
//! Run: `CARGO_PROFILE_BENCH_OPT_LEVEL=3 CARGO_PROFILE_BENCH_LTO=false cargo bench -p kubesim --bench diagnostics`
//! `std::time::Instant` is used here only — the engine never reads a clock.

use std::time::Instant;

use kubesim::examples;

/// ~5,000 lines of many documents: the seed's PVs, Service and StatefulSet repeated with
/// distinct names (every cross-object check has work to do).
fn many_documents() -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.lines().count() < 5_000 {
        let pvs = examples::MONGO_PVS.replace("name: pv0", &format!("name: pv{i}-"));
        let svc = examples::MONGO_SERVICE.replace("name: mongo", &format!("name: mongo{i}"));
        let sts = examples::MONGO_STATEFULSET
            .replace("name: mongo\n", &format!("name: mongo{i}\n"))
            .replace(
                "serviceName: \"mongo\"",
                &format!("serviceName: \"mongo{i}\""),
            );
        for doc in [pvs.as_str(), svc.as_str(), sts.as_str()] {
            text.push_str("---\n");
            text.push_str(doc);
        }
        i += 1;
    }
    text
}

/// ~5,000 lines in one StatefulSet: a container with a very long env list.
fn one_document() -> String {
    let mut env = String::new();
    for i in 0..2_480 {
        env.push_str(&format!(
            "            - name: VAR_{i}\n              value: \"{i}\"\n"
        ));
    }
    examples::MONGO_STATEFULSET.replace("          env:\n", &format!("          env:\n{env}"))
}

fn time(label: &str, files: &[(&str, &str)]) {
    let lines: usize = files.iter().map(|(_, t)| t.lines().count()).sum();
    let found = kubesim::hints::diagnostics(files).len();
    let mut runs = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        std::hint::black_box(kubesim::hints::diagnostics(std::hint::black_box(files)));
        runs.push(start.elapsed().as_secs_f64() * 1e3);
    }
    runs.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{label:<34} {lines:>6} lines  {found:>4} diagnostics  median {:>7.2} ms  min {:>7.2} ms",
        runs[runs.len() / 2],
        runs[0]
    );
}

/// A keystroke in a 5,000-line file: the editor's `Checker` (documents re-read only when their
/// text changed) after one character of one document changed, alternating two edits so each
/// run has a document to re-read.
fn time_keystroke(label: &str, text: &str) {
    let mut checker = kubesim::hints::Checker::default();
    let at = text.find("replicas: 3").expect("a replicas line") + "replicas: ".len();
    let edits = [
        format!("{}4{}", &text[..at], &text[at + 1..]),
        format!("{}5{}", &text[..at], &text[at + 1..]),
    ];
    let found = checker.diagnostics(&[("f.yaml", text)]).len();
    let mut runs = Vec::new();
    for i in 0..15 {
        let files = [("f.yaml", edits[i % 2].as_str())];
        let start = Instant::now();
        std::hint::black_box(checker.diagnostics(std::hint::black_box(&files)));
        runs.push(start.elapsed().as_secs_f64() * 1e3);
    }
    runs.sort_by(|a, b| a.total_cmp(b));
    let lines = text.lines().count();
    println!(
        "{label:<34} {lines:>6} lines  {found:>4} diagnostics  median {:>7.2} ms  min {:>7.2} ms",
        runs[runs.len() / 2],
        runs[0]
    );
}

fn main() {
    let many = many_documents();
    let one = one_document();
    let seed = examples::MONGODB.to_vec();
    time("seed (3 files)", &seed);
    time("5,000 lines, many documents", &[("many.yaml", &many)]);
    time("5,000 lines, one StatefulSet", &[("one.yaml", &one)]);
    time_keystroke("keystroke, many documents (Checker)", &many);
    time_keystroke("keystroke, one StatefulSet (Checker)", &one);
    let start = Instant::now();
    let mut n = 0;
    for offset in (0..many.len()).step_by(many.len() / 50) {
        n += kubesim::schema::complete(&many, offset).len();
    }
    println!(
        "complete() at 50 offsets of the 5,000-line file: {:.2} ms each ({n} candidates)",
        start.elapsed().as_secs_f64() * 1e3 / 50.0
    );
}
