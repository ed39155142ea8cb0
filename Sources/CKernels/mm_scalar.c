/* Portable kernels: one dot product per (row, token), in the order of ggml's generic C code. */
#include "mm_internal.h"
#include <math.h>

static float dot_f32(const float *w, const float *x, int64_t n) {
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += (double)(w[i] * x[i]);
    return (float)s;
}

static float dot_f16(const uint16_t *w, const float *x, int64_t n) {
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += (double)(nk_f16_to_f32(w[i]) * x[i]);
    return (float)s;
}

static float dot_bf16(const uint16_t *w, const float *x, int64_t n) {
    double s = 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t b = (uint32_t)w[i] << 16;
        float f;
        memcpy(&f, &b, 4);
        s += (double)(f * x[i]);
    }
    return (float)s;
}

static float dot_q4_0(const nk_q4_0 *w, const int8_t *q, const float *d, int64_t nb) {
    float sum = 0;
    for (int64_t b = 0; b < nb; b++) {
        int s0 = 0, s1 = 0;
        for (int j = 0; j < 16; j++) {
            s0 += ((w[b].qs[j] & 0x0F) - 8) * q[32 * b + j];
            s1 += ((w[b].qs[j] >> 4) - 8) * q[32 * b + j + 16];
        }
        sum += (float)(s0 + s1) * nk_f16_to_f32(w[b].d) * d[b];
    }
    return sum;
}

static float dot_q4_1(const nk_q4_1 *w, const int8_t *q, const float *d, const float *s, int64_t nb) {
    float sum = 0;
    for (int64_t b = 0; b < nb; b++) {
        int s0 = 0, s1 = 0;
        for (int j = 0; j < 16; j++) {
            s0 += (w[b].qs[j] & 0x0F) * q[32 * b + j];
            s1 += (w[b].qs[j] >> 4) * q[32 * b + j + 16];
        }
        float t = (nk_f16_to_f32(w[b].d) * d[b]) * (float)(s0 + s1);
        sum += t + nk_f16_to_f32(w[b].m) * s[b];
    }
    return sum;
}

static float dot_q5_0(const nk_q5_0 *w, const int8_t *q, const float *d, int64_t nb) {
    float sum = 0;
    for (int64_t b = 0; b < nb; b++) {
        uint32_t qh = nk_load_u32(w[b].qh);
        int s0 = 0, s1 = 0;
        for (int j = 0; j < 16; j++) {
            int h0 = (int)((qh >> j) & 1u) << 4, h1 = (int)((qh >> (j + 16)) & 1u) << 4;
            s0 += (((w[b].qs[j] & 0x0F) | h0) - 16) * q[32 * b + j];
            s1 += (((w[b].qs[j] >> 4) | h1) - 16) * q[32 * b + j + 16];
        }
        sum += (nk_f16_to_f32(w[b].d) * d[b]) * (float)(s0 + s1);
    }
    return sum;
}

static float dot_q5_1(const nk_q5_1 *w, const int8_t *q, const float *d, const float *s, int64_t nb) {
    float sum = 0;
    for (int64_t b = 0; b < nb; b++) {
        uint32_t qh = nk_load_u32(w[b].qh);
        int s0 = 0, s1 = 0;
        for (int j = 0; j < 16; j++) {
            int h0 = (int)((qh >> j) & 1u) << 4, h1 = (int)((qh >> (j + 16)) & 1u) << 4;
            s0 += ((w[b].qs[j] & 0x0F) | h0) * q[32 * b + j];
            s1 += ((w[b].qs[j] >> 4) | h1) * q[32 * b + j + 16];
        }
        float t = (nk_f16_to_f32(w[b].d) * d[b]) * (float)(s0 + s1);
        sum += t + nk_f16_to_f32(w[b].m) * s[b];
    }
    return sum;
}

static float dot_q8_0(const nk_q8_0 *w, const int8_t *q, const float *d, int64_t nb) {
    float sum = 0;
    for (int64_t b = 0; b < nb; b++) {
        int si = 0;
        for (int j = 0; j < 32; j++) si += w[b].qs[j] * q[32 * b + j];
        sum += (float)si * (nk_f16_to_f32(w[b].d) * d[b]);
    }
    return sum;
}

/* K-quants: 8 lanes of partial sums as in ggml's generic code. `vals` receives the 256 unsigned
 * (Q4_K/Q5_K) or signed (Q6_K) quants of a super-block in element order. */
static void k_values(int type, const void *blk, int8_t *vals, int32_t *scale16 /* [16] per 16 */, int32_t *mins /* [8] */,
                     float *d, float *dmin) {
    if (type == NK_Q6_K) {
        const nk_q6_K *x = blk;
        for (int h = 0; h < 2; h++) {
            const uint8_t *ql = x->ql + 64 * h, *qh = x->qh + 32 * h;
            int8_t *a = vals + 128 * h;
            for (int l = 0; l < 32; l++) {
                a[l + 0] = (int8_t)((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                a[l + 32] = (int8_t)((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                a[l + 64] = (int8_t)((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                a[l + 96] = (int8_t)((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
            }
        }
        for (int j = 0; j < 16; j++) scale16[j] = x->scales[j];
        *d = nk_f16_to_f32(x->d);
        *dmin = 0;
        return;
    }
    const uint8_t *scales, *qs, *qh = NULL;
    if (type == NK_Q4_K) {
        const nk_q4_K *x = blk;
        scales = x->scales; qs = x->qs;
        *d = nk_f16_to_f32(x->d); *dmin = nk_f16_to_f32(x->dmin);
    } else {
        const nk_q5_K *x = blk;
        scales = x->scales; qs = x->qs; qh = x->qh;
        *d = nk_f16_to_f32(x->d); *dmin = nk_f16_to_f32(x->dmin);
    }
    for (int j = 0; j < 4; j++) {
        for (int l = 0; l < 32; l++) {
            int lo = qs[32 * j + l] & 0xF, hi = qs[32 * j + l] >> 4;
            if (qh) {
                lo += (qh[l] >> (2 * j)) & 1 ? 16 : 0;
                hi += (qh[l] >> (2 * j + 1)) & 1 ? 16 : 0;
            }
            vals[64 * j + l] = (int8_t)lo;
            vals[64 * j + 32 + l] = (int8_t)hi;
        }
    }
    for (int j = 0; j < 8; j++) {
        uint8_t sc, m;
        nk_scale_min_k4(j, scales, &sc, &m);
        scale16[2 * j] = scale16[2 * j + 1] = sc;
        mins[j] = m;
    }
}

static float dot_k(int type, const uint8_t *w, int64_t bytes, const int8_t *q, const float *dq, const int16_t *bsums, int64_t nb) {
    float sums[8] = {0}, sumf = 0;
    int8_t vals[256];
    int32_t sc[16], mins[8];
    for (int64_t b = 0; b < nb; b++) {
        float d, dmin;
        k_values(type, w + b * bytes, vals, sc, mins, &d, &dmin);
        int32_t aux[8] = {0};
        const int8_t *qb = q + 256 * b;
        for (int j = 0; j < 256; j += 8)
            for (int l = 0; l < 8; l++) aux[l] += sc[j / 16] * (qb[j + l] * vals[j + l]);
        const float dd = d * dq[b];
        for (int l = 0; l < 8; l++) sums[l] += dd * (float)aux[l];
        if (type != NK_Q6_K) {
            int sumi = 0;
            for (int j = 0; j < 16; j++) sumi += bsums[16 * b + j] * mins[j / 2];
            sumf -= dmin * dq[b] * (float)sumi;
        }
    }
    for (int l = 0; l < 8; l++) sumf += sums[l];
    return sumf;
}

void nk_rows_scalar(const nook_mat *m, const nk_act *a, int64_t r0, int64_t r1, int64_t t0, int64_t t1) {
    const int64_t cols = a->cols, nb32 = cols / 32, nb256 = cols / 256;
    for (int64_t t = t0; t < t1; t++) {
        float *out = m->out + t * m->rows;
        for (int64_t r = r0; r < r1; r++) {
            const uint8_t *w = (const uint8_t *)m->data + r * m->row_bytes;
            float v;
            switch (m->type) {
            case NK_F32: v = dot_f32((const float *)w, a->f + t * cols, cols); break;
            case NK_F16: v = dot_f16((const uint16_t *)w, a->f + t * cols, cols); break;
            case NK_BF16: v = dot_bf16((const uint16_t *)w, a->f + t * cols, cols); break;
            case NK_Q4_0: v = dot_q4_0((const nk_q4_0 *)w, a->qs + t * cols, a->d + t * nb32, nb32); break;
            case NK_Q4_1: v = dot_q4_1((const nk_q4_1 *)w, a->qs + t * cols, a->d + t * nb32, a->s + t * nb32, nb32); break;
            case NK_Q5_0: v = dot_q5_0((const nk_q5_0 *)w, a->qs + t * cols, a->d + t * nb32, nb32); break;
            case NK_Q5_1: v = dot_q5_1((const nk_q5_1 *)w, a->qs + t * cols, a->d + t * nb32, a->s + t * nb32, nb32); break;
            case NK_Q8_0: v = dot_q8_0((const nk_q8_0 *)w, a->qs + t * cols, a->d + t * nb32, nb32); break;
            case NK_Q4_K: v = dot_k(NK_Q4_K, w, NK_Q4_K_BYTES, a->qs + t * cols, a->d + t * nb256, a->bsums + t * (cols / 16), nb256); break;
            case NK_Q5_K: v = dot_k(NK_Q5_K, w, NK_Q5_K_BYTES, a->qs + t * cols, a->d + t * nb256, a->bsums + t * (cols / 16), nb256); break;
            case NK_Q6_K: v = dot_k(NK_Q6_K, w, NK_Q6_K_BYTES, a->qs + t * cols, a->d + t * nb256, a->bsums + t * (cols / 16), nb256); break;
            default: v = NAN; break;
            }
            out[r] = v;
        }
    }
}
