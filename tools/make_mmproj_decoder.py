#!/usr/bin/env python3
"""Writes the random-weight llama decoder for the end-to-end image fixture, and vocab-only text models.

usage: make_mmproj_decoder.py [--out DIR] [--spec-dir DIR] [--vocab-only]

  decoder.gguf   llama architecture, n_embd 576 (the idefics3 fixture's projection), 2 layers, 9 heads / 3 KV
                 heads, n_ff 1536, context 4096, F32 weights from prng_gguf.py's splitmix64 streams; its spec
                 (decoder.spec.json, committed) rebuilds it in Swift, so the file itself is not committed
  --vocab-only   also text-<n_embd>.gguf for n_embd 576, 896, 2560, 4096: the same vocabulary and hparams but
                 no tensors, loaded with vocab_only by tools/mmproj_reference.cpp so that mtmd can tokenize
                 the marker text around images for every projector (mtmd checks n_embd against the mmproj)
Vocabulary (600 tokens): the fixture BPE vocabulary of fixture_tokenizer.py (512 tokens), one extra merge
"Ċ Ċ" -> "ĊĊ" (mtmd's idefics3 template looks up a "\\n\\n" token), then CONTROL tokens for the image markers
of idefics3 (<fake_token_around_image>, <global-img>, <row_R_col_C> for R, C in 1..6, <image>), internvl
(<img>, </img>, <IMG_CONTEXT>) and gemma3 (<start_of_image>, <end_of_image>), then UNUSED dummies to 600.
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_tokenizer import TOKEN_CONTROL, TOKEN_NORMAL, TOKEN_UNUSED, build_vocabulary, bytes_to_unicode  # noqa: E402
from prng_gguf import Tensor, matrix, norm, write  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC_DIR = os.path.join(HERE, "..", "Tests", "MultimodalTests", "Fixtures")
GLOBAL_SEED = 0x6E6F6F6B64656364  # "nookdecd"
N_VOCAB, N_EMBD, N_LAYER, N_HEAD, N_HEAD_KV, N_FF, N_CTX = 600, 576, 2, 9, 3, 1536, 4096
MARKERS = (["<fake_token_around_image>", "<global-img>"]
           + [f"<row_{r}_col_{c}>" for r in range(1, 7) for c in range(1, 7)]
           + ["<image>", "<img>", "</img>", "<IMG_CONTEXT>", "<start_of_image>", "<end_of_image>"])


def vocabulary():
    """Tokens, token types and merges of the 600-token vocabulary described above."""
    v = build_vocabulary(512)
    nl = bytes_to_unicode()[10]
    tokens, types, merges = list(v.tokens), list(v.token_types), list(v.merges)
    tokens.append(nl + nl)
    types.append(TOKEN_NORMAL)
    merges.append(f"{nl} {nl}")
    tokens += MARKERS
    types += [TOKEN_CONTROL] * len(MARKERS)
    for i in range(len(tokens), N_VOCAB):
        tokens.append(f"<|dummy_{i}|>")
        types.append(TOKEN_UNUSED)
    assert len(set(tokens)) == len(tokens) == N_VOCAB
    return v, tokens, types, merges


def metadata(n_embd: int, n_head: int = N_HEAD, n_head_kv: int = N_HEAD_KV) -> list:
    """general.*, llama.* and tokenizer.* keys (llama hparams SmolLM2-style; vocab-only models vary the widths)."""
    v, tokens, types, merges = vocabulary()
    return [
        ("general.name", "string", "nook e2e image decoder fixture"),
        ("general.file_type", "uint32", 0),
        ("llama.context_length", "uint32", N_CTX),
        ("llama.embedding_length", "uint32", n_embd),
        ("llama.block_count", "uint32", N_LAYER),
        ("llama.feed_forward_length", "uint32", N_FF),
        ("llama.attention.head_count", "uint32", n_head),
        ("llama.attention.head_count_kv", "uint32", n_head_kv),
        ("llama.rope.freq_base", "float32", 100000.0),
        ("llama.attention.layer_norm_rms_epsilon", "float32", 1e-5),
        ("llama.vocab_size", "uint32", N_VOCAB),
        ("llama.rope.dimension_count", "uint32", n_embd // n_head),
        ("tokenizer.ggml.model", "string", "gpt2"),
        ("tokenizer.ggml.pre", "string", "smollm"),
        ("tokenizer.ggml.tokens", "array:string", tokens),
        ("tokenizer.ggml.token_type", "array:int32", types),
        ("tokenizer.ggml.merges", "array:string", merges),
        ("tokenizer.ggml.bos_token_id", "uint32", v.bos_id),
        ("tokenizer.ggml.eos_token_id", "uint32", v.eos_id),
        ("tokenizer.ggml.eot_token_id", "uint32", v.eot_id),
        ("tokenizer.ggml.unknown_token_id", "uint32", v.unk_id),
        ("tokenizer.ggml.padding_token_id", "uint32", v.pad_id),
        ("tokenizer.ggml.add_bos_token", "bool", False),
        ("tokenizer.chat_template", "string", v.chat_template),
    ]


def tensors() -> list[Tensor]:
    """The decoder's tensors in llama.cpp's order; Q/K ±sqrt(3/fan_in) keep attention scores O(1)."""
    e, hd = N_EMBD, N_EMBD // N_HEAD
    kv = N_HEAD_KV * hd
    t = [Tensor("token_embd.weight", [e, N_VOCAB], "f32", 0.1)]
    for i in range(N_LAYER):
        b = f"blk.{i}."
        t += [norm(b + "attn_norm.weight", e),
              matrix(b + "attn_q.weight", e, e, "f32"), matrix(b + "attn_k.weight", e, kv, "f32"),
              matrix(b + "attn_v.weight", e, kv, "f32"), matrix(b + "attn_output.weight", e, e, "f32"),
              norm(b + "ffn_norm.weight", e),
              matrix(b + "ffn_gate.weight", e, N_FF, "f32"), matrix(b + "ffn_up.weight", e, N_FF, "f32"),
              matrix(b + "ffn_down.weight", N_FF, e, "f32")]
    t.append(norm("output_norm.weight", e))
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="/tmp/nook-mmproj")
    ap.add_argument("--spec-dir", default=SPEC_DIR)
    ap.add_argument("--vocab-only", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "decoder.gguf")
    write(path, os.path.join(args.spec_dir, "decoder.spec.json"), "decoder", "llama", metadata(N_EMBD), tensors(),
          GLOBAL_SEED)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
    if args.vocab_only:
        for n_embd in (576, 896, 2560, 4096):
            p = os.path.join(args.out, f"text-{n_embd}.gguf")
            write(p, None, f"text-{n_embd}", "llama", metadata(n_embd, n_embd // 64, n_embd // 64), [], GLOBAL_SEED)
            print(f"wrote {p} (vocab only)")


if __name__ == "__main__":
    main()
