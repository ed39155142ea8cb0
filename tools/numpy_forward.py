#!/usr/bin/env python3
"""A plain float64 numpy forward pass for the fixture models, to check them against llama.cpp.

usage: numpy_forward.py FIXDIR [MODEL.gguf ...]     (default: every F32/F16/BF16 model in manifest.json)
Prints, per model, the relative L2 error between numpy's logits and the recorded .logits file
(llama.cpp's f16 KV cache and flash attention put it at about 1e-3). It is an executable statement
of what each fixture means: llama = NORM rope on adjacent pairs (x[2i], x[2i+1]); qwen2/qwen3/phi3 =
NEOX rope on (x[i], x[i + d/2]); qwen3 RMS-normalises each head of Q and K before rope; phi3 splits
attn_qkv rows as [Q | K | V] and ffn_up rows as [gate | up]; llama-rope-freqs divides each rope
frequency by rope_freqs[i]; tied models use token_embd as the output matrix. gemma3 scales token embeddings by
sqrt(n_embd), normalises the attention and FFN outputs again (post_attention_norm, post_ffw_norm) before the residual
add, gates with tanh-GELU, scales scores by 1/sqrt(key_length), and on local layers (all but every 6th, with
sliding_window) masks keys with p_query - p_key >= sliding_window and ropes with base 1e4 unscaled, while global
layers use rope.freq_base and the linear rope.scaling.factor.
"""
import json
import os
import sys

import numpy as np
import gguf


def load(path):
    r = gguf.GGUFReader(path)
    f = {k: v.contents() for k, v in r.fields.items() if not k.startswith("tokenizer.")}
    t = {}
    for x in r.tensors:
        data = gguf.quants.dequantize(x.data, x.tensor_type) if x.tensor_type != gguf.GGMLQuantizationType.F32 \
            else np.array(x.data)
        t[x.name] = np.asarray(data, dtype=np.float64).reshape([int(n) for n in reversed(x.shape)])
    return f, t


def rms(x, w, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w


def rope(x, pos, theta, neox, factors=None, scale=1.0):
    """x [n_tok, n_head, d]; rotates pairs by scale * pos * theta^(-2i/d) / factors[i]."""
    d = x.shape[-1]
    inv = scale * theta ** (-np.arange(0, d, 2) / d)
    if factors is not None:
        inv = inv / factors
    ang = pos[:, None, None] * inv[None, None, :]
    c, s = np.cos(ang), np.sin(ang)
    if neox:
        a, b = x[..., : d // 2], x[..., d // 2:]
        return np.concatenate([a * c - b * s, a * s + b * c], -1)
    a, b = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2], out[..., 1::2] = a * c - b * s, a * s + b * c
    return out


def forward(f, t, ids):
    arch = f["general.architecture"]
    g = lambda k, d=None: f.get(f"{arch}.{k}", d)  # noqa: E731
    n_head, n_kv = g("attention.head_count"), g("attention.head_count_kv")
    e = g("embedding_length")
    hd = g("attention.key_length", e // n_head)
    eps, theta = g("attention.layer_norm_rms_epsilon"), g("rope.freq_base", 10000.0)
    neox = arch in ("qwen2", "qwen3", "phi3", "gemma3")
    gemma = arch == "gemma3"
    pos = np.arange(len(ids), dtype=np.float64)
    mask = np.triu(np.full((len(ids), len(ids)), -np.inf), 1)
    window = g("attention.sliding_window", 0) if gemma else 0
    local_mask = mask + np.where(pos[:, None] - pos[None, :] >= window, -np.inf, 0) if window else mask
    linear = 1 / g("rope.scaling.factor", 1.0) if g("rope.scaling.type") == "linear" else 1.0
    x = t["token_embd.weight"][ids] * (np.sqrt(e) if gemma else 1)
    for i in range(g("block_count")):
        p = lambda n: t.get(f"blk.{i}.{n}")  # noqa: E731
        local = window > 0 and i % 6 < 5
        theta_l, scale_l = (g("rope.freq_base_swa", 10000.0), 1.0) if local else (theta, linear)
        h = rms(x, p("attn_norm.weight"), eps)
        if p("attn_qkv.weight") is not None:
            qkv = h @ p("attn_qkv.weight").T
            q, k, v = np.split(qkv, [n_head * hd, n_head * hd + n_kv * hd], -1)
        else:
            q, k, v = h @ p("attn_q.weight").T, h @ p("attn_k.weight").T, h @ p("attn_v.weight").T
        if p("attn_q.bias") is not None:
            q, k, v = q + p("attn_q.bias"), k + p("attn_k.bias"), v + p("attn_v.bias")
        q, k, v = (a.reshape(len(ids), -1, hd) for a in (q, k, v))
        if p("attn_q_norm.weight") is not None:
            q, k = rms(q, p("attn_q_norm.weight"), eps), rms(k, p("attn_k_norm.weight"), eps)
        q = rope(q, pos, theta_l, neox, t.get("rope_freqs.weight"), scale_l)
        k = rope(k, pos, theta_l, neox, t.get("rope_freqs.weight"), scale_l)
        rep = n_head // n_kv
        k, v = np.repeat(k, rep, 1), np.repeat(v, rep, 1)
        att = np.einsum("qhd,khd->hqk", q, k) / np.sqrt(hd) + (local_mask if local else mask)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        o = np.einsum("hqk,khd->qhd", att, v).reshape(len(ids), -1)
        o = o @ p("attn_output.weight").T
        x = x + (rms(o, p("post_attention_norm.weight"), eps) if gemma else o)
        h = rms(x, p("ffn_norm.weight"), eps)
        if p("ffn_gate.weight") is not None:
            gate, up = h @ p("ffn_gate.weight").T, h @ p("ffn_up.weight").T
        else:
            gate, up = np.split(h @ p("ffn_up.weight").T, 2, -1)
        if gemma:
            act = 0.5 * gate * (1 + np.tanh(np.sqrt(2 / np.pi) * gate * (1 + 0.044715 * gate * gate)))
            x = x + rms((act * up) @ p("ffn_down.weight").T, p("post_ffw_norm.weight"), eps)
        else:
            x = x + (gate / (1 + np.exp(-gate)) * up) @ p("ffn_down.weight").T
    x = rms(x, t["output_norm.weight"], eps)
    return x @ t.get("output.weight", t["token_embd.weight"]).T


def main():
    fixdir = sys.argv[1]
    manifest = {e["model"]: e for e in json.load(open(os.path.join(fixdir, "manifest.json")))}
    names = sys.argv[2:] or [m for m, e in manifest.items() if e["weight_class"] != "quant"]
    for name in names:
        e = manifest[name]
        f, t = load(os.path.join(fixdir, name))
        ours = forward(f, t, np.array(e["tokens"]))
        ref = np.loadtxt(os.path.join(fixdir, e["logits"]))
        rel = np.linalg.norm(ours - ref) / np.linalg.norm(ref)
        print(f"{name:28s} rel L2 vs llama.cpp {rel:.2e}  argmax agree {np.mean(ours.argmax(1) == ref.argmax(1)):.2f}")


if __name__ == "__main__":
    main()
