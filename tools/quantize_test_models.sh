#!/usr/bin/env bash
# Quantizes the F32 fixture models in DIR with the reference's own llama-quantize.
# usage: tools/quantize_test_models.sh DIR      (DIR holds the output of make_test_models.py)
# --pure gives every quantizable matrix (token_embd and output included) the requested type;
# Q4_K_M is llama.cpp's default mix. 1-D tensors (norms, biases, rope_freqs) always stay F32.
set -euo pipefail
DIR=${1:?usage: quantize_test_models.sh DIR}
source "$(dirname "$0")/ref_env.sh"
quant() { # MODEL TYPE [--pure]
  local model=$1 type=$2; shift 2
  llama-quantize "$@" "$DIR/$model-F32.gguf" "$DIR/$model-$type.gguf" "$type" 2 >"$DIR/.quantize.log" 2>&1 \
    || { tail -20 "$DIR/.quantize.log"; exit 1; }
  echo "wrote $DIR/$model-$type.gguf"
}
for t in Q8_0 Q4_0 Q5_0 Q4_K Q5_K Q6_K; do quant llama-gqa $t --pure; done
quant llama-gqa Q4_K_M
quant qwen2 Q8_0
quant qwen2 Q4_K_M
quant qwen3 Q4_K --pure
quant phi3 Q8_0
quant gemma3 Q8_0
quant gemma3 Q4_K --pure
rm -f "$DIR/.quantize.log"
