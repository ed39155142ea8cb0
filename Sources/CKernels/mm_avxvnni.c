/* Kernels for AVX2 with AVX-VNNI dot products (vpdpbusd / vpdpwssd on 256-bit vectors). */
#if defined(__x86_64__)
#include "mm_internal.h"
#include <immintrin.h>
#include <math.h>
#define NK_ROWS nk_rows_avxvnni
#define NK_VNNI 1
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c,avxvnni"))), apply_to = function)
#include "mm_x86_impl.h"
#pragma clang attribute pop
#endif
