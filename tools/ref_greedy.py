#!/usr/bin/env python3
"""Greedy-decodes N tokens with llama.cpp (bindings) and prints one JSON object.

usage: ref_greedy.py PROMPT N MODEL.gguf [MODEL.gguf ...] > greedy.json
Environment: tools/ref_env.sh. For each model: The prompt is tokenized by llama.cpp with add_special = false and
parse_special = true, decoded in one batch, then tokens are drawn with llama.cpp's greedy sampler
(llama_sampler_init_greedy) one at a time, without stopping at end-of-generation tokens.
For each step the JSON also gives the top-1 minus top-2 logit margin, so a test can tell
which steps are close enough to flip under small numeric differences.
"""
import ctypes
import json
import os
import sys

import numpy as np
import llama_cpp as L


def tokenize(vocab, text: str) -> list[int]:
    raw = text.encode("utf-8")
    buf = (L.llama_token * (len(raw) + 16))()
    n = L.llama_tokenize(vocab, raw, len(raw), buf, len(buf), False, True)
    if n < 0:
        raise RuntimeError(f"tokenize failed: {n}")
    return list(buf[:n])


def piece(vocab, token: int) -> str:
    buf = ctypes.create_string_buffer(64)
    n = L.llama_token_to_piece(vocab, token, buf, len(buf), 0, True)
    return buf.raw[:max(n, 0)].decode("utf-8", errors="backslashreplace")


def run(model_path: str, prompt: str, n_gen: int) -> dict:
    """Greedy-decodes n_gen tokens after prompt on one model."""
    model = L.llama_model_load_from_file(model_path.encode(), L.llama_model_default_params())
    vocab = L.llama_model_get_vocab(model)
    nv = L.llama_vocab_n_tokens(vocab)
    cp = L.llama_context_default_params()
    cp.n_ctx = cp.n_batch = 256
    cp.n_threads = cp.n_threads_batch = 2
    ctx = L.llama_init_from_model(model, cp)
    sparams = L.llama_sampler_chain_default_params()
    smpl = L.llama_sampler_chain_init(sparams)
    L.llama_sampler_chain_add(smpl, L.llama_sampler_init_greedy())

    ids = tokenize(vocab, prompt)
    batch = L.llama_batch_init(len(ids), 0, 1)
    for i, t in enumerate(ids):
        batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.logits[i] = t, i, 1, int(i == len(ids) - 1)
        batch.seq_id[i][0] = 0
    batch.n_tokens = len(ids)
    if L.llama_decode(ctx, batch) != 0:
        raise RuntimeError("decode failed")

    out, margins = [], []
    one = L.llama_batch_init(1, 0, 1)
    pos = len(ids)
    for _ in range(n_gen):
        logits = np.ctypeslib.as_array(L.llama_get_logits_ith(ctx, -1), shape=(nv,)).copy()
        tok = L.llama_sampler_sample(smpl, ctx, -1)
        top2 = np.sort(logits)[-2:]
        if tok != int(np.argmax(logits)):
            raise RuntimeError(f"greedy sampler chose {tok}, argmax is {int(np.argmax(logits))}")
        out.append(int(tok))
        margins.append(float(top2[1] - top2[0]))
        one.token[0], one.pos[0], one.n_seq_id[0], one.logits[0] = tok, pos, 1, 1
        one.seq_id[0][0] = 0
        one.n_tokens = 1
        if L.llama_decode(ctx, one) != 0:
            raise RuntimeError("decode failed")
        pos += 1

    result = {
        "prompt_tokens": ids,
        "generated": out,
        "generated_pieces": [piece(vocab, t) for t in out],
        "top1_minus_top2": [round(m, 6) for m in margins],
    }
    L.llama_batch_free(batch)
    L.llama_batch_free(one)
    L.llama_sampler_free(smpl)
    L.llama_free(ctx)
    L.llama_model_free(model)
    return result


def main() -> None:
    prompt, n_gen, models = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    L.llama_backend_init()
    doc = {
        "prompt": prompt,
        "n_generated": n_gen,
        "sampler": "llama_sampler_init_greedy; prompt tokenized with add_special=false, parse_special=true; "
                   "no stop at end-of-generation tokens; n_ctx 256, f16 KV cache (llama.cpp default)",
        "runs": {os.path.basename(m): run(m, prompt, n_gen) for m in models},
    }
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
