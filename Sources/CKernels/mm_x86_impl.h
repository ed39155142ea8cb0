/* x86 kernels, compiled once per instruction-set level by the mm_<level>.c files, which define
 *   NK_ROWS  the exported entry point's name
 *   NK_VNNI  0: AVX2 maddubs/madd, 1: AVX-VNNI, 2: AVX-512 VNNI (256-bit, VL),
 *            3: AVX2 with an exact software stand-in for the VNNI dot products (instantiated only by the
 *            test-support target Tests/CKernelsTesting, to check the VNNI code paths on CPUs without VNNI)
 * and wrap this file in a `#pragma clang attribute` giving every function the level's target.
 *
 * Quantized types of 32-element blocks (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0) use the sign trick on
 * activations quantized to Q8_0/Q8_1: Σ w·a = Σ |w| · (a·sign w), an unsigned × signed byte
 * product that never saturates (|w| ≤ 128, |a| ≤ 127). K-quants use unsigned weights times Q8_K
 * activations with the per-sub-block scales applied in 16-bit lanes; the offsets (Q6_K's -32) and
 * mins (Q4_K/Q5_K) go through the activations' sums of 16. Integer sums inside a block are exact;
 * only the float accumulation across blocks differs in order from ggml. */
/* The including file has already included mm_internal.h, <immintrin.h> and <math.h>. */

/* Register tile of the matrix-matrix kernels: TR weight rows × TT tokens (4 × 2 keeps every accumulator
 * and operand of the AVX2 loops in the 16 vector registers). */
#ifndef NK_TR
#define NK_TR 4
#endif
#ifndef NK_TT
#define NK_TT 2
#endif
/* Blocks of 32 (or super-blocks of 256) decoded at once per row. */
#define NK_KC32 64
#define NK_KC256 8

/* ---------------------------------------------------------------- primitives */

/* Σ over groups of 4 bytes of u·s, as 8 int32 lanes (u unsigned, s signed). The VNNI forms never saturate;
 * the AVX2 form saturates the pair sums at ±32767, so without NK_EXACT_DOT callers keep |u| ≤ 128 and |s| ≤ 127. */
static inline __m256i dot_u8s8(__m256i u, __m256i s) {
#if NK_VNNI == 1
    return _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), u, s);
#elif NK_VNNI == 2
    return _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, s);
#elif NK_VNNI == 3
    /* u = 16·hi + lo with nibbles: both maddubs stay far from saturation, so the sum is exact */
    const __m256i m4 = _mm256_set1_epi8(0x0F), ones = _mm256_set1_epi16(1);
    const __m256i lo = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_and_si256(u, m4), s), ones);
    const __m256i hi = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(u, 4), m4), s), ones);
    return _mm256_add_epi32(lo, _mm256_slli_epi32(hi, 4));
#else
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
#endif
}

/* c + dot_u8s8(u, s): VNNI accumulates into c for free, which lets callers fold an integer correction
 * (an offset times Σs) into the exact product instead of subtracting it in float. */
static inline __m256i dot_u8s8_from(__m256i c, __m256i u, __m256i s) {
#if NK_VNNI == 1
    return _mm256_dpbusd_avx_epi32(c, u, s);
#elif NK_VNNI == 2
    return _mm256_dpbusd_epi32(c, u, s);
#else
    return _mm256_add_epi32(c, dot_u8s8(u, s));
#endif
}

/* −off · Σ s over each group of 4 bytes: the per-lane correction that turns Σ (w + off)·s into Σ w·s lane by lane,
 * so that every lane holds exactly what the signed product would (and the float sums round alike). */
static inline __m256i offset_lanes(int off, __m256i s) {
    return _mm256_sub_epi32(_mm256_setzero_si256(), dot_u8s8(_mm256_set1_epi8((char)off), s));
}

/* Whether dot_u8s8 is exact for any unsigned bytes (then Q8_0 weights use an offset of 128 instead of the
 * sign trick). */
#define NK_EXACT_DOT (NK_VNNI != 0)

/* acc + pairwise Σ p·s of 16-bit lanes into 8 int32 lanes. */
static inline __m256i madd_acc(__m256i acc, __m256i p, __m256i s) {
#if NK_VNNI == 1
    return _mm256_dpwssd_avx_epi32(acc, p, s);
#elif NK_VNNI == 2
    return _mm256_dpwssd_epi32(acc, p, s);
#else
    return _mm256_add_epi32(acc, _mm256_madd_epi16(p, s));
#endif
}

static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* Horizontal sums of four vectors: result lane i = Σ v_i. */
static inline __m128 hsum4x8(__m256 v0, __m256 v1, __m256 v2, __m256 v3) {
    __m256 a = _mm256_hadd_ps(v0, v1);
    __m256 b = _mm256_hadd_ps(v2, v3);
    __m256 c = _mm256_hadd_ps(a, b);
    return _mm_add_ps(_mm256_castps256_ps128(c), _mm256_extractf128_ps(c, 1));
}

static inline float f16(uint16_t h) { return _cvtsh_ss(h); }

#include "mm_x86_q32.h"
#include "mm_x86_k.h"
#include "mm_x86_f.h"

/* ---------------------------------------------------------------- entry point */

/* One instance per type, so that the type tests inside the bodies fold away. */
#define NK_CASE(T, gemv, gemm) \
    case T: if (single) gemv(T, m, a, r0, r1, t0); else gemm(T, m, a, r0, r1, t0, t1); return;

void NK_ROWS(const nook_mat *m, const nk_act *a, int64_t r0, int64_t r1, int64_t t0, int64_t t1) {
    const int single = t1 - t0 == 1;
    switch (m->type) {
    NK_CASE(NK_F32, f_gemv_t, f_gemm_t)
    NK_CASE(NK_F16, f_gemv_t, f_gemm_t)
    NK_CASE(NK_BF16, f_gemv_t, f_gemm_t)
    NK_CASE(NK_Q4_0, q32_gemv_t, q32_gemm_t)
    NK_CASE(NK_Q4_1, q32_gemv_t, q32_gemm_t)
    NK_CASE(NK_Q5_0, q32_gemv_t, q32_gemm_t)
    NK_CASE(NK_Q5_1, q32_gemv_t, q32_gemm_t)
    NK_CASE(NK_Q8_0, q32_gemv_t, q32_gemm_t)
    NK_CASE(NK_Q4_K, k_gemv_t, k_gemm_t)
    NK_CASE(NK_Q5_K, k_gemv_t, k_gemm_t)
    NK_CASE(NK_Q6_K, k_gemv_t, k_gemm_t)
    default:
        for (int64_t t = t0; t < t1; t++)
            for (int64_t r = r0; r < r1; r++) m->out[t * m->rows + r] = NAN;
        return;
    }
}
#undef NK_CASE
