#!/usr/bin/env python3
"""Writes small GGUF v3 decoder models with random weights, real metadata and llama.cpp tensor names.

usage: make_test_models.py OUTDIR            # the six fixture models in F32, plus llama-gqa in F16 and BF16
       make_test_models.py OUTDIR --bench    # smollm2-135m-F32.gguf: SmolLM2-135M shapes, 49152-token vocab
       make_test_models.py OUTDIR --models qwen2,phi3 --types F32,F16

Weights are deterministic: each model has its own numpy seed and tensors are drawn in file order.
Matrices ~ normal(0, 0.02) (Q and K projections: normal(0, 0.08), see QK_STD), norm weights ~ 1 + normal(0, 0.1), biases ~ normal(0, 0.02).
Numpy arrays are (rows, cols) = ggml's (ne1, ne0): a projection from n_in to n_out is stored
as ne = {n_in, n_out}, i.e. numpy shape (n_out, n_in). 1-D tensors always stay F32.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
from dataclasses import dataclass, field

import numpy as np
import gguf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_tokenizer import build_gemma_vocabulary, build_vocabulary  # noqa: E402


@dataclass
class ModelSpec:
    """Hyper-parameters and architecture switches of one generated model."""
    name: str
    arch: str                      # llama | qwen2 | qwen3 | phi3 | gemma3
    seed: int
    n_head: int
    n_head_kv: int
    n_embd: int = 256
    n_layer: int = 2
    n_ff: int = 512
    n_vocab: int = 512
    n_ctx: int = 256
    head_dim: int | None = None    # None → n_embd / n_head; set → written as key_length/value_length
    tied: bool = True              # no output.weight: llama.cpp reuses token_embd
    rope_theta: float = 10000.0
    rms_eps: float = 1e-5
    qkv_bias: bool = False         # qwen2: attn_q/k/v.bias
    qk_norm: bool = False          # qwen3: attn_q_norm/attn_k_norm of shape [head_dim]
    fused: bool = False            # phi3: attn_qkv and ffn_up of 2*n_ff (gate first, then up)
    llama3_rope: dict | None = None  # llama3 rope scaling → rope_freqs.weight [head_dim/2]
    post_norms: bool = False       # gemma3: post_attention_norm and post_ffw_norm of shape [n_embd]
    sliding_window: int | None = None  # gemma3: attention.sliding_window (llama.cpp: every 6th layer global)
    rope_linear: float | None = None   # rope.scaling.type linear with this factor (gemma3: global layers only)
    vocab: str = "bpe"             # bpe: the shared byte-level BPE; gemma: fixture_tokenizer's SentencePiece one
    extra_kv: dict = field(default_factory=dict)

    @property
    def hd(self) -> int:
        return self.head_dim or self.n_embd // self.n_head


# Q and K projections are drawn wider than the other matrices: with std 0.02 the attention scores
# are ~0.1 and attention is nearly uniform, so a wrong rope variant or a missing rope_freqs moves
# the logits by only a few percent. With this std scores are O(1) and such mistakes stand out.
QK_STD = 0.08

LLAMA3_ROPE = dict(factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0, original_max_position_embeddings=64)

FIXTURES = {
    "llama-gqa": ModelSpec("llama-gqa", "llama", seed=1001, n_head=4, n_head_kv=2),
    "llama-rope-freqs": ModelSpec("llama-rope-freqs", "llama", seed=1002, n_head=4, n_head_kv=2,
                                  tied=False, llama3_rope=LLAMA3_ROPE),
    "qwen2": ModelSpec("qwen2", "qwen2", seed=1003, n_head=4, n_head_kv=2, tied=False,
                       rope_theta=1e6, rms_eps=1e-6, qkv_bias=True),
    "qwen3": ModelSpec("qwen3", "qwen3", seed=1004, n_head=8, n_head_kv=2, head_dim=64,
                       rope_theta=1e6, rms_eps=1e-6, qk_norm=True),
    "phi3": ModelSpec("phi3", "phi3", seed=1005, n_head=4, n_head_kv=4, tied=False, fused=True),
    # Gemma 3 (4B-like metadata): 7 layers, so with llama.cpp's default pattern layers 0-4 and 6 are local (window 8,
    # shorter than the 24-token prompt) and layer 5 global; head size 64 with 2 heads (2·64 ≠ n_embd, and
    # 1/√64 ≠ 1/√(n_embd/n_head) as the attention scale); linear rope scaling 8 on the global layer.
    "gemma3": ModelSpec("gemma3", "gemma3", seed=1006, n_head=2, n_head_kv=1, head_dim=64, n_layer=7, n_ff=256,
                        rope_theta=1e6, rms_eps=1e-6, qk_norm=True, post_norms=True, sliding_window=8,
                        rope_linear=8.0, vocab="gemma"),
}

BENCH = ModelSpec("smollm2-135m", "llama", seed=2001, n_head=9, n_head_kv=3, n_embd=576, n_layer=30,
                  n_ff=1536, n_vocab=49152, n_ctx=2048, rope_theta=100000.0)

FILE_TYPES = {
    "F32": gguf.LlamaFileType.ALL_F32,
    "F16": gguf.LlamaFileType.MOSTLY_F16,
    "BF16": gguf.LlamaFileType.MOSTLY_BF16,
}


def llama3_rope_factors(spec: ModelSpec) -> np.ndarray:
    """rope_freqs [head_dim/2] computed like convert_hf_to_gguf.py does for rope_type "llama3"."""
    p = spec.llama3_rope
    dim = spec.hd
    freqs = 1.0 / (spec.rope_theta ** (np.arange(0, dim, 2, dtype=np.float32) / dim))
    low_wavelen = p["original_max_position_embeddings"] / p["low_freq_factor"]
    high_wavelen = p["original_max_position_embeddings"] / p["high_freq_factor"]
    out = []
    for freq in freqs:
        wavelen = 2 * math.pi / freq
        if wavelen < high_wavelen:
            out.append(1.0)
        elif wavelen > low_wavelen:
            out.append(p["factor"])
        else:
            smooth = (p["original_max_position_embeddings"] / wavelen - p["low_freq_factor"]) \
                / (p["high_freq_factor"] - p["low_freq_factor"])
            out.append(1 / ((1 - smooth) / p["factor"] + smooth))
    return np.array(out, dtype=np.float32)


def make_tensors(spec: ModelSpec) -> list[tuple[str, np.ndarray]]:
    """Draws every tensor of the model, in file order. Returns (name, float32 array) pairs."""
    rng = np.random.default_rng(spec.seed)

    def mat(n_out: int, n_in: int, std: float = 0.02) -> np.ndarray:      # ne = {n_in, n_out}
        return (rng.standard_normal((n_out, n_in), dtype=np.float32) * np.float32(std))

    def norm(n: int) -> np.ndarray:
        return (np.float32(1) + rng.standard_normal(n, dtype=np.float32) * np.float32(0.1))

    def bias(n: int) -> np.ndarray:
        return rng.standard_normal(n, dtype=np.float32) * np.float32(0.02)

    e, hd = spec.n_embd, spec.hd
    q_dim, kv_dim = spec.n_head * hd, spec.n_head_kv * hd
    t: list[tuple[str, np.ndarray]] = [("token_embd.weight", mat(spec.n_vocab, e))]
    if spec.llama3_rope:
        t.append(("rope_freqs.weight", llama3_rope_factors(spec)))
    for i in range(spec.n_layer):
        b = f"blk.{i}."
        t.append((b + "attn_norm.weight", norm(e)))
        if spec.fused:
            qkv = mat(q_dim + 2 * kv_dim, e)
            qkv[:q_dim + kv_dim] *= np.float32(QK_STD / 0.02)
            t.append((b + "attn_qkv.weight", qkv))
        else:
            t += [(b + "attn_q.weight", mat(q_dim, e, QK_STD)), (b + "attn_k.weight", mat(kv_dim, e, QK_STD)),
                  (b + "attn_v.weight", mat(kv_dim, e))]
        if spec.qkv_bias:
            t += [(b + "attn_q.bias", bias(q_dim)), (b + "attn_k.bias", bias(kv_dim)),
                  (b + "attn_v.bias", bias(kv_dim))]
        if spec.qk_norm:
            t += [(b + "attn_q_norm.weight", norm(hd)), (b + "attn_k_norm.weight", norm(hd))]
        t.append((b + "attn_output.weight", mat(e, q_dim)))
        if spec.post_norms:
            t.append((b + "post_attention_norm.weight", norm(e)))
        t.append((b + "ffn_norm.weight", norm(e)))
        if spec.fused:
            t.append((b + "ffn_up.weight", mat(2 * spec.n_ff, e)))
        else:
            t += [(b + "ffn_gate.weight", mat(spec.n_ff, e)), (b + "ffn_up.weight", mat(spec.n_ff, e))]
        t.append((b + "ffn_down.weight", mat(e, spec.n_ff)))
        if spec.post_norms:
            t.append((b + "post_ffw_norm.weight", norm(e)))
    t.append(("output_norm.weight", norm(e)))
    if not spec.tied:
        t.append(("output.weight", mat(spec.n_vocab, e)))
    return t


def add_hparams(w: gguf.GGUFWriter, spec: ModelSpec) -> None:
    """Writes the {arch}.* keys the way convert_hf_to_gguf.py writes them for this architecture."""
    w.add_context_length(spec.n_ctx)
    w.add_embedding_length(spec.n_embd)
    w.add_block_count(spec.n_layer)
    w.add_feed_forward_length(spec.n_ff)
    w.add_head_count(spec.n_head)
    w.add_head_count_kv(spec.n_head_kv)
    w.add_rope_freq_base(spec.rope_theta)
    w.add_layer_norm_rms_eps(spec.rms_eps)
    if spec.arch == "llama":
        w.add_vocab_size(spec.n_vocab)
        w.add_rope_dimension_count(spec.hd)
    if spec.head_dim is not None:
        w.add_key_length(spec.head_dim)
        w.add_value_length(spec.head_dim)
    if spec.sliding_window is not None:
        w.add_sliding_window(spec.sliding_window)
    if spec.rope_linear is not None:
        w.add_rope_scaling_type(gguf.RopeScalingType.LINEAR)
        w.add_rope_scaling_factor(spec.rope_linear)
    if spec.arch == "phi3":
        w.add_rope_dimension_count(spec.hd)
        w.add_rope_scaling_orig_ctx_len(spec.n_ctx)
        w.add_sliding_window(0)
    for key, value in spec.extra_kv.items():
        w.add_key_value(key, value[0], value[1])


def write_model(spec: ModelSpec, path: str, ftype: str, vocab) -> None:
    """Writes one GGUF file; 2-D tensors are stored in ftype (F32, F16 or BF16), 1-D ones in F32."""
    w = gguf.GGUFWriter(path, spec.arch)
    # llama.cpp changes token attributes when general.name contains "phi3"/"phi-3" (and then
    # requires a "</s>" token), so the name never spells the architecture that way.
    w.add_name("nook fixture " + spec.name.replace("phi3", "phi-three"))
    w.add_file_type(FILE_TYPES[ftype])
    add_hparams(w, spec)
    vocab.add_to(w)
    for name, data in make_tensors(spec):
        if data.ndim == 1 or ftype == "F32":
            w.add_tensor(name, data)
        elif ftype == "F16":
            w.add_tensor(name, data.astype(np.float16))
        else:
            w.add_tensor(name, gguf.quants.quantize(data, gguf.GGMLQuantizationType.BF16),
                         raw_dtype=gguf.GGMLQuantizationType.BF16)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--models", help="comma-separated subset of: " + ", ".join(FIXTURES))
    ap.add_argument("--types", help="comma-separated F32/F16/BF16 for every selected model")
    ap.add_argument("--bench", action="store_true", help="write the SmolLM2-135M-shaped benchmark model")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)

    jobs: list[tuple[ModelSpec, str]] = []
    if args.bench:
        for ftype in (args.types or "F32").split(","):
            jobs.append((BENCH, ftype))
    else:
        names = args.models.split(",") if args.models else list(FIXTURES)
        for n in names:
            if n not in FIXTURES:
                ap.error(f"unknown model {n!r}")
            types = args.types.split(",") if args.types else (["F32", "F16", "BF16"] if n == "llama-gqa" else ["F32"])
            jobs += [(FIXTURES[n], t) for t in types]

    vocabs: dict[tuple[str, int], object] = {}
    for spec, ftype in jobs:
        if ftype not in FILE_TYPES:
            ap.error(f"unknown type {ftype!r}")
        if (spec.vocab, spec.n_vocab) not in vocabs:
            build = build_gemma_vocabulary if spec.vocab == "gemma" else build_vocabulary
            vocabs[(spec.vocab, spec.n_vocab)] = build(vocab_size=spec.n_vocab)
        vocab = vocabs[(spec.vocab, spec.n_vocab)]
        path = os.path.join(args.outdir, f"{spec.name}-{ftype}.gguf")
        write_model(spec, path, ftype, vocab)
        print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
