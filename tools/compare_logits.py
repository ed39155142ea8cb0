#!/usr/bin/env python3
"""Compare `nook logits` output with llama.cpp's reference logits for the fixture models.

usage: compare_logits.py FIXTURE_DIR NOOK_BINARY [MODEL ...]
Prints, per model: worst relative L2 error over positions, mean error, and the share of positions
whose arg-max agrees. Used to produce the figures in benchmarks/RESULTS.md; the test suite checks the same.
"""
import json, subprocess, sys
import numpy as np

fixdir, nook = sys.argv[1], sys.argv[2]
only = set(sys.argv[3:])
manifest = json.load(open(f"{fixdir}/manifest.json"))
for e in manifest:
    if only and e["model"] not in only:
        continue
    ref = np.loadtxt(f"{fixdir}/{e['logits']}", ndmin=2)
    toks = " ".join(map(str, e["tokens"]))
    out = subprocess.run([nook, "logits", "--model", f"{fixdir}/{e['model']}", "--tokens", toks],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(f"{e['model']:28s} FAILED: {out.stderr.strip()}")
        continue
    got = np.array([[float(x) for x in l.split()] for l in out.stdout.strip().split("\n")])
    err = np.linalg.norm(got - ref, axis=1) / np.linalg.norm(ref, axis=1)
    agree = np.mean(np.argmax(got, axis=1) == np.argmax(ref, axis=1))
    print(f"{e['model']:28s} class={e['weight_class']:6s} max_rel_l2={err.max():.4g} mean={err.mean():.4g} argmax_agree={agree:.2%}")
