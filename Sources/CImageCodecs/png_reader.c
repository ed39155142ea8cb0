#include "CImageCodecs.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nook_png {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t offset;
    nook_codec_status status;
    char message[NOOK_CODEC_MESSAGE_SIZE];
    int has_alpha;
};

static void set_message(char *out, const char *text) {
    snprintf(out, NOOK_CODEC_MESSAGE_SIZE, "%s", text ? text : "unknown error");
}

/// libpng's error callback: remember the message and jump back to the entry point's setjmp.
static void on_error(png_structp png, png_const_charp text) {
    struct nook_png *state = png_get_error_ptr(png);
    if (state->status == NOOK_CODEC_OK) {
        state->status = strstr(text, "memory") ? NOOK_CODEC_NO_MEMORY : NOOK_CODEC_INVALID;
        set_message(state->message, text);
    }
    png_longjmp(png, 1);
}

/// Warnings (a bad ancillary chunk, say) are not failures and are never printed.
static void on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

/// Reads from the memory buffer; running out of data is a truncated file.
static void read_bytes(png_structp png, png_bytep out, size_t length) {
    struct nook_png *state = png_get_io_ptr(png);
    if (length > state->size - state->offset) {
        state->status = NOOK_CODEC_TRUNCATED;
        snprintf(state->message, NOOK_CODEC_MESSAGE_SIZE, "the file ends after %zu bytes", state->size);
        png_longjmp(png, 1);
    }
    memcpy(out, state->data + state->offset, length);
    state->offset += length;
}

nook_png *nook_png_open(const uint8_t *data, size_t size, nook_png_info *info,
                        nook_codec_status *status, char message[NOOK_CODEC_MESSAGE_SIZE]) {
    struct nook_png *state = calloc(1, sizeof *state);
    if (!state) {
        *status = NOOK_CODEC_NO_MEMORY;
        set_message(message, "out of memory");
        return NULL;
    }
    state->data = data;
    state->size = size;
    state->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, state, on_error, on_warning);
    state->info = state->png ? png_create_info_struct(state->png) : NULL;
    if (!state->info) {
        nook_png_close(state);
        *status = NOOK_CODEC_NO_MEMORY;
        set_message(message, "out of memory");
        return NULL;
    }
    if (setjmp(png_jmpbuf(state->png))) {
        *status = state->status == NOOK_CODEC_OK ? NOOK_CODEC_INVALID : state->status;
        set_message(message, state->message);
        nook_png_close(state);
        return NULL;
    }
    png_set_read_fn(state->png, state, read_bytes);
    // The caller checks the dimensions against its own limits; ancillary chunks stay small.
    png_set_user_limits(state->png, 0x7fffffff, 0x7fffffff);
    png_set_chunk_cache_max(state->png, 1000);
    png_set_chunk_malloc_max(state->png, 8u << 20);
    png_read_info(state->png, state->info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(state->png, state->info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    state->has_alpha = (color_type & PNG_COLOR_MASK_ALPHA) || png_get_valid(state->png, state->info, PNG_INFO_tRNS);
    info->width = width;
    info->height = height;
    info->bit_depth = bit_depth;
    info->color_type = color_type;
    info->interlaced = interlace != PNG_INTERLACE_NONE;
    info->has_alpha = state->has_alpha;
    *status = NOOK_CODEC_OK;
    return state;
}

nook_codec_status nook_png_read(nook_png *state, uint8_t *pixels, size_t stride,
                                char message[NOOK_CODEC_MESSAGE_SIZE]) {
    png_uint_32 height = png_get_image_height(state->png, state->info);
    png_bytep *rows = malloc((height ? height : 1) * sizeof(png_bytep));
    if (!rows) {
        set_message(message, "out of memory");
        return NOOK_CODEC_NO_MEMORY;
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + (size_t)y * stride;
    if (setjmp(png_jmpbuf(state->png))) {
        free(rows);
        set_message(message, state->message);
        return state->status == NOOK_CODEC_OK ? NOOK_CODEC_INVALID : state->status;
    }
    // Palette to RGB, grey below 8 bits to 8, tRNS to alpha; 16 bits keep their high byte (as Pillow).
    png_set_expand(state->png);
    png_set_strip_16(state->png);
    png_set_gray_to_rgb(state->png);
    png_set_interlace_handling(state->png);
    png_read_update_info(state->png, state->info);
    size_t channels = state->has_alpha ? 4 : 3;
    if (png_get_bit_depth(state->png, state->info) != 8 || png_get_channels(state->png, state->info) != channels
        || png_get_rowbytes(state->png, state->info) > stride) {
        free(rows);
        set_message(message, "unexpected pixel layout after conversion");
        return NOOK_CODEC_UNSUPPORTED;
    }
    png_read_image(state->png, rows);
    free(rows);
    return NOOK_CODEC_OK;
}

void nook_png_close(nook_png *state) {
    if (!state) return;
    if (state->png) png_destroy_read_struct(&state->png, state->info ? &state->info : NULL, NULL);
    free(state);
}
