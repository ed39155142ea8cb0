/* Drives a matrix product: converts the activations once per kind, splits rows × tokens into
 * tasks and runs them on the pool with the kernels of the requested level. */
#include "mm_internal.h"
#include <math.h>

static nk_rows_fn rows_fn(int level) {
#if defined(__x86_64__)
    switch (level) {
    case NOOK_LEVEL_AVX2: return nk_rows_avx2;
    case NOOK_LEVEL_AVXVNNI: return nk_rows_avxvnni;
    case NOOK_LEVEL_AVX512VNNI: return nk_rows_avx512vnni;
    default: break;
    }
#endif
    (void)level;
    return nk_rows_scalar;
}

int nook_type_supported(int type) { return nook_type_block(type).elems > 0; }

/* Whether a matrix can be computed: supported type, whole blocks, rows long enough. */
static int mat_valid(const nook_mat *m, int64_t cols) {
    if (!nook_type_supported(m->type) || !m->data || !m->out || m->rows < 0 || cols <= 0) return 0;
    const nook_block_layout b = nook_type_block(m->type);
    return cols % b.elems == 0 && m->row_bytes >= cols / b.elems * b.bytes;
}

/* Activation kinds. */
enum { K_F32, K_F16, K_BF16, K_Q8, K_Q8K, K_COUNT };

static int act_kind(int type) {
    switch (type) {
    case NK_F32: return K_F32;
    case NK_F16: return K_F16;
    case NK_BF16: return K_BF16;
    case NK_Q4_K: case NK_Q5_K: case NK_Q6_K: return K_Q8K;
    default: return K_Q8;
    }
}

static size_t align64(size_t n) { return (n + 63) & ~(size_t)63; }

typedef struct {
    int need[K_COUNT];
    int need_s;                  /* Q8_1 sums wanted (Q4_1 / Q5_1) */
    size_t off_f16, off_bf16, off_q8_qs, off_q8_d, off_q8_s, off_q8_sum, off_k_qs, off_k_d, off_k_bs, total;
} nk_layout;

static nk_layout layout(const nook_mat *mats, int nmats, int64_t cols, int64_t tokens) {
    nk_layout l = {0};
    for (int i = 0; i < nmats; i++) {
        if (!mat_valid(&mats[i], cols)) continue;
        l.need[act_kind(mats[i].type)] = 1;
        if (mats[i].type == NK_Q4_1 || mats[i].type == NK_Q5_1) l.need_s = 1;
    }
    const size_t n = (size_t)(cols * tokens);
    size_t at = 0;
    if (l.need[K_F16]) { l.off_f16 = at; at += align64(n * 4); }
    if (l.need[K_BF16]) { l.off_bf16 = at; at += align64(n * 4); }
    if (l.need[K_Q8]) {
        l.off_q8_qs = at; at += align64(n);
        l.off_q8_d = at; at += align64(n / 32 * 4);
        l.off_q8_sum = at; at += align64(n / 32 * 4);
        if (l.need_s) { l.off_q8_s = at; at += align64(n / 32 * 4); }
    }
    if (l.need[K_Q8K]) {
        l.off_k_qs = at; at += align64(n);
        l.off_k_d = at; at += align64(n / 256 * 4);
        l.off_k_bs = at; at += align64(n / 16 * 2);
    }
    l.total = at;
    return l;
}

size_t nook_matmul_scratch_size(const nook_mat *mats, int nmats, int64_t cols, int64_t tokens) {
    if (cols <= 0 || tokens <= 0) return 0;
    return layout(mats, nmats, cols, tokens).total;
}

typedef struct {
    int level;
    const nk_layout *l;
    const float *x;
    int64_t cols;
    uint8_t *scratch;
} nk_prep_ctx;

/* Converts the activations of tokens [t0, t1) into every kind the matrices need. */
static void prep_range(void *vctx, int64_t t0, int64_t t1) {
    const nk_prep_ctx *c = vctx;
    const nk_layout *l = c->l;
    const int64_t cols = c->cols, n = (t1 - t0) * cols;
    const float *x = c->x + t0 * cols;
    if (l->need[K_F16]) nook_round_f16(c->level, x, n, (float *)(c->scratch + l->off_f16) + t0 * cols);
    if (l->need[K_BF16]) nook_round_bf16(x, n, (float *)(c->scratch + l->off_bf16) + t0 * cols);
    if (l->need[K_Q8])
        nk_quantize_q8(c->level, x, n, (int8_t *)(c->scratch + l->off_q8_qs) + t0 * cols,
                       (float *)(c->scratch + l->off_q8_d) + t0 * (cols / 32),
                       l->need_s ? (float *)(c->scratch + l->off_q8_s) + t0 * (cols / 32) : NULL,
                       (int32_t *)(c->scratch + l->off_q8_sum) + t0 * (cols / 32));
    if (l->need[K_Q8K])
        nook_quantize_q8_K(c->level, x, n, (int8_t *)(c->scratch + l->off_k_qs) + t0 * cols,
                           (float *)(c->scratch + l->off_k_d) + t0 * (cols / 256),
                           (int16_t *)(c->scratch + l->off_k_bs) + t0 * (cols / 16));
}

#define NK_MAX_MATS 16

typedef struct {
    nk_rows_fn fn;
    int nmats;
    nook_mat mats[NK_MAX_MATS];
    nk_act acts[NK_MAX_MATS];
    int64_t first_task[NK_MAX_MATS + 1];   /* task index where each matrix starts */
    int64_t row_chunk[NK_MAX_MATS], tok_chunk, tok_tasks, tokens;
} nk_run_ctx;

static void run_range(void *vctx, int64_t begin, int64_t end) {
    const nk_run_ctx *c = vctx;
    int m = 0;
    for (int64_t task = begin; task < end; task++) {
        while (task >= c->first_task[m + 1]) m++;
        const int64_t local = task - c->first_task[m];
        const int64_t rc = local / c->tok_tasks, tc = local % c->tok_tasks;
        const int64_t r0 = rc * c->row_chunk[m];
        const int64_t r1 = r0 + c->row_chunk[m] < c->mats[m].rows ? r0 + c->row_chunk[m] : c->mats[m].rows;
        const int64_t t0 = tc * c->tok_chunk;
        const int64_t t1 = t0 + c->tok_chunk < c->tokens ? t0 + c->tok_chunk : c->tokens;
        c->fn(&c->mats[m], &c->acts[m], r0, r1, t0, t1);
    }
}

static void fill_nan(const nook_mat *m, int64_t tokens) {
    if (!m->out) return;
    for (int64_t i = 0; i < tokens * m->rows; i++) m->out[i] = NAN;
}

void nook_matmul(nook_pool *pool, int level, const nook_mat *mats, int nmats, int64_t cols,
                 const float *x, int64_t tokens, void *scratch, size_t scratch_bytes) {
    if (!nook_level_supported(level)) level = NOOK_LEVEL_SCALAR;
    nk_matmul_with(pool, level, rows_fn(level), mats, nmats, cols, x, tokens, scratch, scratch_bytes);
}

void nk_matmul_with(nook_pool *pool, int level, nk_rows_fn fn, const nook_mat *mats, int nmats, int64_t cols,
                    const float *x, int64_t tokens, void *scratch, size_t scratch_bytes) {
    if (tokens <= 0 || nmats <= 0) return;
    if (nmats > NK_MAX_MATS) {
        nk_matmul_with(pool, level, fn, mats, NK_MAX_MATS, cols, x, tokens, scratch, scratch_bytes);
        nk_matmul_with(pool, level, fn, mats + NK_MAX_MATS, nmats - NK_MAX_MATS, cols, x, tokens, scratch, scratch_bytes);
        return;
    }
    nk_layout l = layout(mats, nmats, cols, tokens);
    if (l.total > scratch_bytes || (l.total > 0 && !scratch) || !x) {
        for (int i = 0; i < nmats; i++) fill_nan(&mats[i], tokens);
        return;
    }
    uint8_t *s = scratch;
    nk_prep_ctx prep = {level, &l, x, cols, s};
    const int threads = nook_pool_size(pool);
    if (l.total > 0) {
        if (tokens > 1 && threads > 1 && tokens * cols >= 32768)
            nook_pool_run(pool, tokens, (tokens + 4 * threads - 1) / (4 * threads), prep_range, &prep);
        else
            prep_range(&prep, 0, tokens);
    }

    nk_run_ctx c;
    c.fn = fn;
    c.tokens = tokens;
    c.tok_chunk = tokens == 1 ? 1 : (tokens < 64 ? tokens : 64);
    c.tok_tasks = (tokens + c.tok_chunk - 1) / c.tok_chunk;
    c.nmats = 0;
    int64_t total_rows = 0;
    for (int i = 0; i < nmats; i++)
        if (mat_valid(&mats[i], cols)) total_rows += mats[i].rows;
    /* Aim for about 8 tasks per thread over all matrices, in multiples of 4 rows. */
    int64_t want = (int64_t)threads * 8;
    int64_t per = (total_rows * c.tok_tasks + want - 1) / want;
    int64_t chunk = per * 1;
    if (chunk < 4) chunk = 4;
    if (c.tok_tasks > 1 && chunk > 64) chunk = 64;
    chunk = (chunk + 3) & ~(int64_t)3;
    int64_t task = 0;
    for (int i = 0; i < nmats; i++) {
        if (!mat_valid(&mats[i], cols)) { fill_nan(&mats[i], tokens); continue; }
        const nook_mat *m = &mats[i];
        nk_act a = {0};
        a.cols = cols;
        switch (act_kind(m->type)) {
        case K_F32: a.f = x; break;
        case K_F16: a.f = (const float *)(s + l.off_f16); break;
        case K_BF16: a.f = (const float *)(s + l.off_bf16); break;
        case K_Q8:
            a.qs = (const int8_t *)(s + l.off_q8_qs);
            a.d = (const float *)(s + l.off_q8_d);
            a.s = l.need_s ? (const float *)(s + l.off_q8_s) : NULL;
            a.qsum = (const int32_t *)(s + l.off_q8_sum);
            break;
        default:
            a.qs = (const int8_t *)(s + l.off_k_qs);
            a.d = (const float *)(s + l.off_k_d);
            a.bsums = (const int16_t *)(s + l.off_k_bs);
            break;
        }
        const int k = c.nmats++;
        c.mats[k] = *m;
        c.acts[k] = a;
        c.row_chunk[k] = chunk;
        c.first_task[k] = task;
        task += (m->rows + chunk - 1) / chunk * c.tok_tasks;
    }
    c.first_task[c.nmats] = task;
    if (task > 0) nook_pool_run(pool, task, 1, run_range, &c);
}
