/* Test support for the kernels: code paths that only tests run. */
#ifndef NOOK_CKERNELS_TESTING_H
#define NOOK_CKERNELS_TESTING_H
#include "ckernels.h"

/// Whether the emulated-VNNI kernels run here (they need AVX2).
int nook_testing_vnni_emulated_supported(void);

/// nook_matmul through the VNNI code paths with exact emulated VNNI dot products, on AVX2
/// (`level` is ignored; same signature as nook_matmul so MatMul can run it).
void nook_testing_matmul_vnni_emulated(nook_pool *pool, int level, const nook_mat *mats, int nmats, int64_t cols,
                                       const float *x, int64_t tokens, void *scratch, size_t scratch_bytes);

#endif
