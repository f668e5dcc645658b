//! The garbage collector: deletes dependents whose owners are all gone (background
//! propagation), deletes dependents before their owner (foreground, `foregroundDeletion`
//! finalizer) and strips ownerReferences before the owner goes (`orphan` finalizer).

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{Node, PersistentVolume, PersistentVolumeClaim, Pod, Service};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::store::{Stored, FINALIZER_FOREGROUND, FINALIZER_ORPHAN};
use super::{Cluster, Kind, ObjRef, Propagation, Store};

fn meta_generic<T: Stored>(s: &Store, r: &ObjRef) -> Option<ObjectMeta> {
    s.get::<T>(&r.namespace, &r.name)
        .map(|o| o.metadata().clone())
}

fn edit_generic<T: Stored>(s: &mut Store, r: &ObjRef, f: &mut dyn FnMut(&mut ObjectMeta)) {
    if let Some(o) = s.get::<T>(&r.namespace, &r.name) {
        let mut o = o.clone();
        f(o.metadata_mut());
        let _ = s.update(o);
    }
}

/// Calls `$f::<T>` for the stored kind; events (stored compact, never anyone's dependents)
/// take the expression after `events:`.
macro_rules! by_kind {
    ($kind:expr, $f:ident, $($arg:expr),*; events: $event:expr) => {
        match $kind {
            Kind::Pod => $f::<Pod>($($arg),*),
            Kind::StatefulSet => $f::<StatefulSet>($($arg),*),
            Kind::ControllerRevision => $f::<ControllerRevision>($($arg),*),
            Kind::PersistentVolumeClaim => $f::<PersistentVolumeClaim>($($arg),*),
            Kind::PersistentVolume => $f::<PersistentVolume>($($arg),*),
            Kind::StorageClass => $f::<StorageClass>($($arg),*),
            Kind::Service => $f::<Service>($($arg),*),
            Kind::EndpointSlice => $f::<crate::network::EndpointSliceRecord>($($arg),*),
            Kind::Node => $f::<Node>($($arg),*),
            Kind::Event => $event,
            Kind::Endpoints => $f::<crate::network::EndpointsRecord>($($arg),*),
            Kind::Namespace => Default::default(),
        }
    };
}

/// Metadata of any stored object.
pub fn meta_of(s: &Store, r: &ObjRef) -> Option<ObjectMeta> {
    by_kind!(r.kind, meta_generic, s, r; events: s.event(&r.namespace, &r.name).map(|e| e.to_event().metadata))
}

fn edit_meta(s: &mut Store, r: &ObjRef, mut f: impl FnMut(&mut ObjectMeta)) {
    // Events have no owners or finalizers to edit.
    by_kind!(r.kind, edit_generic, s, r, &mut f; events: ())
}

fn delete_generic<T: Stored>(s: &mut Store, r: &ObjRef, p: Propagation) {
    let _ = s.delete::<T>(&r.namespace, &r.name, p, None);
}

fn delete_ref(s: &mut Store, r: &ObjRef, p: Propagation) {
    by_kind!(r.kind, delete_generic, s, r, p; events: {
        let _ = s.delete_event(&r.namespace, &r.name);
    })
}

/// One garbage-collector pass.
pub fn collect(c: &mut Cluster) {
    let s = &mut c.store;
    // Owners that are gone: collect or fix up their dependents.
    let removed = std::mem::take(&mut s.gc_removed);
    for uid in removed {
        for dep in s.dependents_of(&uid) {
            let Some(meta) = meta_of(s, &dep) else {
                continue;
            };
            let live = meta
                .owner_references
                .iter()
                .flatten()
                .filter(|o| o.uid != uid && s.uid_exists(&o.uid))
                .count();
            if live == 0 {
                if meta.deletion_timestamp.is_none() {
                    delete_ref(s, &dep, Propagation::Background);
                }
            } else {
                let gone = uid.clone();
                edit_meta(s, &dep, |m| {
                    if let Some(refs) = m.owner_references.as_mut() {
                        refs.retain(|o| o.uid != gone);
                    }
                });
            }
        }
    }
    // Owners being deleted with a GC finalizer.
    let finalizing: Vec<ObjRef> = s.gc_finalizing.iter().cloned().collect();
    for owner in finalizing {
        let Some(meta) = meta_of(s, &owner) else {
            continue;
        };
        let Some(uid) = meta.uid.clone() else {
            continue;
        };
        let finalizers = meta.finalizers.clone().unwrap_or_default();
        if finalizers.iter().any(|f| f == FINALIZER_ORPHAN) {
            for dep in s.dependents_of(&uid) {
                edit_meta(s, &dep, |m| {
                    if let Some(refs) = m.owner_references.as_mut() {
                        refs.retain(|o| o.uid != uid);
                        if refs.is_empty() {
                            m.owner_references = None;
                        }
                    }
                });
            }
            edit_meta(s, &owner, |m| remove_finalizer(m, FINALIZER_ORPHAN));
        } else if finalizers.iter().any(|f| f == FINALIZER_FOREGROUND) {
            let mut blocking = 0;
            for dep in s.dependents_of(&uid) {
                let Some(dm) = meta_of(s, &dep) else { continue };
                let blocks = dm
                    .owner_references
                    .iter()
                    .flatten()
                    .any(|o| o.uid == uid && o.block_owner_deletion == Some(true));
                if dm.deletion_timestamp.is_none() {
                    delete_ref(s, &dep, Propagation::Background);
                }
                if blocks && meta_of(s, &dep).is_some() {
                    blocking += 1;
                }
            }
            if blocking == 0 {
                edit_meta(s, &owner, |m| remove_finalizer(m, FINALIZER_FOREGROUND));
            }
        }
    }
}

fn remove_finalizer(m: &mut ObjectMeta, f: &str) {
    if let Some(fs) = m.finalizers.as_mut() {
        fs.retain(|x| x != f);
        if fs.is_empty() {
            m.finalizers = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{Cluster, DeleteOptions, Kind, Propagation};
    use k8s_openapi::api::core::v1::{Node, Pod};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

    fn own(c: &mut Cluster, pod: &str, owners: &[&str]) {
        let mut p = c.store().get::<Pod>("default", pod).unwrap().clone();
        p.metadata.owner_references = Some(
            owners
                .iter()
                .map(|o| {
                    let node = c.store().get::<Node>("", o).unwrap();
                    OwnerReference {
                        api_version: "v1".into(),
                        kind: "Node".into(),
                        name: (*o).into(),
                        uid: node.metadata.uid.clone().unwrap(),
                        block_owner_deletion: Some(true),
                        controller: None,
                    }
                })
                .collect(),
        );
        c.store_mut().update(p).unwrap();
    }

    #[test]
    fn background_deletion_removes_dependents_once_all_owners_are_gone() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", None);
        bare_pod(&mut c, "b", None);
        own(&mut c, "a", &["node-3"]);
        own(&mut c, "b", &["node-3", "node-2"]);
        c.delete(Kind::Node, "", "node-3", DeleteOptions::default())
            .unwrap();
        c.advance(1);
        // a lost its only owner: deleted (unscheduled, so at once).
        assert!(pod(&c, "a").is_none());
        // b keeps a live owner: only the dangling reference is removed.
        let b = pod(&c, "b").unwrap();
        let refs = b.metadata.owner_references.unwrap();
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].name, "node-2");
    }

    #[test]
    fn orphan_deletion_strips_owner_references_and_keeps_dependents() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", None);
        own(&mut c, "a", &["node-3"]);
        let opts = DeleteOptions {
            propagation: Propagation::Orphan,
            ..Default::default()
        };
        c.delete(Kind::Node, "", "node-3", opts).unwrap();
        c.advance(1);
        assert!(c.store().get::<Node>("", "node-3").is_none());
        assert!(pod(&c, "a").unwrap().metadata.owner_references.is_none());
    }

    #[test]
    fn foreground_deletion_keeps_the_owner_until_blocking_dependents_are_gone() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", None);
        c.advance(10_000); // scheduled and running: deleted gracefully
        own(&mut c, "a", &["node-3"]);
        let opts = DeleteOptions {
            propagation: Propagation::Foreground,
            ..Default::default()
        };
        c.delete(Kind::Node, "", "node-3", opts).unwrap();
        c.advance(1_000);
        let owner = c.store().get::<Node>("", "node-3").unwrap();
        assert!(owner.metadata.deletion_timestamp.is_some());
        assert!(pod(&c, "a").unwrap().metadata.deletion_timestamp.is_some());
        c.advance(60_000);
        assert!(pod(&c, "a").is_none());
        assert!(c.store().get::<Node>("", "node-3").is_none());
    }
}
