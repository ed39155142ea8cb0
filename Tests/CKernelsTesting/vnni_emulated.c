/* AVX2 kernels with an exact software stand-in for the VNNI byte dot products (NOOK_LEVEL_VNNI_EMULATED):
 * the VNNI code paths, checked by the tests on CPUs that lack VNNI. Slower than the plain AVX2 level. */
#if defined(__x86_64__)
#include "mm_internal.h"
#include <immintrin.h>
#include <math.h>
#define NK_ROWS nk_rows_vnni_emulated
#define NK_VNNI 3
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#include "mm_x86_impl.h"
#pragma clang attribute pop
#endif
