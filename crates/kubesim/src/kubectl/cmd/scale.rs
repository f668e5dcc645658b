//! `kubectl scale` (upstream `pkg/cmd/scale/scale.go`): StatefulSets only in the playground.

use crate::kubectl::cli::{self, Resource};
use crate::kubectl::exec::{api_error, Output, Shell};

impl Shell {
    pub(super) fn scale(
        &mut self,
        resource: Resource,
        name: &str,
        replicas: i32,
        out: &mut Output,
    ) {
        if resource != Resource::StatefulSets {
            out.fail(format!(
                "error: cannot scale {}: only statefulsets are scalable in the playground",
                resource.plural()
            ));
            return;
        }
        match self.cluster.scale(cli::NAMESPACE, name, replicas) {
            Ok(()) => out.out(format!("statefulset.apps/{name} scaled\n")),
            Err(e) => out.fail(api_error(&e, None)),
        }
    }
}
