//! `kubectl scale` (upstream `pkg/cmd/scale/scale.go`): StatefulSets only in the playground.

use crate::kubectl::cli::Resource;
use crate::kubectl::exec::objects::not_found;
use crate::kubectl::exec::{api_error, Output, Shell};

impl Shell {
    pub(super) fn scale(
        &mut self,
        resource: Resource,
        name: &str,
        replicas: i32,
        (current_replicas, resource_version): (i64, &str),
        out: &mut Output,
    ) {
        if resource != Resource::StatefulSets {
            out.fail(format!(
                "error: cannot scale {}: only statefulsets are scalable in the playground",
                resource.plural()
            ));
            return;
        }
        // ScalePrecondition.validate (kubectl pkg/scale/scale.go), checked against the
        // scale subresource before the update: `Expected replicas to be 5, was 3`
        let Some(sts) = self.statefulset(name) else {
            out.fail(not_found(resource, name));
            return;
        };
        let current = i64::from(sts.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1));
        if current_replicas != -1 && current != current_replicas {
            out.fail(format!(
                "error: Expected replicas to be {current_replicas}, was {current}"
            ));
            return;
        }
        let version = sts.metadata.resource_version.clone().unwrap_or_default();
        if !resource_version.is_empty() && version != resource_version {
            out.fail(format!(
                "error: Expected resource version to be {resource_version}, was {version}"
            ));
            return;
        }
        match self.cluster.scale(&self.namespace, name, replicas) {
            Ok(()) => out.out(format!("statefulset.apps/{name} scaled\n")),
            Err(e) => out.fail(api_error(&e, None)),
        }
    }
}
