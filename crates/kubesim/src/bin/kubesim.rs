//! `kubesim`: runs console sessions against the simulated cluster and prints transcripts.
//!
//! ```text
//! kubesim run SESSION            print the transcript of SESSION
//! kubesim run --check SESSION.out  rerun SESSION, compare with SESSION.out, print the diff
//! kubesim run --update SESSION   rewrite SESSION.out from a fresh run
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kubesim::kubectl::exec;
use kubesim::session;

/// Native runs allocate through mimalloc (see the `mimalloc` dependency in Cargo.toml; the
/// binary is only built for wasm alongside the browser bench, which does not run it).
#[cfg(all(not(feature = "system-alloc"), not(target_arch = "wasm32")))]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const HELP: &str = "\
kubesim - run StatefulSet Playground console sessions against a simulated Kubernetes v1.35 cluster

USAGE:
    kubesim run SESSION              print the transcript of SESSION
    kubesim run --check SESSION.out  run the session SESSION (the path minus .out) and compare its
                                     transcript with SESSION.out; print the diff, exit 1 on mismatch
    kubesim run --update SESSION     run SESSION and (re)write SESSION.out
    kubesim --help                   this text

A session file holds one console command per line as `$ COMMAND` (kubectl ..., nslookup, dig,
sleep SECONDS), plus `#` comments and blank lines, which the transcript echoes. Manifest paths
given to -f are read relative to the session file. Every session starts on a fresh simulated
cluster (3 nodes, clock at 2026-01-01T00:00:00Z), so the same session always prints the same
transcript, byte for byte.

Blocking commands (kubectl rollout status, wait, get -w, delete) run the simulated clock until
they are done; a watch that would run forever stops when the cluster has nothing left to do, or
after 5 simulated minutes. `kubectl wait` honours --timeout (default 30s).
";

/// Runs a session file and returns its transcript.
fn run_session(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    exec::run_session(&text, |f| std::fs::read_to_string(dir.join(f)).ok())
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["--help"] | ["-h"] | ["help"] => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        ["run", "--check", out] => {
            let out_path = PathBuf::from(out);
            let Some(session) = out.strip_suffix(".out") else {
                eprintln!("kubesim: --check takes the recorded transcript, SESSION.out");
                return ExitCode::from(2);
            };
            let expected = match std::fs::read_to_string(&out_path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("kubesim: {out}: {e}");
                    return ExitCode::from(2);
                }
            };
            match run_session(Path::new(session)) {
                Ok(actual) => {
                    let d = session::diff(&expected, &actual);
                    if d.is_empty() {
                        ExitCode::SUCCESS
                    } else {
                        print!("{d}");
                        ExitCode::FAILURE
                    }
                }
                Err(e) => {
                    eprintln!("kubesim: {e}");
                    ExitCode::from(2)
                }
            }
        }
        ["run", "--update", session] => match run_session(Path::new(session)) {
            Ok(t) => {
                let out = format!("{session}.out");
                if let Err(e) = std::fs::write(&out, t) {
                    eprintln!("kubesim: {out}: {e}");
                    return ExitCode::from(2);
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("kubesim: {e}");
                ExitCode::from(2)
            }
        },
        ["run", session] if !session.starts_with('-') => match run_session(Path::new(session)) {
            Ok(t) => {
                print!("{t}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("kubesim: {e}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprint!("kubesim: unrecognized arguments\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}
