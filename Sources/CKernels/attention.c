// Attention and small vector kernels: an AVX2+FMA variant chosen at run time, and a portable one.
#include "nook_attention.h"
#include "ckernels.h"
#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static inline float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma")))
static float dot_avx2(const float *a, const float *b, int64_t n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
    }
    for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    float s = hsum256(_mm256_add_ps(acc0, acc1));
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

__attribute__((target("avx2,fma")))
static void axpy_avx2(float w, const float *x, float *out, int64_t n) {
    __m256 wv = _mm256_set1_ps(w);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + i), _mm256_loadu_ps(out + i)));
    for (; i < n; i++) out[i] += w * x[i];
}

__attribute__((target("avx2,fma")))
static void attention_avx2(const float *q, const float *keys, const float *values, int64_t stride,
                           int64_t length, int64_t hd, float scale, float *scores, float *out) {
    float m = -INFINITY;
    for (int64_t j = 0; j < length; j++) {
        float s = dot_avx2(q, keys + j * stride, hd) * scale;
        scores[j] = s;
        if (s > m) m = s;
    }
    float sum = 0;
    for (int64_t j = 0; j < length; j++) { float e = expf(scores[j] - m); scores[j] = e; sum += e; }
    float inv = 1.0f / sum;
    for (int64_t i = 0; i < hd; i++) out[i] = 0;
    for (int64_t j = 0; j < length; j++) axpy_avx2(scores[j] * inv, values + j * stride, out, hd);
}
#endif

static float dot_scalar(const float *a, const float *b, int64_t n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) { s0 += a[i] * b[i]; s1 += a[i+1] * b[i+1]; s2 += a[i+2] * b[i+2]; s3 += a[i+3] * b[i+3]; }
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

static void attention_scalar(const float *q, const float *keys, const float *values, int64_t stride,
                             int64_t length, int64_t hd, float scale, float *scores, float *out) {
    float m = -INFINITY;
    for (int64_t j = 0; j < length; j++) {
        float s = dot_scalar(q, keys + j * stride, hd) * scale;
        scores[j] = s;
        if (s > m) m = s;
    }
    float sum = 0;
    for (int64_t j = 0; j < length; j++) { float e = expf(scores[j] - m); scores[j] = e; sum += e; }
    float inv = 1.0f / sum;
    for (int64_t i = 0; i < hd; i++) out[i] = 0;
    for (int64_t j = 0; j < length; j++) {
        float w = scores[j] * inv;
        const float *v = values + j * stride;
        for (int64_t i = 0; i < hd; i++) out[i] += w * v[i];
    }
}

static int has_avx2(void) {
    static int cached = -1;
    if (cached < 0) { nook_cpu_features f = nook_detect_cpu_features(); cached = f.avx2 && f.fma; }
    return cached;
}

void nook_attention_head(const float *q, const float *keys, const float *values, int64_t stride,
                         int64_t length, int64_t head_dim, float scale, float *scores, float *out) {
#if defined(__x86_64__)
    if (has_avx2()) { attention_avx2(q, keys, values, stride, length, head_dim, scale, scores, out); return; }
#endif
    attention_scalar(q, keys, values, stride, length, head_dim, scale, scores, out);
}

float nook_dot_f32(const float *a, const float *b, int64_t n) {
#if defined(__x86_64__)
    if (has_avx2()) return dot_avx2(a, b, n);
#endif
    return dot_scalar(a, b, n);
}

float nook_sum_squares_f32(const float *x, int64_t n) { return nook_dot_f32(x, x, n); }
