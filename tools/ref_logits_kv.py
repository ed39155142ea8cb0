#!/usr/bin/env python3
"""Print llama.cpp's logits for every position of a token sequence with a quantized KV cache (q8_0 K and V).

usage: ref_logits_kv.py MODEL.gguf "ID ID ID ..." > out.logits
Environment: tools/ref_env.sh. Like shared/tools/ref_logits.py (n_ctx 256, one batch, 2 threads, flash attention
left on auto, which the CPU takes and a quantized V cache needs), but with type_k = type_v = GGML_TYPE_Q8_0; llama.cpp
then rotates queries, keys and values by a Walsh-Hadamard matrix (attn_rot_k / attn_rot_v) around the cache.
"""
import sys
import numpy as np
import llama_cpp as L

GGML_TYPE_Q8_0 = 8
model_path, ids = sys.argv[1], [int(x) for x in sys.argv[2].split()]
L.llama_backend_init()
model = L.llama_model_load_from_file(model_path.encode(), L.llama_model_default_params())
cp = L.llama_context_default_params()
cp.n_ctx = max(256, len(ids))
cp.n_batch = cp.n_ctx
cp.n_threads = cp.n_threads_batch = 2
cp.type_k = cp.type_v = GGML_TYPE_Q8_0
ctx = L.llama_init_from_model(model, cp)
nv = L.llama_vocab_n_tokens(L.llama_model_get_vocab(model))
batch = L.llama_batch_init(len(ids), 0, 1)
for i, t in enumerate(ids):
    batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.logits[i] = t, i, 1, 1
    batch.seq_id[i][0] = 0
batch.n_tokens = len(ids)
assert L.llama_decode(ctx, batch) == 0
for i in range(len(ids)):
    row = np.ctypeslib.as_array(L.llama_get_logits_ith(ctx, i), shape=(nv,))
    sys.stdout.write(" ".join("%.6g" % v for v in row) + "\n")
