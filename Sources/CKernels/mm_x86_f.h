/* x86 kernels: float weights (F32, F16, BF16). Part of mm_x86_impl.h (included there, once per level; see its comment). */

/* ---------------------------------------------------------------- float weights */

/* Register tile of the float matrix-matrix kernel: NK_FTR rows × NK_FTT tokens. The weights are widened once per
 * step and reused across the tile's tokens, so more tokens per tile means fewer conversions per multiply-add;
 * the AVX-512 level, with 32 registers, takes 4 × 6 (24 accumulators). */
#ifndef NK_FTR
#define NK_FTR NK_TR
#endif
#ifndef NK_FTT
#define NK_FTT NK_TT
#endif

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

#if NK_VNNI == 2
/* 16 weights of a row from element k, widened to f32 (the AVX-512 tile's step). */
static inline __m512 fw_load16(int type, const void *row, int64_t k) {
    if (type == NK_F32) return _mm512_loadu_ps((const float *)row + k);
    const __m256i h = _mm256_loadu_si256((const __m256i *)((const uint16_t *)row + k));
    if (type == NK_F16) return _mm512_cvtph_ps(h);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}
#endif

/* Matrix-matrix over rows [r0, r1) and tokens [t0, t1): NK_FTR × NK_FTT dot products at a time over the whole
 * row, in 16-wide steps on the AVX-512 level (as ggml's tinyBLAS tiles f16 there), 8-wide elsewhere. */
static inline __attribute__((always_inline)) void f_gemm_t(const int type, const nook_mat *mt, const nk_act *a, int64_t r0, int64_t r1, int64_t t0, int64_t t1) {
    const int64_t cols = a->cols, rows = mt->rows, k8 = cols & ~(int64_t)7;
#if NK_VNNI == 2
    const int64_t k16 = cols & ~(int64_t)15;
#else
    const int64_t k16 = 0;
#endif
    /* Tokens outer, rows inner: a tile's activations stay in L1 while the rows stream past them (measured 7% faster
     * than rows outer on the vision tower; blocking the rows in 1024-element passes gained nothing measurable). */
    for (int64_t t = t0; t < t1; t += NK_FTT) {
        const int nt = (int)(t1 - t < NK_FTT ? t1 - t : NK_FTT);
        const float *xr[NK_FTT];
        for (int j = 0; j < NK_FTT; j++) xr[j] = a->f + (t + (j < nt ? j : nt - 1)) * cols;
        for (int64_t r = r0; r < r1; r += NK_FTR) {
            const int nr = (int)(r1 - r < NK_FTR ? r1 - r : NK_FTR);
            const uint8_t *wr[NK_FTR];
            for (int i = 0; i < NK_FTR; i++) wr[i] = (const uint8_t *)mt->data + (r + (i < nr ? i : nr - 1)) * mt->row_bytes;
            float sums[NK_FTR][NK_FTT];
#if NK_VNNI == 2
            {
                __m512 acc[NK_FTR][NK_FTT];
                for (int i = 0; i < NK_FTR; i++)
                    for (int j = 0; j < NK_FTT; j++) acc[i][j] = _mm512_setzero_ps();
                for (int64_t k = 0; k < k16; k += 16) {
                    __m512 w[NK_FTR];
                    for (int i = 0; i < NK_FTR; i++) w[i] = fw_load16(type, wr[i], k);
                    for (int j = 0; j < NK_FTT; j++) {
                        const __m512 xv = _mm512_loadu_ps(xr[j] + k);
                        for (int i = 0; i < NK_FTR; i++) acc[i][j] = _mm512_fmadd_ps(w[i], xv, acc[i][j]);
                    }
                }
                for (int i = 0; i < NK_FTR; i++)
                    for (int j = 0; j < NK_FTT; j++) sums[i][j] = _mm512_reduce_add_ps(acc[i][j]);
            }
#else
            for (int i = 0; i < NK_FTR; i++)
                for (int j = 0; j < NK_FTT; j++) sums[i][j] = 0;
#endif
            if (k16 < k8) {
                __m256 acc[NK_FTR][NK_FTT];
                for (int i = 0; i < NK_FTR; i++)
                    for (int j = 0; j < NK_FTT; j++) acc[i][j] = _mm256_setzero_ps();
                for (int64_t k = k16; k < k8; k += 8) {
                    __m256 w[NK_FTR];
                    for (int i = 0; i < NK_FTR; i++) w[i] = fw_load(type, wr[i], k);
                    for (int j = 0; j < NK_FTT; j++) {
                        const __m256 xv = _mm256_loadu_ps(xr[j] + k);
                        for (int i = 0; i < NK_FTR; i++) acc[i][j] = _mm256_fmadd_ps(w[i], xv, acc[i][j]);
                    }
                }
                for (int i = 0; i < NK_FTR; i++)
                    for (int j = 0; j < NK_FTT; j++) sums[i][j] += hsum8(acc[i][j]);
            }
            for (int j = 0; j < nt; j++) {
                float *o = mt->out + (t + j) * rows + r;
                for (int i = 0; i < nr; i++) {
                    float s = sums[i][j];
                    for (int64_t k = k8; k < cols; k++) s += fw_scalar(type, wr[i], k) * xr[j][k];
                    o[i] = s;
                }
            }
        }
    }
}
