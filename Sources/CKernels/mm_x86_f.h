/* x86 kernels: float weights (F32, F16, BF16). Part of mm_x86_impl.h (included there, once per level; see its comment). */

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

