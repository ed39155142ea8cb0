/* Internal definitions shared by the kernel files: block layouts, scalar half conversion, activations. */
#ifndef NOOK_MM_INTERNAL_H
#define NOOK_MM_INTERNAL_H
#include "ckernels.h"
#include "nook_types.h"
#include <string.h>

/* Block layouts (ggml-common.h); all fields are bytes or little-endian f16, so no padding. */
typedef struct { uint16_t d; uint8_t qs[16]; } nk_q4_0;                    /* 18 bytes */
typedef struct { uint16_t d, m; uint8_t qs[16]; } nk_q4_1;                 /* 20 bytes */
typedef struct { uint16_t d; uint8_t qh[4]; uint8_t qs[16]; } nk_q5_0;     /* 22 bytes */
typedef struct { uint16_t d, m; uint8_t qh[4]; uint8_t qs[16]; } nk_q5_1;  /* 24 bytes */
typedef struct { uint16_t d; int8_t qs[32]; } nk_q8_0;                     /* 34 bytes */
typedef struct { uint16_t d, dmin; uint8_t scales[12]; uint8_t qs[128]; } nk_q4_K;              /* 144 */
typedef struct { uint16_t d, dmin; uint8_t scales[12]; uint8_t qh[32]; uint8_t qs[128]; } nk_q5_K; /* 176 */
typedef struct { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; uint16_t d; } nk_q6_K;      /* 210 */

_Static_assert(sizeof(nk_q4_0) == NK_Q4_0_BYTES, "q4_0");
_Static_assert(sizeof(nk_q4_1) == NK_Q4_1_BYTES, "q4_1");
_Static_assert(sizeof(nk_q5_0) == NK_Q5_0_BYTES, "q5_0");
_Static_assert(sizeof(nk_q5_1) == NK_Q5_1_BYTES, "q5_1");
_Static_assert(sizeof(nk_q8_0) == NK_Q8_0_BYTES, "q8_0");
_Static_assert(sizeof(nk_q4_K) == NK_Q4_K_BYTES, "q4_K");
_Static_assert(sizeof(nk_q5_K) == NK_Q5_K_BYTES, "q5_K");
_Static_assert(sizeof(nk_q6_K) == NK_Q6_K_BYTES, "q6_K");

/// Activations converted for one weight type; token t's data starts at t × (its per-token length).
typedef struct {
    const float *f;        /* tokens × cols: f32 activations, rounded to f16/bf16 for those weights */
    const int8_t *qs;      /* tokens × cols: Q8_0 / Q8_K quants */
    const float *d;        /* tokens × nblocks: block scales (Q8_0: f16-rounded, Q8_K: f32) */
    const float *s;        /* tokens × nblocks: Q8_1 f16(d·Σq) widened (Q4_1 / Q5_1 weights) */
    const int16_t *bsums;  /* tokens × cols/16: Q8_K sums of 16 */
    const int32_t *qsum;   /* tokens × cols/32: Σq of each Q8_0 block */
    int64_t cols;
} nk_act;

/// Q8_0 quantization (see nook_quantize_q8_0) that can also return each block's Σq in qsum [n/32].
void nk_quantize_q8(int level, const float *x, int64_t n, int8_t *qs, float *d, float *s, int32_t *qsum);

/// Computes out[t*rows + r] for r in [r0, r1) and t in [t0, t1).
typedef void (*nk_rows_fn)(const nook_mat *m, const nk_act *a, int64_t r0, int64_t r1, int64_t t0, int64_t t1);

void nk_rows_scalar(const nook_mat *m, const nk_act *a, int64_t r0, int64_t r1, int64_t t0, int64_t t1);
#if defined(__x86_64__)
void nk_rows_avx2(const nook_mat *m, const nk_act *a, int64_t r0, int64_t r1, int64_t t0, int64_t t1);
void nk_rows_avxvnni(const nook_mat *m, const nk_act *a, int64_t r0, int64_t r1, int64_t t0, int64_t t1);
void nk_rows_avx512vnni(const nook_mat *m, const nk_act *a, int64_t r0, int64_t r1, int64_t t0, int64_t t1);
#endif

/// nook_matmul with the row kernels `fn` and the activation conversion of `level` (a supported level).
/// Not in the public header: the test-support target plugs its emulated-VNNI kernels in through it.
void nk_matmul_with(nook_pool *pool, int level, nk_rows_fn fn, const nook_mat *mats, int nmats, int64_t cols,
                    const float *x, int64_t tokens, void *scratch, size_t scratch_bytes);

static inline uint16_t nk_load_u16(const void *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t nk_load_u32(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/// f16 bits to f32, exact (subnormals, infinities and NaN payloads kept).
static inline float nk_f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu, man = h & 0x3ffu, bits;
    float f;
    if (exp == 0) {
        f = (float)man * 0x1p-24f;          /* exact: man < 2^10 */
        memcpy(&bits, &f, 4);
        bits |= sign;
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | (man << 13);
    } else {
        bits = sign | ((exp + 112u) << 23) | (man << 13);
    }
    memcpy(&f, &bits, 4);
    return f;
}

/// f32 to f16 bits, round to nearest even, like the F16C instruction (NaN made quiet, payload kept).
static inline uint16_t nk_f32_to_f16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u, ax = x & 0x7fffffffu;
    if (ax > 0x7f800000u) return (uint16_t)(sign | 0x7e00u | ((ax >> 13) & 0x3ffu));
    if (ax >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u);       /* ≥ 65520 rounds to infinity */
    if (ax < 0x38800000u) {                                           /* below 2^-14: subnormal or zero */
        float v;
        memcpy(&v, &ax, 4);
        float units = v * 0x1p24f;                                    /* exact scaling: units of 2^-24 */
        float r = (units + 0x1p23f) - 0x1p23f;                        /* nearest even, units <= 1024 */
        return (uint16_t)(sign | (uint32_t)r);
    }
    uint32_t rounded = ax + 0x0fffu + ((ax >> 13) & 1u);
    return (uint16_t)(sign | ((rounded - 0x38000000u) >> 13));
}

/// 6-bit scale and min number j of a Q4_K / Q5_K block (ggml's get_scale_min_k4 layout).
static inline void nk_scale_min_k4(int j, const uint8_t *q, uint8_t *d, uint8_t *m) {
    if (j < 4) {
        *d = q[j] & 63;
        *m = q[j + 4] & 63;
    } else {
        *d = (uint8_t)((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        *m = (uint8_t)((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

#endif
