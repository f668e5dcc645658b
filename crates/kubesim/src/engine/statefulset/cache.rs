//! What the StatefulSet controller remembers about a set between passes, so that a pass costs
//! what changed rather than what exists.
//!
//! Upstream's `updateStatefulSet` relists, partitions, checks and counts every pod of the set
//! on every sync; a 1,000-pod OrderedReady rollout runs ~13 syncs per pod, so that is
//! quadratic. This cache is the informer side of the same controller: it reads the watch log
//! since the set's last pass and keeps
//!
//! - the set's **members** (pods named `<set>-<ordinal>` whose controller is the set), by
//!   ordinal, with their contribution to the status counts;
//! - which pods changed (**dirty**: they go through `getPodsForStatefulSet`'s adopt/release
//!   check again) — everything else was already claimed, and so is a changed pod the set
//!   controls, selects and names as a member (the check would keep it as it is);
//! - which in-range ordinals are **unsettled**: `processReplica` has work or a decision there.
//!   An ordinal is settled once a pass went through its pod without blocking (for
//!   OrderedReady: the pod was Running, Ready, available and not terminating) and nothing
//!   about the pod or its claims has been written since. Availability only grows with time
//!   while a pod is unchanged, so a settled pod stays healthy until a write unsettles it.
//!
//! Any change of the set's spec (a new `metadata.generation`: scale, template, strategy, …) or
//! uid throws the cache away and the next pass rebuilds it from the store, exactly as a full
//! relist would. `Cluster::set_incremental_controllers(false)` does that on every pass; the
//! property tests check both ways give byte-identical histories.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};

use super::super::history::{self, owned_by};
use super::super::instant_of;
use super::super::store::{parse_ordinal, with_entry, AnyObject, Kind, Store};
use super::{is_running_and_ready, is_terminating, pod_revision, ready_condition, selects};

/// A pod's position in the set: (ordinal, name). Sorting by it is sorting by ordinal, and by
/// name among pods whose names parse to the same ordinal (`web-1`, `web-01`).
pub(crate) type Slot = (i64, String);

/// Where a member stands in the `availableReplicas` count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Availability {
    No,
    /// Running and Ready, and available once the clock passes this instant (strictly).
    After(u64),
    Yes,
}

/// What the cache keeps of a member pod: its share of the counts and indices, not the pod
/// (a pass reads the pod from the store, so a rollout keeps one version of each pod alive,
/// not the store's and the one the cache last read).
#[derive(Clone, Debug)]
pub(crate) struct Member {
    /// Also selected by the set: `getPodsForStatefulSet` keeps it (otherwise it releases it).
    pub claimed: bool,
    ready: bool,
    availability: Availability,
    /// The `controller-revision-hash` label.
    revision: Option<String>,
    terminating: bool,
}

impl Member {
    /// The revision label when the pod is not terminating (current/updated counts).
    fn live_revision(&self) -> Option<&str> {
        self.revision.as_deref().filter(|_| !self.terminating)
    }
}

/// Status counts (§1.11) over the members, kept up to date as members change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub replicas: i32,
    pub ready: i32,
    pub available: i32,
    live_by_revision: BTreeMap<String, i32>,
}

impl Counts {
    /// Non-terminating members labelled with `revision`.
    pub fn live_at(&self, revision: &str) -> i32 {
        self.live_by_revision.get(revision).copied().unwrap_or(0)
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct SetCache {
    uid: String,
    generation: Option<i64>,
    /// Watch-log entries before this index have been read.
    cursor: usize,
    /// The set's revision data ([`history::revision_data`]) for this generation.
    pub revision_data: Option<Arc<serde_json::Value>>,
    /// Decoded revision templates, by revision name and resourceVersion.
    templates: BTreeMap<String, (Option<String>, Arc<PodTemplateSpec>)>,
    /// Whether a revision (by name and resourceVersion) holds `revision_data`: asked on
    /// every pass, and a deep comparison of the decoded data costs more than the rest of an
    /// OrderedReady pass.
    holds_data: BTreeMap<String, (Option<String>, bool)>,
    members: BTreeMap<Slot, Member>,
    /// Members by revision label (any state), for the rolling update's search.
    by_revision: BTreeMap<String, BTreeSet<Slot>>,
    /// Pods to put through the adopt/release check at the next pass.
    dirty: BTreeSet<String>,
    /// The ordinal range `[start, end)` `unsettled` was computed for.
    range: (i64, i64),
    unsettled: BTreeSet<i64>,
    /// Members that turn available at a later instant, by that instant.
    becoming_available: BTreeSet<(u64, Slot)>,
    min_ready_ms: u64,
    pub counts: Counts,
}

impl SetCache {
    /// Whether this cache was built for this set object's uid and spec generation.
    pub fn is_for(&self, set: &StatefulSet) -> bool {
        set.metadata.uid.as_deref() == Some(self.uid.as_str())
            && set.metadata.generation == self.generation
    }

    /// Watch-log position up to which this cache has read.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Whether the watch log still holds every entry since this cache's last pass (a cache
    /// that fell out of the bounded log must relist, like an informer after "too old").
    pub fn can_catch_up(&self, store: &Store) -> bool {
        self.cursor >= store.watch_start()
    }

    /// A cache built from the store as it is now (a full relist).
    pub fn rebuild(store: &Store, set: &StatefulSet, min_ready_ms: u64, now: u64) -> SetCache {
        let ns = set.metadata.namespace.as_deref().unwrap_or("");
        let name = set.metadata.name.as_deref().unwrap_or("");
        let uid = set.metadata.uid.clone().unwrap_or_default();
        let mut cache = SetCache {
            generation: set.metadata.generation,
            cursor: store.watch_end(),
            min_ready_ms,
            ..Default::default()
        };
        let pods: Vec<String> = store
            .pods_with_parent_iter(ns, name)
            .filter_map(|p| p.metadata.name.clone())
            .collect();
        // Owned pods whose names are not members: to be released.
        let strays = store
            .dependents_iter(&uid)
            .filter(|d| d.kind == Kind::Pod)
            .filter(|d| parse_ordinal(&d.name).map(|(p, _)| p) != Some(name))
            .map(|d| d.name.clone());
        cache.dirty.extend(strays);
        cache.uid = uid;
        for p in pods {
            if cache.refresh(store, set, &p, now) {
                cache.dirty.insert(p);
            }
        }
        cache
    }

    /// Reads the watch log since the last call: pods of the set (or owned by it) are
    /// refreshed, and become dirty unless the adopt/release check has nothing to decide; a
    /// claim write unsettles its ordinal.
    pub fn observe(&mut self, store: &Store, set: &StatefulSet, now: u64) {
        let ns = set.metadata.namespace.as_deref().unwrap_or("");
        let name = set.metadata.name.as_deref().unwrap_or("");
        let log = store.watch_since(self.cursor);
        // By (ordinal, name): a 10,000-pod burst touches each pod several times, and the
        // ordinal tells most names apart without comparing them.
        let mut touched: BTreeSet<(i64, &str)> = BTreeSet::new();
        let mut claims: BTreeSet<i64> = BTreeSet::new();
        for e in log {
            if e.namespace != ns {
                continue;
            }
            match (&e.kind, &e.object) {
                (Kind::Pod, AnyObject::Pod(p)) => {
                    let ordinal = parse_ordinal(&e.name);
                    let member = ordinal.is_some_and(|(parent, _)| parent == name);
                    if member || owned_by(&p.metadata, &self.uid) {
                        touched.insert((ordinal.map_or(i64::MIN, |(_, o)| o), &e.name));
                    }
                }
                (Kind::PersistentVolumeClaim, _) => {
                    // `<template>-<set>-<ordinal>`
                    if let Some((prefix, ord)) = parse_ordinal(&e.name) {
                        if prefix
                            .strip_suffix(name)
                            .is_some_and(|t| t.ends_with('-') && t.len() > 1)
                        {
                            claims.insert(ord);
                        }
                    }
                }
                _ => {}
            }
        }
        self.cursor = store.watch_end();
        for (_, p) in touched {
            if self.refresh(store, set, p, now) {
                self.dirty.insert(p.to_string());
            }
        }
        for ord in claims {
            self.unsettle(ord);
        }
        self.promote(now);
    }

    fn unsettle(&mut self, ord: i64) {
        if ord >= self.range.0 && ord < self.range.1 {
            self.unsettled.insert(ord);
        }
    }

    /// Re-reads one pod from the store into the members. Returns whether the pod needs
    /// `getPodsForStatefulSet`'s adopt/release check: not when the set controls it, selects it
    /// and its name is a member's (the check would keep it as it is).
    fn refresh(&mut self, store: &Store, set: &StatefulSet, pod_name: &str, now: u64) -> bool {
        let ns = set.metadata.namespace.as_deref().unwrap_or("");
        let set_name = set.metadata.name.as_deref().unwrap_or("");
        let Some((parent, ord)) = parse_ordinal(pod_name) else {
            return true;
        };
        if parent != set_name {
            return true;
        }
        let slot: Slot = (ord, pod_name.to_string());
        let old = self.members.remove(&slot);
        self.unsettle(ord);
        let pod = store
            .get_arc::<Pod>(ns, pod_name)
            .filter(|pod| owned_by(&pod.metadata, &self.uid));
        let Some(pod) = pod else {
            if let Some(old) = old {
                self.count(&slot, &old, -1, true);
            }
            return true;
        };
        let ready = is_running_and_ready(&pod);
        let availability = if !ready {
            Availability::No
        } else {
            let since = ready_condition(&pod)
                .and_then(|c| c.last_transition_time.as_ref())
                .map(instant_of);
            match since {
                _ if self.min_ready_ms == 0 => Availability::Yes,
                Some(t) if t + self.min_ready_ms < now => Availability::Yes,
                Some(t) => Availability::After(t + self.min_ready_ms),
                None => Availability::No,
            }
        };
        let terminating = is_terminating(&pod);
        let revision = pod_revision(&pod);
        // The same revision as before (the usual status write): the revision indices stay.
        let reindex = old
            .as_ref()
            .is_none_or(|o| o.terminating != terminating || o.revision.as_deref() != revision);
        let member = Member {
            claimed: selects(set, &pod),
            ready,
            availability,
            revision: revision.map(str::to_string),
            terminating,
        };
        // claim_pods looks at the first controller reference only.
        let controller = (pod.metadata.owner_references.iter().flatten())
            .find(|o| o.controller == Some(true))
            .map(|o| o.uid.as_str());
        let settled_claim = member.claimed && controller == Some(self.uid.as_str());
        if let Some(old) = old {
            self.count(&slot, &old, -1, reindex);
        }
        self.count(&slot, &member, 1, reindex);
        self.members.insert(slot, member);
        !settled_claim
    }

    /// Adds (`sign` 1) or removes (-1) a member's share of the counts and indices.
    /// `revisions`: also the per-revision indices (false when the member is replaced by one
    /// with the same revisions, so removing and re-adding it would change nothing).
    fn count(&mut self, slot: &Slot, m: &Member, sign: i32, revisions: bool) {
        let c = &mut self.counts;
        c.replicas += sign;
        if m.ready {
            c.ready += sign;
        }
        match m.availability {
            Availability::Yes => c.available += sign,
            Availability::After(at) => {
                if sign > 0 {
                    self.becoming_available.insert((at, slot.clone()));
                } else {
                    self.becoming_available.remove(&(at, slot.clone()));
                }
            }
            Availability::No => {}
        }
        if !revisions {
            return;
        }
        if let Some(r) = m.live_revision() {
            with_entry(&mut c.live_by_revision, r, || r.to_string(), |n| *n += sign);
            if c.live_by_revision.get(r) == Some(&0) {
                c.live_by_revision.remove(r);
            }
        }
        if let Some(r) = m.revision.as_deref() {
            if sign > 0 {
                with_entry(
                    &mut self.by_revision,
                    r,
                    || r.to_string(),
                    |s| {
                        s.insert(slot.clone());
                    },
                );
            } else if let Some(s) = self.by_revision.get_mut(r) {
                s.remove(slot);
                if s.is_empty() {
                    self.by_revision.remove(r);
                }
            }
        }
    }

    /// Members whose minReadySeconds ran out by `now` count as available.
    fn promote(&mut self, now: u64) {
        while let Some((at, slot)) = self.becoming_available.first().cloned() {
            if at >= now {
                break;
            }
            self.becoming_available.pop_first();
            if let Some(m) = self.members.get_mut(&slot) {
                m.availability = Availability::Yes;
                self.counts.available += 1;
            }
        }
    }

    /// Takes the pods that need the adopt/release check.
    pub fn take_dirty(&mut self) -> BTreeSet<String> {
        std::mem::take(&mut self.dirty)
    }

    /// Sets the in-range ordinals `[start, end)`; ordinals entering the range are unsettled.
    pub fn set_range(&mut self, start: i64, end: i64) {
        if self.range == (start, end) {
            return;
        }
        let (old_start, old_end) = self.range;
        if start != old_start || old_end <= old_start {
            self.unsettled = (start..end).collect();
        } else if end > old_end {
            self.unsettled.extend(old_end..end);
        } else {
            self.unsettled.split_off(&end);
        }
        self.range = (start, end);
    }

    /// The first unsettled in-range ordinal at or after `from`.
    pub fn next_unsettled(&self, from: i64) -> Option<i64> {
        self.unsettled.range(from..self.range.1).next().copied()
    }

    pub fn settle(&mut self, ord: i64) {
        self.unsettled.remove(&ord);
    }

    /// The claimed pod `processReplica` sees at an ordinal (the last by name, like upstream's
    /// `replicas[ord-start] = pod` over the name-sorted pods), by name.
    pub fn at(&self, ord: i64) -> Option<&str> {
        self.members
            .range((ord, String::new())..(ord + 1, String::new()))
            .rev()
            .find(|(_, m)| m.claimed)
            .map(|((_, name), _)| name.as_str())
    }

    /// The pods `processReplica` sees in `[start, end)`, by ordinal (one walk of the members),
    /// by name.
    pub fn in_range(&self, start: i64, end: i64) -> impl Iterator<Item = &str> {
        let mut walk = self
            .members
            .range((start, String::new())..(end, String::new()))
            .filter(|(_, m)| m.claimed)
            .peekable();
        std::iter::from_fn(move || {
            // The last claimed member of each ordinal, like [`SetCache::at`].
            let ((ord, first), _) = walk.next()?;
            let mut name = first.as_str();
            while let Some(((next, n), _)) = walk.peek() {
                if next != ord {
                    break;
                }
                name = n.as_str();
                walk.next();
            }
            Some(name)
        })
    }

    /// Whether any claimed pod is outside `[start, end)`.
    pub fn has_condemned(&self, start: i64, end: i64) -> bool {
        self.condemned(start, end).next().is_some()
    }

    /// Claimed pods outside `[start, end)`, by name, highest ordinal first (by name among
    /// equal ordinals), walked lazily: OrderedReady's processCondemned mostly stops at the first.
    pub fn condemned(&self, start: i64, end: i64) -> impl Iterator<Item = &str> {
        let mut walk = self
            .members
            .range((end, String::new())..)
            .rev()
            .chain(self.members.range(..(start, String::new())).rev())
            .filter(|(_, m)| m.claimed)
            .peekable();
        let mut group: Vec<&str> = Vec::new();
        std::iter::from_fn(move || {
            if group.is_empty() {
                let ((ord, name), _) = walk.next()?;
                group.push(name);
                while let Some(((next, n), _)) = walk.peek() {
                    if next != ord {
                        break;
                    }
                    group.push(n);
                    walk.next();
                }
            }
            // The group was gathered highest name first.
            group.pop()
        })
    }

    /// In-range ordinals (from `[from, end)`) whose pod is labelled with another revision
    /// than `update`, highest first (the rolling update's candidates, before its terminating
    /// check), walked lazily.
    pub fn outdated(&self, update: &str, from: i64, end: i64) -> impl Iterator<Item = i64> + '_ {
        let range = (from, String::new())..(end, String::new());
        let mut lanes: Vec<Box<dyn Iterator<Item = i64> + '_>> = self
            .by_revision
            .iter()
            .filter(|(rev, _)| rev.as_str() != update)
            .map(|(_, slots)| {
                Box::new(slots.range(range.clone()).rev().map(|(o, _)| *o))
                    as Box<dyn Iterator<Item = i64>>
            })
            .collect();
        // Pods without a revision label are outdated too.
        let labelled: usize = self.by_revision.values().map(BTreeSet::len).sum();
        if labelled < self.members.len() {
            lanes.push(Box::new(
                self.members
                    .range(range)
                    .rev()
                    .filter(|(_, m)| m.revision.is_none())
                    .map(|((o, _), _)| *o),
            ));
        }
        let mut heads: Vec<std::iter::Peekable<_>> =
            lanes.into_iter().map(Iterator::peekable).collect();
        let mut last: Option<i64> = None;
        std::iter::from_fn(move || loop {
            // Merge the lanes, highest ordinal first, each ordinal once.
            let (i, ord) = heads
                .iter_mut()
                .enumerate()
                .filter_map(|(i, h)| h.peek().map(|o| (i, *o)))
                .max_by_key(|(i, o)| (*o, std::cmp::Reverse(*i)))?;
            heads[i].next();
            if last != Some(ord) {
                last = Some(ord);
                return Some(ord);
            }
        })
    }

    /// Every member's revision label (history truncation's "revisions still in use").
    pub fn revisions(&self) -> impl Iterator<Item = &str> {
        self.members.values().filter_map(|m| m.revision.as_deref())
    }

    /// Whether revision `rev` holds this generation's revision data, compared once per
    /// revision object.
    pub fn holds_data(&mut self, rev: &ControllerRevision) -> bool {
        let data = &self.revision_data;
        per_revision(&mut self.holds_data, rev, || {
            data.as_deref().is_some_and(|d| history::holds_data(rev, d))
        })
    }

    /// The template of a revision, decoded once per revision object.
    pub fn template(&mut self, rev: &ControllerRevision) -> Arc<PodTemplateSpec> {
        per_revision(&mut self.templates, rev, || {
            Arc::new(history::template_of(rev).unwrap_or_default())
        })
    }
}

/// What `compute` says of a revision, remembered by its name and resourceVersion (a
/// revision's content changes only with a new resourceVersion).
fn per_revision<V: Clone>(
    memo: &mut BTreeMap<String, (Option<String>, V)>,
    rev: &ControllerRevision,
    compute: impl FnOnce() -> V,
) -> V {
    let name = rev.metadata.name.as_deref().unwrap_or_default();
    let rv = &rev.metadata.resource_version;
    if let Some((_, v)) = memo.get(name).filter(|(seen, _)| seen == rv) {
        return v.clone();
    }
    let v = compute();
    memo.insert(name.to_string(), (rv.clone(), v.clone()));
    v
}
