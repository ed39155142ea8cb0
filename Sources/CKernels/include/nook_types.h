/* The weight types the kernels handle: ggml type number and block layout, in one table.
 * Swift's GGMLType (GGUF target) describes every GGUF type; KernelsTests checks that the two agree. */
#ifndef NOOK_TYPES_H
#define NOOK_TYPES_H
#include <stdint.h>

/* X(name, ggml type number, elements per block, bytes per block), as in ggml-common.h. */
#define NOOK_WEIGHT_TYPES(X) \
    X(F32, 0, 1, 4)          \
    X(F16, 1, 1, 2)          \
    X(Q4_0, 2, 32, 18)       \
    X(Q4_1, 3, 32, 20)       \
    X(Q5_0, 6, 32, 22)       \
    X(Q5_1, 7, 32, 24)       \
    X(Q8_0, 8, 32, 34)       \
    X(Q4_K, 12, 256, 144)    \
    X(Q5_K, 13, 256, 176)    \
    X(Q6_K, 14, 256, 210)    \
    X(BF16, 30, 1, 2)

/* NK_<name>: the ggml type number. */
#define NOOK_TYPE_ID(name, id, elems, bytes) NK_##name = id,
enum { NOOK_WEIGHT_TYPES(NOOK_TYPE_ID) };
#undef NOOK_TYPE_ID

/* NK_<name>_BYTES: bytes of one block. */
#define NOOK_TYPE_BYTES(name, id, elems, bytes) NK_##name##_BYTES = bytes,
enum { NOOK_WEIGHT_TYPES(NOOK_TYPE_BYTES) };
#undef NOOK_TYPE_BYTES

/// Elements and bytes of one block of a weight type.
typedef struct {
    int64_t elems;
    int64_t bytes;
} nook_block_layout;

/// The block layout of `type`; {0, 0} for a type the kernels do not handle.
static inline nook_block_layout nook_type_block(int type) {
    nook_block_layout l = {0, 0};
    switch (type) {
#define NOOK_TYPE_CASE(name, id, e, b) case id: l.elems = e; l.bytes = b; break;
        NOOK_WEIGHT_TYPES(NOOK_TYPE_CASE)
#undef NOOK_TYPE_CASE
    default: break;
    }
    return l;
}

#endif
