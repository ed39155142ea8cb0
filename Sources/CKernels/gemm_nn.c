/* C = A·B for row-major f32 matrices with strides (no transposes): the attention products of the vision towers,
 * whose inner dimension is short (scores: the head size) or whose right matrix is narrow (values: the head size),
 * where dot-product kernels would spend their time in horizontal sums. Each output tile is accumulated by
 * broadcasting A's elements against rows of B. */
#include "ckernels.h"
#include "mm_internal.h"
#include <string.h>

static void nn_scalar(const float *a, int64_t lda, const float *b, int64_t ldb, float *c, int64_t ldc,
                      int64_t m, int64_t n, int64_t k) {
    for (int64_t i = 0; i < m; i++) {
        float *ci = c + i * ldc;
        for (int64_t j = 0; j < n; j++) ci[j] = 0;
        for (int64_t p = 0; p < k; p++) {
            const float aip = a[i * lda + p];
            const float *bp = b + p * ldb;
            for (int64_t j = 0; j < n; j++) ci[j] += aip * bp[j];
        }
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

/* Rows of 4 × 32 columns (AVX2: 4 vectors a row, 16 accumulators), then the leftovers. */
__attribute__((target("avx2,fma")))
static void nn_avx2(const float *a, int64_t lda, const float *b, int64_t ldb, float *c, int64_t ldc,
                    int64_t m, int64_t n, int64_t k) {
    int64_t i = 0;
    for (; i + 4 <= m; i += 4) {
        int64_t j = 0;
        for (; j + 32 <= n; j += 32) {
            __m256 acc[4][4];
            for (int r = 0; r < 4; r++) for (int v = 0; v < 4; v++) acc[r][v] = _mm256_setzero_ps();
            for (int64_t p = 0; p < k; p++) {
                const float *bp = b + p * ldb + j;
                const __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps(bp + 8);
                const __m256 b2 = _mm256_loadu_ps(bp + 16), b3 = _mm256_loadu_ps(bp + 24);
                for (int r = 0; r < 4; r++) {
                    const __m256 x = _mm256_broadcast_ss(a + (i + r) * lda + p);
                    acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
                    acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
                    acc[r][2] = _mm256_fmadd_ps(x, b2, acc[r][2]);
                    acc[r][3] = _mm256_fmadd_ps(x, b3, acc[r][3]);
                }
            }
            for (int r = 0; r < 4; r++)
                for (int v = 0; v < 4; v++) _mm256_storeu_ps(c + (i + r) * ldc + j + 8 * v, acc[r][v]);
        }
        for (; j + 8 <= n; j += 8) {
            __m256 acc[4];
            for (int r = 0; r < 4; r++) acc[r] = _mm256_setzero_ps();
            for (int64_t p = 0; p < k; p++) {
                const __m256 bv = _mm256_loadu_ps(b + p * ldb + j);
                for (int r = 0; r < 4; r++) acc[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(a + (i + r) * lda + p), bv, acc[r]);
            }
            for (int r = 0; r < 4; r++) _mm256_storeu_ps(c + (i + r) * ldc + j, acc[r]);
        }
        if (j < n) nn_scalar(a + i * lda, lda, b + j, ldb, c + i * ldc + j, ldc, 4, n - j, k);
    }
    if (i < m) nn_scalar(a + i * lda, lda, b, ldb, c + i * ldc, ldc, m - i, n, k);
}

/* Rows of 4 × 64 columns in 512-bit vectors (16 accumulators). */
__attribute__((target("avx2,fma,avx512f")))
static void nn_avx512(const float *a, int64_t lda, const float *b, int64_t ldb, float *c, int64_t ldc,
                      int64_t m, int64_t n, int64_t k) {
    int64_t i = 0;
    for (; i + 4 <= m; i += 4) {
        int64_t j = 0;
        for (; j + 64 <= n; j += 64) {
            __m512 acc[4][4];
            for (int r = 0; r < 4; r++) for (int v = 0; v < 4; v++) acc[r][v] = _mm512_setzero_ps();
            for (int64_t p = 0; p < k; p++) {
                const float *bp = b + p * ldb + j;
                const __m512 b0 = _mm512_loadu_ps(bp), b1 = _mm512_loadu_ps(bp + 16);
                const __m512 b2 = _mm512_loadu_ps(bp + 32), b3 = _mm512_loadu_ps(bp + 48);
                for (int r = 0; r < 4; r++) {
                    const __m512 x = _mm512_set1_ps(a[(i + r) * lda + p]);
                    acc[r][0] = _mm512_fmadd_ps(x, b0, acc[r][0]);
                    acc[r][1] = _mm512_fmadd_ps(x, b1, acc[r][1]);
                    acc[r][2] = _mm512_fmadd_ps(x, b2, acc[r][2]);
                    acc[r][3] = _mm512_fmadd_ps(x, b3, acc[r][3]);
                }
            }
            for (int r = 0; r < 4; r++)
                for (int v = 0; v < 4; v++) _mm512_storeu_ps(c + (i + r) * ldc + j + 16 * v, acc[r][v]);
        }
        if (j < n) nn_avx2(a + i * lda, lda, b + j, ldb, c + i * ldc + j, ldc, 4, n - j, k);
    }
    if (i < m) nn_avx2(a + i * lda, lda, b, ldb, c + i * ldc, ldc, m - i, n, k);
}
#endif

void nook_gemm_nn_f32(const float *a, int64_t lda, const float *b, int64_t ldb, float *c, int64_t ldc,
                      int64_t m, int64_t n, int64_t k) {
#if defined(__x86_64__)
    if (nook_level_supported(NOOK_LEVEL_AVX512VNNI)) { nn_avx512(a, lda, b, ldb, c, ldc, m, n, k); return; }
    if (nook_level_supported(NOOK_LEVEL_AVX2)) { nn_avx2(a, lda, b, ldb, c, ldc, m, n, k); return; }
#endif
    nn_scalar(a, lda, b, ldb, c, ldc, m, n, k);
}
