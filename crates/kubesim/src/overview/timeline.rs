//! The lifecycle timeline: one row per StatefulSet ordinal, each pod's states as segments in
//! time, with the pod's events as ticks. OrderedReady vs Parallel, a halted rollout and a
//! top-down update are visible at a glance.
//!
//! The cluster's watch log is bounded, so the history is kept here, compactly: a [`Timeline`]
//! reads the watch log since its last position on every [`Timeline::observe`] and keeps, per
//! ordinal, the newest [`MAX_SEGMENTS`] state changes and [`MAX_TICKS`] events. If the watch
//! log was trimmed past its position (it was not observed for a long time), it samples the
//! pods as they are now instead, so it never claims a change at a wrong instant earlier than
//! the one it saw.

use std::collections::{BTreeMap, VecDeque};

use k8s_openapi::api::core::v1::Pod;

use super::{pod_state, PodState};
use crate::engine::{self, AnyObject, Cluster, Command, WatchEventType};
use crate::kubectl::printers;

/// State changes kept per ordinal.
pub const MAX_SEGMENTS: usize = 48;
/// Events kept per ordinal.
pub const MAX_TICKS: usize = 48;

/// One stretch of time a pod spent in one state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub from: u64,
    /// `None` while it lasts.
    pub to: Option<u64>,
    pub state: PodState,
    /// The pod's ControllerRevision (its template version) during the stretch.
    pub revision: Option<String>,
}

/// An event recorded for the pod (`Scheduled`, `Pulled`, `Killing`...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tick {
    pub at: u64,
    pub reason: String,
    pub warning: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Row {
    segments: VecDeque<Segment>,
    ticks: VecDeque<Tick>,
}

/// (namespace, set, ordinal)
type RowKey = (String, String, i64);

/// The per-ordinal phase history of every StatefulSet, fed from the watch log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    cursor: usize,
    rows: BTreeMap<RowKey, Row>,
}

/// A row of the timeline as drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineRow {
    pub namespace: String,
    pub set: String,
    pub ordinal: i64,
    /// `mongo-0`
    pub pod: String,
    pub segments: Vec<Segment>,
    pub ticks: Vec<Tick>,
}

/// A command on the time axis (an apply, a scale, a delete...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub at: u64,
    pub label: String,
}

/// The timeline up to an instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineView {
    /// The axis: from the first state change (or 0) to `axis_end`; `end` is now (where open
    /// segments stop).
    pub start: u64,
    pub end: u64,
    /// `end` rounded up to the axis's step ([`axis_end`]): the axis moves in steps, so a
    /// running clock re-lays the whole timeline out only when it steps, not on every tick.
    pub axis_end: u64,
    pub rows: Vec<TimelineRow>,
    pub markers: Vec<Marker>,
}

/// The right end of an axis from `start` that shows `end`: `end` rounded up to a step of 1, 2
/// or 5 times a power of ten seconds, the smallest at least an eighth of the span (so the
/// axis steps a few times while the span doubles, and runs ahead of `end` by less than a third
/// of the span).
pub fn axis_end(start: u64, end: u64) -> u64 {
    let span = end.saturating_sub(start);
    let mut step = 1_000u64;
    'find: for scale in [1u64, 10, 100, 1_000, 10_000, 100_000, 1_000_000] {
        for m in [1, 2, 5] {
            step = m * scale * 1_000;
            if step * 8 >= span {
                break 'find;
            }
        }
    }
    start + span.div_ceil(step) * step
}

fn set_and_ordinal(pod: &Pod) -> Option<(String, i64)> {
    let owner = printers::controller_of(&pod.metadata)?;
    if owner.kind != "StatefulSet" {
        return None;
    }
    let (_, ordinal) = engine::store::parse_ordinal(pod.metadata.name.as_deref()?)?;
    Some((owner.name.clone(), ordinal))
}

fn revision_of(pod: &Pod) -> Option<String> {
    pod.metadata
        .labels
        .as_ref()?
        .get("controller-revision-hash")
        .cloned()
}

fn push_bounded<T>(q: &mut VecDeque<T>, item: T, max: usize) {
    q.push_back(item);
    while q.len() > max {
        q.pop_front();
    }
}

impl Row {
    /// The pod is in `state` from `at` on (`None`: gone).
    fn enter(&mut self, at: u64, state: Option<(PodState, Option<String>)>) {
        if let Some(open) = self.segments.back_mut().filter(|s| s.to.is_none()) {
            if state
                .as_ref()
                .is_some_and(|(st, rev)| *st == open.state && *rev == open.revision)
            {
                return;
            }
            open.to = Some(at);
        }
        if let Some((state, revision)) = state {
            push_bounded(
                &mut self.segments,
                Segment {
                    from: at,
                    to: None,
                    state,
                    revision,
                },
                MAX_SEGMENTS,
            );
        }
    }
}

impl Timeline {
    pub fn new() -> Self {
        Timeline::default()
    }

    /// Reads what happened in `cluster` since the last call.
    pub fn observe(&mut self, cluster: &Cluster) {
        let start = cluster.store().watch_start();
        let lagged = self.cursor < start;
        let now_ts = engine::timestamp(cluster.now()).0;
        for entry in cluster.watch_since(self.cursor) {
            match &entry.object {
                AnyObject::Pod(pod) => {
                    let Some((set, ordinal)) = set_and_ordinal(pod) else {
                        continue;
                    };
                    let key = (entry.namespace.clone(), set, ordinal);
                    let state = match entry.event {
                        WatchEventType::Deleted => None,
                        _ => {
                            let ts = engine::timestamp(entry.at).0;
                            let status = printers::pod_summary(pod, ts).status;
                            Some((pod_state(pod, &status), revision_of(pod)))
                        }
                    };
                    self.rows.entry(key).or_default().enter(entry.at, state);
                }
                AnyObject::Event(e) if e.involved_kind == "Pod" => {
                    let Some((set, ordinal)) = engine::store::parse_ordinal(&e.involved_name)
                    else {
                        continue;
                    };
                    let key = (e.namespace.clone(), set.to_string(), ordinal);
                    if let Some(row) = self.rows.get_mut(&key) {
                        let tick = Tick {
                            at: e.last,
                            reason: e.reason.to_string(),
                            warning: e.type_ == "Warning",
                        };
                        if row.ticks.back() != Some(&tick) {
                            push_bounded(&mut row.ticks, tick, MAX_TICKS);
                        }
                    }
                }
                _ => {}
            }
        }
        if lagged {
            // Entries were trimmed before they were read: take the pods as they are now.
            let mut present = std::collections::BTreeSet::new();
            for pod in cluster.store().list::<Pod>() {
                if let Some((set, ordinal)) = set_and_ordinal(pod) {
                    let ns = pod.metadata.namespace.clone().unwrap_or_default();
                    let key = (ns, set, ordinal);
                    let status = printers::pod_summary(pod, now_ts).status;
                    let state = (pod_state(pod, &status), revision_of(pod));
                    self.rows
                        .entry(key.clone())
                        .or_default()
                        .enter(cluster.now(), Some(state));
                    present.insert(key);
                }
            }
            for (key, row) in self.rows.iter_mut() {
                if !present.contains(key) {
                    row.enter(cluster.now(), None);
                }
            }
        }
        self.cursor = cluster.watch_end();
    }

    /// Forgets everything after `cluster.now()` and continues from `cluster`'s watch log: used
    /// when a past instant, rebuilt by replay, becomes the present (a forked future).
    pub fn fork(&mut self, cluster: &Cluster) {
        let at = cluster.now();
        for row in self.rows.values_mut() {
            row.segments.retain(|s| s.from <= at);
            if let Some(last) = row.segments.back_mut() {
                if last.to.is_some_and(|to| to > at) {
                    last.to = None;
                }
            }
            row.ticks.retain(|t| t.at <= at);
        }
        self.rows.retain(|_, r| !r.segments.is_empty());
        self.cursor = cluster.watch_end();
    }

    /// The timeline as it stood at `until` (later changes cut off), with `cluster`'s commands
    /// up to then as markers.
    pub fn view(&self, cluster: &Cluster, until: u64) -> TimelineView {
        let rows: Vec<TimelineRow> = self
            .rows
            .iter()
            .filter_map(|((ns, set, ordinal), row)| {
                let segments: Vec<Segment> = row
                    .segments
                    .iter()
                    .filter(|s| s.from <= until)
                    .map(|s| Segment {
                        to: s.to.filter(|to| *to <= until),
                        ..s.clone()
                    })
                    .collect();
                (!segments.is_empty()).then(|| TimelineRow {
                    namespace: ns.clone(),
                    set: set.clone(),
                    ordinal: *ordinal,
                    pod: format!("{set}-{ordinal}"),
                    segments,
                    ticks: row
                        .ticks
                        .iter()
                        .filter(|t| t.at <= until)
                        .cloned()
                        .collect(),
                })
            })
            .collect();
        let start = rows
            .iter()
            .filter_map(|r| r.segments.first().map(|s| s.from))
            .min()
            .unwrap_or(0);
        let end = until.max(start);
        TimelineView {
            start,
            end,
            axis_end: axis_end(start, end),
            rows,
            markers: markers(cluster, until),
        }
    }
}

/// The commands of `cluster`'s log up to `until`, in words, for the time axis.
pub fn markers(cluster: &Cluster, until: u64) -> Vec<Marker> {
    cluster
        .command_log()
        .iter()
        .filter(|r| r.at <= until)
        .map(|r| Marker {
            at: r.at,
            label: command_label(&r.command),
        })
        .collect()
}

/// A command as a short phrase (`scale mongo to 5`).
pub fn command_label(command: &Command) -> String {
    match command {
        Command::Apply(o) => format!("apply {}", o.reference()),
        Command::Delete { kind, name, .. } => format!("delete {kind:?} {name}").to_lowercase(),
        Command::Scale { name, replicas, .. } => format!("scale {name} to {replicas}"),
        Command::Annotate {
            name, key, value, ..
        } => match value {
            Some(v) => format!("annotate {name} {key}={v}"),
            None => format!("annotate {name} {key}-"),
        },
        Command::Label {
            name, key, value, ..
        } => match value {
            Some(v) => format!("label {name} {key}={v}"),
            None => format!("label {name} {key}-"),
        },
        Command::NodeDown(n) => format!("{n} down"),
        Command::NodeUp(n) => format!("{n} up"),
        Command::Cordon {
            node,
            unschedulable,
        } => format!(
            "{} {node}",
            if *unschedulable { "cordon" } else { "uncordon" }
        ),
        Command::RolloutUndo { name, .. } => format!("rollout undo {name}"),
        Command::EditMetadata {
            name,
            annotations,
            changes,
            ..
        } => format!(
            "{} {name} ({} keys)",
            if *annotations { "annotate" } else { "label" },
            changes.len()
        ),
        Command::Exec { pod, argv, .. } => format!("exec {pod} -- {}", argv.join(" ")),
        Command::CreatePod(pod) => {
            format!("run {}", pod.metadata.name.as_deref().unwrap_or_default())
        }
        Command::CreateNamespace(name) => format!("create namespace {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::axis_end;

    #[test]
    fn the_axis_shows_now_and_moves_in_steps() {
        let start = 5_000;
        let mut distinct = 0;
        let mut last = 0;
        // a clock running 15 simulated minutes in 50 ms ticks at 60x (3 s a tick)
        for end in (start..start + 900_000).step_by(3_000) {
            let axis = axis_end(start, end);
            let span = end - start;
            assert!(axis >= end, "the axis shows now: {axis} < {end}");
            assert!(
                axis - end < (span * 5 / 16).max(1_000),
                "less than a third of the span ahead: {axis} for {end}"
            );
            assert!(axis >= last, "the axis never shrinks while time runs");
            if axis != last {
                distinct += 1;
                last = axis;
            }
        }
        // 300 ticks, the axis changed on only a few of them
        assert!(distinct < 60, "{distinct} axis changes in 300 ticks");
        assert_eq!(axis_end(start, start), start);
        assert_eq!(axis_end(0, 2_500), 3_000);
    }
}
