//! What the console ran, and when: the [`Shell`](super::exec::Shell) appends one [`Entry`] per
//! line it starts (the simulated instant, the line, and the text of every `-f` file the line
//! names as it was at that instant). `crate::workspace` turns this record into a session that
//! rebuilds the same cluster history.

use std::collections::BTreeMap;

/// One console line, as the shell started it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    /// Simulated milliseconds since the engine's epoch when the line started.
    pub at: u64,
    /// The line as typed (trimmed).
    pub line: String,
    /// `(name, text)` of each `-f` file of the line that the shell holds, as it was then.
    pub files: Vec<(String, String)>,
}

/// The lines a shell started, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<Entry>,
}

impl History {
    /// Records `line` started at `at`; blank lines are not recorded (they run nothing).
    pub fn record(&mut self, at: u64, line: &str, files: &BTreeMap<String, String>) {
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        let files = super::exec::file_args(line)
            .into_iter()
            .filter_map(|f| files.get(&f).map(|t| (f, t.clone())))
            .collect();
        self.entries.push(Entry {
            at,
            line: line.to_string(),
            files,
        });
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::super::exec::Shell;

    #[test]
    fn the_shell_records_each_line_with_its_instant_and_files() {
        let files = kubesim_files();
        let mut sh = Shell::new(Default::default(), files);
        sh.run("kubectl apply -f mongo-service.yaml");
        sh.run("sleep 2.5");
        sh.start("kubectl get pods -w");
        sh.poll(4_000);
        sh.start("   ");
        sh.start("kubectl get svc");
        let e = sh.history.entries();
        assert_eq!(e.len(), 4);
        assert_eq!(
            (e[0].at, e[0].line.as_str()),
            (0, "kubectl apply -f mongo-service.yaml")
        );
        assert_eq!(e[0].files[0].0, "mongo-service.yaml");
        assert!(e[0].files[0].1.contains("clusterIP: None"));
        assert_eq!((e[1].at, e[1].line.as_str()), (0, "sleep 2.5"));
        assert_eq!(e[2].at, 2_500);
        assert_eq!((e[3].at, e[3].line.as_str()), (4_000, "kubectl get svc"));
        assert!(e[3].files.is_empty());
    }

    fn kubesim_files() -> std::collections::BTreeMap<String, String> {
        crate::examples::MONGODB
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    }
}
