#!/usr/bin/env python3
"""Proof that a copy of the v1.35 OpenAPI v3 documents holds release-1.35's definitions.

Compares every definition that StatefulSet, Service, PersistentVolume, PersistentVolumeClaim,
StorageClass, Pod and Namespace reach in the v3 documents with the same definition in the v2
swagger, field by field (names, types, formats, required, descriptions, enums, x-kubernetes-*),
after mapping v3's shape to v2's: {"allOf": [{"$ref"}]} -> {"$ref"}, no `default` (v2 has none).
Prints every difference, then a count. See scripts/schema/PROVENANCE.md.

Usage: compare_v2_v3.py SWAGGER_V2.json V3_DOC.json...
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# the roots the generator trims the schema to: the comparison covers exactly what it keeps
from gen_k8s_schema import ROOTS  # noqa: E402


def refs(s, out):
    if isinstance(s, dict):
        if "$ref" in s:
            out.append(s["$ref"].rsplit("/", 1)[-1])
        for v in s.values():
            refs(v, out)
    elif isinstance(s, list):
        for v in s:
            refs(v, out)


def norm(s):
    if isinstance(s, dict):
        s = dict(s)
        if "allOf" in s and len(s["allOf"]) == 1 and "$ref" in s["allOf"][0]:
            s["$ref"] = s.pop("allOf")[0]["$ref"]
        if "$ref" in s:
            s["$ref"] = s["$ref"].rsplit("/", 1)[-1]
        s.pop("default", None)
        out = {k: norm(v) for k, v in s.items() if k != "properties"}
        if "properties" in s:  # property names are not keywords (a field may be called "default")
            out["properties"] = {k: norm(v) for k, v in s["properties"].items()}
        return out
    if isinstance(s, list):
        return [norm(v) for v in s]
    return s


def main():
    v2 = json.load(open(sys.argv[1]))["definitions"]
    v3 = {}
    for path in sys.argv[2:]:
        for name, schema in json.load(open(path))["components"]["schemas"].items():
            if name in v3 and v3[name] != schema:
                print("differs between v3 documents:", name)
            v3[name] = schema
    seen, queue = set(), list(ROOTS)
    while queue:
        name = queue.pop()
        if name not in seen:
            seen.add(name)
            found = []
            refs(v3[name], found)
            queue += found
    differ = fields = 0
    for name in sorted(seen):
        a, b = norm(v3[name]), norm(v2[name])
        fields += len(a.get("properties", {}))
        if a == b:
            continue
        differ += 1
        for key in sorted(set(a) | set(b)):
            if a.get(key) == b.get(key):
                continue
            if key == "properties":
                for p in sorted(set(a[key]) | set(b[key])):
                    if a[key].get(p) != b[key].get(p):
                        print("%s.%s\n  v3: %s\n  v2: %s" % (name, p, a[key].get(p), b[key].get(p)))
            else:
                print("%s %s\n  v3: %s\n  v2: %s" % (name, key, a.get(key), b.get(key)))
    print("%d definitions, %d fields, %d definitions differ" % (len(seen), fields, differ))


if __name__ == "__main__":
    main()
