//! The garbage collector: deletes dependents whose owners are all gone (background
//! propagation), deletes dependents before their owner (foreground, `foregroundDeletion`
//! finalizer) and strips ownerReferences before the owner goes (`orphan` finalizer).

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{
    Event, Node, PersistentVolume, PersistentVolumeClaim, Pod, Service,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
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

macro_rules! by_kind {
    ($kind:expr, $f:ident, $($arg:expr),*) => {
        match $kind {
            Kind::Pod => $f::<Pod>($($arg),*),
            Kind::StatefulSet => $f::<StatefulSet>($($arg),*),
            Kind::ControllerRevision => $f::<ControllerRevision>($($arg),*),
            Kind::PersistentVolumeClaim => $f::<PersistentVolumeClaim>($($arg),*),
            Kind::PersistentVolume => $f::<PersistentVolume>($($arg),*),
            Kind::StorageClass => $f::<StorageClass>($($arg),*),
            Kind::Service => $f::<Service>($($arg),*),
            Kind::EndpointSlice => $f::<EndpointSlice>($($arg),*),
            Kind::Node => $f::<Node>($($arg),*),
            Kind::Event => $f::<Event>($($arg),*),
        }
    };
}

/// Metadata of any stored object.
pub fn meta_of(s: &Store, r: &ObjRef) -> Option<ObjectMeta> {
    by_kind!(r.kind, meta_generic, s, r)
}

fn edit_meta(s: &mut Store, r: &ObjRef, mut f: impl FnMut(&mut ObjectMeta)) {
    by_kind!(r.kind, edit_generic, s, r, &mut f)
}

fn delete_generic<T: Stored>(s: &mut Store, r: &ObjRef, p: Propagation) {
    let _ = s.delete::<T>(&r.namespace, &r.name, p, None);
}

fn delete_ref(s: &mut Store, r: &ObjRef, p: Propagation) {
    by_kind!(r.kind, delete_generic, s, r, p)
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
