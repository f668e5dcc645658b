//! The event store: Kubernetes Events (core/v1) kept as compact records.
//!
//! A 10,000-pod rollout records ~50,000 events. As full `k8s_openapi` `Event`s each one was a
//! 1 KB struct plus ~15 heap strings, a name-keyed table entry and a watch entry — about a
//! third of the run. An [`EventRecord`] keeps only what varies (the involved object's
//! identity, reason, message, counts, times) with the constant texts borrowed, and is keyed by
//! its sequence number; the API object is built on read ([`EventRecord::to_event`]), byte for
//! byte what the API server would return: name `<object>.<16 hex digits>`, uid,
//! resourceVersion, creationTimestamp, involvedObject, source and reportingComponent.
//!
//! Reads are rare (`kubectl get events`, `describe`, the UI's event list) and build only what
//! they show.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::store::{push_hex, uid_of, Kind};
use super::timestamp;

/// A text that is usually a constant (reasons, sources, kinds) and sometimes not.
pub type Text = Cow<'static, str>;

/// Added to the sequence number in event names (`web-0.1800000000000001`), so they look like
/// the recorder's `<name>.<unix nanos in hex>`.
const NAME_BASE: u64 = 0x1800_0000_0000_0000;

/// One stored Event.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRecord {
    /// Creation order; names the event.
    pub(crate) seq: u64,
    /// The store's uid counter value the event was created with.
    pub(crate) uid: u64,
    pub(crate) resource_version: u64,
    /// Simulated instant of creation (= `firstTimestamp`).
    pub(crate) first: u64,
    /// Simulated instant of the last occurrence.
    pub(crate) last: u64,
    pub(crate) count: i32,
    /// The event's namespace: the involved object's, `default` for cluster-scoped objects.
    pub(crate) namespace: String,
    /// Whether the involved object is namespaced (`involvedObject.namespace` is set).
    pub(crate) involved_namespaced: bool,
    pub(crate) involved_kind: Text,
    pub(crate) involved_name: String,
    pub(crate) involved_uid: Option<String>,
    pub(crate) involved_resource_version: Option<String>,
    pub(crate) type_: Text,
    pub(crate) reason: Text,
    pub(crate) message: String,
    pub(crate) source: Text,
}

/// Events by sequence number. Sequence numbers only grow, so the records sit in a deque
/// indexed by `seq - first` (a deleted event leaves a hole until the front is trimmed): an
/// insert is a push, not a search.
#[derive(Clone, Debug, Default)]
pub(crate) struct EventLog {
    first: u64,
    slots: VecDeque<Option<Arc<EventRecord>>>,
    len: usize,
}

impl EventLog {
    fn index(&self, seq: u64) -> Option<usize> {
        usize::try_from(seq.checked_sub(self.first)?).ok()
    }

    /// Adds the newest event (`seq` above every stored one).
    pub fn push(&mut self, record: Arc<EventRecord>) {
        if self.slots.is_empty() {
            self.first = record.seq;
        }
        let Some(i) = self.index(record.seq).filter(|&i| i >= self.slots.len()) else {
            debug_assert!(false, "event sequence numbers only grow");
            return;
        };
        self.slots.resize(i, None);
        self.slots.push_back(Some(record));
        self.len += 1;
    }

    pub fn get(&self, seq: u64) -> Option<&Arc<EventRecord>> {
        self.slots.get(self.index(seq)?)?.as_ref()
    }

    pub fn get_mut(&mut self, seq: u64) -> Option<&mut Arc<EventRecord>> {
        let i = self.index(seq)?;
        self.slots.get_mut(i)?.as_mut()
    }

    pub fn remove(&mut self, seq: u64) -> Option<Arc<EventRecord>> {
        let i = self.index(seq)?;
        let old = self.slots.get_mut(i)?.take()?;
        self.len -= 1;
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.first += 1;
        }
        Some(old)
    }

    /// Every event, oldest first.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Arc<EventRecord>> {
        self.slots.iter().flatten()
    }

    pub fn len(&self) -> usize {
        self.len
    }
}

/// A hasher for keys that are already hashes (the event series keys): the key is the hash.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type SeriesIndex =
    std::collections::HashMap<u64, u64, std::hash::BuildHasherDefault<PreHashed>>;

impl EventRecord {
    /// `metadata.name`.
    pub fn name(&self) -> String {
        let mut name = String::with_capacity(self.involved_name.len() + 17);
        name.push_str(&self.involved_name);
        name.push('.');
        push_hex(&mut name, NAME_BASE.wrapping_add(self.seq), 16);
        name
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    pub fn involved_kind(&self) -> &str {
        &self.involved_kind
    }

    pub fn involved_name(&self) -> &str {
        &self.involved_name
    }

    pub fn involved_uid(&self) -> Option<&str> {
        self.involved_uid.as_deref()
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// `kubectl get events`' order: first occurrence, then resourceVersion.
    pub(crate) fn order(&self) -> (u64, u64) {
        (self.first, self.resource_version)
    }

    /// The sequence number a name of this store's events carries, if it is one.
    pub(crate) fn seq_of_name(name: &str) -> Option<u64> {
        let (_, hex) = name.rsplit_once('.')?;
        if hex.len() != 16 {
            return None;
        }
        u64::from_str_radix(hex, 16).ok()?.checked_sub(NAME_BASE)
    }

    /// The Event as the API server returns it.
    pub fn to_event(&self) -> Event {
        Event {
            metadata: ObjectMeta {
                name: Some(self.name()),
                namespace: Some(self.namespace.clone()),
                uid: Some(uid_of(self.uid)),
                resource_version: Some(self.resource_version.to_string()),
                creation_timestamp: Some(timestamp(self.first)),
                ..Default::default()
            },
            involved_object: ObjectReference {
                api_version: Some(
                    if self.involved_kind == Kind::StatefulSet.as_str() {
                        "apps/v1"
                    } else {
                        "v1"
                    }
                    .into(),
                ),
                kind: Some(self.involved_kind.to_string()),
                name: Some(self.involved_name.clone()),
                namespace: self.involved_namespaced.then(|| self.namespace.clone()),
                uid: self.involved_uid.clone(),
                resource_version: self.involved_resource_version.clone(),
                ..Default::default()
            },
            type_: Some(self.type_.to_string()),
            reason: Some(self.reason.to_string()),
            message: Some(self.message.clone()),
            source: Some(EventSource {
                component: Some(self.source.to_string()),
                host: None,
            }),
            reporting_component: Some(self.source.to_string()),
            first_timestamp: Some(timestamp(self.first)),
            last_timestamp: Some(timestamp(self.last)),
            count: Some(self.count),
            ..Default::default()
        }
    }
}

/// Builds the Events of `records` in `kubectl get events`' order (first occurrence, then
/// resourceVersion).
pub(crate) fn in_order<'a>(records: impl Iterator<Item = &'a Arc<EventRecord>>) -> Vec<Event> {
    let mut v: Vec<&EventRecord> = records.map(|r| &**r).collect();
    v.sort_by_key(|r| r.order());
    v.into_iter().map(EventRecord::to_event).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: u64) -> EventRecord {
        EventRecord {
            seq,
            uid: 7,
            resource_version: 12,
            first: 1_000,
            last: 3_000,
            count: 2,
            namespace: "default".into(),
            involved_namespaced: true,
            involved_kind: Cow::Borrowed("StatefulSet"),
            involved_name: "web".into(),
            involved_uid: Some("u-1".into()),
            involved_resource_version: Some("11".into()),
            type_: Cow::Borrowed("Normal"),
            reason: Cow::Borrowed("SuccessfulCreate"),
            message: "create Pod web-0 in StatefulSet web successful".into(),
            source: Cow::Borrowed("statefulset-controller"),
        }
    }

    #[test]
    fn the_event_log_keeps_creation_order_across_deletions() {
        let mut log = EventLog::default();
        for seq in 3..=7 {
            log.push(Arc::new(record(seq)));
        }
        let seqs = |log: &EventLog| log.values().map(|e| e.seq).collect::<Vec<_>>();
        assert_eq!(log.remove(5).map(|e| e.seq), Some(5));
        assert!(log.get(5).is_none() && log.remove(5).is_none());
        assert_eq!(seqs(&log), [3, 4, 6, 7]);
        // Removing the oldest ones trims the front; later lookups still land right.
        log.remove(3);
        log.remove(4);
        assert_eq!(seqs(&log), [6, 7]);
        assert_eq!(log.get(6).map(|e| e.seq), Some(6));
        assert!(log.get(2).is_none() && log.get(99).is_none());
        log.push(Arc::new(record(8)));
        assert_eq!(seqs(&log), [6, 7, 8]);
        assert_eq!(log.len(), 3);
        if let Some(e) = log.get_mut(7) {
            Arc::make_mut(e).count = 9;
        }
        assert_eq!(log.get(7).map(|e| e.count), Some(9));
    }

    #[test]
    fn an_event_is_named_after_its_object_and_sequence_number_and_the_name_parses_back() {
        let r = record(0x2a);
        assert_eq!(r.name(), "web.180000000000002a");
        assert_eq!(EventRecord::seq_of_name(&r.name()), Some(0x2a));
        assert_eq!(EventRecord::seq_of_name("web"), None);
        assert_eq!(EventRecord::seq_of_name("web.12"), None);
        assert_eq!(EventRecord::seq_of_name("web.zzzzzzzzzzzzzzzz"), None);
    }

    #[test]
    fn the_api_object_carries_identity_involved_object_source_and_counts() {
        let e = record(1).to_event();
        assert_eq!(e.metadata.name.as_deref(), Some("web.1800000000000001"));
        assert_eq!(e.metadata.namespace.as_deref(), Some("default"));
        assert_eq!(e.metadata.uid, Some(uid_of(7)));
        assert_eq!(e.metadata.resource_version.as_deref(), Some("12"));
        assert_eq!(e.involved_object.api_version.as_deref(), Some("apps/v1"));
        assert_eq!(e.involved_object.kind.as_deref(), Some("StatefulSet"));
        assert_eq!(e.involved_object.namespace.as_deref(), Some("default"));
        assert_eq!(e.involved_object.uid.as_deref(), Some("u-1"));
        assert_eq!(e.involved_object.resource_version.as_deref(), Some("11"));
        assert_eq!(e.type_.as_deref(), Some("Normal"));
        assert_eq!(e.reason.as_deref(), Some("SuccessfulCreate"));
        assert_eq!(
            e.source.and_then(|s| s.component).as_deref(),
            Some("statefulset-controller")
        );
        assert_eq!(
            e.reporting_component.as_deref(),
            Some("statefulset-controller")
        );
        assert_eq!(e.count, Some(2));
        assert_eq!(e.first_timestamp, Some(timestamp(1_000)));
        assert_eq!(e.last_timestamp, Some(timestamp(3_000)));
        assert_eq!(e.metadata.creation_timestamp, Some(timestamp(1_000)));
    }

    #[test]
    fn a_cluster_scoped_object_has_no_involved_namespace_and_a_core_api_version() {
        let mut r = record(1);
        r.involved_namespaced = false;
        r.involved_kind = Cow::Borrowed("PersistentVolume");
        let e = r.to_event();
        assert_eq!(e.involved_object.namespace, None);
        assert_eq!(e.metadata.namespace.as_deref(), Some("default"));
        assert_eq!(e.involved_object.api_version.as_deref(), Some("v1"));
    }
}
