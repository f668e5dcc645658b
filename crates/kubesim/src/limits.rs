//! The playground's resource limits: how much work one command or one object may cause.
//!
//! A browser tab has one thread and a few hundred megabytes; text from a shared link is a
//! stranger's input. Every limit here is named in the error it produces, so a visitor who hits
//! one knows which. Where upstream has the same rule the message is upstream's (`Too many: N:
//! must have at most M items` is `field.TooMany` of `k8s.io/apimachinery/pkg/util/validation`);
//! the others are playground limits, said so in the message. `spec.replicas` has its own,
//! configurable limit ([`crate::engine::ClusterConfig::max_replicas`]).
//!
//! What each bounds (numbers in ARCHITECTURE.md, "Resource limits"):
//! * [`MAX_CONTAINERS`]: the kubelet writes a pod status per started container, each a copy of
//!   the pod with one status per container, so a pod's start costs containers².
//! * [`MAX_LABELS`] / [`MAX_ANNOTATIONS_BYTES`] / [`MAX_OBJECT_BYTES`]: every write of an
//!   object copies it, and the watch history keeps up to 1,000 versions.
//! * [`MAX_VOLUME_CLAIM_TEMPLATES`]: claims = replicas × templates.
//! * [`MAX_REVISION_HISTORY`]: ControllerRevisions kept per set.
//! * [`MAX_OBJECTS_PER_KIND`]: objects a user may create of one kind.
//! * [`MAX_WATCH_OUTPUT_BYTES`]: what one `kubectl get -w` may print.

/// Containers (and, separately, init containers) of one pod template.
pub const MAX_CONTAINERS: usize = 100;

/// Labels on one object (`metadata.labels`, the pod template's labels, and `kubectl label`'s
/// changes in one command).
pub const MAX_LABELS: usize = 100;

/// Total size of one object's annotations (keys + values), upstream's
/// `TotalAnnotationSizeLimitB` (256 KiB) is more than a tab can keep 1,000 versions of.
pub const MAX_ANNOTATIONS_BYTES: usize = 64 * 1024;

/// An applied object's size as JSON (upstream's limit is etcd's 1.5 MiB request size).
pub const MAX_OBJECT_BYTES: usize = 256 * 1024;

/// `spec.volumeClaimTemplates` of one StatefulSet.
pub const MAX_VOLUME_CLAIM_TEMPLATES: usize = 10;

/// `spec.revisionHistoryLimit` of one StatefulSet (each kept revision holds a copy of the
/// pod template).
pub const MAX_REVISION_HISTORY: i32 = 100;

/// Objects of one kind a user may create (StatefulSets, Services, PVs, PVCs, StorageClasses).
pub const MAX_OBJECTS_PER_KIND: usize = 5_000;

/// Bytes one `kubectl get -w` prints before it stops (like a terminal's scrollback, the
/// console would not keep more).
pub const MAX_WATCH_OUTPUT_BYTES: usize = 4 * 1024 * 1024;

/// Upstream's `field.TooMany` detail: `Too many: 10000: must have at most 100 items`.
pub fn too_many(actual: usize, max: usize) -> String {
    format!("Too many: {actual}: must have at most {max} items")
}

/// The size of `value` as JSON, counted without building the text.
pub fn json_size<T: serde::Serialize + ?Sized>(value: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = serde_json::to_writer(&mut c, value);
    c.0
}

/// Total bytes of a map's keys and values (how upstream measures annotations).
pub fn map_bytes(map: Option<&std::collections::BTreeMap<String, String>>) -> usize {
    map.into_iter()
        .flatten()
        .map(|(k, v)| k.len() + v.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_reads_like_the_api_server() {
        assert_eq!(
            too_many(10_000, 100),
            "Too many: 10000: must have at most 100 items"
        );
    }

    #[test]
    fn json_size_counts_the_serialized_bytes() {
        let v = serde_json::json!({"a": [1, 2, 3], "b": "xyz"});
        assert_eq!(json_size(&v), serde_json::to_string(&v).unwrap().len());
    }
}
