#ifndef NOOK_CKERNELS_H
#define NOOK_CKERNELS_H
#include <stdint.h>
#include <stddef.h>

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

/// Detects the features once; safe to call from any thread.
nook_cpu_features nook_detect_cpu_features(void);

#endif
