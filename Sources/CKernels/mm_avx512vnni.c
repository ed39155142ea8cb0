/* Kernels for AVX-512 VL/BW/VNNI: the 256-bit code with EVEX dot products and 32 vector registers. */
#if defined(__x86_64__)
#include "mm_internal.h"
#include <immintrin.h>
#include <math.h>
#define NK_ROWS nk_rows_avx512vnni
#define NK_VNNI 2
#define NK_FTR 4
#define NK_FTT 6
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c,avx512f,avx512vl,avx512bw,avx512vnni"))), apply_to = function)
#include "mm_x86_impl.h"
#pragma clang attribute pop
#endif
