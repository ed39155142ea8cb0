#!/usr/bin/env bash
# Writes SmolLM2-135M-shaped benchmark models with random weights (not committed: large).
# usage: benchmarks/make_bench_models.sh [OUTDIR]      (default benchmarks/models, git-ignored)
# Gives OUTDIR/smollm2-135m-{F32,Q8_0,Q4_K_M}.gguf: arch llama, dim 576, 30 layers, 9 heads,
# 3 KV heads, ffn 1536, vocab 49152 (the fixture tokenizer padded with UNUSED dummy tokens),
# tied embeddings, context 2048, rope theta 1e5. Q8_0 and Q4_K_M come from the reference's
# llama-quantize (default mixes, not --pure), as a real SmolLM2 GGUF would be made.
# Needs: pip gguf numpy regex; the reference build (tools/ref_env.sh). About 1 GB of disk.
# Speed of the reference on them:  llama-bench -m FILE -p 512 -n 128 -t 2 -r 3
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/models}
mkdir -p "$OUT"
source "$HERE/../tools/ref_env.sh"
python3 "$HERE/../tools/make_test_models.py" "$OUT" --bench
for type in Q8_0 Q4_K_M; do
  llama-quantize "$OUT/smollm2-135m-F32.gguf" "$OUT/smollm2-135m-$type.gguf" "$type" 2 >"$OUT/quantize-$type.log" 2>&1 \
    || { tail -20 "$OUT/quantize-$type.log"; exit 1; }
  echo "wrote $OUT/smollm2-135m-$type.gguf ($(stat -c %s "$OUT/smollm2-135m-$type.gguf") bytes)"
done
python3 - "$OUT" <<'PY'
import collections, os, sys, gguf
out = sys.argv[1]
for t in ("F32", "Q8_0", "Q4_K_M"):
    r = gguf.GGUFReader(os.path.join(out, f"smollm2-135m-{t}.gguf"))
    mix = collections.Counter(x.tensor_type.name for x in r.tensors)
    print(f"smollm2-135m-{t}: " + ", ".join(f"{k} x{v}" for k, v in sorted(mix.items())))
PY
