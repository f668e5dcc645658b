#!/usr/bin/env python3
"""Per-contributor sizes of a wasm (SIZE.md): function bodies grouped by their demangled name,
raw bytes and gzip -9 of each group's bodies alone. Needs the name section, so run it on
wasm-bindgen's output before wasm-opt:

    scripts/wasm-contributors.py dist-or-bindgen/app_bg.wasm scripts/wasm-contributors.groups [TOP]

Groups are `label=regex` lines, the first match wins; TOP lists the largest functions."""
import sys, gzip, re, collections

data = open(sys.argv[1], 'rb').read()
def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1
        r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i
i = 8; imports_funcs = 0; bodies = []; names = {}; data_size = 0
while i < len(data):
    sid = data[i]; i += 1
    size, i = leb(data, i); end = i + size
    if sid == 2:  # imports
        n, j = leb(data, i)
        for _ in range(n):
            l, j = leb(data, j); j += l
            l, j = leb(data, j); j += l
            kind = data[j]; j += 1
            if kind == 0: _, j = leb(data, j); imports_funcs += 1
            elif kind == 1: j += 1; fl = data[j]; j += 1; _, j = leb(data, j); j = leb(data, j)[1] if fl & 1 else j
            elif kind == 2: fl = data[j]; j += 1; _, j = leb(data, j); j = leb(data, j)[1] if fl & 1 else j
            elif kind == 3: j += 2
    elif sid == 10:
        n, j = leb(data, i)
        for _ in range(n):
            l, j2 = leb(data, j); bodies.append(data[j2:j2+l]); j = j2 + l
    elif sid == 11:
        data_size += size
    elif sid == 0:
        l, j = leb(data, i); name = data[j:j+l].decode(); j += l
        if name == 'name':
            while j < end:
                sub = data[j]; j += 1
                ssz, j = leb(data, j); send = j + ssz
                if sub == 1:
                    n, k = leb(data, j)
                    for _ in range(n):
                        idx, k = leb(data, k); l, k = leb(data, k); names[idx] = data[k:k+l].decode('utf8', 'replace'); k += l
                j = send
    i = end
mangled = [names.get(imports_funcs + k, '?') for k in range(len(bodies))]
def demangle(m):
    if not m.startswith('_ZN'): return m
    i, parts = 3, []
    while i < len(m) and m[i].isdigit():
        j = i
        while m[j].isdigit(): j += 1
        n = int(m[i:j]); parts.append(m[j:j+n]); i = j + n
    if parts and re.fullmatch(r'h[0-9a-f]{16}', parts[-1]): parts.pop()
    s = '::'.join(parts)
    for a, b in [('$LT$', '<'), ('$GT$', '>'), ('$u20$', ' '), ('$RF$', '&'), ('$C$', ','), ('$u7b$', '{'), ('$u7d$', '}'), ('$BP$', '*'), ('$u5b$', '['), ('$u5d$', ']'), ('$u27$', "'"), ('..', '::')]:
        s = s.replace(a, b)
    return s
dem = [demangle(m) for m in mangled]
rules = [l.split('=', 1) for l in open(sys.argv[2]).read().splitlines() if '=' in l and not l.startswith('#')]
groups = collections.defaultdict(list)
for name, body in zip(dem, bodies):
    g = 'other'
    for label, pat in rules:
        if re.search(pat, name): g = label; break
    groups[g].append(body)
tot_raw = sum(len(b) for b in bodies)
print(f"code {tot_raw} bytes in {len(bodies)} functions; data {data_size}")
rows = []
for g, bs in groups.items():
    blob = b''.join(bs)
    rows.append((len(gzip.compress(blob, 9)), len(blob), len(bs), g))
for z, raw, n, g in sorted(rows, reverse=True):
    print(f"| {g} | {n} | {raw:,} | {z:,} |")
if len(sys.argv) > 3:
    for name, body in sorted(zip(dem, bodies), key=lambda x: -len(x[1]))[:int(sys.argv[3])]:
        print(len(body), name[:160])
