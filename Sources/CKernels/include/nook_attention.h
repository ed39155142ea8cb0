#ifndef NOOK_ATTENTION_H
#define NOOK_ATTENTION_H
#include <stddef.h>
#include <stdint.h>

/// Attends one query head to `length` cached positions (f32 keys and values).
/// q: [head_dim]; keys/values: position j at keys + j*stride; scores: scratch [length];
/// out: [head_dim] = sum_j softmax(scale * q.k_j)_j * v_j.
void nook_attention_head(const float *q, const float *keys, const float *values, int64_t stride,
                         int64_t length, int64_t head_dim, float scale, float *scores, float *out);

/// Dot product of two f32 vectors.
float nook_dot_f32(const float *a, const float *b, int64_t n);

/// Sum of squares of an f32 vector.
float nook_sum_squares_f32(const float *x, int64_t n);
#endif
