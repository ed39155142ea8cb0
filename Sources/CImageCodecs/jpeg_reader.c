#include "CImageCodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

struct nook_jpeg {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr errors;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    int max_scans;
    nook_codec_status status;
    char message[NOOK_CODEC_MESSAGE_SIZE];
};

static void set_message(char *out, const char *text) {
    snprintf(out, NOOK_CODEC_MESSAGE_SIZE, "%s", text ? text : "unknown error");
}

/// Stops decoding: remember why and jump back to the entry point's setjmp.
static void fail(struct nook_jpeg *state, nook_codec_status status) {
    if (state->status == NOOK_CODEC_OK) {
        state->status = status;
        char text[JMSG_LENGTH_MAX];
        state->errors.format_message((j_common_ptr)&state->cinfo, text);
        set_message(state->message, text);
    }
    longjmp(state->jump, 1);
}

/// libjpeg's fatal-error callback (it would otherwise print and exit).
static void on_error_exit(j_common_ptr cinfo) {
    struct nook_jpeg *state = (struct nook_jpeg *)cinfo->client_data;
    switch (cinfo->err->msg_code) {
    case JERR_INPUT_EOF:
    case JERR_INPUT_EMPTY:
        fail(state, NOOK_CODEC_TRUNCATED);
        break;
    case JERR_OUT_OF_MEMORY:
        fail(state, NOOK_CODEC_NO_MEMORY);
        break;
    case JERR_ARITH_NOTIMPL:
    case JERR_BAD_PRECISION:
    case JERR_CONVERSION_NOTIMPL:
    case JERR_IMAGE_TOO_BIG:
    case JERR_NOTIMPL:
    case JERR_SOF_UNSUPPORTED:
        fail(state, NOOK_CODEC_UNSUPPORTED);
        break;
    default:
        fail(state, NOOK_CODEC_INVALID);
    }
}

/// Warnings and trace messages are never printed; running out of data is a truncated file.
static void on_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        fail((struct nook_jpeg *)cinfo->client_data, NOOK_CODEC_TRUNCATED);
    }
}

static void on_output_message(j_common_ptr cinfo) { (void)cinfo; }

/// Refuses progressive files with absurdly many scans, which take minutes to decode.
static void on_progress(j_common_ptr cinfo) {
    struct nook_jpeg *state = (struct nook_jpeg *)cinfo->client_data;
    if (state->cinfo.input_scan_number > state->max_scans) {
        state->status = NOOK_CODEC_INVALID;
        snprintf(state->message, NOOK_CODEC_MESSAGE_SIZE, "more than %d progressive scans", state->max_scans);
        longjmp(state->jump, 1);
    }
}

/// The TIFF payload of the first APP1 marker that starts with "Exif\0\0".
static void find_exif(struct nook_jpeg *state, nook_jpeg_info *info) {
    static const uint8_t tag[6] = {'E', 'x', 'i', 'f', 0, 0};
    for (jpeg_saved_marker_ptr marker = state->cinfo.marker_list; marker; marker = marker->next) {
        if (marker->marker == JPEG_APP0 + 1 && marker->data_length > sizeof tag
            && memcmp(marker->data, tag, sizeof tag) == 0) {
            info->exif = marker->data + sizeof tag;
            info->exif_size = marker->data_length - sizeof tag;
            return;
        }
    }
}

nook_jpeg *nook_jpeg_open(const uint8_t *data, size_t size, int max_scans, nook_jpeg_info *info,
                          nook_codec_status *status, char message[NOOK_CODEC_MESSAGE_SIZE]) {
    struct nook_jpeg *state = calloc(1, sizeof *state);
    if (!state) {
        *status = NOOK_CODEC_NO_MEMORY;
        set_message(message, "out of memory");
        return NULL;
    }
    state->max_scans = max_scans;
    state->cinfo.err = jpeg_std_error(&state->errors);
    state->errors.error_exit = on_error_exit;
    state->errors.emit_message = on_emit_message;
    state->errors.output_message = on_output_message;
    state->cinfo.client_data = state;
    if (setjmp(state->jump)) {
        *status = state->status == NOOK_CODEC_OK ? NOOK_CODEC_INVALID : state->status;
        set_message(message, state->message);
        nook_jpeg_close(state);
        return NULL;
    }
    jpeg_create_decompress(&state->cinfo);
    state->progress.progress_monitor = on_progress;
    state->cinfo.progress = &state->progress;
    jpeg_mem_src(&state->cinfo, data, (unsigned long)size);
    jpeg_save_markers(&state->cinfo, JPEG_APP0 + 1, 0xffff);
    jpeg_read_header(&state->cinfo, TRUE);

    memset(info, 0, sizeof *info);
    info->width = state->cinfo.image_width;
    info->height = state->cinfo.image_height;
    info->components = state->cinfo.num_components;
    info->color_space = state->cinfo.jpeg_color_space;
    info->progressive = state->cinfo.progressive_mode;
    info->adobe = state->cinfo.saw_Adobe_marker;
    switch (state->cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_RGB:
    case JCS_YCbCr:
        state->cinfo.out_color_space = JCS_RGB;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        state->cinfo.out_color_space = JCS_CMYK;
        break;
    default:
        *status = NOOK_CODEC_UNSUPPORTED;
        snprintf(message, NOOK_CODEC_MESSAGE_SIZE, "%d-component colour space %d", info->components, info->color_space);
        nook_jpeg_close(state);
        return NULL;
    }
    jpeg_calc_output_dimensions(&state->cinfo);
    info->output_channels = state->cinfo.output_components;
    find_exif(state, info);
    *status = NOOK_CODEC_OK;
    return state;
}

nook_codec_status nook_jpeg_read(nook_jpeg *state, uint8_t *pixels, size_t stride,
                                 char message[NOOK_CODEC_MESSAGE_SIZE]) {
    if (setjmp(state->jump)) {
        set_message(message, state->message);
        return state->status == NOOK_CODEC_OK ? NOOK_CODEC_INVALID : state->status;
    }
    jpeg_start_decompress(&state->cinfo);
    if ((size_t)state->cinfo.output_width * (size_t)state->cinfo.output_components > stride) {
        set_message(message, "unexpected row size");
        return NOOK_CODEC_UNSUPPORTED;
    }
    while (state->cinfo.output_scanline < state->cinfo.output_height) {
        JSAMPROW row = pixels + (size_t)state->cinfo.output_scanline * stride;
        if (jpeg_read_scanlines(&state->cinfo, &row, 1) != 1) {
            set_message(message, "no more rows");
            return NOOK_CODEC_TRUNCATED;
        }
    }
    // The rows are complete: what follows the last scan (EOI, trailing markers) is not read.
    return NOOK_CODEC_OK;
}

void nook_jpeg_close(nook_jpeg *state) {
    if (!state) return;
    jpeg_destroy_decompress(&state->cinfo);
    free(state);
}
