#!/usr/bin/env bash
# Records llama.cpp's reference outputs for every fixture model in DIR and writes DIR/manifest.json.
# usage: tools/record_reference.sh [DIR]        (default Tests/ModelsTests/Fixtures)
#   <model>-<type>.logits   /work/shared/tools/ref_logits.py on TOKENS below: one line per position,
#                           n_vocab space-separated logits ("%.6g"); llama.cpp's KV cache is f16
#   prompt-N.tokens.json    llama-tokenize ids for three prompts (tools/ref_tokens.py)
#   <model>.q8_0-kv.logits  the same with llama.cpp's KV cache in q8_0 (tools/ref_logits_kv.py), four float models
#   gemma3-prompt-N.tokens.json  llama-tokenize ids for three Gemma prompts on the gemma3 fixture's vocabulary
#   greedy.json             16 greedy tokens for one prompt on llama-rope-freqs-F32, qwen2-F32 and phi3-F32
#   manifest.json           one entry per model file (tools/write_manifest.py)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${1:-$HERE/../Tests/ModelsTests/Fixtures}
REF_LOGITS=${NOOK_REF_LOGITS:-$HERE/../../shared/tools/ref_logits.py}
[ -f "$REF_LOGITS" ] || REF_LOGITS=/work/shared/tools/ref_logits.py
source "$HERE/ref_env.sh"

# 24 ids spread over the 512-token vocabulary: specials 0 <|endoftext|>, 1 <|im_start|>, 2 <|im_end|>,
# byte tokens (3..258) and merged tokens (259..511), first and last ids included.
TOKENS="1 312 45 259 511 87 2 130 0 402 3 258 199 466 71 350 23 288 505 150 1 421 99 260"

for model in "$DIR"/*.gguf; do
  out=${model%.gguf}.logits
  python3 "$REF_LOGITS" "$model" "$TOKENS" >"$out" 2>"$DIR/.ref.log" || { tail -20 "$DIR/.ref.log"; exit 1; }
  echo "wrote $out ($(wc -l <"$out") rows)"
done

# With a q8_0 KV cache (llama.cpp rotates around it): four float models.
for m in llama-gqa-F32 qwen2-F32 phi3-F32 gemma3-F32; do
  python3 "$HERE/ref_logits_kv.py" "$DIR/$m.gguf" "$TOKENS" >"$DIR/$m.q8_0-kv.logits" 2>"$DIR/.ref.log" || { tail -20 "$DIR/.ref.log"; exit 1; }
done

python3 "$HERE/ref_tokens.py" "$DIR" "$DIR/llama-gqa-F32.gguf" 2>"$DIR/.ref.log" || { tail -20 "$DIR/.ref.log"; exit 1; }
python3 "$HERE/ref_tokens.py" "$DIR" "$DIR/gemma3-F32.gguf" gemma 2>"$DIR/.ref.log" || { tail -20 "$DIR/.ref.log"; exit 1; }

# Chosen among 22 candidate prompts on the five F32 fixtures: the three models here continue it with 12 distinct
# tokens each (so a broken KV cache cannot reproduce the run by repeating one token, as llama-gqa-F32 and
# qwen3-F32 do for every candidate), and the smallest top-1 minus top-2 logit over the 16 steps is 0.0089
# (llama-rope-freqs), 0.015 (qwen2) and 0.015 (phi3), against about 1e-3 of numeric noise.
PROMPT="Then the night comes, the stars are bright"
python3 "$HERE/ref_greedy.py" "$PROMPT" 16 "$DIR/llama-rope-freqs-F32.gguf" "$DIR/qwen2-F32.gguf" "$DIR/phi3-F32.gguf" \
  >"$DIR/greedy.json" 2>"$DIR/.ref.log" || { tail -20 "$DIR/.ref.log"; exit 1; }
python3 -m json.tool "$DIR/greedy.json" >/dev/null
echo "wrote $DIR/greedy.json"

python3 "$HERE/write_manifest.py" "$DIR" "$TOKENS"
rm -f "$DIR/.ref.log"
