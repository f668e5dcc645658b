//! `kubectl describe` (upstream `pkg/cmd/describe/describe.go`; the describers themselves are
//! pure functions in `kubectl::describe`) with each object's Events.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Event, PersistentVolume, PersistentVolumeClaim, Pod, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::de::DeserializeOwned;

use crate::kubectl::cli::Resource;
use crate::kubectl::describe;
use crate::kubectl::exec::objects::{self, find, not_found, Selector};
use crate::kubectl::exec::{now_ts, Output, Shell};
use crate::kubectl::table;
use crate::manifest;

impl Shell {
    fn events_for(&self, kind: &str, meta: &ObjectMeta) -> Vec<Event> {
        self.cluster.events_where(|e| {
            e.involved_kind() == kind
                && meta.name.as_deref() == Some(e.involved_name())
                && (meta.namespace.is_none() || meta.namespace.as_deref() == Some(&e.namespace))
                && (e.involved_uid().is_none()
                    || meta.uid.is_none()
                    || e.involved_uid() == meta.uid.as_deref())
        })
    }

    pub(super) fn describe(&mut self, resource: Resource, names: &[String], out: &mut Output) {
        let now = now_ts(&self.cluster);
        let f = find(
            &self.cluster,
            Some(&self.namespace),
            resource,
            names,
            &Selector::default(),
            now,
        );
        let store = self.cluster.store();
        let pods: Vec<Pod> = store.list_in::<Pod>(&self.namespace).cloned().collect();
        let mut texts = Vec::new();
        for v in &f.values {
            fn typed<T: DeserializeOwned>(v: &serde_json::Value) -> Option<T> {
                // Decoded by the manifest parser's deserializer, so the page carries one copy
                // of each type's Deserialize code (SIZE.md).
                manifest::from_json_value(v)
            }
            let text = match resource {
                Resource::StatefulSets => typed::<StatefulSet>(v).map(|o| {
                    let ev = self.events_for("StatefulSet", &o.metadata);
                    describe::describe_statefulset(&o, &pods, Some(&ev), now)
                }),
                Resource::Pods => typed::<Pod>(v).map(|o| {
                    let ev = self.events_for("Pod", &o.metadata);
                    describe::describe_pod(&o, Some(&ev), now)
                }),
                Resource::PersistentVolumeClaims => typed::<PersistentVolumeClaim>(v).map(|o| {
                    let ev = self.events_for("PersistentVolumeClaim", &o.metadata);
                    describe::describe_pvc(&o, &pods, Some(&ev), now)
                }),
                Resource::PersistentVolumes => typed::<PersistentVolume>(v).map(|o| {
                    let ev = self.events_for("PersistentVolume", &o.metadata);
                    describe::describe_pv(&o, Some(&ev), now)
                }),
                Resource::Namespaces => typed(v).map(|o| describe::describe_namespace(&o)),
                Resource::Services => typed::<Service>(v).map(|o| {
                    let slices: Vec<EndpointSlice> = objects::endpoint_slices(&self.cluster)
                        .into_iter()
                        .filter(|s| {
                            s.metadata.namespace == o.metadata.namespace
                                && s.metadata
                                    .labels
                                    .as_ref()
                                    .and_then(|l| l.get("kubernetes.io/service-name"))
                                    == o.metadata.name.as_ref()
                        })
                        .collect();
                    let ev = self.events_for("Service", &o.metadata);
                    describe::describe_service(&o, &slices, Some(&ev), now)
                }),
                _ => {
                    out.fail(format!(
                        "error: the playground describes statefulsets, pods, persistentvolumeclaims, persistentvolumes, services and namespaces, not {}",
                        resource.plural()
                    ));
                    return;
                }
            };
            texts.extend(text);
        }
        out.out(texts.join("\n\n"));
        if texts.is_empty() && names.is_empty() {
            let ns = resource.namespaced().then_some(self.namespace.as_str());
            out.err(table::no_resources_found(ns));
        }
        for m in &f.missing {
            out.fail(not_found(resource, m));
        }
    }
}
