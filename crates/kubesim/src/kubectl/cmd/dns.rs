//! The console's `nslookup` and `dig`, answered by the CoreDNS model (`network::dns`) from the
//! Services and EndpointSlices in the store, as seen from a pod in the default namespace.

use k8s_openapi::api::core::v1::{Pod, Service};

use crate::kubectl::cli;
use crate::kubectl::exec::objects;
use crate::kubectl::exec::{now_ts, Output, Shell};
use crate::network::dns;

/// A tool's stdout, then its stderr (an illegal name: `dig: '…' is not a legal name (…)`).
fn print(r: dns::CommandOutput, out: &mut Output) {
    out.out(r.stdout);
    out.err(r.stderr.trim_end_matches('\n'));
    out.exit_code = r.exit_code;
}

impl Shell {
    pub(super) fn nslookup(&mut self, name: &str, out: &mut Output) {
        let slices = objects::endpoint_slices(&self.cluster);
        let d = dns::Dns::new(self.cluster.store().list::<Service>(), slices.iter());
        let r = dns::nslookup(&d, name, None, &self.namespace);
        print(r, out);
    }

    pub(super) fn dig(&mut self, line: &str, out: &mut Output) {
        let words = cli::split_words(line).unwrap_or_default();
        let args: Vec<&str> = words.iter().skip(1).map(String::as_str).collect();
        let slices = objects::endpoint_slices(&self.cluster);
        let d = dns::Dns::new(self.cluster.store().list::<Service>(), slices.iter());
        let when = k8s_openapi::jiff::fmt::strtime::format(
            "%a %b %d %H:%M:%S UTC %Y",
            now_ts(&self.cluster),
        )
        .unwrap_or_default();
        let ctx = dns::DigContext {
            when,
            ..Default::default()
        };
        let r = dns::dig(&d, &args, &self.namespace, &ctx);
        print(r, out);
    }

    /// Names `nslookup`/`dig` can complete: Services and the pods of their subdomain.
    pub(super) fn dns_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        for svc in self.cluster.store().list::<Service>() {
            let Some(name) = svc.metadata.name.clone() else {
                continue;
            };
            out.push(name.clone());
            out.push(format!("{name}.default.svc.cluster.local"));
            for pod in self.cluster.store().list_in::<Pod>(cli::NAMESPACE) {
                let sub = pod.spec.as_ref().and_then(|s| s.subdomain.as_ref());
                if sub == Some(&name) {
                    if let Some(h) = pod.spec.as_ref().and_then(|s| s.hostname.clone()) {
                        out.push(format!("{h}.{name}"));
                    }
                }
            }
        }
        out
    }
}
