#ifndef NOOK_ATTENTION_H
#define NOOK_ATTENTION_H
#include <stddef.h>
#include <stdint.h>

/// Attends one query head to `length` cached positions (f32 keys and values).
/// q: [head_dim]; keys/values: position j at keys + j*stride; scores: scratch [length];
/// out: [head_dim] = sum_j softmax(scale * q.k_j)_j * v_j.
void nook_attention_head(const float *q, const float *keys, const float *values, int64_t stride,
                         int64_t length, int64_t head_dim, float scale, float *scores, float *out);

/// Attends one query head to `length` positions of an f16 KV cache, as llama.cpp's CPU flash attention does:
/// `tiled` (batches of 64 or more query rows) computes in f32 after the f16 keys and values; otherwise the query is
/// rounded to f16 and the values are summed in an f16 accumulator with an online softmax.
/// keys/values: position j at keys + j*stride (f16 bits); scratch: nook_attention_f16_scratch floats; out: [head_dim].
void nook_attention_head_f16(const float *q, const uint16_t *keys, const uint16_t *values, int64_t stride,
                             int64_t length, int64_t head_dim, float scale, int tiled, float *scratch, float *out);

/// Floats of scratch nook_attention_head_f16 needs.
size_t nook_attention_f16_scratch(int64_t length, int64_t head_dim);

/// Rounds n f32 values to f16 bits (nearest even), as ggml stores them in an f16 cache.
void nook_f32_to_f16_row(const float *x, uint16_t *out, int64_t n);

/// Attends one query head to `length` positions of a Q8_0 KV cache, as llama.cpp's CPU flash attention does for
/// q8_0 K and V: the query quantized to Q8_0, Q8_0 block dot products, f32 online softmax over dequantized values.
/// keys/values: position j at keys + j*stride_blocks blocks of 34 bytes; head_dim % 32 == 0;
/// scratch: nook_attention_q8_scratch floats; out: [head_dim].
void nook_attention_head_q8_0(const float *q, const void *keys, const void *values, int64_t stride_blocks,
                              int64_t length, int64_t head_dim, float scale, float *scratch, float *out);

/// Floats of scratch nook_attention_head_q8_0 needs.
size_t nook_attention_q8_scratch(int64_t head_dim);

/// Quantizes n values (n % 32 == 0) into Q8_0 blocks (f16 scale, 32 int8) as ggml stores a q8_0 cache.
void nook_store_q8_0_row(const float *x, void *blocks, int64_t n);

/// Multiplies each run of `block` values (a power of two) by the orthonormal Walsh-Hadamard matrix, in place:
/// the rotation llama.cpp applies to queries, keys and values around a quantized KV cache.
void nook_hadamard_rows(float *x, int64_t count, int64_t block);

/// softmax(scale · x) of one row of n values, in place (the probabilities sum to 1).
void nook_softmax_scaled(float *x, int64_t n, float scale);

/// Dot product of two f32 vectors.
float nook_dot_f32(const float *a, const float *b, int64_t n);

/// Sum of squares of an f32 vector.
float nook_sum_squares_f32(const float *x, int64_t n);
#endif
