#!/usr/bin/env python3
"""Writes a generated layer directory like an unpruned node_modules or a Python app's site-packages:
N files (default 20,000) in packages of 10-60 files, nested up to three levels, text of a JavaScript-like
vocabulary (compresses ~3-4x, like real sources), sizes drawn from a log-normal distribution (median ~1.2 kB,
a few files of 50-200 kB). Seeded: the same arguments give the same tree, byte for byte.

    gen_tree.py DIR [--files N] [--seed S]
"""
import argparse
import os
import random

WORDS = ("function return const let var if else for while require module exports this new class extends "
         "import from export default async await try catch throw null undefined true false typeof object "
         "string number prototype length push map filter reduce options value key index result error callback "
         "promise resolve reject then buffer stream path join split slice").split()


def text(rng, size):
    out, n = [], 0
    while n < size:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))) + ";\n"
        out.append(line)
        n += len(line)
    return "".join(out)[:size]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=17)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    written, pkg = 0, 0
    while written < a.files:
        pkg += 1
        root = os.path.join(a.dir, "pkg-%04d" % pkg)
        for _ in range(min(rng.randint(10, 60), a.files - written)):
            depth = rng.choice((0, 1, 1, 2, 3))
            sub = os.path.join(root, *("lib%d" % rng.randint(0, 3) for _ in range(depth)))
            os.makedirs(sub, exist_ok=True)
            size = min(int(rng.lognormvariate(7.1, 1.1)), 200_000)
            name = os.path.join(sub, "m%05d.js" % written)
            with open(name, "w") as f:
                f.write(text(rng, size))
            written += 1
    print("%d files in %d packages under %s" % (written, pkg, a.dir))


if __name__ == "__main__":
    main()
