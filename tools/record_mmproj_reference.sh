#!/usr/bin/env bash
# Records llama.cpp's (libmtmd's) reference outputs for the vision-encoder fixtures into Tests/MultimodalTests/Fixtures.
# usage: tools/record_mmproj_reference.sh [WORKDIR]     (default /tmp/nook-mmproj; the GGUF files are written there)
#   1. tools/make_mmproj_fixtures.py   the four random-weight mmproj files (2 blocks) and their committed specs
#   2. tools/make_mmproj_decoder.py    the e2e decoder (spec committed) and vocab-only text models per width
#   3. tools/make_mmproj_images.py     small.png, tall.png, wide.png (committed)
#   4. g++ tools/mmproj_reference.cpp against the reference build's libmtmd/libllama (never part of the Swift build)
#   5. for every projector and image: <proj>-<image>.json/.emb.f32/.pre.f32 (mmproj_reference embed), plus
#      idefics3-tall-max256 (llama.cpp's image_max_tokens = 256), then e2e-small.json/.logits (mmproj_reference e2e)
# Everything runs with 2 threads (--threads) and llama.cpp's default flash-attention setting (auto).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
FIX=$HERE/../Tests/MultimodalTests/Fixtures
WORK=${1:-/tmp/nook-mmproj}
NOOK_REF_DIR=${NOOK_REF_DIR:-$HOME/.cache/nook-reference}
source "$HERE/ref_env.sh"
SRC=$NOOK_REF_DIR/llama_cpp_python-0.3.36/vendor/llama.cpp
for lib in libmtmd.so libllama.so libggml.so libggml-base.so; do
  [ -e "$NOOK_REF_BIN/$lib" ] || { echo "record_mmproj_reference.sh: $NOOK_REF_BIN/$lib missing: build the reference first" >&2; exit 1; }
done
THREADS=2

python3 "$HERE/make_mmproj_fixtures.py" --out "$WORK"
python3 "$HERE/make_mmproj_decoder.py" --out "$WORK" --vocab-only
python3 "$HERE/make_mmproj_images.py" "$FIX"

BIN=$WORK/mmproj_reference
g++ -std=c++17 -O2 -o "$BIN" "$HERE/mmproj_reference.cpp" \
  -I"$SRC/include" -I"$SRC/ggml/include" -I"$SRC/tools/mtmd" \
  -L"$NOOK_REF_BIN" -Wl,-rpath,"$NOOK_REF_BIN" -lmtmd -lllama -lggml -lggml-base

declare -A WIDTH=([idefics3]=576 [internvl]=896 [mlp]=4096 [gemma3]=2560)
for proj in idefics3 internvl mlp gemma3; do
  for image in small tall wide; do
    "$BIN" embed --text "$WORK/text-${WIDTH[$proj]}.gguf" --mmproj "$WORK/$proj.gguf" --image "$FIX/$image.png" \
      --threads $THREADS --out "$FIX/$proj-$image" --full "$WORK/$proj-$image.full.emb.f32"
    echo "recorded $proj-$image"
  done
done
"$BIN" embed --text "$WORK/text-576.gguf" --mmproj "$WORK/idefics3.gguf" --image "$FIX/tall.png" \
  --threads $THREADS --max-tokens 256 --out "$FIX/idefics3-tall-max256"
echo "recorded idefics3-tall-max256"

# End to end: the e2e decoder with the idefics3 projector on small.png (prompt also in Fixtures/README.md).
PROMPT=$'Look at the picture <__media__> and tell me what it shows.'
"$BIN" e2e --text "$WORK/decoder.gguf" --mmproj "$WORK/idefics3.gguf" --image "$FIX/small.png" \
  --prompt "$PROMPT" --threads $THREADS --out "$FIX/e2e-small"
echo "recorded e2e-small ($(wc -l <"$FIX/e2e-small.logits") positions)"
du -sh "$FIX"
