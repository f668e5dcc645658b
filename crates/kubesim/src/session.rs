//! Sessions: scripted console input, and the transcripts they produce.
//!
//! A session file holds one console command per line as `$ COMMAND`, plus `#` comments and blank
//! lines. Running it prints a transcript: every comment and blank line as written, and every
//! command as `$ COMMAND` followed by what it printed (stdout and stderr, in the order they were
//! written). Same session, same transcript, byte for byte: the cluster is simulated and starts
//! from the same state every time.
//!
//! Checking compares a fresh transcript with a recorded one and reports a line diff, so
//! documentation can keep its transcripts honest in CI.

use std::fmt::Write as _;

/// One line of a session file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// `$ COMMAND`
    Command(String),
    /// A comment or blank line, echoed as written.
    Text(String),
}

/// Reads a session file. Lines that are neither `$ ` commands, comments nor blank are errors
/// (1-based line numbers), so a typo cannot silently skip a step.
pub fn parse(text: &str) -> Result<Vec<Line>, String> {
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let trimmed = line.trim_start();
            if let Some(command) = trimmed.strip_prefix("$ ") {
                Ok(Line::Command(command.trim().to_string()))
            } else if trimmed == "$" {
                Ok(Line::Command(String::new()))
            } else if trimmed.is_empty() || trimmed.starts_with('#') {
                Ok(Line::Text(line.to_string()))
            } else {
                Err(format!(
                    "line {}: expected `$ COMMAND`, a `#` comment or a blank line, found {line:?}",
                    i + 1
                ))
            }
        })
        .collect()
}

/// The comment that picks the simulated cluster a session runs on, e.g.
/// `# cluster: profile=kind-like nodes=4` (before the first command; default: `bare`, 3 nodes).
pub const CLUSTER_HEADER: &str = "# cluster:";

/// The cluster a session asks for in its [`CLUSTER_HEADER`] comment (defaults otherwise).
pub fn cluster_config(lines: &[Line]) -> Result<crate::engine::ClusterConfig, String> {
    let mut config = crate::engine::ClusterConfig::default();
    for line in lines {
        let text = match line {
            Line::Command(_) => break,
            Line::Text(t) => t.trim(),
        };
        let Some(options) = text.strip_prefix(CLUSTER_HEADER) else {
            continue;
        };
        for option in options.split_whitespace() {
            match option.split_once('=') {
                Some(("profile", p)) => {
                    config.profile =
                        crate::engine::profile::Profile::from_name(p).ok_or_else(|| {
                            format!("{text}: unknown profile {p:?} (bare or kind-like)")
                        })?
                }
                Some(("nodes", n)) => match n.parse::<usize>() {
                    Ok(n @ 1..=MAX_NODES) => config.nodes = n,
                    _ => return Err(format!("{text}: nodes must be 1 to {MAX_NODES}, not {n:?}")),
                },
                _ => {
                    return Err(format!(
                        "{text}: unknown option {option:?} (profile=NAME, nodes=N)"
                    ))
                }
            }
        }
    }
    Ok(config)
}

/// Most nodes a session or shared workspace may ask for.
pub const MAX_NODES: usize = 20;

/// Runs a session through `run_command`, which returns what one command printed.
pub fn transcript(lines: &[Line], mut run_command: impl FnMut(&str) -> String) -> String {
    let mut out = String::new();
    for line in lines {
        match line {
            Line::Text(text) => {
                out.push_str(text);
                out.push('\n');
            }
            Line::Command(command) => {
                let _ = writeln!(out, "$ {command}");
                let printed = run_command(command);
                out.push_str(&printed);
                if !printed.is_empty() && !printed.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// A unified-style line diff of `expected` against `actual`, empty when they are equal.
/// Lines only in the recording start with `-`, lines only in the fresh run with `+`; each hunk
/// is headed by the 1-based line numbers where it starts in both.
pub fn diff(expected: &str, actual: &str) -> String {
    if expected == actual {
        return String::new();
    }
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    // Longest common subsequence table, from the ends (transcripts are small).
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    let mut in_hunk = false;
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            in_hunk = false;
            i += 1;
            j += 1;
            continue;
        }
        if !in_hunk {
            let _ = writeln!(out, "@@ recorded line {}, fresh line {} @@", i + 1, j + 1);
            in_hunk = true;
        }
        if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "-{}", a[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+{}", b[j]);
            j += 1;
        }
    }
    if out.is_empty() {
        // Same lines, different line endings or final newline.
        out.push_str("@@ the transcripts differ only in line endings or the final newline @@\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_keep_comments_and_reject_stray_lines() {
        let lines = parse("# apply\n$ kubectl get pods\n\n$ sleep 5\n").unwrap();
        assert_eq!(
            lines,
            [
                Line::Text("# apply".into()),
                Line::Command("kubectl get pods".into()),
                Line::Text(String::new()),
                Line::Command("sleep 5".into()),
            ]
        );
        assert_eq!(
            parse("$ kubectl get pods\nkubectl get pv\n").unwrap_err(),
            "line 2: expected `$ COMMAND`, a `#` comment or a blank line, found \"kubectl get pv\""
        );
    }

    #[test]
    fn a_transcript_echoes_each_command_before_its_output() {
        let lines = parse("# hi\n$ a\n$ b\n").unwrap();
        let out = transcript(&lines, |c| {
            if c == "a" {
                "one\ntwo\n".into()
            } else {
                String::new()
            }
        });
        assert_eq!(out, "# hi\n$ a\none\ntwo\n$ b\n");
    }

    #[test]
    fn diff_shows_what_changed_and_nothing_when_equal() {
        assert_eq!(diff("a\nb\n", "a\nb\n"), "");
        assert_eq!(
            diff("$ x\nold\nsame\n", "$ x\nnew\nsame\n"),
            "@@ recorded line 2, fresh line 2 @@\n-old\n+new\n"
        );
        assert_eq!(
            diff("a\n", "a\nb\n"),
            "@@ recorded line 2, fresh line 2 @@\n+b\n"
        );
        assert!(!diff("a\n", "a").is_empty());
    }
}
