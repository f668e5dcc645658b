#!/usr/bin/env python3
"""Generates crates/kubesim/schema/k8s-v1.35.schema from the Kubernetes v1.35 OpenAPI v3 documents.

Source: upstream's api/openapi-spec/v3/{api__v1,apis__apps__v1,apis__storage.k8s.io__v1}_openapi.json
of Kubernetes v1.35 (Apache-2.0, Copyright The Kubernetes Authors), as vendored byte for byte by
kubernetes-sigs/kubectl-validate at commit a97ccfaca20b164819afdae780392496f6ed6bbd, files
pkg/openapiclient/builtins/1.35/{api/v1,apis/apps/v1,apis/storage.k8s.io/v1}.json (that repo's
cmd/download-builtin-schemas writes the bytes GitHub serves for release-1.35; commit 9431c46
"upgrade to kubernetes 1.35", 2025-12-23). Why that copy is v1.35's: see
scripts/schema/PROVENANCE.md (sha256 of two sibling documents equal the v1.35.0 tag's; every
definition our kinds reach equals release-1.35's v2 swagger field by field).

Read from v3: components/schemas; a field whose type is a reference is
{"allOf": [{"$ref": ...}], "description": ...} (kept: the field's own description and the
reference, which kubectl explain's plaintext template prints both of); Quantity and IntOrString
have no "type" (oneOf string/number|integer), so explain names them (<Quantity>, <IntOrString>);
`enum` is kept (v1.35 publishes none for these kinds: the ENUM/enum lines never print).
`default`, `format` and the x-kubernetes-* extensions are read but not kept: kubectl v1.35's
explain (pkg/explain/v2/templates/plaintext.tmpl) prints none of them.

Trimmed to what the simulated kinds reach: StatefulSet, Service, PersistentVolume,
PersistentVolumeClaim, StorageClass, Pod and Namespace, and every definition their fields
reference. Only names, types, required flags, references, enums, group/version/kind and
descriptions are kept.

Usage:
    K=<mirror of kubernetes-sigs/kubectl-validate>/repo; B=pkg/openapiclient/builtins/1.35
    for f in api/v1 apis/apps/v1 apis/storage.k8s.io/v1; do
        git -C $K show a97ccfaca20b164819afdae780392496f6ed6bbd:$B/$f.json > /tmp/$(echo $f | tr / _).json
    done
    python3 scripts/schema/gen_k8s_schema.py /tmp/api_v1.json /tmp/apis_apps_v1.json \
        /tmp/apis_storage.k8s.io_v1.json > crates/kubesim/schema/k8s-v1.35.schema

Format (UTF-8, one record a line, read by crates/kubesim/src/schema.rs):
    T <name> TAB <type> TAB <group/version/kind or empty> TAB <description>
    F <field> TAB <"r" if required, else empty> TAB <type expression> TAB <description>
    E <enum value> TAB <enum value> ...    (enum of the preceding field, when the source has one)
F lines follow their T line, sorted by field name (kubectl's template ranges over a Go map).
A type expression is a primitive (string, integer, number, boolean, object), `@name` (a
reference to a T record), `[]` + expression (array items) or `{}` + expression (a map's values).
Descriptions escape backslash, newline and tab as \\\\, \\n and \\t.
"""
import json
import sys

ROOTS = [
    "io.k8s.api.apps.v1.StatefulSet",
    "io.k8s.api.core.v1.Service",
    "io.k8s.api.core.v1.PersistentVolume",
    "io.k8s.api.core.v1.PersistentVolumeClaim",
    "io.k8s.api.storage.v1.StorageClass",
    "io.k8s.api.core.v1.Pod",
    "io.k8s.api.core.v1.Namespace",
]
PREFIXES = [
    ("io.k8s.api.", ""),
    ("io.k8s.apimachinery.pkg.apis.", ""),
    ("io.k8s.apimachinery.pkg.api.", ""),
    ("io.k8s.apimachinery.pkg.util.", ""),
    ("io.k8s.apimachinery.pkg.", ""),
]
REF = "#/components/schemas/"


def short(name):
    for prefix, repl in PREFIXES:
        if name.startswith(prefix):
            return repl + name[len(prefix):]
    return name


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def reference(schema):
    """The component a schema names: {"$ref"} or v3's {"allOf": [{"$ref"}], ...}."""
    if "$ref" in schema:
        ref = schema["$ref"]
    elif len(schema.get("allOf", [])) == 1 and "$ref" in schema["allOf"][0] and "properties" not in schema:
        ref = schema["allOf"][0]["$ref"]
    else:
        return None
    assert ref.startswith(REF), ref
    return ref[len(REF):]


def type_expr(schema, refs):
    target = reference(schema)
    if target:
        refs.append(target)
        return "@" + short(target)
    assert "allOf" not in schema and "oneOf" not in schema and "anyOf" not in schema, schema
    if "items" in schema:
        return "[]" + type_expr(schema["items"], refs)
    ap = schema.get("additionalProperties")
    if isinstance(ap, dict):
        return "{}" + type_expr(ap, refs)
    return schema.get("type", "")


def main():
    defs = {}
    for path in sys.argv[1:]:
        for name, schema in json.load(open(path))["components"]["schemas"].items():
            # the documents repeat shared definitions (ObjectMeta, ...) identically
            assert defs.get(name, schema) == schema, name
            defs[name] = schema
    seen, order, queue = set(), [], list(ROOTS)
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        order.append(name)
        for prop in defs[name].get("properties", {}).values():
            refs = []
            type_expr(prop, refs)
            queue.extend(refs)
    shorts = [short(n) for n in order]
    assert len(set(shorts)) == len(shorts), "short names collide"
    out = sys.stdout
    out.write("# Kubernetes v1.35 OpenAPI v3 schema (api/openapi-spec/v3), trimmed to the kinds the playground simulates.\n")
    out.write("# Copyright The Kubernetes Authors. Licensed under the Apache License, Version 2.0.\n")
    out.write("# Generated by scripts/schema/gen_k8s_schema.py (see it for the source and the format).\n")
    for name in sorted(order, key=short):
        d = defs[name]
        # v3 gives Quantity and IntOrString no type (oneOf): kubectl prints their names
        typ = d.get("type", "")
        gvk = ""
        for g in d.get("x-kubernetes-group-version-kind", []):
            gvk = "%s/%s/%s" % (g["group"], g["version"], g["kind"])
        out.write("T %s\t%s\t%s\t%s\n" % (short(name), typ, gvk, esc(d.get("description", ""))))
        required = set(d.get("required", []))
        for field in sorted(d.get("properties", {})):
            prop = d["properties"][field]
            expr = type_expr(prop, [])
            out.write("F %s\t%s\t%s\t%s\n" % (field, "r" if field in required else "", expr, esc(prop.get("description", ""))))
            enum = prop.get("enum") or prop.get("items", {}).get("enum")
            if enum:
                out.write("E %s\n" % "\t".join('""' if v == "" else str(v) for v in enum))


if __name__ == "__main__":
    main()
