/* Attention over an f16 KV cache, in the two ways llama.cpp's CPU flash attention computes it
 * (ggml-cpu/ops.cpp, flash_attn_ext_f16): for batches of fewer than 64 query rows ("one chunk") the query is
 * rounded to f16 and the weighted sum of values is kept in an f16 accumulator with an online softmax; for larger
 * batches ("tiled") everything after the f16 keys and values is f32. */
#include "nook_attention.h"
#include "ckernels.h"
#include "mm_internal.h"
#include <math.h>

/* ---------------------------------------------------------------------------------------------- portable */

static float dot_f16_scalar(const float *q, const uint16_t *k, int64_t n) {
    float s = 0;
    for (int64_t i = 0; i < n; i++) s += q[i] * nk_f16_to_f32(k[i]);
    return s;
}

/* One chunk: q rounded to f16, acc an f16 accumulator (held as f16 bits), online softmax. */
static void chunk_scalar(const float *q, const uint16_t *keys, const uint16_t *values, int64_t stride, int64_t length,
                         int64_t hd, float scale, float *scratch, float *out) {
    float *qh = scratch;
    uint16_t *acc = (uint16_t *)(scratch + hd);
    for (int64_t d = 0; d < hd; d++) { qh[d] = nk_f16_to_f32(nk_f32_to_f16(q[d])); acc[d] = 0; }
    float m = -INFINITY, sum = 0;
    for (int64_t j = 0; j < length; j++) {
        const float s = dot_f16_scalar(qh, keys + j * stride, hd) * scale;
        float ms = 1, vs = 1;
        if (s > m) {
            ms = expf(m - s);
            m = s;
            for (int64_t d = 0; d < hd; d++) acc[d] = nk_f32_to_f16(nk_f16_to_f32(acc[d]) * ms);
        } else {
            vs = expf(s - m);
        }
        const uint16_t *v = values + j * stride;
        for (int64_t d = 0; d < hd; d++) acc[d] = nk_f32_to_f16(fmaf(nk_f16_to_f32(v[d]), vs, nk_f16_to_f32(acc[d])));
        sum = sum * ms + vs;
    }
    const float inv = sum == 0 ? 0 : 1.0f / sum;
    for (int64_t d = 0; d < hd; d++) out[d] = nk_f16_to_f32(acc[d]) * inv;
}

/* Tiled: f32 query and accumulation over f16 keys and values (two passes; the same sums up to f32 rounding). */
static void tiled_scalar(const float *q, const uint16_t *keys, const uint16_t *values, int64_t stride, int64_t length,
                         int64_t hd, float scale, float *scratch, float *out) {
    float *scores = scratch;
    float m = -INFINITY;
    for (int64_t j = 0; j < length; j++) {
        const float s = dot_f16_scalar(q, keys + j * stride, hd) * scale;
        scores[j] = s;
        if (s > m) m = s;
    }
    float sum = 0;
    for (int64_t j = 0; j < length; j++) { scores[j] = expf(scores[j] - m); sum += scores[j]; }
    for (int64_t d = 0; d < hd; d++) out[d] = 0;
    for (int64_t j = 0; j < length; j++) {
        const uint16_t *v = values + j * stride;
        for (int64_t d = 0; d < hd; d++) out[d] += scores[j] * nk_f16_to_f32(v[d]);
    }
    const float inv = 1.0f / sum;
    for (int64_t d = 0; d < hd; d++) out[d] *= inv;
}

/* ---------------------------------------------------------------------------------------------- AVX2 + F16C */

#if defined(__x86_64__)
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)

static inline __m256 load_f16(const uint16_t *p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)); }
static inline void store_f16(uint16_t *p, __m256 v) {
    _mm_storeu_si128((__m128i *)p, _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}
static inline float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* Dot of f32 q with f16 k over hd = 8·n. */
static inline float dot_f16_avx2(const float *q, const uint16_t *k, int64_t hd) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 16 <= hd; i += 16) {
        a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), load_f16(k + i), a0);
        a1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 8), load_f16(k + i + 8), a1);
    }
    for (; i < hd; i += 8) a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), load_f16(k + i), a0);
    return hsum(_mm256_add_ps(a0, a1));
}

static void chunk_avx2(const float *q, const uint16_t *keys, const uint16_t *values, int64_t stride, int64_t length,
                       int64_t hd, float scale, float *scratch, float *out) {
    float *qh = scratch;
    uint16_t *acc = (uint16_t *)(scratch + hd);
    for (int64_t d = 0; d < hd; d += 8) {
        _mm256_storeu_ps(qh + d, _mm256_cvtph_ps(_mm256_cvtps_ph(_mm256_loadu_ps(q + d), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)));
        _mm_storeu_si128((__m128i *)(acc + d), _mm_setzero_si128());
    }
    float m = -INFINITY, sum = 0;
    for (int64_t j = 0; j < length; j++) {
        const float s = dot_f16_avx2(qh, keys + j * stride, hd) * scale;
        float ms = 1, vs = 1;
        if (s > m) {
            ms = expf(m - s);
            m = s;
            const __m256 msv = _mm256_set1_ps(ms);
            for (int64_t d = 0; d < hd; d += 8) store_f16(acc + d, _mm256_mul_ps(load_f16(acc + d), msv));
        } else {
            vs = expf(s - m);
        }
        const uint16_t *v = values + j * stride;
        const __m256 vsv = _mm256_set1_ps(vs);
        for (int64_t d = 0; d < hd; d += 8) store_f16(acc + d, _mm256_fmadd_ps(load_f16(v + d), vsv, load_f16(acc + d)));
        sum = sum * ms + vs;
    }
    const __m256 inv = _mm256_set1_ps(sum == 0 ? 0 : 1.0f / sum);
    for (int64_t d = 0; d < hd; d += 8) _mm256_storeu_ps(out + d, _mm256_mul_ps(load_f16(acc + d), inv));
}

static void tiled_avx2(const float *q, const uint16_t *keys, const uint16_t *values, int64_t stride, int64_t length,
                       int64_t hd, float scale, float *scratch, float *out) {
    float *scores = scratch;
    float m = -INFINITY;
    for (int64_t j = 0; j < length; j++) {
        const float s = dot_f16_avx2(q, keys + j * stride, hd) * scale;
        scores[j] = s;
        if (s > m) m = s;
    }
    float sum = 0;
    for (int64_t j = 0; j < length; j++) { scores[j] = expf(scores[j] - m); sum += scores[j]; }
    for (int64_t d = 0; d < hd; d += 8) _mm256_storeu_ps(out + d, _mm256_setzero_ps());
    for (int64_t j = 0; j < length; j++) {
        const uint16_t *v = values + j * stride;
        const __m256 p = _mm256_set1_ps(scores[j]);
        for (int64_t d = 0; d < hd; d += 8) _mm256_storeu_ps(out + d, _mm256_fmadd_ps(p, load_f16(v + d), _mm256_loadu_ps(out + d)));
    }
    const __m256 inv = _mm256_set1_ps(1.0f / sum);
    for (int64_t d = 0; d < hd; d += 8) _mm256_storeu_ps(out + d, _mm256_mul_ps(_mm256_loadu_ps(out + d), inv));
}

static void round_f16_avx2(const float *x, uint16_t *out, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) store_f16(out + i, _mm256_loadu_ps(x + i));
    for (; i < n; i++) out[i] = nk_f32_to_f16(x[i]);
}
#pragma clang attribute pop
#endif

/* ---------------------------------------------------------------------------------------------- entry points */

size_t nook_attention_f16_scratch(int64_t length, int64_t head_dim) {
    const int64_t chunk = head_dim + (head_dim + 1) / 2;
    return (size_t)(length > chunk ? length : chunk);
}

void nook_attention_head_f16(const float *q, const uint16_t *keys, const uint16_t *values, int64_t stride,
                             int64_t length, int64_t head_dim, float scale, int tiled, float *scratch, float *out) {
#if defined(__x86_64__)
    if (head_dim % 8 == 0 && nook_level_supported(NOOK_LEVEL_AVX2)) {
        if (tiled) tiled_avx2(q, keys, values, stride, length, head_dim, scale, scratch, out);
        else chunk_avx2(q, keys, values, stride, length, head_dim, scale, scratch, out);
        return;
    }
#endif
    if (tiled) tiled_scalar(q, keys, values, stride, length, head_dim, scale, scratch, out);
    else chunk_scalar(q, keys, values, stride, length, head_dim, scale, scratch, out);
}

void nook_f32_to_f16_row(const float *x, uint16_t *out, int64_t n) {
#if defined(__x86_64__)
    if (nook_level_supported(NOOK_LEVEL_AVX2)) { round_f16_avx2(x, out, n); return; }
#endif
    for (int64_t i = 0; i < n; i++) out[i] = nk_f32_to_f16(x[i]);
}
