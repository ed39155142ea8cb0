#!/usr/bin/env python3
"""Compares `nook embed-image` output with a llama.cpp recording of Tests/MultimodalTests/Fixtures.

usage: compare_mmproj_embeddings.py RECORDING NOOK_OUTPUT [--tol 1e-2]
  RECORDING    e.g. Tests/MultimodalTests/Fixtures/idefics3-small (the .json and .emb.f32 beside it are read)
  NOOK_OUTPUT  nook embed-image's stdout: one line per output token, space-separated floats, chunks in order
Checks the token count, the relative L2 error of every stored row and the relative error of every token's L2
norm; prints the worst of each and exits 1 when a token count differs or an error exceeds --tol.
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("recording")
    ap.add_argument("nook_output")
    ap.add_argument("--tol", type=float, default=1e-2)
    args = ap.parse_args()
    rec = json.load(open(args.recording + ".json"))
    n_embd = rec["n_embd"]
    stored = np.fromfile(args.recording + ".emb.f32", dtype="<f4").reshape(-1, n_embd)
    with open(args.nook_output) as f:
        got = np.array([[float(x) for x in line.split()] for line in f if line.strip()], dtype=np.float64)
    images = [c for c in rec["chunks"] if c["type"] == "image"]
    want = sum(c["n_tokens"] for c in images)
    if got.shape != (want, n_embd):
        print(f"{args.nook_output}: {got.shape[0]} rows of {got.shape[1] if got.ndim == 2 else '?'}, "
              f"llama.cpp has {want} rows of {n_embd} ({[c['n_tokens'] for c in images]} per chunk)")
        sys.exit(1)
    worst_row, worst_norm, base, k = 0.0, 0.0, 0, 0
    for c in images:
        block = got[base:base + c["n_tokens"]]
        norms = np.linalg.norm(block, axis=1)
        ref_norms = np.array(c["token_l2"])
        worst_norm = max(worst_norm, float(np.max(np.abs(norms - ref_norms) / ref_norms)))
        for r in c["rows"]:
            ref = stored[k].astype(np.float64)
            worst_row = max(worst_row, float(np.linalg.norm(block[r] - ref) / np.linalg.norm(ref)))
            k += 1
        base += c["n_tokens"]
    print(f"{args.recording}: {want} tokens in {len(images)} chunks; worst stored-row relative L2 {worst_row:.3g} "
          f"({k} rows), worst token-norm relative error {worst_norm:.3g}")
    sys.exit(0 if max(worst_row, worst_norm) <= args.tol else 1)


if __name__ == "__main__":
    main()
