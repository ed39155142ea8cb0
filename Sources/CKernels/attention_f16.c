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
#include "attention_x86.h"
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

/* f32 values rounded to f16 precision, kept in f32 lanes (the f16 accumulator in registers). */
static inline __m256 r16(__m256 x) { return _mm256_cvtph_ps(_mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)); }

/* scores[j] = (q · k_j) · scale for every position, eight keys at a time, q in registers (head size NC·8). */
static inline __attribute__((always_inline)) float scores_nc(const int NC, const float *q, const uint16_t *keys,
                                                            int64_t stride, int64_t length, float scale, float *scores) {
    __m256 qv[16];
    for (int c = 0; c < NC; c++) qv[c] = _mm256_loadu_ps(q + 8 * c);
    const __m256 sv = _mm256_set1_ps(scale);
    __m256 mx = _mm256_set1_ps(-INFINITY);
    int64_t j = 0;
    for (; j + 8 <= length; j += 8) {
        __m256 acc[8];
        for (int k = 0; k < 8; k++) {
            const uint16_t *kp = keys + (j + k) * stride;
            __m256 a = _mm256_mul_ps(qv[0], load_f16(kp));
            for (int c = 1; c < NC; c++) a = _mm256_fmadd_ps(qv[c], load_f16(kp + 8 * c), a);
            acc[k] = a;
        }
        const __m256 sc = _mm256_mul_ps(hsum8x8(acc), sv);
        _mm256_storeu_ps(scores + j, sc);
        mx = _mm256_max_ps(mx, sc);
    }
    float m = hmax256(mx);
    for (; j < length; j++) {
        const uint16_t *kp = keys + j * stride;
        __m256 a = _mm256_mul_ps(qv[0], load_f16(kp));
        for (int c = 1; c < NC; c++) a = _mm256_fmadd_ps(qv[c], load_f16(kp + 8 * c), a);
        const float sc = hsum256(a) * scale;
        scores[j] = sc;
        if (sc > m) m = sc;
    }
    return m;
}

/* Tiled (f32 after the f16 keys and values): softmax over the scores, then the weighted sum with the output in
 * registers. */
static inline __attribute__((always_inline)) void tiled_nc(const int NC, const float *q, const uint16_t *keys,
                                                          const uint16_t *values, int64_t stride, int64_t length,
                                                          float scale, float *scores, float *out) {
    const float m = scores_nc(NC, q, keys, stride, length, scale, scores);
    const __m256 mv = _mm256_set1_ps(m);
    __m256 sumv = _mm256_setzero_ps();
    int64_t j = 0;
    for (; j + 8 <= length; j += 8) {
        const __m256 e = exp256_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(scores + j), mv));
        _mm256_storeu_ps(scores + j, e);
        sumv = _mm256_add_ps(sumv, e);
    }
    float sum = hsum256(sumv);
    for (; j < length; j++) { const float e = expf(scores[j] - m); scores[j] = e; sum += e; }
    __m256 o[16];
    for (int c = 0; c < NC; c++) o[c] = _mm256_setzero_ps();
    for (j = 0; j < length; j++) {
        const __m256 p = _mm256_set1_ps(scores[j]);
        const uint16_t *vp = values + j * stride;
        for (int c = 0; c < NC; c++) o[c] = _mm256_fmadd_ps(p, load_f16(vp + 8 * c), o[c]);
    }
    const __m256 inv = _mm256_set1_ps(1.0f / sum);
    for (int c = 0; c < NC; c++) _mm256_storeu_ps(out + 8 * c, _mm256_mul_ps(o[c], inv));
}

/* One chunk (llama.cpp's online softmax with an f16 accumulator): the scores of the f16-rounded query first, then
 * the running maximum M_j, the factors ms_j = e^(M_{j-1} - M_j) and vs_j = e^(s_j - M_j) eight at a time, then the
 * sequential accumulation, rounded to f16 after every scale and FMA as ggml_vec_scale_f16 / ggml_vec_mad_f16 do.
 * scratch: [3 · length] (scores, then ms, then vs). */
static inline __attribute__((always_inline)) void chunk_nc(const int NC, const float *q, const uint16_t *keys,
                                                          const uint16_t *values, int64_t stride, int64_t length,
                                                          float scale, float *scratch, float *out) {
    float qh[128];
    for (int c = 0; c < NC; c++) _mm256_storeu_ps(qh + 8 * c, r16(_mm256_loadu_ps(q + 8 * c)));
    float *s = scratch, *ms = scratch + length, *vs = scratch + 2 * length;
    scores_nc(NC, qh, keys, stride, length, scale, s);
    // The running maximum, kept in ms for now: ms[j] = M_j.
    float m = -INFINITY;
    for (int64_t j = 0; j < length; j++) { if (s[j] > m) m = s[j]; ms[j] = m; }
    int64_t j = 0;
    for (; j + 8 <= length; j += 8) {
        const __m256 mj = _mm256_loadu_ps(ms + j);
        const __m256 mprev = j == 0 ? _mm256_set_ps(ms[6], ms[5], ms[4], ms[3], ms[2], ms[1], ms[0], -INFINITY)
                                    : _mm256_loadu_ps(ms + j - 1);
        _mm256_storeu_ps(vs + j, exp256_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(s + j), mj)));
        _mm256_storeu_ps(s + j, exp256_nonpositive(_mm256_sub_ps(mprev, mj)));   // s now holds ms_j
    }
    for (; j < length; j++) {
        const float mprev = j == 0 ? -INFINITY : ms[j - 1];
        vs[j] = expf(s[j] - ms[j]);
        s[j] = expf(mprev - ms[j]);
    }
    __m256 acc[16];
    for (int c = 0; c < NC; c++) acc[c] = _mm256_setzero_ps();
    float sum = 0;
    for (j = 0; j < length; j++) {
        const float scale_j = s[j], weight = vs[j];
        if (scale_j != 1.0f) {
            const __m256 f = _mm256_set1_ps(scale_j);
            for (int c = 0; c < NC; c++) acc[c] = r16(_mm256_mul_ps(acc[c], f));
        }
        const __m256 w = _mm256_set1_ps(weight);
        const uint16_t *vp = values + j * stride;
        for (int c = 0; c < NC; c++) acc[c] = r16(_mm256_fmadd_ps(load_f16(vp + 8 * c), w, acc[c]));
        sum = sum * scale_j + weight;
    }
    const __m256 inv = _mm256_set1_ps(sum == 0 ? 0 : 1.0f / sum);
    for (int c = 0; c < NC; c++) _mm256_storeu_ps(out + 8 * c, _mm256_mul_ps(acc[c], inv));
}

/* Dispatch on the head size; other sizes take the per-key kernels above. */
static int fast_avx2(const float *q, const uint16_t *keys, const uint16_t *values, int64_t stride, int64_t length,
                     int64_t hd, float scale, int tiled, float *scratch, float *out) {
#define NOOK_F16_CASE(D, NC)                                                                          \
    case D:                                                                                           \
        if (tiled) tiled_nc(NC, q, keys, values, stride, length, scale, scratch, out);                 \
        else chunk_nc(NC, q, keys, values, stride, length, scale, scratch, out);                       \
        return 1;
    switch (hd) {
        NOOK_F16_CASE(64, 8)
        NOOK_F16_CASE(96, 12)
        NOOK_F16_CASE(128, 16)
    default: return 0;
    }
#undef NOOK_F16_CASE
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
    return (size_t)(3 * length > chunk ? 3 * length : chunk);
}

void nook_attention_head_f16(const float *q, const uint16_t *keys, const uint16_t *values, int64_t stride,
                             int64_t length, int64_t head_dim, float scale, int tiled, float *scratch, float *out) {
#if defined(__x86_64__)
    if (head_dim % 8 == 0 && nook_level_supported(NOOK_LEVEL_AVX2)) {
        if (fast_avx2(q, keys, values, stride, length, head_dim, scale, tiled, scratch, out)) return;
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
