# Sourced by the fixture scripts: exports LLAMA_CPP_LIB_PATH, PYTHONPATH and PATH for a reference
# llama.cpp build (0.3.36, built by /work/shared/tools/reference-llama-cpp.sh) that runs on this CPU.
#   NOOK_REF_BIN  a build's bin folder to use (skips detection)
#   NOOK_REF_DIR  where the reference lives (default ~/.cache/nook-reference)
# The shared build enables AVX-512/AVX-VNNI unconditionally and dies with SIGILL on CPUs without
# them (e.g. AMD EPYC Zen 3); on such CPUs an AVX2-only build in $NOOK_REF_DIR/build-avx2 is used,
# made with the same cmake options but -DGGML_AVX512=OFF -DGGML_AVX_VNNI=OFF (see README).
NOOK_REF_DIR=${NOOK_REF_DIR:-$HOME/.cache/nook-reference}
if [ -z "${NOOK_REF_BIN:-}" ]; then
  if grep -q avx512f /proc/cpuinfo && grep -q avx_vnni /proc/cpuinfo && grep -q avx512_bf16 /proc/cpuinfo; then
    NOOK_REF_BIN=$NOOK_REF_DIR/build/bin
  else
    NOOK_REF_BIN=$NOOK_REF_DIR/build-avx2/bin
  fi
fi
for tool in llama-quantize llama-tokenize; do
  if [ ! -x "$NOOK_REF_BIN/$tool" ]; then
    echo "ref_env.sh: $NOOK_REF_BIN/$tool missing: build the reference first (see Tests/ModelsTests/Fixtures/README.md)" >&2
    return 1 2>/dev/null || exit 1
  fi
done
export LLAMA_CPP_LIB_PATH=$NOOK_REF_BIN
export PYTHONPATH=$NOOK_REF_DIR/llama_cpp_python-0.3.36${PYTHONPATH:+:$PYTHONPATH}
export PATH=$NOOK_REF_BIN:$PATH
