#!/usr/bin/env bash
# Compares nook with llama-bench (the reference build) on the same files, thread count and test sizes.
# usage: benchmarks/compare.sh [MODEL.gguf ...]   (default: the SmolLM2-135M-shaped models of make_bench_models.sh)
#   THREADS (2), PP (512), TG (128), REPS (3), NOOK (.build/release/nook), MODELS_DIR (benchmarks/models),
#   NOOK_FLAGS (extra flags for nook bench, e.g. "--kv-type f32")
# Prints a Markdown table with both throughputs and the ratio nook / llama.cpp; paste it into RESULTS.md.
# Each tool runs alone, one after the other; run it on an otherwise idle machine.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
THREADS=${THREADS:-2} PP=${PP:-512} TG=${TG:-128} REPS=${REPS:-3}
NOOK=${NOOK:-$HERE/../.build/release/nook}
MODELS_DIR=${MODELS_DIR:-$HERE/models}
source "$HERE/../tools/ref_env.sh"
[ -x "$NOOK" ] || { echo "compare.sh: $NOOK missing: run 'swift build -c release' first" >&2; exit 1; }
models=("$@")
[ ${#models[@]} -gt 0 ] || models=("$MODELS_DIR/smollm2-135m-Q8_0.gguf" "$MODELS_DIR/smollm2-135m-Q4_K_M.gguf")
echo "| model | test | llama.cpp t/s | nook t/s | nook / llama.cpp |"
echo "| --- | --- | ---: | ---: | ---: |"
for m in "${models[@]}"; do
  ref=$(LD_LIBRARY_PATH=$LLAMA_CPP_LIB_PATH llama-bench -m "$m" -p "$PP" -n "$TG" -t "$THREADS" -r "$REPS" -o json 2>/dev/null)
  # shellcheck disable=SC2086
  ours=$("$NOOK" bench -m "$m" -p "$PP" -n "$TG" -t "$THREADS" -r "$REPS" ${NOOK_FLAGS:-} --json)
  python3 - "$m" "$ref" "$ours" "$PP" "$TG" <<'PY'
import json, os, sys
name, ref, ours, pp, tg = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
def ref_tps(test):
    for r in ref:
        if test == f"pp{pp}" and r["n_prompt"] == pp and r["n_gen"] == 0: return r["avg_ts"]
        if test == f"tg{tg}" and r["n_gen"] == tg and r["n_prompt"] == 0: return r["avg_ts"]
for r in ours["results"]:
    rt = ref_tps(r["test"])
    print(f"| {os.path.basename(name)} | {r['test']} | {rt:.2f} | {r['median']:.2f} | {r['median'] / rt:.2f} |")
PY
done
