//! Identifiers that look like a real cluster's, made deterministically.
//!
//! Upstream draws them at random: uids are `uuid.NewRandom()` v4 UUIDs
//! (`staging/src/k8s.io/apimachinery/pkg/util/uuid/uuid.go`), container IDs are the runtime's
//! 64-hex ids (`containerd://<id>`, `pkg/kubelet/kuberuntime/kuberuntime_container.go` builds
//! `ContainerID{Type: runtimeName, ID: id}.String()`), and image IDs are the image's repo digest
//! as the CRI reports it (`docker.io/library/nginx@sha256:<64 hex>`). The playground's rule:
//!
//! * **uid**: the store counts the objects it creates, starting at an offset drawn from the
//!   cluster's seed (`ClusterConfig::seed`); uid number `n` is [`uuid_v4`]`(n)`, a bijective mix
//!   of `n` (SplitMix64's finalizer over `n × golden gamma`) laid out as a v4 UUID (version
//!   nibble `4`, variant `8`–`b`). Distinct `n` give distinct uids; the same seed and the same
//!   commands give the same uids.
//! * **container ID**: `containerd://` + 64 hex from the pod's uid, the container's name and
//!   its restart count (a restarted container is a new container with a new id).
//! * **image ID**: the image's fully qualified repository (`nginx` → `docker.io/library/nginx`)
//!   `@sha256:` + 64 hex from the image reference (a reference that already names its digest
//!   keeps it). Not the registry's real digest: the playground has no registry.

use super::rng::SplitMix64;
use super::store::push_hex;

const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function: a bijection of u64.
fn mix(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The first uid number of a cluster with this seed.
pub(crate) fn uid_offset(seed: u64) -> u64 {
    SplitMix64::new(seed ^ 0x7569_6473).next_u64()
}

/// Uid number `n` as a v4 UUID `xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx` (V in 8..b). All 64 bits
/// of the bijective `h1` appear in it, so distinct `n` never share a uid.
pub(crate) fn uuid_v4(n: u64) -> String {
    let h1 = mix(n.wrapping_mul(GAMMA));
    let h2 = mix(h1 ^ GAMMA);
    let mut uid = String::with_capacity(36);
    push_hex(&mut uid, h1 >> 32, 8);
    uid.push('-');
    push_hex(&mut uid, (h1 >> 16) & 0xffff, 4);
    uid.push('-');
    push_hex(&mut uid, 0x4000 | ((h1 >> 4) & 0xfff), 4);
    uid.push('-');
    push_hex(
        &mut uid,
        0x8000 | ((h2 >> 62) << 12) | ((h1 & 0xf) << 8) | (h2 & 0xff),
        4,
    );
    uid.push('-');
    push_hex(&mut uid, (h2 >> 8) & 0xffff_ffff_ffff, 12);
    uid
}

use super::store::series_hash as fingerprint;

/// Appends 64 hex digits drawn from a fingerprint.
fn push_hex64(out: &mut String, seed: u64) {
    let mut rng = SplitMix64::new(seed);
    for _ in 0..4 {
        push_hex(out, rng.next_u64(), 16);
    }
}

/// The container runtime's id of a container: `containerd://<64 hex>`.
pub fn container_id(pod_uid: &str, container: &str, restart_count: i32) -> String {
    const PREFIX: &str = "containerd://";
    let n = restart_count.to_string();
    let mut id = String::with_capacity(PREFIX.len() + 64);
    id.push_str(PREFIX);
    push_hex64(&mut id, fingerprint(&[pod_uid, container, &n]));
    id
}

/// Splits a reference into (repository, tag, digest) the way the docker reference grammar
/// does: the tag is after the last `:` of the last path component, the digest after `@`.
fn split_reference(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    match name[last_slash..].rfind(':') {
        Some(i) => (
            &name[..last_slash + i],
            Some(&name[last_slash + i + 1..]),
            digest,
        ),
        None => (name, None, digest),
    }
}

/// The fully qualified repository of an image reference, as containerd names it
/// (`docker.io/library/nginx` for `nginx`, `docker.io/bitnami/mongodb` for `bitnami/mongodb`;
/// a first component with a `.` or `:`, or `localhost`, is a registry and stays).
pub fn qualified_repository(image: &str) -> String {
    let (repo, _, _) = split_reference(image);
    let first = repo.split('/').next().unwrap_or("");
    let has_registry =
        repo.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    if has_registry {
        repo.to_string()
    } else if repo.contains('/') {
        format!("docker.io/{repo}")
    } else {
        format!("docker.io/library/{repo}")
    }
}

/// The image as the CRI reports it in `containerStatuses[].image`: fully qualified, with its
/// tag (`latest` when none) or, for a digest-only reference, its digest.
pub fn status_image(image: &str) -> String {
    let repo = qualified_repository(image);
    match split_reference(image) {
        (_, Some(tag), _) => format!("{repo}:{tag}"),
        (_, None, Some(digest)) => format!("{repo}@{digest}"),
        (_, None, None) => format!("{repo}:latest"),
    }
}

/// `containerStatuses[].imageID`: the repository digest.
pub fn image_id(image: &str) -> String {
    let repo = qualified_repository(image);
    match split_reference(image) {
        (_, _, Some(digest)) => format!("{repo}@{digest}"),
        _ => {
            let mut id = String::with_capacity(repo.len() + 8 + 64);
            id.push_str(&repo);
            id.push_str("@sha256:");
            push_hex64(&mut id, fingerprint(&[&status_image(image)]));
            id
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_v4(uid: &str) -> bool {
        let parts: Vec<&str> = uid.split('-').collect();
        parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
            && uid
                .chars()
                .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
            && parts[2].starts_with('4')
            && matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b')
    }

    #[test]
    fn uids_are_distinct_random_looking_v4_uuids() {
        // `uuid.NewRandom()` (RFC 4122 version 4, variant 10): k8s.io/apimachinery/pkg/util/uuid.
        let mut seen = std::collections::BTreeSet::new();
        let start = uid_offset(0);
        for k in 0..20_000u64 {
            let uid = uuid_v4(start.wrapping_add(k));
            assert!(is_v4(&uid), "{uid}");
            assert!(seen.insert(uid));
        }
        // Consecutive uids share no visible counter: their last groups differ.
        let (a, b) = (uuid_v4(start), uuid_v4(start + 1));
        assert_ne!(a[24..], b[24..]);
        assert_ne!(a[..8], b[..8]);
        // The seed moves the whole sequence.
        assert_ne!(uuid_v4(uid_offset(0)), uuid_v4(uid_offset(1)));
    }

    #[test]
    fn container_ids_are_containerd_64_hex_and_change_on_restart() {
        let a = container_id("uid-1", "nginx", 0);
        assert!(a.starts_with("containerd://"));
        let hex = &a["containerd://".len()..];
        assert_eq!(hex.len(), 64);
        assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(a, container_id("uid-1", "nginx", 0));
        assert_ne!(a, container_id("uid-1", "nginx", 1));
        assert_ne!(a, container_id("uid-2", "nginx", 0));
    }

    #[test]
    fn images_are_qualified_as_containerd_reports_them() {
        assert_eq!(status_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(
            status_image("registry.k8s.io/nginx-slim:0.24"),
            "registry.k8s.io/nginx-slim:0.24"
        );
        assert_eq!(status_image("mongo:8"), "docker.io/library/mongo:8");
        assert_eq!(
            status_image("bitnami/mongodb:7.0"),
            "docker.io/bitnami/mongodb:7.0"
        );
        assert_eq!(
            status_image("localhost:5000/app:v1"),
            "localhost:5000/app:v1"
        );
        let id = image_id("nginx:1.25");
        assert!(id.starts_with("docker.io/library/nginx@sha256:"), "{id}");
        assert_eq!(id.len(), "docker.io/library/nginx@sha256:".len() + 64);
        assert_eq!(id, image_id("docker.io/library/nginx:1.25"));
        assert_ne!(id, image_id("nginx:1.26"));
        let pinned = format!("nginx@sha256:{}", "ab".repeat(32));
        assert_eq!(
            image_id(&pinned),
            format!("docker.io/library/nginx@sha256:{}", "ab".repeat(32))
        );
    }
}
