//! `kubectl patch` (upstream `pkg/cmd/patch/patch.go`): `--type merge|strategic` (the merge
//! itself is in [`merge`]); pods and nodes take metadata changes only.

mod merge;

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use crate::engine::{Cluster, Kind};
use crate::kubectl::cli::Resource;
use crate::kubectl::exec::objects::{self, find, not_found, Selector};
use crate::kubectl::exec::{api_error, kind_of, now_ts, singular, Output, Shell};
use crate::manifest::{self, Object};

impl Shell {
    pub(super) fn patch(
        &mut self,
        resource: Resource,
        name: &str,
        patch_text: &str,
        strategic: bool,
        out: &mut Output,
    ) {
        let patch: serde_json::Value = match serde_yaml::from_str(patch_text) {
            Ok(v) => v,
            Err(e) => {
                out.fail(format!("error: unable to parse \"{patch_text}\": {e}"));
                return;
            }
        };
        let now = now_ts(&self.cluster);
        let f = find(
            &self.cluster,
            Some(&self.namespace),
            resource,
            &[name.to_string()],
            &Selector::default(),
            now,
        );
        let Some(old) = f.values.first().cloned() else {
            out.fail(not_found(resource, name));
            return;
        };
        let mut new = old.clone();
        merge::merge_patch(&mut new, &patch, strategic);
        let new = objects::sorted(new);
        let line = |verb: &str| format!("{}/{name} {verb}\n", singular(resource));
        if new == old {
            out.out(line("patched (no change)"));
            return;
        }
        // The API server's patch handler checks the patched object against the request
        // (`checkName`, staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go): a patch
        // cannot rename an object or move it to another namespace.
        let meta =
            |v: &serde_json::Value, k: &str| v["metadata"][k].as_str().unwrap_or("").to_string();
        let new_name = meta(&new, "name");
        if new_name != name {
            out.fail(format!("Error from server (BadRequest): the name of the object ({new_name}) does not match the name on the URL ({name})"));
            return;
        }
        let (old_ns, new_ns) = (meta(&old, "namespace"), meta(&new, "namespace"));
        if !old_ns.is_empty() && !new_ns.is_empty() && new_ns != old_ns {
            out.fail(format!("Error from server (BadRequest): the namespace of the object ({new_ns}) does not match the namespace on the request ({old_ns})"));
            return;
        }
        // The patched object is decoded by the manifest parser's deserializer (one copy of the
        // Deserialize code in the page, SIZE.md); the patch itself was already checked as JSON.
        fn decode<T: DeserializeOwned>(v: &serde_json::Value) -> Result<T, String> {
            manifest::from_json_value(v)
                .ok_or_else(|| "error: unable to decode the patched object".to_string())
        }
        fn apply(cluster: &mut Cluster, object: Result<Object, String>) -> Result<(), String> {
            cluster
                .apply(object?)
                .map(|_| ())
                .map_err(|e| api_error(&e, None))
        }
        let result: Result<(), String> = (|| match resource {
            Resource::StatefulSets => {
                apply(&mut self.cluster, decode(&new).map(Object::StatefulSet))
            }
            Resource::Services => apply(&mut self.cluster, decode(&new).map(Object::Service)),
            Resource::PersistentVolumes => apply(
                &mut self.cluster,
                decode(&new).map(Object::PersistentVolume),
            ),
            Resource::PersistentVolumeClaims => apply(
                &mut self.cluster,
                decode(&new).map(Object::PersistentVolumeClaim),
            ),
            Resource::Pods | Resource::Nodes => {
                // Only metadata (and a node's spec.unschedulable) may change.
                let mut rest_old = old.clone();
                let mut rest_new = new.clone();
                for v in [&mut rest_old, &mut rest_new] {
                    if let Some(m) = v.get_mut("metadata").and_then(|m| m.as_object_mut()) {
                        m.remove("labels");
                        m.remove("annotations");
                    }
                    if let Some(s) = v.get_mut("spec").and_then(|m| m.as_object_mut()) {
                        s.remove("unschedulable");
                    }
                }
                if rest_old != rest_new {
                    return Err(if resource == Resource::Pods {
                        format!("The Pod \"{name}\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)")
                    } else {
                        "error: the playground patches a node's labels, annotations and spec.unschedulable only".to_string()
                    });
                }
                let kind = kind_of(resource).unwrap_or(Kind::Pod);
                for (field, annotation) in [("labels", false), ("annotations", true)] {
                    let get = |v: &serde_json::Value| -> BTreeMap<String, String> {
                        serde_json::from_value(v["metadata"][field].clone()).unwrap_or_default()
                    };
                    let (o, n) = (get(&old), get(&new));
                    for k in o
                        .keys()
                        .chain(n.keys())
                        .collect::<std::collections::BTreeSet<_>>()
                    {
                        if o.get(k) != n.get(k) {
                            let value = n.get(k).map(String::as_str);
                            let r = if annotation {
                                self.cluster
                                    .set_annotation(kind, &self.namespace, name, k, value)
                            } else {
                                self.cluster
                                    .set_label(kind, &self.namespace, name, k, value)
                            };
                            r.map_err(|e| api_error(&e, None))?;
                        }
                    }
                }
                if resource == Resource::Nodes {
                    let u = new["spec"]["unschedulable"].as_bool().unwrap_or(false);
                    self.set_unschedulable(name, u);
                }
                Ok(())
            }
            _ => Err(format!(
                "error: the playground does not patch {}",
                resource.plural()
            )),
        })();
        match result {
            Ok(()) => out.out(line("patched")),
            Err(e) => out.fail(e),
        }
    }
}
