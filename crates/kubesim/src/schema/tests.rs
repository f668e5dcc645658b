use super::*;
use crate::examples;

fn labels(c: &[Completion]) -> Vec<&str> {
    c.iter().map(|c| c.label.as_str()).collect()
}

/// The cursor at the end of the first occurrence of `marker` in `text`.
fn at(text: &str, marker: &str) -> usize {
    text.find(marker).expect(marker) + marker.len()
}

#[test]
fn the_schema_indexes_every_simulated_kind() {
    let s = Schema::embedded();
    for (api, kind) in [
        ("apps/v1", "StatefulSet"),
        ("v1", "Service"),
        ("v1", "PersistentVolume"),
        ("v1", "PersistentVolumeClaim"),
        ("storage.k8s.io/v1", "StorageClass"),
        ("v1", "Pod"),
        ("v1", "Namespace"),
    ] {
        assert!(s.kind(api, kind).is_some(), "{api} {kind}");
    }
    assert!(s.kind("apps/v1beta1", "StatefulSet").is_none());
    let spec = s.get("apps.v1.StatefulSetSpec").unwrap();
    let selector = spec.field("selector").unwrap();
    assert!(selector.required);
    assert_eq!(s.type_guess(selector.expr), "LabelSelector");
    assert_eq!(
        s.type_guess(spec.field("replicas").unwrap().expr),
        "integer"
    );
    assert_eq!(
        s.type_guess(spec.field("volumeClaimTemplates").unwrap().expr),
        "[]PersistentVolumeClaim"
    );
    let res = s.get("core.v1.VolumeResourceRequirements").unwrap();
    assert_eq!(
        s.type_guess(res.field("requests").unwrap().expr),
        "map[string]Quantity"
    );
    let port = s.get("core.v1.ServicePort").unwrap();
    assert_eq!(
        s.type_guess(port.field("targetPort").unwrap().expr),
        "IntOrString"
    );
}

#[test]
fn completes_field_names_by_yaml_path() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  updateStrategy:\n    rollingUpdate:\n      pa\n";
    let c = complete(text, at(text, "      pa"));
    assert_eq!(labels(&c), ["partition"]);
    assert_eq!(c[0].detail, "integer");
    assert_eq!(c[0].apply, "partition: ");
    assert_eq!(c[0].from, text.find("pa\n").unwrap());
    assert!(
        c[0].info.starts_with("Partition indicates the ordinal"),
        "{}",
        c[0].info
    );

    // spec's fields, minus the ones already written
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  replicas: 3\n  \n";
    let c = complete(text, at(text, "replicas: 3\n  "));
    let l = labels(&c);
    assert!(
        l.contains(&"serviceName") && l.contains(&"podManagementPolicy"),
        "{l:?}"
    );
    assert!(!l.contains(&"replicas"), "{l:?}");
    let template = c.iter().find(|c| c.label == "template").unwrap();
    assert_eq!(template.detail, "PodTemplateSpec");
    assert_eq!(template.apply, "template:\n    ");
}

#[test]
fn completes_inside_sequence_entries() {
    let text = examples::MONGO_STATEFULSET.replace(
        "          image: mongo:3.4\n",
        "          image: mongo:3.4\n          imagePu\n",
    );
    let c = complete(&text, at(&text, "imagePu"));
    assert_eq!(labels(&c), ["imagePullPolicy"]);
    // a key on the `- ` line itself
    let text = examples::MONGO_STATEFULSET.replace("        - name: mongo-sidecar", "        - na");
    let c = complete(&text, at(&text, "        - na"));
    assert_eq!(labels(&c), ["name"]);
    assert_eq!(c[0].detail, "string");
    // volumeClaimTemplates entries are PersistentVolumeClaims
    let text = examples::MONGO_STATEFULSET
        .replace("      accessModes:", "      storageCl\n      accessModes:");
    let c = complete(&text, at(&text, "storageCl"));
    assert_eq!(labels(&c), ["storageClassName"]);
}

#[test]
fn completes_enum_values() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  podManagementPolicy: P\n";
    let c = complete(text, at(text, ": P"));
    assert_eq!(labels(&c), ["Parallel"]);
    assert_eq!(c[0].from, text.find(": P").unwrap() + 2);
    let c = complete(text, at(text, "podManagementPolicy: "));
    assert_eq!(labels(&c), ["OrderedReady", "Parallel"]);

    let text = "apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  updateStrategy:\n    type: \n";
    assert_eq!(
        labels(&complete(text, at(text, "type: "))),
        ["RollingUpdate", "OnDelete"]
    );

    let text = "apiVersion: v1\nkind: PersistentVolume\nspec:\n  persistentVolumeReclaimPolicy: R\n  accessModes: [\"ReadWriteMany\", Read\n";
    assert_eq!(
        labels(&complete(text, at(text, "Policy: R"))),
        ["Retain", "Recycle"]
    );
    assert_eq!(
        labels(&complete(text, at(text, ", Read"))),
        [
            "ReadWriteOnce",
            "ReadOnlyMany",
            "ReadWriteMany",
            "ReadWriteOncePod"
        ]
    );
    let text =
        "apiVersion: v1\nkind: PersistentVolumeClaim\nspec:\n  accessModes:\n  - ReadWriteO\n";
    assert_eq!(
        labels(&complete(text, at(text, "- ReadWriteO"))),
        ["ReadWriteOnce", "ReadWriteOncePod"]
    );
    let text = "apiVersion: v1\nkind: Service\nspec:\n  type: \n";
    assert_eq!(
        labels(&complete(text, at(text, "type: "))),
        ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]
    );
    // kind and apiVersion of a new document
    let text = "kind: Stat";
    assert_eq!(labels(&complete(text, text.len())), ["StatefulSet"]);
    // Namespace is in the schema (v3's api__v1 document) for the namespaces the cluster has
    let text = "apiVersion: v1\nkind: Namespace\nspec:\n  fi";
    let c = complete(text, text.len());
    assert_eq!(labels(&c), ["finalizers"]);
    assert_eq!(c[0].detail, "[]string");
}

#[test]
fn nothing_to_complete_in_free_text_and_bad_offsets() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  labels:\n    ap\n";
    assert!(
        complete(text, at(text, "    ap")).is_empty(),
        "labels are free-form"
    );
    for offset in [0, 5, 1000, usize::MAX] {
        let _ = complete(text, offset);
        let _ = hover(text, offset);
    }
    let _ = complete("é: ü\n  - - x: [", 3);
}

#[test]
fn hover_shows_path_type_and_description() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  updateStrategy:\n    rollingUpdate:\n      partition: 2\n";
    let h = hover(text, text.find("partition").unwrap() + 3).unwrap();
    assert_eq!(
        h.path,
        "StatefulSet.spec.updateStrategy.rollingUpdate.partition"
    );
    assert_eq!(h.type_name, "integer");
    assert!(
        h.description.starts_with("Partition indicates the ordinal"),
        "{}",
        h.description
    );
    assert_eq!(
        (h.from, h.to),
        (
            text.find("partition").unwrap(),
            text.find("partition").unwrap() + 9
        )
    );
    assert!(
        hover(text, text.find(": 2").unwrap() + 2).is_none(),
        "a value is no key"
    );

    let h = hover(
        examples::MONGO_STATEFULSET,
        at(examples::MONGO_STATEFULSET, "        - na"),
    )
    .unwrap();
    assert_eq!(h.path, "StatefulSet.spec.template.spec.containers.name");
    let h = hover(
        examples::MONGO_STATEFULSET,
        at(examples::MONGO_STATEFULSET, "  volumeClaimTemp"),
    )
    .unwrap();
    assert_eq!(h.type_name, "[]PersistentVolumeClaim");
    let h = hover(
        examples::MONGO_STATEFULSET,
        at(examples::MONGO_STATEFULSET, "          stora"),
    )
    .unwrap();
    assert_eq!(
        h.path,
        "StatefulSet.spec.volumeClaimTemplates.spec.resources.requests.storage"
    );
    assert_eq!(h.type_name, "Quantity");
}
