//! kubesim: a pure, deterministic model of a Kubernetes v1.35 cluster for the StatefulSet
//! Playground. No I/O, no wall clock, no global state: it builds and is tested natively and
//! compiles unchanged to wasm. See ARCHITECTURE.md at the repository root.

pub mod engine;
pub mod examples;
pub mod export;
pub mod hints;
pub mod kubectl;
pub mod limits;
pub mod manifest;
pub mod network;
pub mod overview;
pub mod phrase;
pub mod schema;
pub mod session;
pub mod sort;
pub mod storage;
pub mod validation;
pub mod workspace;
pub mod yaml;

/// The Kubernetes version whose behaviour this crate models.
pub const KUBERNETES_VERSION: &str = "v1.35";
