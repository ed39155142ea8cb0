/* Scaled softmax of one row in place, for attention computed as matrix products (the vision towers). */
#include "nook_attention.h"
#include "ckernels.h"
#include "mm_internal.h"
#include "attention_x86.h"
#include <math.h>

static void softmax_scalar(float *x, int64_t n, float scale) {
    float m = -INFINITY;
    for (int64_t i = 0; i < n; i++) { x[i] *= scale; if (x[i] > m) m = x[i]; }
    double sum = 0;
    for (int64_t i = 0; i < n; i++) { x[i] = expf(x[i] - m); sum += x[i]; }
    const float inv = sum > 0 ? (float)(1.0 / sum) : 0;
    for (int64_t i = 0; i < n; i++) x[i] *= inv;
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static void softmax_avx2(float *x, int64_t n, float scale) {
    const __m256 s = _mm256_set1_ps(scale);
    __m256 mv = _mm256_set1_ps(-INFINITY);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_mul_ps(_mm256_loadu_ps(x + i), s);
        _mm256_storeu_ps(x + i, v);
        mv = _mm256_max_ps(mv, v);
    }
    float m = hmax256(mv);
    for (; i < n; i++) { x[i] *= scale; if (x[i] > m) m = x[i]; }
    const __m256 mm = _mm256_set1_ps(m);
    __m256 acc = _mm256_setzero_ps();
    i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 e = exp256_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(x + i), mm));
        _mm256_storeu_ps(x + i, e);
        acc = _mm256_add_ps(acc, e);
    }
    float sum = hsum256(acc);
    for (; i < n; i++) { x[i] = expf(x[i] - m); sum += x[i]; }
    const __m256 inv = _mm256_set1_ps(sum > 0 ? 1.0f / sum : 0);
    i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), inv));
    for (; i < n; i++) x[i] *= sum > 0 ? 1.0f / sum : 0;
}
#endif

void nook_softmax_scaled(float *x, int64_t n, float scale) {
#if defined(__x86_64__)
    if (nook_level_supported(NOOK_LEVEL_AVX2)) { softmax_avx2(x, n, scale); return; }
#endif
    softmax_scalar(x, n, scale);
}
