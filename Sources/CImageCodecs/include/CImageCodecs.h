#ifndef NOOK_IMAGE_CODECS_H
#define NOOK_IMAGE_CODECS_H

// libpng and libjpeg report errors by longjmp. These helpers keep every setjmp/longjmp inside C:
// each entry point sets its own jump target, so a library error returns a code and a message to
// Swift and never unwinds a Swift frame. Nothing here prints, aborts or exits.

#include <stddef.h>
#include <stdint.h>

/// How a decoding step ended.
typedef enum {
    NOOK_CODEC_OK = 0,
    NOOK_CODEC_TRUNCATED = 1,
    NOOK_CODEC_INVALID = 2,
    NOOK_CODEC_UNSUPPORTED = 3,
    NOOK_CODEC_NO_MEMORY = 4,
} nook_codec_status;

/// The longest message (with its NUL) the helpers write.
#define NOOK_CODEC_MESSAGE_SIZE 200

// MARK: PNG

typedef struct nook_png nook_png;

/// What the PNG header says, read before any pixel memory is allocated.
typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;
    int color_type;
    int interlaced;
    /// Whether the decoded pixels carry alpha (an alpha channel or a tRNS chunk).
    int has_alpha;
} nook_png_info;

/// Reads the signature and the chunks before the image data; NULL with `status` and `message` set on failure.
nook_png *nook_png_open(const uint8_t *data, size_t size, nook_png_info *info,
                        nook_codec_status *status, char message[NOOK_CODEC_MESSAGE_SIZE]);

/// Decodes every row as 8-bit RGB (or RGBA when `has_alpha`), `stride` bytes apart, top row first.
nook_codec_status nook_png_read(nook_png *png, uint8_t *pixels, size_t stride,
                                char message[NOOK_CODEC_MESSAGE_SIZE]);

/// Frees the decoder (NULL is allowed).
void nook_png_close(nook_png *png);

// MARK: JPEG

typedef struct nook_jpeg nook_jpeg;

/// What the JPEG header says, read before any pixel memory is allocated.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// Components in the file (1 grey, 3 YCbCr or RGB, 4 CMYK or YCCK).
    int components;
    /// libjpeg's J_COLOR_SPACE of the file.
    int color_space;
    int progressive;
    /// Whether an Adobe APP14 marker was seen.
    int adobe;
    /// Channels of the decoded rows: 3 (RGB) or 4 (CMYK as stored, Adobe-inverted).
    int output_channels;
    /// The TIFF data of the first APP1 "Exif" marker (after "Exif\0\0"), owned by the decoder; NULL if none.
    const uint8_t *exif;
    size_t exif_size;
} nook_jpeg_info;

/// Reads the markers up to the first scan; NULL with `status` and `message` set on failure.
nook_jpeg *nook_jpeg_open(const uint8_t *data, size_t size, int max_scans, nook_jpeg_info *info,
                          nook_codec_status *status, char message[NOOK_CODEC_MESSAGE_SIZE]);

/// Decodes every row (`output_channels` bytes a pixel), `stride` bytes apart, top row first.
nook_codec_status nook_jpeg_read(nook_jpeg *jpeg, uint8_t *pixels, size_t stride,
                                 char message[NOOK_CODEC_MESSAGE_SIZE]);

/// Frees the decoder (NULL is allowed).
void nook_jpeg_close(nook_jpeg *jpeg);

#endif
