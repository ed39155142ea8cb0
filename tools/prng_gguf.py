"""Deterministic random-weight GGUF files described by a small JSON spec (shared by the mmproj fixture scripts).

Every tensor is filled from its own splitmix64 stream, so the file can be rebuilt bit for bit from the spec
alone (Tests/TestSupport/MmprojFixture.swift does that in Swift):

  seed      = fnv1a64(utf8(tensor name)) XOR global_seed            (recorded per tensor in the spec)
  state     = seed; for each element in ggml memory order (ne0 fastest):
                state = state + 0x9E3779B97F4A7C15 (mod 2^64)
                z = state
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9 (mod 2^64)
                z = (z ^ (z >> 27)) * 0x94D049BB133111EB (mod 2^64)
                z = z ^ (z >> 31)
  u         = (z >> 40) * 2^-24                                     (exact: 24 bits, in [0, 1))
  value     = offset + scale * (2u - 1)                             (float64 arithmetic, exactly these two steps)
  stored    = f32: round-to-nearest-even of value to float32
              f16: round-to-nearest-even of value to float32, then of that float32 to float16

The spec lists every metadata key (with its GGUF type) and every tensor (name, ggml shape ne0 first, ggml type,
seed, scale, offset, sha256 of the tensor's data bytes) in file order, plus the sha256 of the whole file.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import gguf

FORMAT = "nook-prng-gguf/1"
GOLDEN = 0x9E3779B97F4A7C15
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB
ALIGNMENT = 32

GGUF_TYPES = {
    "uint8": gguf.GGUFValueType.UINT8, "int8": gguf.GGUFValueType.INT8,
    "uint16": gguf.GGUFValueType.UINT16, "int16": gguf.GGUFValueType.INT16,
    "uint32": gguf.GGUFValueType.UINT32, "int32": gguf.GGUFValueType.INT32,
    "uint64": gguf.GGUFValueType.UINT64, "int64": gguf.GGUFValueType.INT64,
    "float32": gguf.GGUFValueType.FLOAT32, "float64": gguf.GGUFValueType.FLOAT64,
    "bool": gguf.GGUFValueType.BOOL, "string": gguf.GGUFValueType.STRING,
}
GGML_TYPES = {"f32": gguf.GGMLQuantizationType.F32, "f16": gguf.GGMLQuantizationType.F16}


def fnv1a64(text: str) -> int:
    """64-bit FNV-1a of the UTF-8 bytes of text."""
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def uniform01(seed: int, n: int) -> np.ndarray:
    """The first n splitmix64 outputs of seed, as float64 in [0, 1) from their top 24 bits."""
    with np.errstate(over="ignore"):
        state = np.uint64(seed) + np.arange(1, n + 1, dtype=np.uint64) * np.uint64(GOLDEN)
        z = state
        z = (z ^ (z >> np.uint64(30))) * np.uint64(MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(MIX2)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(40)).astype(np.float64) * (2.0 ** -24)


@dataclass
class Tensor:
    """One tensor: ggml shape (ne0 first), type "f32"/"f16", and the uniform's half-width and centre."""
    name: str
    shape: list[int]
    type: str
    scale: float
    offset: float = 0.0


def matrix(name: str, n_in: int, n_out: int, type_: str = "f16", gain: float = 1.0) -> Tensor:
    """A projection from n_in to n_out (ne = {n_in, n_out}) with variance gain^2/n_in: uniform ±sqrt(3/n_in)."""
    return Tensor(name, [n_in, n_out], type_, gain * float(np.sqrt(3.0 / n_in)))


def norm(name: str, n: int) -> Tensor:
    """A norm weight near 1 (1 ± 0.1)."""
    return Tensor(name, [n], "f32", 0.1, 1.0)


def bias(name: str, n: int, scale: float = 0.05) -> Tensor:
    """A small bias (± scale)."""
    return Tensor(name, [n], "f32", scale)


def tensor_values(t: Tensor, seed: int) -> np.ndarray:
    """The tensor's stored values as a numpy array of numpy shape reversed(ne)."""
    n = int(np.prod(t.shape))
    v = (t.offset + t.scale * (2.0 * uniform01(seed, n) - 1.0)).astype(np.float32)
    if t.type == "f16":
        v = v.astype(np.float16)
    return v.reshape(list(reversed(t.shape)))


def f32(x: float) -> float:
    """x rounded to float32, as the Python float that JSON will carry exactly."""
    return float(np.float32(x))


def write(path: str, spec_path: str | None, name: str, arch: str, metadata: list[tuple[str, str, Any]],
          tensors: list[Tensor], global_seed: int, extra: dict | None = None) -> dict:
    """Writes the GGUF at path and (when spec_path) its spec; returns the spec as a dict.

    metadata: (key, type, value) after general.architecture = arch; type is a GGUF type name or
    "array:<type>" for arrays; float32 values are rounded to float32 here.
    """
    w = gguf.GGUFWriter(path, arch)
    meta_out = [{"key": "general.architecture", "type": "string", "value": arch}]
    for key, type_, value in metadata:
        if type_.startswith("array:"):
            sub = type_.split(":", 1)[1]
            value = [f32(x) for x in value] if sub == "float32" else list(value)
            w.add_key_value(key, value, gguf.GGUFValueType.ARRAY, sub_type=GGUF_TYPES[sub])
            meta_out.append({"key": key, "type": "array", "item_type": sub, "value": value})
        else:
            value = f32(value) if type_ == "float32" else value
            w.add_key_value(key, value, GGUF_TYPES[type_])
            meta_out.append({"key": key, "type": type_, "value": value})
    tensors_out = []
    for t in tensors:
        seed = fnv1a64(t.name) ^ global_seed
        data = tensor_values(t, seed)
        w.add_tensor(t.name, data, raw_dtype=GGML_TYPES[t.type])
        tensors_out.append({"name": t.name, "shape": t.shape, "type": t.type, "seed": f"0x{seed:016x}",
                            "scale": t.scale, "offset": t.offset,
                            "sha256": hashlib.sha256(data.tobytes()).hexdigest()})
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    spec = {"format": FORMAT, "name": name, "file": os.path.basename(path), "gguf_version": 3,
            "alignment": ALIGNMENT, "global_seed": f"0x{global_seed:016x}", **(extra or {}),
            "file_sha256": sha256_file(path), "file_bytes": os.path.getsize(path),
            "metadata": meta_out, "tensors": tensors_out}
    if spec_path:
        with open(spec_path, "w", encoding="utf-8") as f:
            json.dump(spec, f, indent=1, ensure_ascii=False)
            f.write("\n")
    return spec


def sha256_file(path: str) -> str:
    """sha256 of a whole file, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
