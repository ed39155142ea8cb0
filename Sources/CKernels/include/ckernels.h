#ifndef NOOK_CKERNELS_H
#define NOOK_CKERNELS_H
#include <stdint.h>
#include <stddef.h>
#include "nook_attention.h"
#include "nook_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/// CPU features that are both advertised by cpuid and enabled by the OS (XCR0).
typedef struct {
    int avx2;
    int fma;
    int f16c;
    int avx512f;
    int avx512bw;
    int avx512vl;
    int avx512vnni;
    int avx512bf16;
    int avxvnni;
} nook_cpu_features;

/// The features of this CPU, detected once (cpuid is slow, especially in virtual machines); safe from any thread.
nook_cpu_features nook_detect_cpu_features(void);

/* ------------------------------------------------------------------------------------------------
 * Thread pool: a fixed set of workers with low-latency fork/join (spin, then sleep).
 * ---------------------------------------------------------------------------------------------- */

/// An opaque pool of worker threads.
typedef struct nook_pool nook_pool;

/// Runs the indices [begin, end) of a parallel loop.
typedef void (*nook_range_fn)(void *ctx, int64_t begin, int64_t end);

/// Creates a pool of `threads` threads in all (the caller of nook_pool_run counts as one).
/// Returns NULL only when memory runs out; if some workers cannot be started the pool has fewer.
nook_pool *nook_pool_create(int threads);
/// Stops and joins the workers.
void nook_pool_destroy(nook_pool *pool);
/// Number of threads, the caller included.
int nook_pool_size(const nook_pool *pool);
/// Runs fn over [0, count) in chunks of `grain` indices claimed dynamically by the workers and the
/// caller; returns when all chunks are done. A call made while the pool is busy (nested, or from
/// another thread) runs the whole range serially on the calling thread.
void nook_pool_run(nook_pool *pool, int64_t count, int64_t grain, nook_range_fn fn, void *ctx);

/* ------------------------------------------------------------------------------------------------
 * Matrix products.
 * ---------------------------------------------------------------------------------------------- */

/// Instruction-set levels of the kernels.
enum {
    NOOK_LEVEL_SCALAR = 0,      ///< portable C
    NOOK_LEVEL_AVX2 = 1,        ///< AVX2 + FMA + F16C
    NOOK_LEVEL_AVXVNNI = 2,     ///< AVX2 level with AVX-VNNI dot products
    NOOK_LEVEL_AVX512VNNI = 3,  ///< AVX2 level with AVX-512 VL/BW/VNNI (256-bit vectors, 32 registers)
};

/// Answers of nook_cpu_override besides a level.
enum {
    NOOK_CPU_NO_OVERRIDE = -1,       ///< NOOK_CPU is not set
    NOOK_CPU_UNKNOWN_OVERRIDE = -2,  ///< NOOK_CPU names no level (it is then ignored)
};

/// The best level this CPU runs, at most the one NOOK_CPU asks for.
int nook_best_level(void);
/// Whether this CPU can run kernels of `level` and NOOK_CPU (scalar, avx2, avx-vnni, avx512) allows it.
int nook_level_supported(int level);

/// C[i][j] = Σ_p A[i][p]·B[p][j] for i < m, j < n, p < k: row-major f32 with row strides lda, ldb, ldc (elements).
/// Used for the attention products of vision towers; fastest when n is a multiple of 64 (AVX-512) or 32 (AVX2).
void nook_gemm_nn_f32(const float *a, int64_t lda, const float *b, int64_t ldb, float *c, int64_t ldc,
                      int64_t m, int64_t n, int64_t k);
/// The level NOOK_CPU caps the kernels at, read once at the first detection; or a NOOK_CPU_* answer.
int nook_cpu_override(void);
/// The level a NOOK_CPU value names, NOOK_CPU_NO_OVERRIDE for NULL, NOOK_CPU_UNKNOWN_OVERRIDE otherwise.
int nook_parse_level(const char *name);

/// One weight matrix of a product: `rows` rows of `row_bytes` bytes each, in ggml type `type`.
typedef struct {
    int type;              ///< ggml type number (NK_F32 … in nook_types.h)
    const void *data;      ///< rows × row_bytes
    int64_t row_bytes;
    int64_t rows;
    float *out;            ///< tokens × rows (row-major by token)
} nook_mat;

/// Whether `type` is a weight type the kernels handle.
int nook_type_supported(int type);

/// Scratch bytes nook_matmul needs for these matrices, `cols` inputs and `tokens` tokens.
size_t nook_matmul_scratch_size(const nook_mat *mats, int nmats, int64_t cols, int64_t tokens);

/// out_m[t*rows_m + r] = Σ_c W_m[r,c] · x[t*cols + c] for every matrix m, after converting x
/// the way llama.cpp converts activations for each weight type. x: tokens × cols f32.
/// All matrices share x; they run in one parallel region. Unsupported types give NaN outputs.
void nook_matmul(nook_pool *pool, int level, const nook_mat *mats, int nmats, int64_t cols,
                 const float *x, int64_t tokens, void *scratch, size_t scratch_bytes);

/* ------------------------------------------------------------------------------------------------
 * Activation conversion (exposed for tests).
 * ---------------------------------------------------------------------------------------------- */

/// Quantizes n values (n % 32 == 0) to Q8_0 as llama.cpp's x86 build does: per block of 32,
/// d = max|x|/127 (stored as f16, returned widened in d[]), q = round-to-nearest-even(x · 127/max|x|).
/// qs: [n]; d: [n/32]; s (nullable): [n/32] receives f16(d · Σq) widened, as Q8_1 stores it.
void nook_quantize_q8_0(int level, const float *x, int64_t n, int8_t *qs, float *d, float *s);
/// Quantizes n values (n % 256 == 0) to Q8_K: per block of 256, iscale = -127/x_max (the signed
/// value of largest magnitude, first one wins), q = min(127, nearest-even(iscale·x)), d = 1/iscale.
/// qs: [n]; d: [n/256]; bsums: [n/16] sums of consecutive groups of 16 q.
void nook_quantize_q8_K(int level, const float *x, int64_t n, int8_t *qs, float *d, int16_t *bsums);
/// Rounds n values to f16 precision (nearest even) and widens them back: out[i] = f32(f16(x[i])).
void nook_round_f16(int level, const float *x, int64_t n, float *out);
/// Rounds n values to bf16 precision as ggml does (nearest even, NaN kept quiet) and widens them back.
void nook_round_bf16(const float *x, int64_t n, float *out);

/// IEEE half to float and back (round to nearest even), portable.
float nook_f16_to_f32(uint16_t h);
uint16_t nook_f32_to_f16(float f);

#ifdef __cplusplus
}
#endif
#endif
