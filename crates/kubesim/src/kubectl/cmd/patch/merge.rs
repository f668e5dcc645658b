//! JSON merge patch (RFC 7386) and a strategic-merge subset, for `kubectl patch`.
//!
//! Strategic merge differs from a merge patch in how lists are combined: lists of objects with
//! a merge key (`name` for containers, env, volumes and volumeClaimTemplates'
//! metadata-less entries; `containerPort` for ports; `mountPath` for volumeMounts) are merged
//! element by element, anything else is replaced. `$patch` directives are not supported.

use serde_json::Value;

/// RFC 7386: objects merge recursively, `null` deletes, everything else replaces.
pub(crate) fn merge_patch(target: &mut Value, patch: &Value, strategic: bool) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    let Value::Object(t) = target else { return };
    for (k, v) in p {
        if v.is_null() {
            t.remove(k);
            continue;
        }
        match (t.get_mut(k), v) {
            (Some(Value::Array(existing)), Value::Array(items)) if strategic => {
                match merge_key(items) {
                    Some(key) => merge_list(existing, items, key),
                    None => *existing = items.clone(),
                }
            }
            (Some(existing), Value::Object(_)) => merge_patch(existing, v, strategic),
            _ => {
                let mut fresh = Value::Null;
                merge_patch(&mut fresh, v, strategic);
                t.insert(k.clone(), if v.is_object() { fresh } else { v.clone() });
            }
        }
    }
}

fn merge_key(items: &[Value]) -> Option<&'static str> {
    ["name", "containerPort", "mountPath"]
        .into_iter()
        .find(|key| !items.is_empty() && items.iter().all(|i| i.get(key).is_some()))
}

fn merge_list(existing: &mut Vec<Value>, items: &[Value], key: &str) {
    for item in items {
        match existing.iter_mut().find(|e| e.get(key) == item.get(key)) {
            Some(e) => merge_patch(e, item, true),
            None => existing.push(item.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_replaces_lists_strategic_merges_them_by_name() {
        let base = json!({"spec": {"replicas": 3, "template": {"spec": {"containers": [
            {"name": "mongo", "image": "mongo:3.4"}, {"name": "sidecar", "image": "s"}]}}}});
        let patch = json!({"spec": {"replicas": null, "template": {"spec": {"containers": [
            {"name": "mongo", "image": "mongo:4.0"}]}}}});
        let mut strategic = base.clone();
        merge_patch(&mut strategic, &patch, true);
        assert_eq!(
            strategic["spec"]["template"]["spec"]["containers"],
            json!([{"name": "mongo", "image": "mongo:4.0"}, {"name": "sidecar", "image": "s"}])
        );
        assert!(strategic["spec"].get("replicas").is_none());
        let mut merge = base;
        merge_patch(&mut merge, &patch, false);
        assert_eq!(
            merge["spec"]["template"]["spec"]["containers"],
            json!([{"name": "mongo", "image": "mongo:4.0"}])
        );
    }
}
