//! The EndpointSlice controller (`endpointslice-controller.k8s.io`) over the store, using
//! [`crate::network::endpointslice`], plus read-only legacy Endpoints and the cluster's DNS
//! (CoreDNS over the stored slices, [`crate::network::dns`]).
//!
//! Registered in [`Cluster::new`] with [`Cluster::register_controller`]: one pass, at the
//! instant of any Pod, Service or Node write, makes the stored slices of every Service with a
//! selector equal to what the controller would write (create / update / delete), and removes
//! managed slices whose Service is gone. The same pass writes the legacy `Endpoints` object
//! (named like the Service; terminating pods dropped, §3.4) and deletes it when the Service
//! or its selector goes away.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Endpoints, Node, Pod, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;

use super::{timestamp, Cluster, Kind, Propagation};
use crate::network::dns::{self, CommandOutput, DigContext, Dns, Lookup, RecordType};
use crate::network::endpointslice::{
    endpoint_slices_for, endpoints_for, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, MANAGED_BY_CONTROLLER,
};

/// Name under which the controller is registered.
pub const CONTROLLER_NAME: &str = "endpointslice-controller";
/// Kinds whose writes trigger a pass.
pub const TRIGGERS: [Kind; 3] = [Kind::Pod, Kind::Service, Kind::Node];
/// Namespace DNS questions are asked from (the playground's client pod lives in `default`).
pub const CLIENT_NAMESPACE: &str = "default";

fn managed_by_controller(s: &EndpointSlice) -> bool {
    s.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(LABEL_MANAGED_BY))
        .is_some_and(|v| v == MANAGED_BY_CONTROLLER)
}

/// One pass of the EndpointSlice controller.
pub fn reconcile(c: &mut Cluster) {
    let services: Vec<Service> = c.store.list::<Service>().cloned().collect();
    let mut wanted_keys: BTreeSet<(String, String)> = BTreeSet::new();
    let mut writes: Vec<EndpointSlice> = Vec::new();
    {
        let nodes: Vec<&Node> = c.store.list::<Node>().collect();
        for svc in &services {
            let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
            let pods: Vec<&Pod> = c.store.list_in::<Pod>(ns).collect();
            for slice in endpoint_slices_for(svc, pods, nodes.iter().copied()) {
                let name = slice.metadata.name.clone().unwrap_or_default();
                wanted_keys.insert((ns.to_string(), name));
                writes.push(slice);
            }
        }
    }
    for mut slice in writes {
        let ns = slice
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let name = slice.metadata.name.clone().unwrap_or_default();
        match c.store.get::<EndpointSlice>(&ns, &name).cloned() {
            None => {
                slice.metadata.namespace = Some(ns);
                let _ = c.store.create(slice);
            }
            Some(old) => {
                let mut m = old.clone();
                m.metadata.labels = slice.metadata.labels.clone();
                m.metadata.annotations = slice.metadata.annotations.clone();
                m.metadata.owner_references = slice.metadata.owner_references.clone();
                m.address_type = slice.address_type.clone();
                m.endpoints = slice.endpoints.clone();
                m.ports = slice.ports.clone();
                if m != old {
                    let _ = c.store.update(m);
                }
            }
        }
    }
    // Legacy Endpoints (the endpoints controller).
    let mut wanted_endpoints: BTreeSet<(String, String)> = BTreeSet::new();
    for svc in &services {
        let ns = svc
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let Some(mut ep) = endpoints_for(svc, c.store.list_in::<Pod>(&ns)) else {
            continue;
        };
        let name = svc.metadata.name.clone().unwrap_or_default();
        ep.metadata.name = Some(name.clone());
        ep.metadata.namespace = Some(ns.clone());
        wanted_endpoints.insert((ns.clone(), name.clone()));
        match c.store.get::<Endpoints>(&ns, &name).cloned() {
            None => {
                let _ = c.store.create(ep);
            }
            Some(old) => {
                let mut m = old.clone();
                m.metadata.labels = ep.metadata.labels.clone();
                m.subsets = ep.subsets.clone();
                // The trigger-time annotation changes with every write; keep the stored one
                // unless the content changed.
                if m != old {
                    m.metadata.annotations = ep.metadata.annotations.clone();
                    let _ = c.store.update(m);
                }
            }
        }
    }
    let stale_endpoints: Vec<(String, String)> = c
        .store
        .list::<Endpoints>()
        .map(|e| {
            (
                e.metadata.namespace.clone().unwrap_or_default(),
                e.metadata.name.clone().unwrap_or_default(),
            )
        })
        .filter(|k| !wanted_endpoints.contains(k))
        .collect();
    for (ns, name) in stale_endpoints {
        let _ = c
            .store
            .delete::<Endpoints>(&ns, &name, Propagation::Background, Some(0));
    }

    let stale: Vec<(String, String)> = c
        .store
        .list::<EndpointSlice>()
        .filter(|s| managed_by_controller(s))
        .map(|s| {
            (
                s.metadata.namespace.clone().unwrap_or_default(),
                s.metadata.name.clone().unwrap_or_default(),
            )
        })
        .filter(|k| !wanted_keys.contains(k))
        .collect();
    for (ns, name) in stale {
        let _ = c
            .store
            .delete::<EndpointSlice>(&ns, &name, Propagation::Background, Some(0));
    }
}

/// `dig`'s `;; WHEN:` line for a simulated instant, e.g. `Thu Jan 01 00:00:05 UTC 2026`.
pub fn dig_when(ms: u64) -> String {
    let t = timestamp(ms);
    let z = t.0.to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC);
    z.strftime("%a %b %d %H:%M:%S UTC %Y").to_string()
}

impl Cluster {
    /// The stored EndpointSlices of a Service (label `kubernetes.io/service-name`), by name.
    pub fn endpoint_slices<'a>(
        &'a self,
        namespace: &'a str,
        service: &str,
    ) -> Vec<&'a EndpointSlice> {
        self.store
            .list_in::<EndpointSlice>(namespace)
            .filter(|s| {
                s.metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(LABEL_SERVICE_NAME))
                    .is_some_and(|v| v == service)
            })
            .collect()
    }

    /// The stored legacy Endpoints object of a Service (`kubectl get endpoints <svc>`).
    pub fn endpoints(&self, namespace: &str, service: &str) -> Option<&Endpoints> {
        self.store.get::<Endpoints>(namespace, service)
    }

    /// The cluster DNS (CoreDNS semantics) over the stored Services and EndpointSlices.
    pub fn dns(&self) -> Dns<'_> {
        Dns::new(
            self.store.list::<Service>(),
            self.store.list::<EndpointSlice>(),
        )
    }

    /// Resolves a name as a pod in `default` does (search path `default.svc.cluster.local`,
    /// `svc.cluster.local`, `cluster.local`; ndots 5).
    pub fn dns_lookup(&self, name: &str, qtype: RecordType) -> Lookup {
        self.dns().lookup_from_pod(name, qtype, CLIENT_NAMESPACE)
    }

    /// The addresses `name` resolves to (A records) from a pod in `default`.
    pub fn resolve(&self, name: &str) -> Vec<String> {
        self.dns_lookup(name, RecordType::A)
            .answer
            .answers
            .iter()
            .filter_map(|r| match &r.data {
                dns::RData::A(ip) | dns::RData::Aaaa(ip) => Some(ip.clone()),
                _ => None,
            })
            .collect()
    }

    /// `kubectl exec <pod in default> -- nslookup <name>` (busybox-style output).
    pub fn nslookup(&self, name: &str) -> CommandOutput {
        let mut words = name.split_whitespace();
        let mut qtype = None;
        let mut target = "";
        for w in words.by_ref() {
            if let Some(t) = w
                .strip_prefix("-type=")
                .or_else(|| w.strip_prefix("-query="))
            {
                qtype = RecordType::parse(t);
            } else if target.is_empty() {
                target = w;
            }
        }
        dns::nslookup(&self.dns(), target, qtype, CLIENT_NAMESPACE)
    }

    /// `kubectl exec <pod in default> -- dig <args…>`; the `;; WHEN:` line shows the
    /// simulated clock.
    pub fn dig(&self, args: &[&str]) -> CommandOutput {
        let ctx = DigContext {
            when: dig_when(self.now),
            ..Default::default()
        };
        dns::dig(&self.dns(), args, CLIENT_NAMESPACE, &ctx)
    }

    /// Why a StatefulSet's pods have no per-pod DNS names, if they lack them.
    pub fn explain_dns(&self, namespace: &str, set: &str) -> Option<String> {
        let s = self
            .store
            .get::<k8s_openapi::api::apps::v1::StatefulSet>(namespace, set)?;
        dns::explain_no_pod_dns(
            s,
            self.store.list_in::<Service>(namespace),
            self.store.list_in::<Pod>(namespace),
        )
    }
}
