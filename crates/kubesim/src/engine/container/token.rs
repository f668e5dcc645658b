//! The files of a pod's service-account token volume (`kube-api-access-<5>`, added by the
//! ServiceAccount admission: [`crate::engine::admission`]), as the kubelet writes them.
//!
//! The kubelet's projected volume plugin writes its files through the `AtomicWriter`
//! (`pkg/volume/util/atomic_writer.go`): the payload goes into a timestamped directory
//! `..<2006_01_02_15_04_05>.<random>`, `..data` links to it and each file name at the top links
//! into `..data`, so `ls` shows `ca.crt namespace token` and `ls -la` the links. The sources are
//! the three of `TokenVolumeSource`: `token` (a bound service-account JWT,
//! `pkg/serviceaccount/claims.go`: audience, issuer, expiry, the pod, node and service account
//! it is bound to), `ca.crt` (the `kube-root-ca.crt` ConfigMap) and `namespace` (the downward
//! API's `metadata.namespace`). Neither file ends with a newline.
//!
//! Deterministic: the token's claims are the pod's (names, uids, its start); its key id and
//! signature, the CA certificate's bytes and the directory's random suffix are drawn from the
//! cluster's seed and the pod's uid. The token decodes like a real one (base64url JSON), it
//! only does not verify.

use k8s_openapi::api::core::v1::{Node, Pod};

use super::super::rng::SplitMix64;
use super::super::store::series_hash;
use super::super::{instant_of, Cluster, EPOCH_UNIX_MS};
use crate::engine::pod_fs::Tree;

/// The in-cluster issuer and audience of a kind cluster's tokens.
const ISSUER: &str = "https://kubernetes.default.svc.cluster.local";
/// kube-apiserver's `--service-account-extend-token-expiration` (default on): a token asked for
/// 3607 s is issued for a year, with `warnafter` at the asked expiry.
const EXTENDED_SECONDS: i64 = 365 * 24 * 3600;
const REQUESTED_SECONDS: i64 = 3607;

/// Is this pod volume the projected service-account token volume?
pub fn is_token_volume(pod: &Pod, volume: &str) -> bool {
    pod.spec
        .as_ref()
        .and_then(|s| s.volumes.as_ref())
        .and_then(|vs| vs.iter().find(|v| v.name == volume))
        .and_then(|v| v.projected.as_ref())
        .is_some_and(|p| {
            p.sources
                .iter()
                .flatten()
                .any(|s| s.service_account_token.is_some())
        })
}

/// The volume's tree as the kubelet leaves it.
pub fn tree(c: &Cluster, pod: &Pod) -> Tree {
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mounted = pod
        .status
        .as_ref()
        .and_then(|s| s.start_time.as_ref())
        .or(pod.metadata.creation_timestamp.as_ref())
        .map(instant_of)
        .unwrap_or_default();
    let mut rng = SplitMix64::new(series_hash(&[uid, "kube-api-access"]) ^ c.config.seed);
    let stamp = crate::engine::timestamp(mounted).0.to_string();
    // "2026-01-01T00:00:05Z" → "2026_01_01_00_00_05"
    let seconds = stamp.split(['.', 'Z']).next().unwrap_or_default();
    let stamp: String = seconds
        .chars()
        .map(|ch| if ch.is_ascii_digit() { ch } else { '_' })
        .collect();
    let dir = format!("..{stamp}.{}", rng.next_u64() as u32);
    let mut t = Tree::default();
    let _ = t.mkdir(&dir, false);
    let _ = t.write(&format!("{dir}/ca.crt"), &ca_crt(c.config.seed), false);
    let _ = t.write(&format!("{dir}/namespace"), ns, false);
    let _ = t.write(
        &format!("{dir}/token"),
        &token(c, pod, mounted, &mut rng),
        false,
    );
    let _ = t.link("..data", &dir);
    for f in ["ca.crt", "namespace", "token"] {
        let _ = t.link(f, &format!("..data/{f}"));
    }
    t
}

/// A bound service-account token (`pkg/serviceaccount/claims.go` `Claims`): header and claims
/// as the API server serializes them (Go's sorted-key JSON of the private claims), RS256.
fn token(c: &Cluster, pod: &Pod, mounted: u64, rng: &mut SplitMix64) -> String {
    let seed = c.config.seed;
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    let sa = pod
        .spec
        .as_ref()
        .and_then(|s| s.service_account_name.as_deref())
        .unwrap_or("default");
    let node = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .unwrap_or_default();
    let node_uid = c
        .store
        .get::<Node>("", node)
        .and_then(|n| n.metadata.uid.clone())
        .unwrap_or_default();
    let sa_uid = made_up_uid(series_hash(&[ns, sa, "serviceaccount"]) ^ seed);
    let iat = (EPOCH_UNIX_MS + mounted as i64) / 1000;
    let kid = base64url(&bytes(&mut SplitMix64::new(seed ^ 0x6b6964), 32));
    let header = format!(r#"{{"alg":"RS256","kid":"{kid}"}}"#);
    let jti = made_up_uid(rng.next_u64());
    let claims = format!(
        concat!(
            r#"{{"aud":["{iss}"],"exp":{exp},"iat":{iat},"iss":"{iss}","jti":"{jti}","#,
            r#""kubernetes.io":{{"namespace":"{ns}","node":{{"name":"{node}","uid":"{node_uid}"}},"#,
            r#""pod":{{"name":"{name}","uid":"{uid}"}},"serviceaccount":{{"name":"{sa}","uid":"{sa_uid}"}},"#,
            r#""warnafter":{warn}}},"nbf":{iat},"sub":"system:serviceaccount:{ns}:{sa}"}}"#
        ),
        iss = ISSUER,
        exp = iat + EXTENDED_SECONDS,
        warn = iat + REQUESTED_SECONDS,
        iat = iat,
        jti = jti,
        ns = ns,
        node = node,
        node_uid = node_uid,
        name = name,
        uid = uid,
        sa = sa,
        sa_uid = sa_uid,
    );
    let signature = base64url(&bytes(rng, 256));
    format!(
        "{}.{}.{signature}",
        base64url(header.as_bytes()),
        base64url(claims.as_bytes())
    )
}

/// The cluster CA (kubeadm's self-signed `kubernetes` CA, ~1 KB of DER) as PEM: a certificate's
/// DER header (`SEQUENCE`, `tbsCertificate`, version 3, serial), then bytes drawn from the seed.
fn ca_crt(seed: u64) -> String {
    let mut der = vec![
        0x30, 0x82, 0x03, 0x05, 0x30, 0x82, 0x01, 0xed, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x08,
    ];
    der.extend(bytes(&mut SplitMix64::new(seed ^ 0x6361), 777 - der.len()));
    let b64 = base64(&der, STANDARD, true);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----");
    pem
}

fn made_up_uid(n: u64) -> String {
    crate::engine::ids::uuid_v4(n)
}

fn bytes(rng: &mut SplitMix64, n: usize) -> Vec<u8> {
    (0..n.div_ceil(8))
        .flat_map(|_| rng.next_u64().to_le_bytes())
        .take(n)
        .collect()
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(data: &[u8]) -> String {
    base64(data, URL_SAFE, false)
}

fn base64(data: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        // RFC 4648 §10
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes(), STANDARD, true), coded);
            assert_eq!(base64url(plain.as_bytes()), coded.trim_end_matches('='));
        }
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn the_ca_is_a_pem_block_of_a_der_certificate() {
        let pem = ca_crt(0);
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgII"));
        assert!(pem.ends_with("\n-----END CERTIFICATE-----"));
        assert!(pem.lines().all(|l| l.len() <= 64));
        assert_eq!(pem, ca_crt(0));
        assert_ne!(pem, ca_crt(1));
    }
}
