//! Golden transcripts: every `tests/sessions/*.session` at the repository root is run on a
//! fresh simulated cluster and compared with its recorded `.out`, byte for byte.
//! Rerecord with `cargo run -p kubesim --bin kubesim -- run --update tests/sessions/X.session`.

use std::path::{Path, PathBuf};

fn sessions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/sessions")
}

/// The project's golden sessions, plus the sessions the embed example and the presets play
/// (docs keep their transcripts true the same way).
const SESSION_DIRS: &[&str] = &["tests/sessions", "examples/presets"];

#[test]
fn every_session_matches_its_transcript() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut sessions: Vec<PathBuf> = Vec::new();
    for dir in SESSION_DIRS {
        let dir = root.join(dir);
        let found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "session"))
            .collect();
        assert!(!found.is_empty(), "no sessions in {}", dir.display());
        sessions.extend(found);
    }
    sessions.sort();
    let mut failures = Vec::new();
    for session in &sessions {
        let text = std::fs::read_to_string(session).unwrap();
        let base = session.parent().unwrap().to_path_buf();
        let actual = kubesim::kubectl::exec::run_session(&text, |f| {
            std::fs::read_to_string(base.join(f)).ok()
        })
        .unwrap_or_else(|e| panic!("{}: {e}", session.display()));
        let out = PathBuf::from(format!("{}.out", session.display()));
        let expected = std::fs::read_to_string(&out).unwrap_or_default();
        let diff = kubesim::session::diff(&expected, &actual);
        if !diff.is_empty() {
            failures.push(format!("{}:\n{diff}", session.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "transcripts differ:\n{}",
        failures.join("\n")
    );
}

#[test]
fn a_session_runs_the_same_twice() {
    let dir = sessions_dir();
    let path = dir.join("seed-walkthrough.session");
    let text = std::fs::read_to_string(&path).unwrap();
    let run = || {
        kubesim::kubectl::exec::run_session(&text, |f| std::fs::read_to_string(dir.join(f)).ok())
            .unwrap()
    };
    assert_eq!(run(), run());
}
