//! `kubectl wait --for=delete|condition=...|jsonpath=...` (upstream `pkg/cmd/wait/wait.go`):
//! blocks until every named object meets the condition, or times out (default 30s).

use crate::kubectl::cli::{Resource, WaitFor};
use crate::kubectl::exec::jsonpath::{json_path, value_text};
use crate::kubectl::exec::objects::{find, not_found, Selector};
use crate::kubectl::exec::{now_ts, singular, Job, Output, Shell, MAX_BLOCK_MS};

impl Shell {
    pub(super) fn wait(
        &mut self,
        resource: Resource,
        names: Vec<String>,
        for_: WaitFor,
        timeout_seconds: Option<u64>,
        out: &mut Output,
    ) {
        let mut pending = Vec::new();
        for n in names {
            if !matches!(for_, WaitFor::Delete)
                && find(
                    &self.cluster,
                    Some(&self.namespace),
                    resource,
                    std::slice::from_ref(&n),
                    &Selector::default(),
                    now_ts(&self.cluster),
                )
                .values
                .is_empty()
            {
                out.fail(not_found(resource, &n));
                return;
            }
            pending.push(n);
        }
        let timeout = timeout_seconds
            .unwrap_or(30)
            .saturating_mul(1000)
            .min(MAX_BLOCK_MS);
        self.block(Job::Wait {
            resource,
            pending,
            for_,
            deadline: self.cluster.now() + timeout,
        });
        self.process(out);
    }

    /// The wait job's step: prints `<kind>/<name> condition met` for each name whose condition
    /// now holds; true when none is left.
    pub(in crate::kubectl) fn wait_step(
        &self,
        resource: Resource,
        pending: &mut Vec<String>,
        for_: &WaitFor,
        out: &mut Output,
    ) -> bool {
        let mut still = Vec::new();
        for n in pending.drain(..) {
            match self.condition(resource, &n, for_) {
                Some(line) => out.out(line),
                None => still.push(n),
            }
        }
        *pending = still;
        pending.is_empty()
    }

    /// `Some("pod/x condition met\n")` when the wait condition holds.
    fn condition(&self, resource: Resource, name: &str, for_: &WaitFor) -> Option<String> {
        let f = find(
            &self.cluster,
            Some(&self.namespace),
            resource,
            &[name.to_string()],
            &Selector::default(),
            now_ts(&self.cluster),
        );
        let met = format!("{}/{name} condition met\n", singular(resource));
        let Some(v) = f.values.first() else {
            return matches!(for_, WaitFor::Delete).then_some(met);
        };
        let ok = match for_ {
            WaitFor::Delete => false,
            WaitFor::Condition { name: c, value } => v["status"]["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|cond| {
                    cond["type"]
                        .as_str()
                        .is_some_and(|t| t.eq_ignore_ascii_case(c))
                        && cond["status"]
                            .as_str()
                            .is_some_and(|s| s.eq_ignore_ascii_case(value))
                }),
            WaitFor::JsonPath { path, value } => match (json_path(v, path), value) {
                (Some(found), Some(want)) => value_text(found) == *want,
                (Some(found), None) => !found.is_null(),
                (None, _) => false,
            },
        };
        ok.then_some(met)
    }
}
