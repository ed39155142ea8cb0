/* Activation conversion before the dot products, bit-identical to llama.cpp's x86 build.
 * Each function has a portable version and an AVX2 version giving the same bits. */
#include "mm_internal.h"
#include <math.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

float nook_f16_to_f32(uint16_t h) { return nk_f16_to_f32(h); }
uint16_t nook_f32_to_f16(float f) { return nk_f32_to_f16(f); }

/* Round to nearest even for |v| < 2^22, like _mm256_round_ps(v, _MM_ROUND_NEAREST). */
static inline float round_even(float v) { return rintf(v); }

/* Saturating float to int8 as cvtps_epi32 + packs do (NaN and out-of-range saturate the same way). */
static inline int8_t sat_i8(float r) {
    if (!(r >= -128.0f)) return -128;   /* also NaN: cvtps gives INT_MIN, packs saturate to -128 */
    if (r > 127.0f) return 127;
    return (int8_t)(int)r;
}

static void q8_0_scalar(const float *x, int64_t n, int8_t *qs, float *d, float *s, int32_t *qsum) {
    for (int64_t b = 0; b < n / 32; b++) {
        const float *xb = x + 32 * b;
        float amax = 0;
        for (int j = 0; j < 32; j++) {
            float a = fabsf(xb[j]);
            amax = a > amax ? a : amax;    /* max_ps(amax, a) keeps amax when a is NaN */
        }
        const float db = amax / 127.f;
        const float id = amax != 0.0f ? 127.f / amax : 0.0f;
        d[b] = nk_f16_to_f32(nk_f32_to_f16(db));
        int sum = 0;
        for (int j = 0; j < 32; j++) {
            int8_t q = sat_i8(round_even(xb[j] * id));
            qs[32 * b + j] = q;
            sum += q;
        }
        if (s) s[b] = nk_f16_to_f32(nk_f32_to_f16(db * (float)sum));
        if (qsum) qsum[b] = sum;
    }
}

static void q8_K_block_finish(const float *xb, int8_t *qs, float *d, int16_t *bsums, float amax, float maxv) {
    if (amax == 0.0f) {
        memset(qs, 0, 256);
        memset(bsums, 0, 16 * sizeof(int16_t));
        *d = 0;
        return;
    }
    const float iscale = -127.f / maxv;
    for (int j = 0; j < 256; j++) {
        /* nearest_int: the 1.5·2^23 trick, i.e. round to nearest even for these magnitudes */
        float v = iscale * xb[j] + 12582912.f;
        int32_t bits;
        memcpy(&bits, &v, 4);
        int q = (bits & 0x007fffff) - 0x00400000;
        qs[j] = (int8_t)(q < 127 ? q : 127);
    }
    for (int g = 0; g < 16; g++) {
        int sum = 0;
        for (int l = 0; l < 16; l++) sum += qs[16 * g + l];
        bsums[g] = (int16_t)sum;
    }
    *d = 1 / iscale;
}

static void q8_K_scalar(const float *x, int64_t n, int8_t *qs, float *d, int16_t *bsums) {
    for (int64_t b = 0; b < n / 256; b++) {
        const float *xb = x + 256 * b;
        float amax = 0, maxv = 0;
        for (int j = 0; j < 256; j++) {
            float ax = fabsf(xb[j]);
            if (ax > amax) { amax = ax; maxv = xb[j]; }
        }
        q8_K_block_finish(xb, qs + 256 * b, d + b, bsums + 16 * b, amax, maxv);
    }
}

static void round_f16_scalar(const float *x, int64_t n, float *out) {
    for (int64_t i = 0; i < n; i++) out[i] = nk_f16_to_f32(nk_f32_to_f16(x[i]));
}

void nook_round_bf16(const float *x, int64_t n, float *out) {
    for (int64_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], 4);
        uint32_t h;
        if ((u & 0x7fffffffu) > 0x7f800000u) h = (u >> 16) | 64u;
        else h = (u + (0x7fffu + ((u >> 16) & 1u))) >> 16;
        h <<= 16;
        memcpy(&out[i], &h, 4);
    }
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma,f16c")))
static void q8_0_avx2(const float *x, int64_t n, int8_t *qs, float *d, float *s, int32_t *qsum) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int64_t b = 0; b < n / 32; b++) {
        const float *xb = x + 32 * b;
        __m256 v0 = _mm256_loadu_ps(xb), v1 = _mm256_loadu_ps(xb + 8);
        __m256 v2 = _mm256_loadu_ps(xb + 16), v3 = _mm256_loadu_ps(xb + 24);
        __m256 m = _mm256_andnot_ps(sign, v0);
        m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v1));
        m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v2));
        m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v3));
        __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(m, 1), _mm256_castps256_ps128(m));
        m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
        const float amax = _mm_cvtss_f32(m4);
        const float db = amax / 127.f;
        d[b] = _cvtsh_ss(_cvtss_sh(db, 0));
        const __m256 id = _mm256_set1_ps(amax != 0.0f ? 127.f / amax : 0.0f);
        __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v0, id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v1, id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v2, id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v3, id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        if (s || qsum) {
            __m256i t = _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3));
            __m128i h = _mm_add_epi32(_mm256_castsi256_si128(t), _mm256_extracti128_si256(t, 1));
            h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0x4e));
            h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0xb1));
            const int sum = _mm_cvtsi128_si32(h);
            if (s) s[b] = _cvtsh_ss(_cvtss_sh(db * (float)sum, 0));
            if (qsum) qsum[b] = sum;
        }
        i0 = _mm256_packs_epi32(i0, i1);
        i2 = _mm256_packs_epi32(i2, i3);
        i0 = _mm256_packs_epi16(i0, i2);
        i0 = _mm256_permutevar8x32_epi32(i0, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256((__m256i *)(qs + 32 * b), i0);
    }
}

__attribute__((target("avx2,fma,f16c")))
static void q8_K_avx2(const float *x, int64_t n, int8_t *qs, float *d, int16_t *bsums) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int64_t b = 0; b < n / 256; b++) {
        const float *xb = x + 256 * b;
        __m256 m = _mm256_setzero_ps();
        for (int j = 0; j < 256; j += 8) m = _mm256_max_ps(m, _mm256_andnot_ps(sign, _mm256_loadu_ps(xb + j)));
        __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(m, 1), _mm256_castps256_ps128(m));
        m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
        const float amax = _mm_cvtss_f32(m4);
        float maxv = 0;
        for (int j = 0; j < 256; j++) {       /* first element of largest magnitude gives the sign */
            if (fabsf(xb[j]) == amax) { maxv = xb[j]; break; }
        }
        if (amax == 0.0f || !(amax == amax)) {
            q8_K_block_finish(xb, qs + 256 * b, d + b, bsums + 16 * b, amax, maxv);
            continue;
        }
        const float iscale = -127.f / maxv;
        const __m256 is = _mm256_set1_ps(iscale);
        int8_t *qb = qs + 256 * b;
        for (int j = 0; j < 256; j += 32) {
            __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(is, _mm256_loadu_ps(xb + j)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(is, _mm256_loadu_ps(xb + j + 8)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(is, _mm256_loadu_ps(xb + j + 16)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(is, _mm256_loadu_ps(xb + j + 24)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            i0 = _mm256_packs_epi32(i0, i1);
            i2 = _mm256_packs_epi32(i2, i3);
            __m256i q = _mm256_packs_epi16(i0, i2);
            q = _mm256_permutevar8x32_epi32(q, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
            q = _mm256_min_epi8(q, _mm256_set1_epi8(127));
            _mm256_storeu_si256((__m256i *)(qb + j), q);
            /* sums of 16: widen to i16 pairs, then add within each 16-byte half */
            __m256i w = _mm256_maddubs_epi16(_mm256_set1_epi8(1), q);         /* 16 pair sums */
            __m256i w2 = _mm256_madd_epi16(w, _mm256_set1_epi16(1));            /* 8 quad sums */
            __m128i lo = _mm256_castsi256_si128(w2), hi = _mm256_extracti128_si256(w2, 1);
            lo = _mm_hadd_epi32(lo, hi);                                        /* [l01 l23 h01 h23] */
            lo = _mm_hadd_epi32(lo, lo);                                        /* [l h l h] */
            bsums[16 * b + j / 16] = (int16_t)_mm_cvtsi128_si32(lo);
            bsums[16 * b + j / 16 + 1] = (int16_t)_mm_extract_epi32(lo, 1);
        }
        d[b] = 1 / iscale;
    }
}

__attribute__((target("avx2,fma,f16c")))
static void round_f16_avx2(const float *x, int64_t n, float *out) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT);
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(h));
    }
    round_f16_scalar(x + i, n - i, out + i);
}
#endif

void nk_quantize_q8(int level, const float *x, int64_t n, int8_t *qs, float *d, float *s, int32_t *qsum) {
#if defined(__x86_64__)
    if (level >= NOOK_LEVEL_AVX2) { q8_0_avx2(x, n, qs, d, s, qsum); return; }
#endif
    (void)level;
    q8_0_scalar(x, n, qs, d, s, qsum);
}

void nook_quantize_q8_0(int level, const float *x, int64_t n, int8_t *qs, float *d, float *s) {
    if (!nook_level_supported(level)) level = NOOK_LEVEL_SCALAR;
    nk_quantize_q8(level, x, n, qs, d, s, NULL);
}

void nook_quantize_q8_K(int level, const float *x, int64_t n, int8_t *qs, float *d, int16_t *bsums) {
    if (!nook_level_supported(level)) level = NOOK_LEVEL_SCALAR;
#if defined(__x86_64__)
    if (level >= NOOK_LEVEL_AVX2) { q8_K_avx2(x, n, qs, d, bsums); return; }
#endif
    (void)level;
    q8_K_scalar(x, n, qs, d, bsums);
}

void nook_round_f16(int level, const float *x, int64_t n, float *out) {
    if (!nook_level_supported(level)) level = NOOK_LEVEL_SCALAR;
#if defined(__x86_64__)
    if (level >= NOOK_LEVEL_AVX2) { round_f16_avx2(x, n, out); return; }
#endif
    (void)level;
    round_f16_scalar(x, n, out);
}
