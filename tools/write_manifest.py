#!/usr/bin/env python3
"""Writes manifest.json for the fixture folder: one entry per model file with its reference logits.

usage: write_manifest.py FIXDIR "ID ID ..."
Each entry: model (file name), logits (file name), tokens (the ids the logits were computed for),
arch, file_type (the part of the name after the model, e.g. Q4_K_M), weight_class ("float" for
F32/F16 files, "bf16", "quant"), tensor_types (the distinct GGML types present, sorted) and
tensors ({name: type} as gguf-py's reader sees them, so a test knows e.g. that a Q4_K_M file
holds Q6_K for output.weight).
"""
import json
import os
import sys

import gguf


def weight_class(file_type: str) -> str:
    if file_type in ("F32", "F16"):
        return "float"
    if file_type == "BF16":
        return "bf16"
    return "quant"


def main() -> None:
    fixdir, tokens = sys.argv[1], [int(x) for x in sys.argv[2].split()]
    entries = []
    for fname in sorted(os.listdir(fixdir)):
        if not fname.endswith(".gguf"):
            continue
        stem = fname[:-len(".gguf")]
        model, _, file_type = stem.rpartition("-")
        reader = gguf.GGUFReader(os.path.join(fixdir, fname))
        arch = reader.fields["general.architecture"].contents()
        tensors = {t.name: t.tensor_type.name for t in reader.tensors}
        logits = stem + ".logits"
        if not os.path.exists(os.path.join(fixdir, logits)):
            raise SystemExit(f"write_manifest.py: {logits} missing for {fname}")
        entries.append({
            "model": fname,
            "logits": logits,
            "tokens": tokens,
            "arch": arch,
            "base_model": model,
            "file_type": file_type,
            "weight_class": weight_class(file_type),
            "tensor_types": sorted(set(tensors.values())),
            "tensors": tensors,
        })
    with open(os.path.join(fixdir, "manifest.json"), "w") as f:
        json.dump(entries, f, indent=1)
        f.write("\n")
    print(f"wrote {len(entries)} entries to {os.path.join(fixdir, 'manifest.json')}")


if __name__ == "__main__":
    main()
