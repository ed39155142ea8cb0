/* x86 kernels, compiled once per instruction-set level by the mm_<level>.c files, which define
 *   NK_ROWS  the exported entry point's name
 *   NK_VNNI  0: AVX2 maddubs/madd, 1: AVX-VNNI, 2: AVX-512 VNNI (256-bit, VL),
 *            3: AVX2 with an exact software stand-in for the VNNI dot products (tests the VNNI code paths
 *            on CPUs without VNNI; slower than level 0)
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

/* ---------------------------------------------------------------- 32-element blocks */

/* Nibbles of 16 bytes as 32 bytes: low nibbles are elements 0..15, high nibbles 16..31. */
static inline __m256i nibbles32(const uint8_t *p) {
    const __m256i x = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)p));
    return _mm256_and_si256(_mm256_blend_epi32(x, _mm256_srli_epi16(x, 4), 0xF0), _mm256_set1_epi8(0x0F));
}

/* 0xFF in byte j where bit j of the 32-bit qh is set. */
static inline __m256i bits32(const uint8_t *qh) {
    __m256i v = _mm256_set1_epi32((int)nk_load_u32(qh));
    v = _mm256_shuffle_epi8(v, _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
                                                  2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
    const __m256i bit = _mm256_set1_epi64x(0x8040201008040201LL);
    return _mm256_cmpeq_epi8(_mm256_and_si256(v, bit), bit);
}

/* The 32 weights of block b of a row as signed bytes, and the block's scale (and min). */
static inline __attribute__((always_inline)) __m256i q32_decode(int type, const uint8_t *row, int64_t b, float *d, float *m) {
    switch (type) {
    case NK_Q4_0: {
        const nk_q4_0 *x = (const nk_q4_0 *)row + b;
        *d = f16(x->d);
        return _mm256_sub_epi8(nibbles32(x->qs), _mm256_set1_epi8(8));
    }
    case NK_Q4_1: {
        const nk_q4_1 *x = (const nk_q4_1 *)row + b;
        *d = f16(x->d);
        *m = f16(x->m);
        return nibbles32(x->qs);
    }
    case NK_Q5_0: {
        const nk_q5_0 *x = (const nk_q5_0 *)row + b;
        *d = f16(x->d);
        /* value = nibble | 16·bit − 16: subtract 16 where the bit is clear */
        return _mm256_add_epi8(nibbles32(x->qs), _mm256_andnot_si256(bits32(x->qh), _mm256_set1_epi8(-16)));
    }
    case NK_Q5_1: {
        const nk_q5_1 *x = (const nk_q5_1 *)row + b;
        *d = f16(x->d);
        *m = f16(x->m);
        return _mm256_or_si256(nibbles32(x->qs), _mm256_and_si256(bits32(x->qh), _mm256_set1_epi8(16)));
    }
    default: {
        const nk_q8_0 *x = (const nk_q8_0 *)row + b;
        *d = f16(x->d);
        return _mm256_loadu_si256((const __m256i *)x->qs);
    }
    }
}

/* Integer dot of 32 signed weights with 32 activations, as 8 float lanes. */
static inline __m256 q32_dot(__m256i w, __m256i a) {
    return _mm256_cvtepi32_ps(dot_u8s8(_mm256_sign_epi8(w, w), _mm256_sign_epi8(a, w)));
}

/* Bytes from the start of a block to its quants, high bits and min, per type. */
static inline int q32_qs_at(int type) { return type == NK_Q4_0 ? 2 : type == NK_Q4_1 ? 4 : type == NK_Q5_0 ? 6 : type == NK_Q5_1 ? 8 : 2; }
static inline int q32_bytes(int type) { return type == NK_Q4_0 ? 18 : type == NK_Q4_1 ? 20 : type == NK_Q5_0 ? 22 : type == NK_Q5_1 ? 24 : 34; }

/* The unsigned quants of a block, before the type's offset: Q4_0/Q4_1 0..15, Q5_0/Q5_1 0..31, Q8_0 w + 128. */
static inline __attribute__((always_inline)) __m256i q32_unsigned(const int type, const uint8_t *blk) {
    if (type == NK_Q8_0) return _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(blk + 2)), _mm256_set1_epi8((char)0x80));
    __m256i q = nibbles32(blk + q32_qs_at(type));
    if (type == NK_Q5_0 || type == NK_Q5_1)
        q = _mm256_or_si256(q, _mm256_and_si256(bits32(blk + (type == NK_Q5_0 ? 2 : 4)), _mm256_set1_epi8(16)));
    return q;
}

/* The f16 values at byte offset `at` of four blocks `stride` bytes apart, widened. */
static inline __m128 halves4(const uint8_t *p, int64_t stride, int at) {
    __m128i h = _mm_cvtsi32_si128(nk_load_u16(p + at));
    h = _mm_insert_epi16(h, nk_load_u16(p + stride + at), 1);
    h = _mm_insert_epi16(h, nk_load_u16(p + 2 * stride + at), 2);
    h = _mm_insert_epi16(h, nk_load_u16(p + 3 * stride + at), 3);
    return _mm_cvtph_ps(h);
}

/* Matrix-vector: rows [r0, r1) against token t, four rows at a time sharing the activation loads.
 * Q8_0 uses the sign trick; the other types multiply their unsigned quants directly and subtract
 * offset · d_w · d_a · Σa per block at the end (Σa comes with the activations). */
static inline __attribute__((always_inline)) void q32_gemv_t(const int type, const nook_mat *mt, const nk_act *a, int64_t r0, int64_t r1, int64_t t) {
    const int has_min = type == NK_Q4_1 || type == NK_Q5_1;
    const int signed_w = type == NK_Q8_0 && !NK_EXACT_DOT;
    const float off = type == NK_Q4_0 ? 8.0f : type == NK_Q5_0 ? 16.0f : type == NK_Q8_0 ? 128.0f : 0.0f;
    const int64_t cols = a->cols, nb = cols / 32, bsz = q32_bytes(type), rb = mt->row_bytes;
    const int8_t *aq = a->qs + t * cols;
    const float *ad = a->d + t * nb;
    const float *as = has_min ? a->s + t * nb : NULL;
    const int32_t *asum = a->qsum + t * nb;
    float *out = mt->out + t * mt->rows;
    int64_t r = r0;
    for (; r + 4 <= r1; r += 4) {
        const uint8_t *w0 = (const uint8_t *)mt->data + r * rb;
        __m256 acc0 = _mm256_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        __m128 corr = _mm_setzero_ps();
        /* Prefetch the rows two groups ahead, a group's worth of bytes spread over this group's blocks. */
        const char *ahead = (const char *)w0 + 8 * rb;
        const int64_t step = 4 * rb / (nb > 0 ? nb : 1) + 1;
        for (int64_t b = 0; b < nb; b++) {
            if (r + 12 <= r1)
                for (int64_t o = b * step; o < (b + 1) * step; o += 64) _mm_prefetch(ahead + o, _MM_HINT_T0);
            const uint8_t *blk = w0 + b * bsz;
            const __m256i av = _mm256_loadu_si256((const __m256i *)(aq + 32 * b));
            const __m128 dw = halves4(blk, rb, 0);
            const __m128 sc = _mm_mul_ps(dw, _mm_set1_ps(ad[b]));
            /* Read the four scales back as broadcast loads (cheaper than register shuffles). */
            _Alignas(16) float scs[4];
            _mm_store_ps(scs, sc);
            __asm__ __volatile__("" ::: "memory");
            __m256 p0, p1, p2, p3;
            if (signed_w) {
                p0 = q32_dot(_mm256_loadu_si256((const __m256i *)(blk + 2)), av);
                p1 = q32_dot(_mm256_loadu_si256((const __m256i *)(blk + rb + 2)), av);
                p2 = q32_dot(_mm256_loadu_si256((const __m256i *)(blk + 2 * rb + 2)), av);
                p3 = q32_dot(_mm256_loadu_si256((const __m256i *)(blk + 3 * rb + 2)), av);
            } else {
                p0 = _mm256_cvtepi32_ps(dot_u8s8(q32_unsigned(type, blk), av));
                p1 = _mm256_cvtepi32_ps(dot_u8s8(q32_unsigned(type, blk + rb), av));
                p2 = _mm256_cvtepi32_ps(dot_u8s8(q32_unsigned(type, blk + 2 * rb), av));
                p3 = _mm256_cvtepi32_ps(dot_u8s8(q32_unsigned(type, blk + 3 * rb), av));
                if (has_min) corr = _mm_fnmadd_ps(halves4(blk, rb, 2), _mm_set1_ps(as[b]), corr);
                else corr = _mm_fmadd_ps(sc, _mm_set1_ps(off * (float)asum[b]), corr);
            }
            acc0 = _mm256_fmadd_ps(p0, _mm256_broadcast_ss(&scs[0]), acc0);
            acc1 = _mm256_fmadd_ps(p1, _mm256_broadcast_ss(&scs[1]), acc1);
            acc2 = _mm256_fmadd_ps(p2, _mm256_broadcast_ss(&scs[2]), acc2);
            acc3 = _mm256_fmadd_ps(p3, _mm256_broadcast_ss(&scs[3]), acc3);
        }
        _mm_storeu_ps(out + r, _mm_sub_ps(hsum4x8(acc0, acc1, acc2, acc3), corr));
    }
    for (; r < r1; r++) {
        const uint8_t *w0 = (const uint8_t *)mt->data + r * rb;
        __m256 acc = _mm256_setzero_ps();
        float m0 = 0, mm = 0;
        for (int64_t b = 0; b < nb; b++) {
            float d0;
            __m256i x0 = q32_decode(type, w0, b, &d0, &m0);
            const __m256i av = _mm256_loadu_si256((const __m256i *)(aq + 32 * b));
            acc = _mm256_fmadd_ps(q32_dot(x0, av), _mm256_set1_ps(d0 * ad[b]), acc);
            if (has_min) mm += m0 * as[b];
        }
        out[r] = hsum8(acc) + mm;
    }
}

/* One row's decoded block for the matrix-matrix kernel. */
typedef struct {
    int8_t w[32];      /* Q8_0: signed weights (the sign trick needs them) */
    uint8_t aw[32];    /* Q8_0: |w|; other types: their unsigned quants */
} q32_dec;

/* Matrix-matrix over a row range and token range: for each group of NK_TR rows and each chunk of
 * NK_KC32 blocks, the rows are decoded once into L1 and reused by every tile of NK_TT tokens.
 * Per block, the NK_TR × NK_TT products of weight and activation scales are formed with a few vector
 * multiplies and read back as broadcasts. Q8_0 pairs cost sign, dot, convert and FMA; the unsigned types
 * skip the sign and fold their offset (Q4_0/Q5_0) or min (Q4_1/Q5_1) into one small product per block:
 * corr[r][t] += d_w[r]·(off·d_a·Σa)[t] or m_w[r]·s_a[t], subtracted (or added) at the end. */
static inline __attribute__((always_inline)) void q32_gemm_t(const int type, const nook_mat *mt, const nk_act *a, int64_t r0, int64_t r1, int64_t t0, int64_t t1) {
    const int has_min = type == NK_Q4_1 || type == NK_Q5_1;
    const int signed_w = type == NK_Q8_0 && !NK_EXACT_DOT;
    const float off = type == NK_Q4_0 ? 8.0f : type == NK_Q5_0 ? 16.0f : type == NK_Q8_0 ? 128.0f : 0.0f;
    const int64_t cols = a->cols, nb = cols / 32, rows = mt->rows, bsz = q32_bytes(type);
    q32_dec dec[NK_TR][NK_KC32];
    _Alignas(32) float wd[NK_KC32][NK_TR];   /* weight scales, rows contiguous per block */
    _Alignas(32) float wm[NK_KC32][NK_TR];   /* weight mins (Q4_1/Q5_1) */
    for (int64_t r = r0; r < r1; r += NK_TR) {
        const int nr = (int)(r1 - r < NK_TR ? r1 - r : NK_TR);
        for (int64_t kc = 0; kc < nb; kc += NK_KC32) {
            const int nk = (int)(nb - kc < NK_KC32 ? nb - kc : NK_KC32);
            for (int i = 0; i < NK_TR; i++) {
                const uint8_t *row = (const uint8_t *)mt->data + (r + (i < nr ? i : nr - 1)) * mt->row_bytes;
                for (int b = 0; b < nk; b++) {
                    const uint8_t *blk = row + (kc + b) * bsz;
                    wd[b][i] = f16(nk_load_u16(blk));
                    if (signed_w) {
                        const __m256i w = _mm256_loadu_si256((const __m256i *)(blk + 2));
                        _mm256_storeu_si256((__m256i *)dec[i][b].w, w);
                        _mm256_storeu_si256((__m256i *)dec[i][b].aw, _mm256_sign_epi8(w, w));
                    } else {
                        _mm256_storeu_si256((__m256i *)dec[i][b].aw, q32_unsigned(type, blk));
                        wm[b][i] = has_min ? f16(nk_load_u16(blk + 2)) : 0.0f;
                    }
                }
            }
            for (int64_t t = t0; t < t1; t += NK_TT) {
                const int nt = (int)(t1 - t < NK_TT ? t1 - t : NK_TT);
                const int8_t *aq[NK_TT];
                const float *ad[NK_TT], *as[NK_TT];
                const int32_t *asum[NK_TT];
                for (int j = 0; j < NK_TT; j++) {
                    const int64_t tt = t + (j < nt ? j : nt - 1);
                    aq[j] = a->qs + tt * cols + 32 * kc;
                    ad[j] = a->d + tt * nb + kc;
                    as[j] = has_min ? a->s + tt * nb + kc : NULL;
                    asum[j] = a->qsum + tt * nb + kc;
                }
                __m256 acc[NK_TR][NK_TT];
                float corr[NK_TT][NK_TR];
                for (int i = 0; i < NK_TR; i++)
                    for (int j = 0; j < NK_TT; j++) { acc[i][j] = _mm256_setzero_ps(); corr[j][i] = 0; }
                /* Products of weight and activation scales for every block of the chunk, and the
                 * offset/min corrections. The compiler barrier keeps the products in memory, so that the
                 * main loop reads them as broadcast loads. */
                _Alignas(32) float sc[NK_KC32][NK_TT][NK_TR];
#if NK_TR == 4
                __m128 cv[NK_TT];
                for (int j = 0; j < NK_TT; j++) cv[j] = _mm_setzero_ps();
                for (int b = 0; b < nk; b++) {
                    const __m128 dw = _mm_load_ps(wd[b]);
                    for (int j = 0; j < NK_TT; j++) {
                        const __m128 da = _mm_broadcast_ss(ad[j] + b);
                        _mm_store_ps(sc[b][j], _mm_mul_ps(dw, da));
                        if (has_min) cv[j] = _mm_fnmadd_ps(_mm_load_ps(wm[b]), _mm_broadcast_ss(as[j] + b), cv[j]);
                        else if (!signed_w) cv[j] = _mm_fmadd_ps(dw, _mm_mul_ps(da, _mm_set1_ps(off * (float)asum[j][b])), cv[j]);
                    }
                }
                for (int j = 0; j < NK_TT; j++) _mm_storeu_ps(corr[j], cv[j]);
#else
                for (int b = 0; b < nk; b++)
                    for (int j = 0; j < NK_TT; j++)
                        for (int i = 0; i < NK_TR; i++) {
                            sc[b][j][i] = wd[b][i] * ad[j][b];
                            if (has_min) corr[j][i] -= wm[b][i] * as[j][b];
                            else if (!signed_w) corr[j][i] += wd[b][i] * (ad[j][b] * (off * (float)asum[j][b]));
                        }
#endif
                __asm__ __volatile__("" ::: "memory");
                for (int b = 0; b < nk; b++) {
                    for (int i = 0; i < NK_TR; i++) {
                        const __m256i aw = _mm256_loadu_si256((const __m256i *)dec[i][b].aw);
                        for (int j = 0; j < NK_TT; j++) {
                            const __m256i av = _mm256_loadu_si256((const __m256i *)(aq[j] + 32 * b));
                            __m256 p;
                            if (signed_w) {
                                const __m256i w = _mm256_loadu_si256((const __m256i *)dec[i][b].w);
                                p = _mm256_cvtepi32_ps(dot_u8s8(aw, _mm256_sign_epi8(av, w)));
                            } else {
                                p = _mm256_cvtepi32_ps(dot_u8s8(aw, av));
                            }
                            acc[i][j] = _mm256_fmadd_ps(p, _mm256_broadcast_ss(&sc[b][j][i]), acc[i][j]);
                        }
                    }
                }
                for (int j = 0; j < nt; j++) {
                    float *o = mt->out + (t + j) * rows + r;
#if NK_TR == 4
                    __m128 s4 = _mm_sub_ps(hsum4x8(acc[0][j], acc[1][j], acc[2][j], acc[3][j]), _mm_loadu_ps(corr[j]));
                    float v[4];
                    _mm_storeu_ps(v, s4);
#else
                    float v[NK_TR];
                    for (int i = 0; i < NK_TR; i++) v[i] = hsum8(acc[i][j]) - corr[j][i];
#endif
                    if (kc == 0) for (int i = 0; i < nr; i++) o[i] = v[i];
                    else for (int i = 0; i < nr; i++) o[i] += v[i];
                }
            }
        }
    }
}

/* ---------------------------------------------------------------- K-quants (super-blocks of 256) */

/* A super-block decoded for the integer kernels. */
typedef struct {
    uint8_t q[256];        /* unsigned quants in element order (Q4_K 0..15, Q5_K 0..31, Q6_K 0..63) */
    int16_t sc[8][16];     /* scale of each 16-bit product lane, per chunk of 32 elements */
    int16_t mv[16];        /* Q4_K/Q5_K: min of each group of 16 ([m0 m0 m1 m1 ...]); Q6_K: the 16 scales */
    float d, dmin;
} k_dec;

static inline __attribute__((always_inline)) void k_decode(int type, const uint8_t *blk, k_dec *o) {
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    if (type == NK_Q6_K) {
        const nk_q6_K *x = (const nk_q6_K *)blk;
        const __m256i m2 = _mm256_set1_epi8(3);
        for (int h = 0; h < 2; h++) {
            const __m256i l0 = _mm256_loadu_si256((const __m256i *)(x->ql + 64 * h));
            const __m256i l1 = _mm256_loadu_si256((const __m256i *)(x->ql + 64 * h + 32));
            const __m256i hb = _mm256_loadu_si256((const __m256i *)(x->qh + 32 * h));
            uint8_t *q = o->q + 128 * h;
            _mm256_storeu_si256((__m256i *)(q + 0), _mm256_or_si256(_mm256_and_si256(l0, m4),
                _mm256_slli_epi16(_mm256_and_si256(hb, m2), 4)));
            _mm256_storeu_si256((__m256i *)(q + 32), _mm256_or_si256(_mm256_and_si256(l1, m4),
                _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 2), m2), 4)));
            _mm256_storeu_si256((__m256i *)(q + 64), _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4),
                _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 4), m2), 4)));
            _mm256_storeu_si256((__m256i *)(q + 96), _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4),
                _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 6), m2), 4)));
        }
        const __m256i s16 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)x->scales));
        _mm256_storeu_si256((__m256i *)o->mv, s16);
        for (int j = 0; j < 8; j++) {
            const __m256i lo = _mm256_set1_epi16(x->scales[2 * j]), hi = _mm256_set1_epi16(x->scales[2 * j + 1]);
            _mm256_storeu_si256((__m256i *)o->sc[j], _mm256_permute2x128_si256(lo, hi, 0x20));
        }
        o->d = f16(x->d);
        o->dmin = 0;
        return;
    }
    const uint8_t *scales, *qs, *qh = NULL;
    if (type == NK_Q4_K) {
        const nk_q4_K *x = (const nk_q4_K *)blk;
        scales = x->scales; qs = x->qs;
        o->d = f16(x->d); o->dmin = f16(x->dmin);
    } else {
        const nk_q5_K *x = (const nk_q5_K *)blk;
        scales = x->scales; qs = x->qs; qh = x->qh;
        o->d = f16(x->d); o->dmin = f16(x->dmin);
    }
    const __m256i hbits = qh ? _mm256_loadu_si256((const __m256i *)qh) : _mm256_setzero_si256();
    const __m256i one = _mm256_set1_epi8(1);
    for (int j = 0; j < 4; j++) {
        const __m256i x = _mm256_loadu_si256((const __m256i *)(qs + 32 * j));
        __m256i lo = _mm256_and_si256(x, m4), hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), m4);
        if (qh) {
            lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hbits, 2 * j), one), 4));
            hi = _mm256_or_si256(hi, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hbits, 2 * j + 1), one), 4));
        }
        _mm256_storeu_si256((__m256i *)(o->q + 64 * j), lo);
        _mm256_storeu_si256((__m256i *)(o->q + 64 * j + 32), hi);
    }
    for (int j = 0; j < 8; j++) {
        uint8_t sc, m;
        nk_scale_min_k4(j, scales, &sc, &m);
        _mm256_storeu_si256((__m256i *)o->sc[j], _mm256_set1_epi16(sc));
        o->mv[2 * j] = o->mv[2 * j + 1] = m;
    }
}

/* Σ over one super-block of (decoded weights · activations), as float lanes already scaled by the
 * activation scale da: d·da·Σ_j sc_j Σ q·a − (Q4_K/Q5_K: dmin·da·Σ m·bsum; Q6_K: 32·d·da·Σ sc·bsum). */
static inline __attribute__((always_inline)) __m256 k_dot(int type, const k_dec *w, const int8_t *aq, const int16_t *bs, float da, __m256 acc) {
    __m256i isum = _mm256_setzero_si256();
    for (int j = 0; j < 8; j++) {
        const __m256i q = _mm256_loadu_si256((const __m256i *)(w->q + 32 * j));
        const __m256i av = _mm256_loadu_si256((const __m256i *)(aq + 32 * j));
        isum = madd_acc(isum, _mm256_maddubs_epi16(q, av), _mm256_loadu_si256((const __m256i *)w->sc[j]));
    }
    const __m256i mc = _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)w->mv),
                                         _mm256_loadu_si256((const __m256i *)bs));
    if (type == NK_Q6_K) {
        isum = _mm256_sub_epi32(isum, _mm256_slli_epi32(mc, 5));
        return _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_set1_ps(w->d * da), acc);
    }
    acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_set1_ps(w->d * da), acc);
    return _mm256_fnmadd_ps(_mm256_cvtepi32_ps(mc), _mm256_set1_ps(w->dmin * da), acc);
}

static int64_t k_block_bytes(int type) { return type == NK_Q4_K ? 144 : type == NK_Q5_K ? 176 : 210; }

/* Int16 lanes all holding byte k of the 16-byte vector v (k < 16, v holding values < 256 as bytes). */
static inline __m256i bcast_byte16(__m256i v, int k) {
    return _mm256_shuffle_epi8(v, _mm256_set1_epi16((short)(0x8000 | k)));   /* high byte zeroed by bit 7 */
}

/* One super-block of a K-quant row against Q8_K activations, decoded on the fly (no stores), added to acc:
 * d·da·Σ_j sc_j Σ q·a − (Q4_K/Q5_K) dmin·da·Σ m·bsum, or for Q6_K d·da·(Σ_j sc_j Σ q·a − 32·Σ sc·bsum). */
static inline __attribute__((always_inline)) __m256 k_dot_direct(const int type, const uint8_t *blk, const int8_t *aq,
                                                                 const int16_t *bs, float da, __m256 acc) {
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    __m256i isum = _mm256_setzero_si256();
    if (type == NK_Q6_K) {
        const nk_q6_K *x = (const nk_q6_K *)blk;
        const __m256i m2 = _mm256_set1_epi8(3);
        /* 16 int8 scales widened in both halves: lane pair k of half h serves chunk 32k.. of that half */
        const __m256i sc16 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)x->scales));
        const __m256i sc8 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)x->scales));
        for (int h = 0; h < 2; h++) {
            const __m256i l0 = _mm256_loadu_si256((const __m256i *)(x->ql + 64 * h));
            const __m256i l1 = _mm256_loadu_si256((const __m256i *)(x->ql + 64 * h + 32));
            const __m256i hb = _mm256_loadu_si256((const __m256i *)(x->qh + 32 * h));
            __m256i q[4];
            q[0] = _mm256_or_si256(_mm256_and_si256(l0, m4), _mm256_slli_epi16(_mm256_and_si256(hb, m2), 4));
            q[1] = _mm256_or_si256(_mm256_and_si256(l1, m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 2), m2), 4));
            q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 4), m2), 4));
            q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 6), m2), 4));
            for (int k = 0; k < 4; k++) {
                const int g = 8 * h + 2 * k;    /* scale index of the chunk's first 16 elements */
                /* [sc_g × 8, sc_{g+1} × 8] as int16, sign-extended from the int8 scales */
                const __m256i lo = _mm256_shuffle_epi8(sc8, _mm256_set1_epi16((short)(0x8000 | g)));
                const __m256i hi = _mm256_shuffle_epi8(sc8, _mm256_set1_epi16((short)(0x8000 | (g + 1))));
                __m256i scv = _mm256_blend_epi32(lo, hi, 0xF0);
                scv = _mm256_srai_epi16(_mm256_slli_epi16(scv, 8), 8);
                const __m256i av = _mm256_loadu_si256((const __m256i *)(aq + 128 * h + 32 * k));
                isum = madd_acc(isum, _mm256_maddubs_epi16(q[k], av), scv);
            }
        }
        const __m256i mc = _mm256_madd_epi16(sc16, _mm256_loadu_si256((const __m256i *)bs));
        isum = _mm256_sub_epi32(isum, _mm256_slli_epi32(mc, 5));
        return _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_set1_ps(f16(x->d) * da), acc);
    }
    const uint8_t *scales, *qs, *qh = NULL;
    float d, dmin;
    if (type == NK_Q4_K) {
        const nk_q4_K *x = (const nk_q4_K *)blk;
        scales = x->scales; qs = x->qs; d = f16(x->d); dmin = f16(x->dmin);
    } else {
        const nk_q5_K *x = (const nk_q5_K *)blk;
        scales = x->scales; qs = x->qs; qh = x->qh; d = f16(x->d); dmin = f16(x->dmin);
    }
    /* Unpack the 6-bit scales and mins: bytes 0..7 scales, 8..15 mins (as ggml's kmask trick). */
    uint32_t u[4];
    memcpy(u, scales, 12);
    u[3] = ((u[2] >> 4) & 0x0f0f0f0fu) | (((u[1] >> 6) & 0x03030303u) << 4);
    const uint32_t u1 = u[1] & 0x3f3f3f3fu;
    u[1] = (u[2] & 0x0f0f0f0fu) | (((u[0] >> 6) & 0x03030303u) << 4);
    u[2] = u1;
    u[0] &= 0x3f3f3f3fu;
    const __m128i sm = _mm_loadu_si128((const __m128i *)u);     /* scales 0..7 in bytes 0..7 ([u0 u1]), mins in 8..15 */
    const __m256i sm2 = _mm256_broadcastsi128_si256(sm);
    const __m256i hbits = qh ? _mm256_loadu_si256((const __m256i *)qh) : _mm256_setzero_si256();
    const __m256i one = _mm256_set1_epi8(1);
    for (int j = 0; j < 4; j++) {
        const __m256i x = _mm256_loadu_si256((const __m256i *)(qs + 32 * j));
        __m256i lo = _mm256_and_si256(x, m4), hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), m4);
        if (qh) {
            lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hbits, 2 * j), one), 4));
            hi = _mm256_or_si256(hi, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hbits, 2 * j + 1), one), 4));
        }
        const __m256i a0 = _mm256_loadu_si256((const __m256i *)(aq + 64 * j));
        const __m256i a1 = _mm256_loadu_si256((const __m256i *)(aq + 64 * j + 32));
        isum = madd_acc(isum, _mm256_maddubs_epi16(lo, a0), bcast_byte16(sm2, 2 * j));
        isum = madd_acc(isum, _mm256_maddubs_epi16(hi, a1), bcast_byte16(sm2, 2 * j + 1));
    }
    /* mins: Σ_j m_j · (bsum_2j + bsum_2j+1) */
    const __m256i b16 = _mm256_loadu_si256((const __m256i *)bs);
    const __m128i pairs = _mm_hadd_epi16(_mm256_castsi256_si128(b16), _mm256_extracti128_si256(b16, 1));
    const __m128i mins = _mm_cvtepu8_epi16(_mm_srli_si128(sm, 8));
    const __m128i mprod = _mm_madd_epi16(mins, pairs);
    acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_set1_ps(d * da), acc);
    return _mm256_fnmadd_ps(_mm256_zextps128_ps256(_mm_cvtepi32_ps(mprod)), _mm256_set1_ps(dmin * da),
                            acc);
}

static inline __attribute__((always_inline)) void k_gemv_t(const int type, const nook_mat *mt, const nk_act *a, int64_t r0, int64_t r1, int64_t t) {
    const int64_t cols = a->cols, nb = cols / 256, bytes = k_block_bytes(type);
    const int8_t *aq = a->qs + t * cols;
    const float *ad = a->d + t * nb;
    const int16_t *bs = a->bsums + t * (cols / 16);
    float *out = mt->out + t * mt->rows;
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = (const uint8_t *)mt->data + r * mt->row_bytes;
        if (r + 2 < r1)
            for (int64_t o = 0; o < mt->row_bytes; o += 64) _mm_prefetch((const char *)row + 2 * mt->row_bytes + o, _MM_HINT_T0);
        __m256 acc = _mm256_setzero_ps();
        for (int64_t b = 0; b < nb; b++) acc = k_dot_direct(type, row + b * bytes, aq + 256 * b, bs + 16 * b, ad[b], acc);
        out[r] = hsum8(acc);
    }
}

static inline __attribute__((always_inline)) void k_gemm_t(const int type, const nook_mat *mt, const nk_act *a, int64_t r0, int64_t r1, int64_t t0, int64_t t1) {
    const int64_t cols = a->cols, nb = cols / 256, bytes = k_block_bytes(type), rows = mt->rows;
    k_dec dec[NK_TR][NK_KC256];
    for (int64_t r = r0; r < r1; r += NK_TR) {
        const int nr = (int)(r1 - r < NK_TR ? r1 - r : NK_TR);
        for (int64_t kc = 0; kc < nb; kc += NK_KC256) {
            const int nk = (int)(nb - kc < NK_KC256 ? nb - kc : NK_KC256);
            for (int i = 0; i < NK_TR; i++) {
                const uint8_t *row = (const uint8_t *)mt->data + (r + (i < nr ? i : nr - 1)) * mt->row_bytes;
                for (int b = 0; b < nk; b++) k_decode(type, row + (kc + b) * bytes, &dec[i][b]);
            }
            for (int64_t t = t0; t < t1; t += NK_TT) {
                const int nt = (int)(t1 - t < NK_TT ? t1 - t : NK_TT);
                __m256 acc[NK_TR][NK_TT];
                for (int i = 0; i < NK_TR; i++)
                    for (int j = 0; j < NK_TT; j++) acc[i][j] = _mm256_setzero_ps();
                for (int j = 0; j < NK_TT; j++) {
                    const int64_t tt = t + (j < nt ? j : nt - 1);
                    const int8_t *aq = a->qs + tt * cols + 256 * kc;
                    const float *ad = a->d + tt * nb + kc;
                    const int16_t *bs = a->bsums + tt * (cols / 16) + 16 * kc;
                    for (int b = 0; b < nk; b++)
                        for (int i = 0; i < NK_TR; i++)
                            acc[i][j] = k_dot(type, &dec[i][b], aq + 256 * b, bs + 16 * b, ad[b], acc[i][j]);
                }
                for (int j = 0; j < nt; j++) {
                    float *o = mt->out + (t + j) * rows + r;
                    float v[NK_TR];
                    for (int i = 0; i < NK_TR; i++) v[i] = hsum8(acc[i][j]);
                    if (kc == 0) for (int i = 0; i < nr; i++) o[i] = v[i];
                    else for (int i = 0; i < nr; i++) o[i] += v[i];
                }
            }
        }
    }
}

/* ---------------------------------------------------------------- float weights */

/* 8 weights of a row from element k, widened to f32. */
static inline __m256 fw_load(int type, const void *row, int64_t k) {
    if (type == NK_F32) return _mm256_loadu_ps((const float *)row + k);
    const __m128i h = _mm_loadu_si128((const __m128i *)((const uint16_t *)row + k));
    if (type == NK_F16) return _mm256_cvtph_ps(h);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

static inline float fw_scalar(int type, const void *row, int64_t k) {
    if (type == NK_F32) return ((const float *)row)[k];
    const uint16_t h = ((const uint16_t *)row)[k];
    if (type == NK_F16) return f16(h);
    uint32_t b = (uint32_t)h << 16;
    float f;
    memcpy(&f, &b, 4);
    return f;
}

static inline __attribute__((always_inline)) void f_gemv_t(const int type, const nook_mat *mt, const nk_act *a, int64_t r0, int64_t r1, int64_t t) {
    const int64_t cols = a->cols;
    const float *x = a->f + t * cols;
    float *out = mt->out + t * mt->rows;
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = (const uint8_t *)mt->data + r * mt->row_bytes;
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        int64_t k = 0;
        for (; k + 32 <= cols; k += 32) {
            s0 = _mm256_fmadd_ps(fw_load(type, row, k), _mm256_loadu_ps(x + k), s0);
            s1 = _mm256_fmadd_ps(fw_load(type, row, k + 8), _mm256_loadu_ps(x + k + 8), s1);
            s2 = _mm256_fmadd_ps(fw_load(type, row, k + 16), _mm256_loadu_ps(x + k + 16), s2);
            s3 = _mm256_fmadd_ps(fw_load(type, row, k + 24), _mm256_loadu_ps(x + k + 24), s3);
        }
        for (; k + 8 <= cols; k += 8) s0 = _mm256_fmadd_ps(fw_load(type, row, k), _mm256_loadu_ps(x + k), s0);
        float s = hsum8(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
        for (; k < cols; k++) s += fw_scalar(type, row, k) * x[k];
        out[r] = s;
    }
}

static inline __attribute__((always_inline)) void f_gemm_t(const int type, const nook_mat *mt, const nk_act *a, int64_t r0, int64_t r1, int64_t t0, int64_t t1) {
    const int64_t cols = a->cols, rows = mt->rows, k8 = cols & ~(int64_t)7;
    for (int64_t r = r0; r < r1; r += NK_TR) {
        const int nr = (int)(r1 - r < NK_TR ? r1 - r : NK_TR);
        const uint8_t *wr[NK_TR];
        for (int i = 0; i < NK_TR; i++) wr[i] = (const uint8_t *)mt->data + (r + (i < nr ? i : nr - 1)) * mt->row_bytes;
        for (int64_t t = t0; t < t1; t += NK_TT) {
            const int nt = (int)(t1 - t < NK_TT ? t1 - t : NK_TT);
            const float *xr[NK_TT];
            for (int j = 0; j < NK_TT; j++) xr[j] = a->f + (t + (j < nt ? j : nt - 1)) * cols;
            __m256 acc[NK_TR][NK_TT];
            for (int i = 0; i < NK_TR; i++)
                for (int j = 0; j < NK_TT; j++) acc[i][j] = _mm256_setzero_ps();
            for (int64_t k = 0; k < k8; k += 8) {
                __m256 w[NK_TR];
                for (int i = 0; i < NK_TR; i++) w[i] = fw_load(type, wr[i], k);
                for (int j = 0; j < NK_TT; j++) {
                    const __m256 xv = _mm256_loadu_ps(xr[j] + k);
                    for (int i = 0; i < NK_TR; i++) acc[i][j] = _mm256_fmadd_ps(w[i], xv, acc[i][j]);
                }
            }
            for (int j = 0; j < nt; j++) {
                float *o = mt->out + (t + j) * rows + r;
                for (int i = 0; i < nr; i++) {
                    float s = hsum8(acc[i][j]);
                    for (int64_t k = k8; k < cols; k++) s += fw_scalar(type, wr[i], k) * xr[j][k];
                    o[i] = s;
                }
            }
        }
    }
}

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
