//! ControllerRevisions of a StatefulSet (`pkg/controller/history`, `stateful_set_utils.go`).
//!
//! Revision data = `{"spec":{"template":{…,"$patch":"replace"}}}` — only template changes make
//! new revisions. Name = `<set>-<hash>`, hash = FNV-32 (FNV-1, Go's `fnv.New32()`, not 1a)
//! over the data bytes followed by the decimal collisionCount, printed as a decimal uint32 and
//! passed through apimachinery's `SafeEncodeString` alphabet (`HashControllerRevision` in
//! `pkg/controller/history/controller_history.go`).
//!
//! The data bytes are what `getPatch` (`pkg/controller/statefulset/stateful_set_utils.go`)
//! makes: the defaulted set encoded as apps/v1 JSON, decoded into a `map[string]interface{}`
//! and marshalled again — so every object's keys come out **sorted** (Go's `json.Marshal` of a
//! map), fields Go omits when empty are absent (since v1.34 `creationTimestamp` too:
//! `omitempty,omitzero` in apimachinery's `ObjectMeta`), and `<`, `>`, `&`, U+2028, U+2029 are
//! escaped as `\u003c`… (Go's HTML-safe encoding). serde_json's `Value` keeps keys in a
//! BTreeMap, so [`go_json`] only has to add the escapes. Quantities are in their canonical
//! form already (`statefulset::default_pod_spec`, `storage::canonical_quantity`).

use std::collections::BTreeSet;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;

use super::{ApiError, Propagation, Store};
use crate::validation::selector_matches;

pub const HASH_LABEL: &str = "controller.kubernetes.io/hash";
pub const REVISION_LABEL: &str = "controller-revision-hash";

/// apimachinery `rand.SafeEncodeString`: each byte mapped via `alphabet[b % 27]`.
pub fn safe_encode(s: &str) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    s.bytes()
        .map(|b| ALPHANUMS[(b as usize) % ALPHANUMS.len()] as char)
        .collect()
}

/// FNV-32 (FNV-1: multiply, then xor), Go's `hash/fnv.New32()`.
pub fn fnv32(parts: &[&[u8]]) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for p in parts {
        for &b in *p {
            h = h.wrapping_mul(0x01000193);
            h ^= b as u32;
        }
    }
    h
}

/// Go's `json.Marshal` of a decoded JSON value: keys sorted (serde_json's map is a BTreeMap),
/// no spaces, and the HTML-safe escapes Go adds to strings.
pub fn go_json(value: &serde_json::Value) -> String {
    let plain = serde_json::to_string(value).unwrap_or_default();
    if !plain.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return plain;
    }
    // These characters only occur inside strings, so replacing them everywhere is exact.
    let mut out = String::with_capacity(plain.len() + 16);
    for ch in plain.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The revision data of a set's current template.
pub fn revision_data(set: &StatefulSet) -> serde_json::Value {
    let template = set
        .spec
        .as_ref()
        .map(|s| s.template.clone())
        .unwrap_or_default();
    let mut t = serde_json::to_value(&template).unwrap_or(serde_json::Value::Null);
    if let Some(obj) = t.as_object_mut() {
        obj.insert("$patch".into(), serde_json::Value::String("replace".into()));
    }
    serde_json::json!({ "spec": { "template": t } })
}

/// `HashControllerRevision` with the collision count as probe.
pub fn hash_revision(data: &serde_json::Value, collision_count: i32) -> String {
    let bytes = go_json(data);
    let probe = collision_count.to_string();
    safe_encode(&fnv32(&[bytes.as_bytes(), probe.as_bytes()]).to_string())
}

/// The pod template stored in a revision.
pub fn template_of(rev: &ControllerRevision) -> Option<PodTemplateSpec> {
    let data = rev.data.as_ref()?;
    let mut t = data.0.get("spec")?.get("template")?.clone();
    if let Some(obj) = t.as_object_mut() {
        obj.remove("$patch");
    }
    crate::manifest::from_json_value(&t)
}

/// A copy of `obj` with `set` added as its controller (adoption).
pub(crate) fn adopted_by<T>(obj: &T, set: &StatefulSet) -> T
where
    T: Clone + k8s_openapi::Metadata<Ty = ObjectMeta>,
{
    let mut adopted = obj.clone();
    adopted
        .metadata_mut()
        .owner_references
        .get_or_insert_with(Vec::new)
        .push(owner_ref(set));
    adopted
}

pub(crate) fn owner_ref(set: &StatefulSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: "StatefulSet".into(),
        name: set.metadata.name.clone().unwrap_or_default(),
        uid: set.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// The set has a non-empty selector and it matches `labels`.
pub(crate) fn set_selector_matches(
    set: &StatefulSet,
    labels: Option<&std::collections::BTreeMap<String, String>>,
) -> bool {
    let Some(spec) = set.spec.as_ref() else {
        return false;
    };
    let sel = &spec.selector;
    let nonempty = sel.match_labels.as_ref().is_some_and(|m| !m.is_empty())
        || sel
            .match_expressions
            .as_ref()
            .is_some_and(|m| !m.is_empty());
    let empty = Default::default();
    nonempty && selector_matches(sel, labels.unwrap_or(&empty))
}

/// Revisions owned by the set (adopting matching orphans unless the set is being deleted),
/// sorted by `.revision` then name.
pub fn list_revisions(store: &mut Store, set: &StatefulSet) -> Vec<Arc<ControllerRevision>> {
    let ns = set.metadata.namespace.clone().unwrap_or_default();
    let uid = set.metadata.uid.clone().unwrap_or_default();
    let deleting = set.metadata.deletion_timestamp.is_some();
    let candidates: Vec<Arc<ControllerRevision>> = store
        .list_in_arcs::<ControllerRevision>(&ns)
        .filter(|r| {
            set_selector_matches(set, r.metadata.labels.as_ref()) || owned_by(&r.metadata, &uid)
        })
        .cloned()
        .collect();
    let mut out = Vec::new();
    for r in candidates {
        let controller = r
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true));
        match controller {
            Some(o) if o.uid == uid => out.push(r),
            Some(_) => {}
            None => {
                if deleting {
                    continue;
                }
                if let Ok(a) = store.update(adopted_by(&*r, set)) {
                    out.push(a);
                }
            }
        }
    }
    out.sort_by(|a, b| (a.revision, &a.metadata.name).cmp(&(b.revision, &b.metadata.name)));
    out
}

pub(crate) fn owned_by(meta: &ObjectMeta, uid: &str) -> bool {
    meta.owner_references
        .iter()
        .flatten()
        .any(|o| o.controller == Some(true) && o.uid == uid)
}

/// Whether a revision holds this revision data.
pub fn holds_data(r: &ControllerRevision, data: &serde_json::Value) -> bool {
    r.data.as_ref().map(|d| &d.0) == Some(data)
}

/// Result of revision selection.
pub struct SetRevisions {
    pub current: Arc<ControllerRevision>,
    pub update: Arc<ControllerRevision>,
    pub collision_count: i32,
}

/// `getStatefulSetRevisions`: finds or creates the update revision (reusing an equal older
/// one with a bumped `.revision` = rollback) and the current revision.
/// `same_data(r)`: whether revision `r` holds `data` (`FindEqualRevisions`; the controller
/// remembers the answer per revision object, as comparing the decoded data is not cheap).
pub fn get_set_revisions(
    store: &mut Store,
    set: &StatefulSet,
    revisions: &[Arc<ControllerRevision>],
    data: &serde_json::Value,
    mut same_data: impl FnMut(&ControllerRevision) -> bool,
) -> Result<SetRevisions, ApiError> {
    let mut collision_count = set
        .status
        .as_ref()
        .and_then(|s| s.collision_count)
        .unwrap_or(0);
    let next = revisions.iter().map(|r| r.revision).max().unwrap_or(0) + 1;
    let equal: Vec<&Arc<ControllerRevision>> = revisions.iter().filter(|r| same_data(r)).collect();
    let update = if let Some(last_equal) = equal.last() {
        // The same object (not merely equal contents: comparing them is a deep walk).
        if revisions.last().is_some_and(|r| Arc::ptr_eq(r, last_equal)) {
            (*last_equal).clone()
        } else {
            // Rollback: reuse the old revision with the next revision number.
            let mut bumped = (***last_equal).clone();
            bumped.revision = next;
            store.update(bumped)?
        }
    } else {
        let ns = set.metadata.namespace.clone().unwrap_or_default();
        let set_name = set.metadata.name.clone().unwrap_or_default();
        let prefix: String = set_name.chars().take(223).collect();
        let mut labels = set
            .spec
            .as_ref()
            .and_then(|s| s.template.metadata.as_ref())
            .and_then(|m| m.labels.clone())
            .unwrap_or_default();
        loop {
            let hash = hash_revision(data, collision_count);
            let name = format!("{prefix}-{hash}");
            labels.insert(HASH_LABEL.into(), hash);
            let cr = ControllerRevision {
                metadata: ObjectMeta {
                    name: Some(name.clone()),
                    namespace: Some(ns.clone()),
                    labels: Some(labels.clone()),
                    annotations: set.metadata.annotations.clone(),
                    owner_references: Some(vec![owner_ref(set)]),
                    ..Default::default()
                },
                data: Some(RawExtension(data.clone())),
                revision: next,
            };
            match store.create(cr) {
                Ok(created) => break created,
                Err(ApiError::AlreadyExists { .. }) => {
                    let existing = store.get_arc::<ControllerRevision>(&ns, &name);
                    match existing {
                        Some(e) if holds_data(&e, data) => break e,
                        _ => collision_count += 1,
                    }
                    if collision_count > 1000 {
                        return Err(ApiError::Invalid("too many hash collisions".into()));
                    }
                }
                Err(e) => return Err(e),
            }
        }
    };
    let current_name = set.status.as_ref().and_then(|s| s.current_revision.clone());
    let current = revisions
        .iter()
        .find(|r| r.metadata.name == current_name && current_name.is_some())
        .cloned()
        .unwrap_or_else(|| update.clone());
    // A rollback updated the stored copy of `current` too.
    let current = if current.metadata.name == update.metadata.name {
        update.clone()
    } else {
        current
    };
    Ok(SetRevisions {
        current,
        update,
        collision_count,
    })
}

/// `truncateHistory`: deletes the oldest non-live revisions beyond revisionHistoryLimit.
/// Live = current, update, and every revision a pod is labelled with: `in_use` yields the
/// set's pods' revision labels and is only walked when there is history beyond the limit.
pub fn truncate_history<'a>(
    store: &mut Store,
    set: &StatefulSet,
    in_use: impl IntoIterator<Item = &'a str>,
    current: &str,
    update: &str,
) {
    let ns = set.metadata.namespace.clone().unwrap_or_default();
    let limit = set
        .spec
        .as_ref()
        .and_then(|s| s.revision_history_limit)
        .unwrap_or(10);
    if limit < 0 {
        return;
    }
    let uid = set.metadata.uid.clone().unwrap_or_default();
    let owned: Vec<(i64, String)> = store
        .list_in::<ControllerRevision>(&ns)
        .filter(|r| owned_by(&r.metadata, &uid))
        .map(|r| (r.revision, r.metadata.name.clone().unwrap_or_default()))
        .collect();
    // Nothing can exceed the limit: skip looking at the pods.
    if owned.len() <= limit as usize {
        return;
    }
    let mut live: BTreeSet<String> = [current.to_string(), update.to_string()].into();
    live.extend(in_use.into_iter().map(str::to_string));
    let mut history: Vec<(i64, String)> = owned
        .into_iter()
        .filter(|(_, name)| !live.contains(name.as_str()))
        .collect();
    history.sort();
    let excess = history.len().saturating_sub(limit as usize);
    for (_, name) in history.into_iter().take(excess) {
        let _ = store.delete::<ControllerRevision>(&ns, &name, Propagation::Background, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_uses_safe_encode_alphabet_digits() {
        // Decimal digits map to 4 5 6 7 8 9 b c d f.
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
        let h = hash_revision(&serde_json::json!({"spec": {}}), 0);
        assert!(!h.is_empty() && h.len() <= 10);
        assert!(h.chars().all(|c| "456789bcdf".contains(c)));
        assert_ne!(h, hash_revision(&serde_json::json!({"spec": {}}), 1));
    }

    #[test]
    fn fnv32_reference_values() {
        // FNV-1 32-bit test vectors (Go's hash/fnv fnv_test.go golden32).
        assert_eq!(fnv32(&[b""]), 0x811c9dc5);
        assert_eq!(fnv32(&[b"a"]), 0x050c5d7e);
        assert_eq!(fnv32(&[b"ab"]), 0x70772d38);
        assert_eq!(fnv32(&[b"abc"]), 0x439c2f4b);
        assert_eq!(fnv32(&[b"foo", b"bar"]), fnv32(&[b"foobar"]));
    }

    /// The Data.Raw and name of a real revision, from upstream's
    /// `pkg/controller/statefulset/stateful_set_compatibility_test.go`
    /// (`TestStatefulSetCompatibility`: "c77f6d978 and the raw data was computed from the hash
    /// of the defaulted serialized statefulset spec in 1.33"; collisionCount 0).
    const UPSTREAM_1_33_RAW: &str = r#"{"spec":{"template":{"$patch":"replace","metadata":{"annotations":{"test":"value"},"creationTimestamp":null,"labels":{"app":"foo"}},"spec":{"containers":[{"image":"test","imagePullPolicy":"Always","name":"test","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}"#;

    #[test]
    fn hash_controller_revision_matches_a_real_api_server() {
        let data: serde_json::Value = serde_json::from_str(UPSTREAM_1_33_RAW).unwrap();
        assert_eq!(
            go_json(&data),
            UPSTREAM_1_33_RAW,
            "Go's sorted-key encoding"
        );
        assert_eq!(hash_revision(&data, 0), "c77f6d978");
    }

    #[test]
    fn revision_data_is_getpatch_of_the_defaulted_set() {
        // The set of TestStatefulSetCompatibility, defaulted as a v1.35 API server does. Its
        // getPatch bytes are the 1.33 ones without `"creationTimestamp":null` (apimachinery
        // v0.34 made it `omitempty,omitzero`), so its v1.35 name differs from 1.33's.
        let mut set: StatefulSet = crate::manifest::from_json_value(&serde_json::json!({
            "metadata": {"name": "test", "namespace": "test", "labels": {"sslabel": "value"}},
            "spec": {
                "selector": {"matchLabels": {"app": "foo"}},
                "serviceName": "",
                "template": {
                    "metadata": {"annotations": {"test": "value"}, "labels": {"app": "foo"}},
                    "spec": {"containers": [{"image": "test", "name": "test"}]}
                }
            }
        }))
        .unwrap();
        super::super::statefulset::apply_defaults(&mut set);
        let expected = UPSTREAM_1_33_RAW.replace(r#""creationTimestamp":null,"#, "");
        assert_eq!(go_json(&revision_data(&set)), expected);
        let name = format!("test-{}", hash_revision(&revision_data(&set), 0));
        assert_eq!(name, "test-776999688b");
    }

    #[test]
    fn go_json_escapes_html_characters_like_encoding_json() {
        let v = serde_json::json!({"b": "a<b>&c\u{2028}", "a": 1});
        assert_eq!(go_json(&v), r#"{"a":1,"b":"a\u003cb\u003e\u0026c\u2028"}"#);
    }
}
