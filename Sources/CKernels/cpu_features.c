/* The one CPU detection of the kernels: features advertised by cpuid and enabled by the OS (XCR0),
 * the kernel levels they allow, and the NOOK_CPU cap; computed once, thread-safe. */
#include "ckernels.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>

static unsigned long long xgetbv0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

static nook_cpu_features detect(void) {
    nook_cpu_features f = {0};
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
    int osxsave = (c >> 27) & 1;
    if (!osxsave) return f;
    unsigned long long xcr0 = xgetbv0();
    int ymm_ok = (xcr0 & 0x6) == 0x6;          /* XMM and YMM state enabled by the OS */
    int zmm_ok = (xcr0 & 0xe6) == 0xe6;        /* plus opmask and ZMM state */
    int fma = (c >> 12) & 1, f16c = (c >> 29) & 1, avx = (c >> 28) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return f;
    unsigned int b7 = b, c7 = c;
    unsigned int a71 = 0;
    { unsigned int x, y, z; if (__get_cpuid_count(7, 1, &a71, &x, &y, &z) == 0) a71 = 0; }
    if (ymm_ok && avx) {
        f.avx2 = (b7 >> 5) & 1;
        f.fma = fma;
        f.f16c = f16c;
        f.avxvnni = (a71 >> 4) & 1;
    }
    if (zmm_ok && f.avx2) {
        f.avx512f = (b7 >> 16) & 1;
        f.avx512bw = (b7 >> 30) & 1;
        f.avx512vl = (b7 >> 31) & 1;
        f.avx512vnni = (c7 >> 11) & 1;
        f.avx512bf16 = (a71 >> 5) & 1;
    }
    return f;
}
#else
static nook_cpu_features detect(void) {
    nook_cpu_features f = {0};
    return f;
}
#endif

static pthread_once_t once = PTHREAD_ONCE_INIT;
static nook_cpu_features features;
static int hardware_ok[NOOK_LEVEL_AVX512VNNI + 1];
static int requested = NOOK_CPU_NO_OVERRIDE;

int nook_parse_level(const char *name) {
    if (!name) return NOOK_CPU_NO_OVERRIDE;
    static const struct { const char *name; int level; } names[] = {
        {"scalar", NOOK_LEVEL_SCALAR}, {"avx2", NOOK_LEVEL_AVX2}, {"avx-vnni", NOOK_LEVEL_AVXVNNI},
        {"avxvnni", NOOK_LEVEL_AVXVNNI}, {"avx512", NOOK_LEVEL_AVX512VNNI}, {"avx512-vnni", NOOK_LEVEL_AVX512VNNI},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) return names[i].level;
    return NOOK_CPU_UNKNOWN_OVERRIDE;
}

static void init(void) {
    features = detect();
    const nook_cpu_features f = features;
    const int avx2 = f.avx2 && f.fma && f.f16c;
    hardware_ok[NOOK_LEVEL_SCALAR] = 1;
    hardware_ok[NOOK_LEVEL_AVX2] = avx2;
    hardware_ok[NOOK_LEVEL_AVXVNNI] = avx2 && f.avxvnni;
    hardware_ok[NOOK_LEVEL_AVX512VNNI] = avx2 && f.avx512f && f.avx512vl && f.avx512bw && f.avx512vnni;
    requested = nook_parse_level(getenv("NOOK_CPU"));
}

nook_cpu_features nook_detect_cpu_features(void) {
    pthread_once(&once, init);
    return features;
}

int nook_cpu_override(void) {
    pthread_once(&once, init);
    return requested;
}

int nook_level_supported(int level) {
    if (level < NOOK_LEVEL_SCALAR || level > NOOK_LEVEL_AVX512VNNI) return 0;
    pthread_once(&once, init);
    if (requested >= NOOK_LEVEL_SCALAR && level > requested) return 0;
    return hardware_ok[level];
}

int nook_best_level(void) {
    for (int l = NOOK_LEVEL_AVX512VNNI; l > NOOK_LEVEL_SCALAR; l--)
        if (nook_level_supported(l)) return l;
    return NOOK_LEVEL_SCALAR;
}
