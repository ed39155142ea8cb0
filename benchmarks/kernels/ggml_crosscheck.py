#!/usr/bin/env python3
"""Cross-checks nook's CKernels against ggml's CPU library, bit for bit where ggml is deterministic.

Needs a ggml build that runs on this CPU (the reference build uses AVX-512; rebuild ggml-cpu for AVX2 if the CPU
lacks it) and a C compiler. Not part of the tests: a throwaway check of the claims the tests take for granted.

  python3 benchmarks/kernels/ggml_crosscheck.py GGML_BIN_DIR

Checks: Q8_0 / Q8_1 / Q8_K activation quantization (bits), and single dot products of every weight type
(nook's scalar, AVX2 and emulated-VNNI kernels against ggml_vec_dot_*, which uses the same integer sums).
"""
import ctypes, glob, os, subprocess, sys, tempfile
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
ck = os.path.join(here, "..", "..", "Sources", "CKernels")
bindir = sys.argv[1]
out = os.path.join(tempfile.mkdtemp(), "libnk.so")
cc = os.environ.get("CC", "clang")   # the kernels use `#pragma clang attribute`: clang, as SwiftPM uses
subprocess.check_call([cc, "-O2", "-fPIC", "-shared", "-I", os.path.join(ck, "include"), "-o", out]
                      + glob.glob(os.path.join(ck, "*.c")) + ["-lpthread", "-lm"])
nk = ctypes.CDLL(out)
base = ctypes.CDLL(os.path.join(bindir, "libggml-base.so"))
cpu = ctypes.CDLL(os.path.join(bindir, "libggml-cpu.so"))
cpu.ggml_cpu_init()

P = ctypes.c_void_p
def ptr(a): return a.ctypes.data_as(P)

TYPES = {"q4_0": (2, 32, 18, "q8_0"), "q4_1": (3, 32, 20, "q8_1"), "q5_0": (6, 32, 22, "q8_0"),
         "q5_1": (7, 32, 24, "q8_1"), "q8_0": (8, 32, 34, "q8_0"), "q4_K": (12, 256, 144, "q8_K"),
         "q5_K": (13, 256, 176, "q8_K"), "q6_K": (14, 256, 210, "q8_K")}
ACT = {"q8_0": 34, "q8_1": 36, "q8_K": 292}
rng = np.random.default_rng(1)
failures = 0

def check(name, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + name + (" " + detail if detail else ""))
    failures += 0 if ok else 1

def ggml_quant_act(kind, x):
    buf = np.zeros(len(x) // (256 if kind == "q8_K" else 32) * ACT[kind], dtype=np.uint8)
    getattr(cpu, "quantize_row_" + kind)(ptr(x), ptr(buf), ctypes.c_int64(len(x)))
    return buf

# Activations with ties (values whose scaled form lands on .5), zeros, outliers and all-negative blocks.
n = 4096
x = (rng.standard_normal(n) * 2).astype(np.float32)
x[:32] = 0
x[32:64] = -np.abs(x[32:64])
x[64] = 127; x[65:96] = np.arange(31) + 0.5            # max 127: the multiplier is exactly 1
x[4000:4010] *= 30

for level in (0, 1):
    qs = np.zeros(n, np.int8); d = np.zeros(n // 32, np.float32); s = np.zeros(n // 32, np.float32)
    nk.nook_quantize_q8_0(level, ptr(x), ctypes.c_int64(n), ptr(qs), ptr(d), ptr(s))
    g = ggml_quant_act("q8_0", x).reshape(-1, 34)
    gd = g[:, :2].copy().view(np.float16).astype(np.float32).ravel()
    check(f"q8_0 quants level {level}", np.array_equal(g[:, 2:].view(np.int8).ravel(), qs))
    check(f"q8_0 scales level {level}", np.array_equal(gd, d))
    g1 = ggml_quant_act("q8_1", x).reshape(-1, 36)
    check(f"q8_1 quants level {level}", np.array_equal(g1[:, 4:].view(np.int8).ravel(), qs))
    check(f"q8_1 sums level {level}", np.array_equal(g1[:, 2:4].copy().view(np.float16).astype(np.float32).ravel(), s))
    qk = np.zeros(n, np.int8); dk = np.zeros(n // 256, np.float32); bs = np.zeros(n // 16, np.int16)
    nk.nook_quantize_q8_K(level, ptr(x), ctypes.c_int64(n), ptr(qk), ptr(dk), ptr(bs))
    gk = ggml_quant_act("q8_K", x).reshape(-1, 292)
    check(f"q8_K scales level {level}", np.array_equal(gk[:, :4].copy().view(np.float32).ravel(), dk))
    check(f"q8_K quants level {level}", np.array_equal(gk[:, 4:260].view(np.int8).ravel(), qk))
    check(f"q8_K bsums level {level}", np.array_equal(gk[:, 260:].copy().view(np.int16).ravel(), bs))

class Mat(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("data", P), ("row_bytes", ctypes.c_int64), ("rows", ctypes.c_int64), ("out", P)]

base.ggml_quantize_chunk.restype = ctypes.c_size_t
base.ggml_quantize_chunk.argtypes = [ctypes.c_int, P, P, ctypes.c_int64, ctypes.c_int64, ctypes.c_int64, P]
for name, (tid, bs_, bb, act) in TYPES.items():
    cols, rows = 1536, 6
    w = (rng.standard_normal(cols * rows) * 0.05).astype(np.float32)
    wq = np.zeros(rows * cols // bs_ * bb, np.uint8)
    base.ggml_quantize_chunk(tid, ptr(w), ptr(wq), 0, rows, cols, None)
    xa = (rng.standard_normal(cols) * 3).astype(np.float32)
    a = ggml_quant_act(act, xa)
    ref = np.zeros(rows, np.float32)
    for r in range(rows):
        s = ctypes.c_float()
        getattr(cpu, f"ggml_vec_dot_{name}_{act}")(cols, ctypes.byref(s), ctypes.c_size_t(0),
            ctypes.c_void_p(wq.ctypes.data + r * (cols // bs_ * bb)), ctypes.c_size_t(0), ptr(a), ctypes.c_size_t(0), 1)
        ref[r] = s.value
    mag = np.abs(ref).max() + 1e-30
    for level in (0, 1, 4):
        o = np.zeros(rows, np.float32)
        m = Mat(tid, wq.ctypes.data_as(P), cols // bs_ * bb, rows, o.ctypes.data_as(P))
        size = nk.nook_matmul_scratch_size(ctypes.byref(m), 1, ctypes.c_int64(cols), ctypes.c_int64(1))
        scratch = np.zeros(size + 64, np.uint8)
        nk.nook_matmul(None, level, ctypes.byref(m), 1, ctypes.c_int64(cols), ptr(xa), ctypes.c_int64(1),
                       ptr(scratch), ctypes.c_size_t(size + 64))
        err = float(np.abs(o - ref).max() / mag)
        check(f"{name} dot level {level}", err < 2e-6, f"max error {err:.2e} of the largest output")

print("all checks passed" if failures == 0 else f"{failures} checks failed")
sys.exit(1 if failures else 0)
