//! kubectl's human-readable output, as kubectl v1.35 prints it.
//!
//! Everything here is a pure function of k8s-openapi objects and a `now` instant; nothing reads a
//! clock or a store. `now` is a [`Timestamp`] (`k8s_openapi::jiff::Timestamp`, the type inside
//! `metav1::Time` and `MicroTime`), so an object's own timestamps can be compared with it directly.
//! Events are `core/v1` [`Event`](k8s_openapi::api::core::v1::Event)s, the type `kubectl get events`
//! and `kubectl describe` read.
//!
//! Modules, each ported from the upstream file named in its header:
//! - [`duration`]: `HumanDuration` / `ShortHumanDuration` (AGE columns, `(2m5s ago)`).
//! - [`tabwriter`]: Go's `text/tabwriter` with liggitt's `RememberWidths` extension.
//! - [`table`]: the table printer (`-o wide`, `-A`, `--show-labels`, headers) and the
//!   `kubectl get -w` printer that keeps column widths between flushes.
//! - [`printers`]: column definitions and row functions per kind; `-o name` and the
//!   `<resource>/<name> <operation>` lines of mutating commands.
//! - [`describe`]: `kubectl describe` for StatefulSet, Pod, PVC, PV and Service, with Events.
//! - [`rollout`]: `kubectl rollout status` messages and `rollout history` for StatefulSets.

//! ```
//! use kubesim::kubectl::{printers, table::PrintOptions, Timestamp};
//! use k8s_openapi::api::core::v1::PersistentVolumeClaim;
//!
//! let pvc: PersistentVolumeClaim = serde_json::from_value(serde_json::json!({
//!     "metadata": {"name": "mongo-data-mongo-0", "creationTimestamp": "2026-01-01T00:00:00Z"},
//!     "spec": {"volumeName": "pv001", "storageClassName": ""},
//!     "status": {"phase": "Bound", "accessModes": ["ReadWriteMany"], "capacity": {"storage": "100Mi"}},
//! }))
//! .unwrap();
//! let now: Timestamp = "2026-01-01T00:19:30Z".parse().unwrap();
//! let out = printers::table(&[pvc], now).render(&PrintOptions::default());
//! assert_eq!(
//!     out,
//!     "NAME                 STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n\
//!      mongo-data-mongo-0   Bound    pv001    100Mi      RWX                           <unset>                 19m\n"
//! );
//! ```

pub mod cli;
mod cmd;
pub mod describe;
pub mod duration;
pub mod edit;
pub mod exec;
pub mod explain;
pub mod history;
pub mod printers;
pub mod rollout;
pub mod table;
pub mod tabwriter;

pub use k8s_openapi::jiff::Timestamp;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};
use std::collections::BTreeMap;

/// `translateTimestampSince`: the HumanDuration between `ts` and `now`, or `<unknown>` when the
/// timestamp is unset (Go's zero time).
pub fn age(ts: Option<&Time>, now: Timestamp) -> String {
    match ts {
        Some(t) => duration::human_duration_between(t.0, now),
        None => "<unknown>".to_string(),
    }
}

/// `translateMicroTimestampSince`, for `MicroTime` fields (event times).
pub fn micro_age(ts: Option<&MicroTime>, now: Timestamp) -> String {
    match ts {
        Some(t) => duration::human_duration_between(t.0, now),
        None => "<unknown>".to_string(),
    }
}

/// Go's `time.RFC1123Z` layout (`Mon, 02 Jan 2006 15:04:05 -0700`), always in UTC, which is
/// what kubectl prints on a machine whose local zone is UTC. An unset time prints as Go's zero
/// time, as kubectl does.
pub fn rfc1123z(ts: Option<&Timestamp>) -> String {
    match ts {
        Some(t) => k8s_openapi::jiff::fmt::strtime::format("%a, %d %b %Y %H:%M:%S +0000", *t)
            .unwrap_or_else(|_| "Mon, 01 Jan 0001 00:00:00 +0000".to_string()),
        None => "Mon, 01 Jan 0001 00:00:00 +0000".to_string(),
    }
}

/// `labels.FormatLabels`: `k=v` pairs sorted by key, comma separated; `<none>` when empty.
pub fn format_labels(labels: Option<&BTreeMap<String, String>>) -> String {
    match labels {
        Some(l) if !l.is_empty() => l
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        _ => "<none>".to_string(),
    }
}

pub(crate) fn s(o: Option<&String>) -> &str {
    o.map(String::as_str).unwrap_or("")
}
