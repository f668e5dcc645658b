//! The inspector's text for one object: what `kubectl describe`, `kubectl get -o yaml` and
//! `kubectl get events` print for it, through the console's own interpreter (on a copy of
//! the cluster, so inspecting never changes anything).

use std::collections::BTreeMap;

use crate::engine::Cluster;
use crate::kubectl::exec::Shell;

/// What the inspector shows for one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inspection {
    /// `pod/mongo-0`
    pub title: String,
    pub describe: String,
    pub yaml: String,
    /// `kubectl get events`, only the rows about this object (with the header).
    pub events: String,
}

/// The kubectl resource words the inspector accepts, with the kind `get events` prints.
const KINDS: [(&str, &str); 6] = [
    ("pod", "pod"),
    ("statefulset", "statefulset"),
    ("pvc", "persistentvolumeclaim"),
    ("pv", "persistentvolume"),
    ("service", "service"),
    ("node", "node"),
];

/// Describes `resource/name` (`resource` one of pod, statefulset, pvc, pv, service, node) in
/// `namespace` as the console would print it.
pub fn inspect(cluster: &Cluster, resource: &str, namespace: &str, name: &str) -> Inspection {
    let event_kind = KINDS
        .iter()
        .find(|(r, _)| *r == resource)
        .map_or(resource, |(_, k)| k);
    let mut shell = Shell::with_cluster(cluster.clone(), BTreeMap::new());
    let ns = format!("-n {namespace}");
    let describe = shell.run(&format!("kubectl describe {resource} {name} {ns}"));
    let yaml = shell.run(&format!("kubectl get {resource} {name} {ns} -o yaml"));
    let all_events = shell.run(&format!("kubectl get events {ns}")).stdout();
    let object = format!("{event_kind}/{name}");
    let mut lines = all_events.lines();
    let mut events: String = lines
        .next()
        .filter(|h| h.starts_with("LAST SEEN"))
        .map(|h| format!("{h}\n"))
        .unwrap_or_default();
    let rows: Vec<&str> = lines
        .filter(|l| l.split_whitespace().any(|w| w == object))
        .collect();
    if rows.is_empty() {
        events = format!("No events for {object}.\n");
    } else {
        for row in rows {
            events.push_str(row);
            events.push('\n');
        }
    }
    Inspection {
        title: format!("{resource}/{name}"),
        describe: describe.text(),
        yaml: yaml.text(),
        events,
    }
}
