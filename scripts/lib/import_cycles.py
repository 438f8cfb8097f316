#!/usr/bin/env python3
"""Import circles between the modules of a crate (docs/ARCHITECTURE.md: layers keep to their
rooms). Reads every `crate::a::b` path of each file of crates/NAME/src and reports any circle
between top-level modules (a) or their children (a::b). Exit 1 when there is one.

    python3 scripts/lib/import_cycles.py store server app cli
"""
import os
import re
import sys


def modules(root):
    """File path -> module path (`a::b`, '' for the crate root)."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".rs"):
                path = os.path.join(d, f)
                parts = os.path.relpath(path, root)[:-3].split("/")
                if parts[-1] in ("mod", "lib", "main"):
                    parts = parts[:-1]
                out[path] = "::".join(parts)
    return out


def graph(root, depth):
    mods = modules(root)
    names = set(mods.values())
    edges = {}
    for path, module in mods.items():
        if not module:
            continue  # the crate root declares every module; that is not an import
        source = "::".join(module.split("::")[:depth])
        # Doc links name modules without importing them.
        code = "\n".join(l for l in open(path) if not l.lstrip().startswith("//"))
        for target in re.findall(r"crate::([a-z_]+(?:::[a-z_]+)*)", code):
            target = "::".join(target.split("::")[:depth])
            known = any(n == target or n.startswith(target + "::") for n in names)
            if known and target != source and not source.startswith(target + "::"):
                edges.setdefault(source, set()).add(target)
    return edges


def circles(edges):
    found = set()

    def walk(node, path):
        for nxt in sorted(edges.get(node, ())):
            if nxt in path:
                cycle = path[path.index(nxt):]
                i = cycle.index(min(cycle))
                found.add(tuple(cycle[i:] + cycle[:i]))
            elif len(path) < 12:
                walk(nxt, path + [nxt])

    for start in sorted(edges):
        walk(start, [start])
    return sorted(found)


def main(crates):
    bad = False
    for crate in crates:
        for depth in (1, 2):
            for cycle in circles(graph(f"crates/{crate}/src", depth)):
                print(f"import circle in {crate}: {' -> '.join(cycle + (cycle[0],))}")
                bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
