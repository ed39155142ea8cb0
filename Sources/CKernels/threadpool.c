/* A fork/join thread pool for many short parallel loops: workers spin on a generation counter for
 * a while after each job, then sleep on a condition variable until the next one. */
#define _GNU_SOURCE
#include "ckernels.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NK_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define NK_PAUSE() __asm__ __volatile__("yield")
#else
#define NK_PAUSE() ((void)0)
#endif

/* How long an idle worker polls before it sleeps, and how often a polling thread yields its core
 * (so that an oversubscribed machine still runs the thread holding the work). */
#define NK_SPIN_NS 1000000LL
#define NK_YIELD_NS 50000LL
#define NK_LINE 64

/* The claim word packs a job tag (the low bits of the job's generation) with the number of indices not yet
 * claimed, so that a late worker can never claim a chunk of a job that has finished or been replaced. */
#define NK_TAG_SHIFT 40
#define NK_LEFT_MASK ((1ULL << NK_TAG_SHIFT) - 1)

typedef struct nook_pool nook_pool;
typedef struct { nook_pool *pool; int index; } nk_worker_arg;

struct nook_pool {
    /* Written by the caller for each job; read only by threads holding a claimed chunk of it. */
    nook_range_fn fn;
    void *ctx;
    int64_t count;
    _Atomic int64_t grain;       /* read before a claim, so atomic */
    int threads;                 /* caller + started workers */
    pthread_t *ids;
    nk_worker_arg *args;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    _Alignas(NK_LINE) _Atomic uint64_t generation;
    _Alignas(NK_LINE) _Atomic uint64_t claim;      /* tag << 40 | indices left */
    _Alignas(NK_LINE) _Atomic int64_t done;        /* indices finished in the current job */
    _Alignas(NK_LINE) _Atomic int sleepers;
    _Atomic int stop;
    _Atomic int busy;                               /* a job is in flight */
};

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Claims and runs chunks of the job with generation `gen` until none is left. */
static void run_chunks(nook_pool *p, uint64_t gen) {
    const uint64_t tag = gen & (NK_LEFT_MASK >> 16);   /* 24 bits */
    uint64_t v = atomic_load_explicit(&p->claim, memory_order_acquire);
    for (;;) {
        if ((v >> NK_TAG_SHIFT) != tag) return;
        uint64_t left = v & NK_LEFT_MASK;
        if (left == 0) return;
        /* Only after a successful claim is the job still running, so its fields can be read. */
        const int64_t grain = atomic_load_explicit(&p->grain, memory_order_relaxed);
        uint64_t take = left < (uint64_t)grain ? left : (uint64_t)grain;
        if (!atomic_compare_exchange_weak_explicit(&p->claim, &v, v - take, memory_order_acq_rel,
                                                   memory_order_acquire))
            continue;
        const int64_t count = p->count;
        const int64_t begin = count - (int64_t)left;
        p->fn(p->ctx, begin, begin + (int64_t)take);
        atomic_fetch_add_explicit(&p->done, (int64_t)take, memory_order_release);
        v = atomic_load_explicit(&p->claim, memory_order_acquire);
    }
}

static void *worker_main(void *arg) {
    nook_pool *p = ((nk_worker_arg *)arg)->pool;
    uint64_t seen = 0;
    for (;;) {
        uint64_t g = atomic_load_explicit(&p->generation, memory_order_acquire);
        if (g == seen) {
            const int64_t start = now_ns();
            int64_t last_yield = start;
            unsigned spins = 0;
            while ((g = atomic_load_explicit(&p->generation, memory_order_acquire)) == seen) {
                NK_PAUSE();
                if ((++spins & 127u) != 0) continue;
                const int64_t t = now_ns();
                if (t - start > NK_SPIN_NS) {
                    pthread_mutex_lock(&p->mu);
                    atomic_fetch_add(&p->sleepers, 1);
                    while ((g = atomic_load(&p->generation)) == seen) pthread_cond_wait(&p->cv, &p->mu);
                    atomic_fetch_sub(&p->sleepers, 1);
                    pthread_mutex_unlock(&p->mu);
                    break;
                }
                if (t - last_yield > NK_YIELD_NS) { sched_yield(); last_yield = t; }
            }
        }
        seen = g;
        if (atomic_load_explicit(&p->stop, memory_order_acquire)) return NULL;
        run_chunks(p, g);
    }
}

nook_pool *nook_pool_create(int threads) {
    if (threads < 1) threads = 1;
    nook_pool *p = calloc(1, sizeof(nook_pool));
    if (!p) return NULL;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->threads = 1;
    if (threads > 1) {
        p->ids = calloc((size_t)threads, sizeof(pthread_t));
        p->args = calloc((size_t)threads, sizeof(nk_worker_arg));
        if (p->ids && p->args) {
            for (int i = 1; i < threads; i++) {
                p->args[i].pool = p;
                p->args[i].index = i;
                if (pthread_create(&p->ids[i], NULL, worker_main, &p->args[i]) != 0) break;
                p->threads++;
            }
        }
    }
    return p;
}

void nook_pool_destroy(nook_pool *p) {
    if (!p) return;
    atomic_store(&p->stop, 1);
    pthread_mutex_lock(&p->mu);
    atomic_fetch_add(&p->generation, 1);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 1; i < p->threads; i++) pthread_join(p->ids[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->ids);
    free(p->args);
    free(p);
}

int nook_pool_size(const nook_pool *p) { return p ? p->threads : 1; }

void nook_pool_run(nook_pool *p, int64_t count, int64_t grain, nook_range_fn fn, void *ctx) {
    if (count <= 0) return;
    if (grain < 1) grain = 1;
    int expected = 0;
    if (!p || p->threads == 1 || count <= grain || (uint64_t)count > NK_LEFT_MASK ||
        !atomic_compare_exchange_strong(&p->busy, &expected, 1)) {
        fn(ctx, 0, count);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->count = count;
    atomic_store_explicit(&p->grain, grain, memory_order_relaxed);
    atomic_store_explicit(&p->done, 0, memory_order_relaxed);
    const uint64_t gen = atomic_load_explicit(&p->generation, memory_order_relaxed) + 1;
    const uint64_t tag = gen & (NK_LEFT_MASK >> 16);
    atomic_store_explicit(&p->claim, tag << NK_TAG_SHIFT | (uint64_t)count, memory_order_release);
    atomic_store(&p->generation, gen);                        /* publishes the job (seq_cst) */
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    run_chunks(p, gen);
    /* Wait for chunks other threads claimed; a worker that never woke up is not waited for. */
    int64_t last_yield = 0;
    unsigned spins = 0;
    while (atomic_load_explicit(&p->done, memory_order_acquire) != count) {
        NK_PAUSE();
        if ((++spins & 127u) == 0) {
            const int64_t t = now_ns();
            if (last_yield == 0) last_yield = t;
            else if (t - last_yield > NK_YIELD_NS) { sched_yield(); last_yield = t; }
        }
    }
    atomic_store_explicit(&p->busy, 0, memory_order_release);
}
