/* x86 kernels: weights in blocks of 32 (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0). Part of mm_x86_impl.h (included there, once per level; see its comment). */

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
static inline int q32_bytes(int type) { return (int)nook_type_block(type).bytes; }

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
 * Without exact VNNI products Q8_0 uses the sign trick. The other types multiply their unsigned quants
 * directly; their offset is removed per block: with VNNI exactly, each lane's dot starting from −offset · Σa
 * over its 4 bytes (so every lane equals the signed product's and Q8_0 agrees with it bit for bit), otherwise as
 * offset · d_w · d_a · Σa in float at the end (Σa comes with the activations). */
static inline __attribute__((always_inline)) void q32_gemv_t(const int type, const nook_mat *mt, const nk_act *a, int64_t r0, int64_t r1, int64_t t) {
    const int has_min = type == NK_Q4_1 || type == NK_Q5_1;
    const int signed_w = type == NK_Q8_0 && !NK_EXACT_DOT;
    const int ioff = type == NK_Q4_0 ? 8 : type == NK_Q5_0 ? 16 : type == NK_Q8_0 ? 128 : 0;
    const int fold = NK_EXACT_DOT && !has_min;   /* the offset leaves in the integer dot */
    const float off = (float)ioff;
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
            } else if (fold) {
                const __m256i c = offset_lanes(ioff, av);
                p0 = _mm256_cvtepi32_ps(dot_u8s8_from(c, q32_unsigned(type, blk), av));
                p1 = _mm256_cvtepi32_ps(dot_u8s8_from(c, q32_unsigned(type, blk + rb), av));
                p2 = _mm256_cvtepi32_ps(dot_u8s8_from(c, q32_unsigned(type, blk + 2 * rb), av));
                p3 = _mm256_cvtepi32_ps(dot_u8s8_from(c, q32_unsigned(type, blk + 3 * rb), av));
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
    const int ioff = type == NK_Q4_0 ? 8 : type == NK_Q5_0 ? 16 : type == NK_Q8_0 ? 128 : 0;
    const int fold = NK_EXACT_DOT && !has_min;   /* the offset leaves in the integer dot, as in q32_gemv_t */
    const float off = (float)ioff;
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
                        else if (!signed_w && !fold) cv[j] = _mm_fmadd_ps(dw, _mm_mul_ps(da, _mm_set1_ps(off * (float)asum[j][b])), cv[j]);
                    }
                }
                for (int j = 0; j < NK_TT; j++) _mm_storeu_ps(corr[j], cv[j]);
#else
                for (int b = 0; b < nk; b++)
                    for (int j = 0; j < NK_TT; j++)
                        for (int i = 0; i < NK_TR; i++) {
                            sc[b][j][i] = wd[b][i] * ad[j][b];
                            if (has_min) corr[j][i] -= wm[b][i] * as[j][b];
                            else if (!signed_w && !fold) corr[j][i] += wd[b][i] * (ad[j][b] * (off * (float)asum[j][b]));
                        }
#endif
                __asm__ __volatile__("" ::: "memory");
                for (int b = 0; b < nk; b++) {
                    __m256i c[NK_TT];
                    for (int j = 0; j < NK_TT; j++)
                        c[j] = fold ? offset_lanes(ioff, _mm256_loadu_si256((const __m256i *)(aq[j] + 32 * b))) : _mm256_setzero_si256();
                    for (int i = 0; i < NK_TR; i++) {
                        const __m256i aw = _mm256_loadu_si256((const __m256i *)dec[i][b].aw);
                        for (int j = 0; j < NK_TT; j++) {
                            const __m256i av = _mm256_loadu_si256((const __m256i *)(aq[j] + 32 * b));
                            __m256 p;
                            if (signed_w) {
                                const __m256i w = _mm256_loadu_si256((const __m256i *)dec[i][b].w);
                                p = _mm256_cvtepi32_ps(dot_u8s8(aw, _mm256_sign_epi8(av, w)));
                            } else if (fold) {
                                p = _mm256_cvtepi32_ps(dot_u8s8_from(c[j], aw, av));
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

