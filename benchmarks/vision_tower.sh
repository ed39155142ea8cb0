#!/usr/bin/env bash
# One 512×512 picture through the full 12-block SmolVLM-256M-shaped vision tower (idefics3 projector, random
# weights), nook against llama.cpp's libmtmd on the same files and threads. llama.cpp's idefics3 rule scales the
# picture to a 2048 longest edge: 16 tiles plus the overview, 1088 embedding rows.
# usage: benchmarks/vision_tower.sh [WORK]     (REPS=3, THREADS=2; needs the reference build and python gguf/pillow)
# Prints the wall time of each run (whole process: load, decode, encode, write) and the medians.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
WORK=${1:-/tmp/nook-vision-bench}
REPS=${REPS:-3}
THREADS=${THREADS:-2}
NOOK=${NOOK:-$HERE/.build/release/nook}
mkdir -p "$WORK"
source "$HERE/tools/ref_env.sh"
SRC=${NOOK_REF_DIR:-$HOME/.cache/nook-reference}/llama_cpp_python-0.3.36/vendor/llama.cpp
[ -f "$WORK/idefics3.gguf" ] || python3 "$HERE/tools/make_mmproj_fixtures.py" --out "$WORK" --blocks 12 --only idefics3 >/dev/null
[ -f "$WORK/text-576.gguf" ] || python3 "$HERE/tools/make_mmproj_decoder.py" --out "$WORK" --spec-dir "$WORK" --vocab-only >/dev/null
python3 - "$WORK/picture.png" <<'PY'
import sys
import numpy as np
from PIL import Image
y, x = np.mgrid[0:512, 0:512]
Image.fromarray(np.stack([x // 2, y // 2, (x + y) // 4], -1).astype(np.uint8)).save(sys.argv[1])
PY
[ -x "$WORK/mmproj_reference" ] || g++ -std=c++17 -O2 -o "$WORK/mmproj_reference" "$HERE/tools/mmproj_reference.cpp" \
  -I"$SRC/include" -I"$SRC/ggml/include" -I"$SRC/tools/mtmd" -L"$NOOK_REF_BIN" -Wl,-rpath,"$NOOK_REF_BIN" \
  -lmtmd -lllama -lggml -lggml-base
ref=(); ours=()
for i in $(seq "$REPS"); do
  /usr/bin/time -f "%e" -o "$WORK/time" "$WORK/mmproj_reference" embed --text "$WORK/text-576.gguf" \
    --mmproj "$WORK/idefics3.gguf" --image "$WORK/picture.png" --threads "$THREADS" --out "$WORK/ref" >/dev/null 2>&1
  ref+=("$(tail -1 "$WORK/time")")
  /usr/bin/time -f "%e" -o "$WORK/time" "$NOOK" embed-image --mmproj "$WORK/idefics3.gguf" --image "$WORK/picture.png" \
    -t "$THREADS" >/dev/null 2>&1
  ours+=("$(tail -1 "$WORK/time")")
  echo "run $i: llama.cpp ${ref[-1]} s, nook ${ours[-1]} s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
r=$(median "${ref[@]}"); n=$(median "${ours[@]}")
echo "median: llama.cpp $r s, nook $n s, speed ratio (llama.cpp time / nook time) $(awk -v r="$r" -v n="$n" 'BEGIN {printf "%.2f", r / n}')"
