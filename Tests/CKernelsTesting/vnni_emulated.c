/* Test support: AVX2 kernels with an exact software stand-in for the VNNI byte dot products, so the
 * VNNI code paths of mm_x86_impl.h are checked on CPUs that lack VNNI. Never linked into nook. */
#include "ckernels_testing.h"
#include "mm_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <math.h>
#define NK_ROWS nk_rows_vnni_emulated
#define NK_VNNI 3
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#include "mm_x86_impl.h"
#pragma clang attribute pop
#endif

int nook_testing_vnni_emulated_supported(void) {
#if defined(__x86_64__)
    return nook_level_supported(NOOK_LEVEL_AVX2);
#else
    return 0;
#endif
}

void nook_testing_matmul_vnni_emulated(nook_pool *pool, int level, const nook_mat *mats, int nmats, int64_t cols,
                                       const float *x, int64_t tokens, void *scratch, size_t scratch_bytes) {
    (void)level;
#if defined(__x86_64__)
    if (nook_testing_vnni_emulated_supported()) {
        nk_matmul_with(pool, NOOK_LEVEL_AVX2, nk_rows_vnni_emulated, mats, nmats, cols, x, tokens, scratch, scratch_bytes);
        return;
    }
#endif
    nook_matmul(pool, NOOK_LEVEL_SCALAR, mats, nmats, cols, x, tokens, scratch, scratch_bytes);
}
