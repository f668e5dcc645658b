//! `kubectl cordon` / `uncordon` (upstream `pkg/cmd/drain/drain.go`).

use k8s_openapi::api::core::v1::Node;

use crate::kubectl::cli::Resource;
use crate::kubectl::exec::objects::not_found;
use crate::kubectl::exec::{Output, Shell};

impl Shell {
    /// Sets `spec.unschedulable` on a node. The engine has no command for it yet, so this
    /// writes through the store directly (see the report: not in the command log).
    pub(super) fn set_unschedulable(&mut self, name: &str, unschedulable: bool) {
        let _ = self.cluster.cordon(name, unschedulable);
    }

    pub(super) fn cordon(&mut self, node: &str, uncordon: bool, out: &mut Output) {
        let Some(n) = self.cluster.store().get::<Node>("", node) else {
            out.fail(not_found(Resource::Nodes, node));
            return;
        };
        let is = n
            .spec
            .as_ref()
            .and_then(|s| s.unschedulable)
            .unwrap_or(false);
        let verb = if uncordon { "uncordoned" } else { "cordoned" };
        if is != uncordon {
            out.out(format!("node/{node} already {verb}\n"));
            return;
        }
        self.set_unschedulable(node, !uncordon);
        out.out(format!("node/{node} {verb}\n"));
    }
}
