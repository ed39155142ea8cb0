// Attention and small vector kernels: an AVX2+FMA variant chosen at run time, and a portable one.
#include "nook_attention.h"
#include "ckernels.h"
#include <math.h>

typedef float (*dot_fn)(const float *, const float *, int64_t);
typedef void (*axpy_fn)(float, const float *, float *, int64_t);

/// Attention for any head size through a dot product and an axpy of the caller's choice.
static void attention_generic(dot_fn dot, axpy_fn axpy, const float *q, const float *keys, const float *values,
                              int64_t stride, int64_t length, int64_t hd, float scale, float *scores, float *out) {
    float m = -INFINITY;
    for (int64_t j = 0; j < length; j++) {
        float s = dot(q, keys + j * stride, hd) * scale;
        scores[j] = s;
        if (s > m) m = s;
    }
    float sum = 0;
    for (int64_t j = 0; j < length; j++) { float e = expf(scores[j] - m); scores[j] = e; sum += e; }
    float inv = 1.0f / sum;
    for (int64_t i = 0; i < hd; i++) out[i] = 0;
    for (int64_t j = 0; j < length; j++) axpy(scores[j] * inv, values + j * stride, out, hd);
}

static float dot_scalar(const float *a, const float *b, int64_t n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) { s0 += a[i] * b[i]; s1 += a[i+1] * b[i+1]; s2 += a[i+2] * b[i+2]; s3 += a[i+3] * b[i+3]; }
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

#if defined(__x86_64__)
#include <immintrin.h>
#include "attention_x86.h"

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

#pragma clang attribute push (__attribute__((target("avx2,fma"))), apply_to = function)

/// Attention of one query for a head size of NC*8 (NC a compile-time constant after inlining):
/// the query and the output stay in registers, scores are computed eight keys at a time.
static inline __attribute__((always_inline)) void attention_avx2_nc(
        const int NC, const float *q, const float *keys, const float *values, int64_t stride,
        int64_t length, float scale, float *scores, float *out) {
    __m256 qv[16], o[16];
    for (int c = 0; c < NC; c++) { qv[c] = _mm256_mul_ps(_mm256_loadu_ps(q + 8 * c), _mm256_set1_ps(scale)); o[c] = _mm256_setzero_ps(); }
    __m256 mx = _mm256_set1_ps(-INFINITY);
    int64_t j = 0;
    for (; j + 8 <= length; j += 8) {
        __m256 acc[8];
        for (int k = 0; k < 8; k++) {
            const float *kp = keys + (j + k) * stride;
            __m256 a = _mm256_mul_ps(qv[0], _mm256_loadu_ps(kp));
            for (int c = 1; c < NC; c++) a = _mm256_fmadd_ps(qv[c], _mm256_loadu_ps(kp + 8 * c), a);
            acc[k] = a;
        }
        __m256 s = hsum8x8(acc);
        _mm256_storeu_ps(scores + j, s);
        mx = _mm256_max_ps(mx, s);
    }
    float m = hmax256(mx);
    for (; j < length; j++) {
        const float *kp = keys + j * stride;
        __m256 a = _mm256_mul_ps(qv[0], _mm256_loadu_ps(kp));
        for (int c = 1; c < NC; c++) a = _mm256_fmadd_ps(qv[c], _mm256_loadu_ps(kp + 8 * c), a);
        float s = hsum256(a);
        scores[j] = s;
        if (s > m) m = s;
    }
    __m256 mv = _mm256_set1_ps(m), sumv = _mm256_setzero_ps();
    j = 0;
    for (; j + 8 <= length; j += 8) {
        __m256 e = exp256_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(scores + j), mv));
        _mm256_storeu_ps(scores + j, e);
        sumv = _mm256_add_ps(sumv, e);
    }
    float sum = hsum256(sumv);
    for (; j < length; j++) { float e = expf(scores[j] - m); scores[j] = e; sum += e; }
    for (j = 0; j < length; j++) {
        __m256 p = _mm256_set1_ps(scores[j]);
        const float *vp = values + j * stride;
        for (int c = 0; c < NC; c++) o[c] = _mm256_fmadd_ps(p, _mm256_loadu_ps(vp + 8 * c), o[c]);
    }
    __m256 inv = _mm256_set1_ps(1.0f / sum);
    for (int c = 0; c < NC; c++) _mm256_storeu_ps(out + 8 * c, _mm256_mul_ps(o[c], inv));
}

static void attention_avx2(const float *q, const float *keys, const float *values, int64_t stride,
                           int64_t length, int64_t hd, float scale, float *scores, float *out) {
    switch (hd) {
    case 64: attention_avx2_nc(8, q, keys, values, stride, length, scale, scores, out); break;
    case 96: attention_avx2_nc(12, q, keys, values, stride, length, scale, scores, out); break;
    case 128: attention_avx2_nc(16, q, keys, values, stride, length, scale, scores, out); break;
    default: attention_generic(dot_avx2, axpy_avx2, q, keys, values, stride, length, hd, scale, scores, out); break;
    }
}
#pragma clang attribute pop
#endif


static void axpy_scalar(float w, const float *x, float *out, int64_t n) {
    for (int64_t i = 0; i < n; i++) out[i] += w * x[i];
}

static int has_avx2(void) { return nook_level_supported(NOOK_LEVEL_AVX2); }

void nook_attention_head(const float *q, const float *keys, const float *values, int64_t stride,
                         int64_t length, int64_t head_dim, float scale, float *scores, float *out) {
#if defined(__x86_64__)
    if (has_avx2()) { attention_avx2(q, keys, values, stride, length, head_dim, scale, scores, out); return; }
#endif
    attention_generic(dot_scalar, axpy_scalar, q, keys, values, stride, length, head_dim, scale, scores, out);
}

float nook_dot_f32(const float *a, const float *b, int64_t n) {
#if defined(__x86_64__)
    if (has_avx2()) return dot_avx2(a, b, n);
#endif
    return dot_scalar(a, b, n);
}

float nook_sum_squares_f32(const float *x, int64_t n) { return nook_dot_f32(x, x, n); }
