//! `kubectl set image` (upstream `pkg/cmd/set/set_image.go`), on StatefulSets.

use crate::kubectl::cli::Resource;
use crate::kubectl::exec::objects::not_found;
use crate::kubectl::exec::{Output, Shell};

impl Shell {
    pub(super) fn set_image(
        &mut self,
        resource: Resource,
        name: &str,
        images: &[(String, String)],
        out: &mut Output,
    ) {
        if resource != Resource::StatefulSets {
            out.fail(format!(
                "error: the playground sets images on statefulsets, not {}",
                resource.plural()
            ));
            return;
        }
        let Some(mut sts) = self.statefulset(name) else {
            out.fail(not_found(resource, name));
            return;
        };
        let spec = sts.spec.get_or_insert_with(Default::default);
        let pod = spec.template.spec.get_or_insert_with(Default::default);
        for (container, image) in images {
            let mut matched = false;
            for c in pod
                .init_containers
                .iter_mut()
                .flatten()
                .chain(pod.containers.iter_mut())
            {
                if container == "*" || &c.name == container {
                    c.image = Some(image.clone());
                    matched = true;
                }
            }
            if !matched {
                out.fail(format!(
                    "error: unable to find container named \"{container}\""
                ));
                return;
            }
        }
        self.apply_statefulset(sts, "image updated", out);
    }
}
