/* Kernels for AVX2 + FMA + F16C. */
#if defined(__x86_64__)
#include "mm_internal.h"
#include <immintrin.h>
#include <math.h>
#define NK_ROWS nk_rows_avx2
#define NK_VNNI 0
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#include "mm_x86_impl.h"
#pragma clang attribute pop
#endif
