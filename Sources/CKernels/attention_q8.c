/* Attention over a Q8_0 KV cache, as llama.cpp's CPU flash attention computes it for q8_0 K and V
 * (flash_attn_ext_f16_one_chunk; its tiled path takes f16/f32 caches only): the query is quantized to Q8_0 like an
 * activation, each score is the Q8_0·Q8_0 block dot product, and the values are dequantized and summed in f32 with
 * an online softmax. */
#include "nook_attention.h"
#include "ckernels.h"
#include "mm_internal.h"
#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
/* Σ over the blocks of d_k·d_q·Σ q_k·q_q, eight lanes of partial sums as ggml_vec_dot_q8_0_q8_0 keeps them. */
static float dot_q8_avx2(const nk_q8_0 *k, const int8_t *qq, const float *qd, int64_t nb) {
    __m256 acc = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const __m256i x = _mm256_loadu_si256((const __m256i *)k[b].qs);
        const __m256i y = _mm256_loadu_si256((const __m256i *)(qq + 32 * b));
        const __m256i ax = _mm256_sign_epi8(x, x), sy = _mm256_sign_epi8(y, x);
        const __m256i p = _mm256_madd_epi16(_mm256_maddubs_epi16(ax, sy), _mm256_set1_epi16(1));
        const __m256 d = _mm256_set1_ps(nk_f16_to_f32(k[b].d) * qd[b]);
        acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(p), acc);
    }
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* acc[i] += d·q[i]·w over one row of blocks. */
static void mad_q8_avx2(const nk_q8_0 *v, int64_t nb, float w, float *acc) {
    for (int64_t b = 0; b < nb; b++) {
        // ggml dequantizes (q·d) first, then adds it times the weight (ggml_vec_mad_f32).
        const __m256 d = _mm256_set1_ps(nk_f16_to_f32(v[b].d)), wv = _mm256_set1_ps(w);
        for (int h = 0; h < 4; h++) {
            const __m256 x = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(v[b].qs + 8 * h))));
            float *o = acc + 32 * b + 8 * h;
            _mm256_storeu_ps(o, _mm256_fmadd_ps(_mm256_mul_ps(x, d), wv, _mm256_loadu_ps(o)));
        }
    }
}
#pragma clang attribute pop
#endif

static float dot_q8_scalar(const nk_q8_0 *k, const int8_t *qq, const float *qd, int64_t nb) {
    float sum = 0;
    for (int64_t b = 0; b < nb; b++) {
        int32_t s = 0;
        for (int i = 0; i < 32; i++) s += (int32_t)k[b].qs[i] * qq[32 * b + i];
        sum += (float)s * (nk_f16_to_f32(k[b].d) * qd[b]);
    }
    return sum;
}

static void mad_q8_scalar(const nk_q8_0 *v, int64_t nb, float w, float *acc) {
    for (int64_t b = 0; b < nb; b++) {
        const float d = nk_f16_to_f32(v[b].d);
        for (int i = 0; i < 32; i++) acc[32 * b + i] = fmaf((float)v[b].qs[i] * d, w, acc[32 * b + i]);
    }
}

size_t nook_attention_q8_scratch(int64_t head_dim) { return (size_t)(head_dim + head_dim / 32 + head_dim / 4 + 1); }

void nook_attention_head_q8_0(const float *q, const void *keys, const void *values, int64_t stride_blocks,
                              int64_t length, int64_t head_dim, float scale, float *scratch, float *out) {
    const int64_t nb = head_dim / 32;
    const int avx2 = nook_level_supported(NOOK_LEVEL_AVX2);
    float *acc = scratch, *qd = scratch + head_dim;
    int8_t *qq = (int8_t *)(qd + nb);
    nook_quantize_q8_0(avx2 ? NOOK_LEVEL_AVX2 : NOOK_LEVEL_SCALAR, q, head_dim, qq, qd, NULL);
    for (int64_t d = 0; d < head_dim; d++) acc[d] = 0;
    const nk_q8_0 *k = keys, *v = values;
    float m = -INFINITY, sum = 0;
    for (int64_t j = 0; j < length; j++) {
        const nk_q8_0 *kj = k + j * stride_blocks, *vj = v + j * stride_blocks;
#if defined(__x86_64__)
        const float s = (avx2 ? dot_q8_avx2(kj, qq, qd, nb) : dot_q8_scalar(kj, qq, qd, nb)) * scale;
#else
        const float s = dot_q8_scalar(kj, qq, qd, nb) * scale;
#endif
        float ms = 1, vs = 1;
        if (s > m) {
            ms = expf(m - s);
            m = s;
            for (int64_t d = 0; d < head_dim; d++) acc[d] *= ms;
        } else {
            vs = expf(s - m);
        }
#if defined(__x86_64__)
        if (avx2) mad_q8_avx2(vj, nb, vs, acc); else mad_q8_scalar(vj, nb, vs, acc);
#else
        mad_q8_scalar(vj, nb, vs, acc);
#endif
        sum = sum * ms + vs;
    }
    const float inv = sum == 0 ? 0 : 1.0f / sum;
    for (int64_t d = 0; d < head_dim; d++) out[d] = acc[d] * inv;
}

void nook_store_q8_0_row(const float *x, void *blocks, int64_t n) {
    nk_q8_0 *out = blocks;
    int8_t qs[32];
    float d;
    const int level = nook_level_supported(NOOK_LEVEL_AVX2) ? NOOK_LEVEL_AVX2 : NOOK_LEVEL_SCALAR;
    for (int64_t b = 0; b < n / 32; b++) {
        nook_quantize_q8_0(level, x + 32 * b, 32, qs, &d, NULL);
        out[b].d = nk_f32_to_f16(d);
        memcpy(out[b].qs, qs, 32);
    }
}

void nook_hadamard_rows(float *x, int64_t count, int64_t block) {
    const float norm = 1.0f / sqrtf((float)block);
    for (int64_t base = 0; base + block <= count; base += block) {
        float *v = x + base;
        for (int64_t h = 1; h < block; h *= 2) {
            for (int64_t i = 0; i < block; i += 2 * h) {
                for (int64_t j = i; j < i + h; j++) {
                    const float a = v[j], b = v[j + h];
                    v[j] = a + b;
                    v[j + h] = a - b;
                }
            }
        }
        for (int64_t i = 0; i < block; i++) v[i] *= norm;
    }
}
