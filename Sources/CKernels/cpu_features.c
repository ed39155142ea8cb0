#include "ckernels.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>

static unsigned long long xgetbv0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

nook_cpu_features nook_detect_cpu_features(void) {
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
nook_cpu_features nook_detect_cpu_features(void) {
    nook_cpu_features f = {0};
    return f;
}
#endif
