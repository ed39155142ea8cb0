/* x86 kernels: K-quant weights in super-blocks of 256 (Q4_K, Q5_K, Q6_K). Part of mm_x86_impl.h (included there, once per level; see its comment). */

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

static int64_t k_block_bytes(int type) { return nook_type_block(type).bytes; }

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

