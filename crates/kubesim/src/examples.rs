//! The seed walkthrough: a 3-node MongoDB replica set on five NFS PersistentVolumes
//! (`shared/seed`, corrected from the removed `apps/v1beta1` to `apps/v1`).

/// Five 100Mi ReadWriteMany NFS PersistentVolumes, `pv001` … `pv005`.
pub const MONGO_PVS: &str = include_str!("../../../examples/mongodb/pv-demo.yaml");
/// The headless Service `mongo` (clusterIP: None) selecting `role: mongo`.
pub const MONGO_SERVICE: &str = include_str!("../../../examples/mongodb/mongo-service.yaml");
/// The StatefulSet `mongo`: 3 replicas, mongod + sidecar, a 100Mi RWX volumeClaimTemplate.
pub const MONGO_STATEFULSET: &str = include_str!("../../../examples/mongodb/mongo-sts.yaml");

/// The playground's default file set, in the order the walkthrough applies them.
pub const MONGODB: &[(&str, &str)] = &[
    ("pv-demo.yaml", MONGO_PVS),
    ("mongo-service.yaml", MONGO_SERVICE),
    ("mongo-sts.yaml", MONGO_STATEFULSET),
];
