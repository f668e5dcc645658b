//! Hostile manifests (issue 19): each gets one clear diagnostic naming the playground's limit, or
//! a bounded result, without panicking. The work is bounded by construction (limits checked
//! before the expensive step); the tests assert the results and the sizes that bound the work,
//! never wall-clock time. `cargo test --release -p kubesim --test hostile_yaml -- --nocapture`
//! prints the native time of each case.

use std::time::Instant;

use kubesim::manifest::{self, Manifest, Severity, MAX_DOCUMENTS, MAX_FIELD_DIAGNOSTICS};
use kubesim::yaml::{Stop, Tree, MAX_ALIAS_NODES, MAX_DEPTH};

/// This thread's CPU time in clock ticks (Linux; 0 elsewhere): the machine may be shared, so
/// the printed figures give CPU time beside wall-clock time.
fn cpu_ticks() -> u64 {
    std::fs::read_to_string("/proc/thread-self/stat")
        .ok()
        .and_then(|s| {
            let fields: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0)
}

fn timed(case: &str, text: &str) -> Manifest {
    let (start, cpu) = (Instant::now(), cpu_ticks());
    let m = manifest::parse(text);
    println!(
        "{case}: {} bytes, {} diagnostics, {:?} wall, {} ms CPU",
        text.len(),
        m.diagnostics.len(),
        start.elapsed(),
        (cpu_ticks() - cpu) * 10
    );
    m
}

fn messages(m: &Manifest) -> Vec<String> {
    m.diagnostics.iter().map(|d| d.to_string()).collect()
}

const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: None\n  ports:\n  - port: 80\n";

#[test]
fn a_100000_deep_flow_sequence_is_refused_before_the_parser_sees_it() {
    let n = 100_000;
    let text = format!("{SERVICE}  selector: {}{}\n", "[".repeat(n), "]".repeat(n));
    let m = timed("100,000-deep flow sequence", &text);
    assert_eq!(
        messages(&m),
        [format!(
            "9:{}: error: YAML syntax: document nesting exceeds the playground's limit of {MAX_DEPTH} levels",
            13 + MAX_DEPTH
        )]
    );
    // Refused by the lexical check: no tree was built.
    assert!(matches!(
        Tree::read(&text[SERVICE.len()..]),
        Err(Stop::Limit(_))
    ));
}

#[test]
fn nesting_just_over_the_limit_is_refused_by_the_tree_at_the_deepest_level() {
    // 129 brackets, under the lexical check's threshold, so the tree reader counts the levels:
    // with the document's mapping and `spec`, the 127th bracket is the 129th level.
    let text = format!(
        "{SERVICE}  selector: {}{}\n",
        "[".repeat(129),
        "]".repeat(129)
    );
    let m = timed("129-deep flow sequence", &text);
    assert_eq!(
        messages(&m),
        ["9:139: error: YAML syntax: document nesting exceeds the playground's limit of 128 levels"]
    );
    // Block nesting counts too.
    let mut deep = String::from("a:\n");
    for level in 1..=200 {
        deep.push_str(&format!("{}- \n", "  ".repeat(level)));
    }
    let m = manifest::parse(&deep);
    assert!(
        messages(&m)[0].contains("nesting exceeds the playground's limit of 128 levels"),
        "{:?}",
        messages(&m)
    );
}

#[test]
fn fifty_thousand_unknown_fields_give_a_bounded_list() {
    let n = 50_000;
    // The extras are fields of `spec` (indented under it).
    let mut text = String::from(SERVICE);
    for i in 0..n {
        text.push_str(&format!("  extra{i}: {i}\n"));
    }
    let m = timed("50,000 unknown fields", &text);
    let all = messages(&m);
    assert_eq!(all.len(), MAX_FIELD_DIAGNOSTICS + 1);
    assert_eq!(
        all[0],
        "9:3: error: strict decoding error: unknown field \"spec.extra0\""
    );
    assert_eq!(
        all[MAX_FIELD_DIAGNOSTICS],
        format!(
            "{}:3: error: strict decoding error: {} more unknown fields (the playground reports at most {MAX_FIELD_DIAGNOSTICS} per document)",
            9 + MAX_FIELD_DIAGNOSTICS,
            n - MAX_FIELD_DIAGNOSTICS
        )
    );
    assert!(m.objects.is_empty());
}

#[test]
fn a_billion_laughs_is_refused_before_anything_is_expanded() {
    let mut text = String::from(SERVICE);
    text.push_str("  selector:\n    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        let refs = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("    {name}: &{name} [{refs}]\n"));
    }
    let m = timed("billion laughs", &text);
    let all = messages(&m);
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(
        all[0].contains(
            "YAML syntax: aliases expand this document by more than the playground's limit"
        ),
        "{all:?}"
    );
    // The tree holds what was written, not what the aliases would expand to.
    let doc = &text[text.find("  selector").unwrap()..];
    let yaml = format!("x:\n{doc}");
    assert!(matches!(Tree::read(&yaml), Err(Stop::Limit(_))));
}

#[test]
fn one_big_anchor_repeated_many_times_is_refused_too() {
    // Under serde_yaml's own repetition limit (jumps ≤ 100 × events), but 10,000 × 10,000
    // nodes once expanded.
    let items = vec!["x"; 10_000].join(", ");
    let refs = vec!["*a"; 10_000].join(", ");
    let text = format!("{SERVICE}  selector:\n    a: &a [{items}]\n    b: [{refs}]\n");
    let m = timed("big anchor x 10,000", &text);
    let all = messages(&m);
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(
        all[0].contains(&format!(
            "({MAX_ALIAS_NODES} at most, 100 per node written)"
        )),
        "{all:?}"
    );
}

#[test]
fn a_10_mb_paste_is_refused_with_the_size_limit() {
    let mut text = String::new();
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(SERVICE);
        text.push_str("---\n");
    }
    let m = timed("10 MB paste", &text);
    assert_eq!(
        messages(&m),
        [format!(
            "1:1: error: the text is {} bytes, more than the playground's limit of 3145728 bytes (3 MiB, the API server's request size limit)",
            text.len()
        )]
    );
}

#[test]
fn a_text_just_under_the_size_limit_is_read_in_full() {
    // ~3 MiB of valid Services, under the document limit: every object is read.
    let body = format!("{SERVICE}{}", "  # padding\n".repeat(270));
    let mut text = String::new();
    let mut count = 0;
    while text.len() + body.len() + 4 < manifest::MAX_TEXT_BYTES && count < MAX_DOCUMENTS {
        text.push_str(&body.replace("name: web", &format!("name: web{count}")));
        text.push_str("---\n");
        count += 1;
    }
    let m = timed("~3 MiB of Services", &text);
    assert!(m.diagnostics.is_empty(), "{:?}", &messages(&m)[..1]);
    assert_eq!(m.objects.len(), count);
}

#[test]
fn a_hundred_thousand_documents_stop_at_the_document_limit() {
    let n = 100_000;
    let text = "a: 1\n---\n".repeat(n);
    let m = timed("100,000 documents", &text);
    let all = messages(&m);
    // One "apiVersion/kind not set" per document read, then the limit.
    assert_eq!(all.len(), MAX_DOCUMENTS + 1);
    assert_eq!(
        all[MAX_DOCUMENTS],
        format!(
            "{}:1: error: the text has {n} documents, more than the playground's limit of {MAX_DOCUMENTS}; the documents from here on are not read",
            2 * MAX_DOCUMENTS + 1
        )
    );
    assert!(m.diagnostics.iter().all(|d| d.severity == Severity::Error));
}

#[test]
fn ten_thousand_containers_missing_their_image_give_a_bounded_list() {
    let mut text = String::from(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n",
    );
    for i in 0..10_000 {
        text.push_str(&format!("      - name: c{i}\n"));
    }
    let m = timed("10,000 containers without image", &text);
    let all = messages(&m);
    assert_eq!(all.len(), MAX_FIELD_DIAGNOSTICS + 2, "{:?}", &all[..3]);
    // The container limit (limits.rs) is the error; the per-container problems are the
    // pod's (upstream validates the template only when a pod is created), as warnings, bounded.
    assert_eq!(
        all[0],
        "15:7: error: spec.template.spec.containers: Too many: 10000: must have at most 100 items (a playground limit: MAX_CONTAINERS)"
    );
    assert!(
        all[1].starts_with(
            "16:7: warning: spec.template.spec.containers[0].image: Required value (the API server accepts"
        ),
        "{}",
        all[1]
    );
    assert!(all[MAX_FIELD_DIAGNOSTICS + 1].ends_with(&format!(
        "9900 more pod template problems in this document (the playground reports at most {MAX_FIELD_DIAGNOSTICS} per document)"
    )));
}
