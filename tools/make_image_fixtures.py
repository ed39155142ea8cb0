#!/usr/bin/env python3
"""Write the image decoder fixtures under Tests/MediaTests/Fixtures (needs Pillow from PyPI).

usage: make_image_fixtures.py [OUT_DIR]

Writes, deterministically:
  images/NAME.EXT        small files of every format and variant nook decodes
  expected/NAME.rgb|rgba the pixels Pillow decodes from each (EXIF orientation applied, as
                         ImageOps.exif_transpose does), raw bytes, rows top to bottom
  hostile/NAME.EXT       files that must be refused with a one-line error (truncated, empty,
                         random, bombs, unsupported variants)
  manifest.json          {"pillow", "images": [...], "hostile": [...]}

Files Pillow cannot write (16-bit and interlaced PNG, BMP variants, YCCK JPEG, bombs) are written
here byte by byte; Pillow still decodes every one of them for the expected pixels.
The only deliberate difference from Pillow: a 16-bit grey PNG is reduced to 8 bits by keeping the
high byte (as Pillow does for 16-bit RGB, RGBA and grey+alpha, and as stb_image does); Pillow's own
I;16 -> RGB conversion clips every value above 255 to white.
"""
import io
import json
import os
import random
import struct
import sys
import zlib

import PIL
from PIL import Image, ImageOps, features

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "MediaTests", "Fixtures")
images, hostile = [], []


def pattern(w, h, seed, alpha=False):
    """An RGB(A) picture with gradients, edges and some noise, so every decoder path has work to do."""
    rng = random.Random(seed)
    px = []
    for y in range(h):
        for x in range(w):
            r = (x * 255 // max(1, w - 1) + rng.randrange(24)) % 256
            g = (y * 255 // max(1, h - 1) + rng.randrange(24)) % 256
            b = 230 if (x // 4 + y // 3) % 2 else 30
            a = (x * 37 + y * 91 + rng.randrange(8)) % 256
            px.append((r, g, b, a) if alpha else (r, g, b))
    im = Image.new("RGBA" if alpha else "RGB", (w, h))
    im.putdata(px)
    return im


def rows_of(im):
    """The pixels of `im` as rows of tuples, top row first."""
    return [[im.getpixel((x, y)) for x in range(im.width)] for y in range(im.height)]


def write(folder, name, data):
    os.makedirs(os.path.join(OUT, folder), exist_ok=True)
    with open(os.path.join(OUT, folder, name), "wb") as f:
        f.write(data)


def expected_pixels(data, grey16_high_byte=False):
    """Pillow's decoded pixels: RGBA when the image has alpha or a transparent colour, else RGB."""
    im = Image.open(io.BytesIO(data))
    if grey16_high_byte:
        assert im.mode == "I;16", im.mode
        raw = im.tobytes()  # little-endian 16-bit samples
        grey = bytes(raw[i + 1] for i in range(0, len(raw), 2))
        return "RGB", im.size, bytes(v for g in grey for v in (g, g, g)), 1
    im = ImageOps.exif_transpose(im)
    orientation = Image.open(io.BytesIO(data)).getexif().get(0x0112, 1)
    orientation = orientation if 1 <= orientation <= 8 else 1  # exif_transpose ignores other values
    alpha = im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info
    mode = "RGBA" if alpha else "RGB"
    return mode, im.size, im.convert(mode).tobytes(), orientation


def image(name, ext, data, fmt, compare="exact", grey16=False):
    """Adds a decodable fixture and Pillow's pixels for it."""
    mode, (w, h), pixels, orientation = expected_pixels(data, grey16)
    file = f"{name}.{ext}"
    write("images", file, data)
    write("expected", f"{name}.{mode.lower()}", pixels)
    images.append({"name": name, "file": f"images/{file}", "format": fmt, "width": w, "height": h,
                   "mode": mode, "orientation": orientation, "compare": compare,
                   "pixels": f"expected/{name}.{mode.lower()}"})


def refuse(name, data, error):
    """Adds a hostile fixture; `error` is the start of the expected problem text (alternatives split by |)."""
    write("hostile", name, data)
    hostile.append({"file": f"hostile/{name}", "error": error})


def saved(im, fmt, **options):
    b = io.BytesIO()
    im.save(b, fmt, **options)
    return b.getvalue()


# MARK: PNG


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_bytes(w, h, depth, ctype, rows, palette=None, trns=None, interlace=False, ihdr=None):
    """A PNG from rows of per-pixel sample tuples; filters cycle through all five types."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    bpp = max(1, channels * depth // 8)

    def pack(row):
        if depth >= 8:
            fmt = ">H" if depth == 16 else ">B"
            return b"".join(struct.pack(fmt, s) for px in row for s in px)
        bits, out = 0, bytearray()
        count = 0
        for px in row:
            bits = (bits << depth) | px[0]
            count += depth
            if count == 8:
                out.append(bits)
                bits, count = 0, 0
        if count:
            out.append(bits << (8 - count))
        return bytes(out)

    def filtered(lines):
        out, prev = bytearray(), None
        for y, line in enumerate(lines):
            kind = y % 5
            up = prev if prev is not None else bytes(len(line))
            f = bytearray()
            for i, v in enumerate(line):
                a = line[i - bpp] if i >= bpp else 0
                b = up[i]
                c = up[i - bpp] if i >= bpp else 0
                if kind == 0:
                    p = 0
                elif kind == 1:
                    p = a
                elif kind == 2:
                    p = b
                elif kind == 3:
                    p = (a + b) // 2
                else:
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                f.append((v - p) % 256)
            out += bytes([kind]) + f
            prev = line
        return bytes(out)

    if interlace:
        raw = b""
        for x0, y0, dx, dy in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]:
            sub = [[rows[y][x] for x in range(x0, w, dx)] for y in range(y0, h, dy)]
            sub = [r for r in sub if r]
            if sub:
                raw += filtered([pack(r) for r in sub])
    else:
        raw = filtered([pack(r) for r in rows])
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr or struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, int(interlace)))
    if palette:
        out += chunk(b"PLTE", bytes(v for c in palette for v in c))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    return out + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def samples(w, h, seed, channels, maximum):
    rng = random.Random(seed)
    return [[tuple((x * 7919 + y * 104729 + c * 31 + rng.randrange(maximum + 1)) % (maximum + 1) for c in range(channels))
             for x in range(w)] for y in range(h)]


def make_png():
    for w, h in [(1, 1), (3, 5), (17, 9)]:
        image(f"png-rgb-{w}x{h}", "png", saved(pattern(w, h, w * h), "PNG"), "png")
    image("png-rgba-17x9", "png", saved(pattern(17, 9, 2, alpha=True), "PNG"), "png")
    image("png-grey-17x9", "png", saved(pattern(17, 9, 3).convert("L"), "PNG"), "png")
    image("png-grey-alpha-17x9", "png", saved(pattern(17, 9, 4, alpha=True).convert("LA"), "PNG"), "png")
    image("png-bilevel-17x9", "png", saved(pattern(17, 9, 5).convert("1"), "PNG"), "png")
    pal = pattern(17, 9, 6).quantize(colors=200)
    image("png-palette8-17x9", "png", saved(pal, "PNG"), "png")
    image("png-palette8-trns-17x9", "png", saved(pal, "PNG", transparency=bytes(range(0, 250, 3))[:120]), "png")
    image("png-palette4-trns-17x9", "png", saved(pattern(17, 9, 7).quantize(colors=16), "PNG", bits=4,
                                                 transparency=bytes([0, 64, 128, 255, 10])), "png")
    image("png-palette2-3x5", "png", saved(pattern(3, 5, 8).quantize(colors=4), "PNG", bits=2), "png")
    image("png-grey-trns-17x9", "png", saved(pattern(17, 9, 9).convert("L"), "PNG", transparency=128), "png")
    image("png-rgb-trns-3x5", "png", png_bytes(3, 5, 8, 2, [[(0, 0, 0), (10, 20, 30), (255, 255, 255)]] * 5,
                                               trns=struct.pack(">3H", 10, 20, 30)), "png")
    for depth in (1, 2, 4):
        image(f"png-grey{depth}-17x9", "png", png_bytes(17, 9, depth, 0, samples(17, 9, depth, 1, (1 << depth) - 1)), "png")
    image("png-grey16-17x9", "png", png_bytes(17, 9, 16, 0, samples(17, 9, 10, 1, 65535)), "png", grey16=True)
    image("png-grey-alpha16-17x9", "png", png_bytes(17, 9, 16, 4, samples(17, 9, 11, 2, 65535)), "png")
    image("png-rgb16-17x9", "png", png_bytes(17, 9, 16, 2, samples(17, 9, 12, 3, 65535)), "png")
    image("png-rgba16-3x5", "png", png_bytes(3, 5, 16, 6, samples(3, 5, 13, 4, 65535)), "png")
    rgb = rows_of(pattern(17, 9, 14))
    image("png-rgb-interlaced-17x9", "png", png_bytes(17, 9, 8, 2, rgb, interlace=True), "png")
    image("png-rgba16-interlaced-17x9", "png", png_bytes(17, 9, 16, 6, samples(17, 9, 15, 4, 65535), interlace=True), "png")
    palette = [(i * 16, 255 - i * 16, (i * 97) % 256) for i in range(16)]
    image("png-palette4-interlaced-trns-17x9", "png",
          png_bytes(17, 9, 4, 3, samples(17, 9, 16, 1, 15), palette=palette, trns=bytes([0, 100, 200])), "png")
    image("png-grey2-interlaced-1x1", "png", png_bytes(1, 1, 2, 0, [[(2,)]], interlace=True), "png")
    # A PNG named .jpg: the content decides.
    image("png-named-as-jpeg", "jpg", saved(pattern(3, 5, 17), "PNG"), "png")

    base = saved(pattern(33, 17, 18), "PNG")
    for cut in (5, 20, len(base) // 2, len(base) - 20):
        refuse(f"png-truncated-{cut}.png", base[:cut], "truncated PNG data|not a PNG")
    interlaced = png_bytes(33, 17, 8, 2, samples(33, 17, 19, 3, 255), interlace=True)
    refuse("png-interlaced-truncated.png", interlaced[:len(interlaced) * 2 // 3], "truncated PNG data")
    rng = random.Random(20)
    refuse("png-magic-then-random.png", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(400)),
           "invalid PNG data|truncated PNG data")
    tiny = zlib.compress(b"\x00\x00\x00\x00")
    for w, h, error in [(100000, 100000, "the PNG header says 100000×100000 pixels; each side must be 1 to 65535"),
                        (10000, 10000, "the PNG header says 10000×10000 pixels (100 megapixels), over the 50-megapixel limit"),
                        (0, 5, "the PNG header says 0×5 pixels; each side must be 1 to 65535")]:
        ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
        data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", tiny) + chunk(b"IEND", b"")
        refuse(f"png-{w}x{h}.png", data, error)
    bad_crc = bytearray(base)
    bad_crc[29] ^= 0xFF  # the IHDR checksum
    refuse("png-bad-header-crc.png", bytes(bad_crc), "invalid PNG data (IHDR: CRC error")


# MARK: JPEG


def exif_orientation(value, big_endian=False):
    """An APP1 EXIF payload with only IFD0's orientation tag."""
    e = ">" if big_endian else "<"
    tiff = (b"MM" if big_endian else b"II") + struct.pack(e + "HI", 42, 8)
    tiff += struct.pack(e + "H", 1) + struct.pack(e + "HHI", 0x0112, 3, 1) + struct.pack(e + "HH", value, 0) + struct.pack(e + "I", 0)
    return b"Exif\x00\x00" + tiff


def with_app1(jpeg, payload):
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def make_jpeg():
    for w, h in [(1, 1), (3, 5), (17, 9), (33, 17)]:
        image(f"jpeg-{w}x{h}", "jpg", saved(pattern(w, h, 30 + w), "JPEG", quality=90), "jpeg", "jpeg")
    photo = pattern(64, 48, 31)
    for name, sub in [("444", 0), ("422", 1), ("420", 2)]:
        image(f"jpeg-baseline-{name}-64x48", "jpg", saved(photo, "JPEG", quality=85, subsampling=sub), "jpeg", "jpeg")
    image("jpeg-progressive-420-33x17", "jpg", saved(pattern(33, 17, 32), "JPEG", quality=80, progressive=True), "jpeg", "jpeg")
    image("jpeg-progressive-444-64x48", "jpg", saved(photo, "JPEG", quality=92, progressive=True, subsampling=0), "jpeg", "jpeg")
    image("jpeg-restart-64x48", "jpg", saved(photo, "JPEG", quality=85, restart_marker_blocks=3), "jpeg", "jpeg")
    image("jpeg-grey-17x9", "jpg", saved(pattern(17, 9, 33).convert("L"), "JPEG", quality=90), "jpeg", "jpeg")
    image("jpeg-grey-progressive-33x17", "jpg", saved(pattern(33, 17, 34).convert("L"), "JPEG", progressive=True), "jpeg", "jpeg")
    cmyk = saved(pattern(17, 9, 35).convert("CMYK"), "JPEG", quality=95)
    image("jpeg-cmyk-17x9", "jpg", cmyk, "jpeg", "jpeg")
    at = cmyk.index(b"Adobe") + 11
    assert cmyk[at] == 0, "Pillow writes CMYK with Adobe transform 0"
    image("jpeg-ycck-17x9", "jpg", cmyk[:at] + b"\x02" + cmyk[at + 1:], "jpeg", "jpeg")
    upright = saved(pattern(17, 9, 36), "JPEG", quality=95, subsampling=0)
    for value in range(1, 9):
        image(f"jpeg-orientation-{value}", "jpg", with_app1(upright, exif_orientation(value)), "jpeg", "jpeg")
    image("jpeg-orientation-6-big-endian", "jpg", with_app1(upright, exif_orientation(6, big_endian=True)), "jpeg", "jpeg")
    image("jpeg-orientation-invalid-9", "jpg", with_app1(upright, exif_orientation(9)), "jpeg", "jpeg")

    base = saved(photo, "JPEG", quality=85)
    for cut in (10, 200, len(base) // 2, len(base) - 40):
        refuse(f"jpeg-truncated-{cut}.jpg", base[:cut], "truncated JPEG data")
    progressive = saved(photo, "JPEG", quality=85, progressive=True)
    refuse("jpeg-progressive-truncated.jpg", progressive[:len(progressive) * 3 // 4], "truncated JPEG data")
    rng = random.Random(40)
    refuse("jpeg-magic-then-random.jpg", b"\xff\xd8\xff" + bytes(rng.randrange(256) for _ in range(400)),
           "invalid JPEG data|truncated JPEG data|unsupported JPEG variant")
    sof = base.index(b"\xff\xc0")
    for w, h, error in [(60000, 60000, "the JPEG header says 60000×60000 pixels (3600 megapixels), over the 50-megapixel limit"),
                        (8000, 0, "invalid JPEG data")]:
        refuse(f"jpeg-{w}x{h}.jpg", base[:sof + 5] + struct.pack(">HH", h, w) + base[sof + 9:], error)
    refuse("jpeg-lossless-sof3.jpg", base[:sof + 1] + b"\xc3" + base[sof + 2:], "unsupported JPEG variant")


# MARK: WebP


def make_webp():
    image("webp-lossy-17x9", "webp", saved(pattern(17, 9, 50), "WEBP", quality=80), "webp")
    image("webp-lossy-33x17", "webp", saved(pattern(33, 17, 51), "WEBP", quality=60), "webp")
    image("webp-lossy-1x1", "webp", saved(pattern(1, 1, 52), "WEBP", quality=80), "webp")
    image("webp-lossless-3x5", "webp", saved(pattern(3, 5, 53), "WEBP", lossless=True), "webp")
    image("webp-lossless-alpha-17x9", "webp", saved(pattern(17, 9, 54, alpha=True), "WEBP", lossless=True, exact=True), "webp")
    image("webp-lossy-alpha-17x9", "webp", saved(pattern(17, 9, 55, alpha=True), "WEBP", quality=80), "webp")
    frames = [pattern(17, 9, 56 + i, alpha=True) for i in range(3)]
    image("webp-animated-17x9", "webp", saved(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True), "webp")
    opaque = [pattern(17, 9, 60 + i) for i in range(2)]
    image("webp-animated-lossy-17x9", "webp", saved(opaque[0], "WEBP", save_all=True, append_images=opaque[1:], quality=70), "webp")

    base = saved(pattern(33, 17, 57), "WEBP", quality=80)
    for cut in (16, 40, len(base) // 2, len(base) - 10):
        refuse(f"webp-truncated-{cut}.webp", base[:cut], "truncated WebP data")
    lossless = saved(pattern(33, 17, 58), "WEBP", lossless=True)
    refuse("webp-lossless-truncated.webp", lossless[:len(lossless) // 2], "truncated WebP data")
    rng = random.Random(59)
    body = b"WEBP" + bytes(rng.randrange(256) for _ in range(400))
    refuse("webp-magic-then-random.webp", b"RIFF" + struct.pack("<I", len(body)) + body, "invalid WebP data|truncated WebP data")

    def riff(*chunks):
        body = b"WEBP" + b"".join(kind + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"") for kind, data in chunks)
        return b"RIFF" + struct.pack("<I", len(body)) + body

    # VP8X canvas of 100000×100000 with the animation flag (libwebp reads the canvas, then stops).
    vp8x = struct.pack("<I", 0x02) + (100000 - 1).to_bytes(3, "little") + (100000 - 1).to_bytes(3, "little")
    refuse("webp-100000x100000.webp", riff((b"VP8X", vp8x), (b"ANIM", bytes(6))),
           "the WebP header says 100000×100000 pixels; each side must be 1 to 65535")
    # A lossless header of 16384×16384 (its largest) over a few bytes.
    bits = (16384 - 1) | ((16384 - 1) << 14)
    vp8l = b"\x2f" + struct.pack("<I", bits) + bytes(16)
    refuse("webp-16384x16384.webp", riff((b"VP8L", vp8l)),
           "the WebP header says 16384×16384 pixels (268.4 megapixels), over the 50-megapixel limit")


# MARK: GIF


def make_gif():
    pal = pattern(17, 9, 70).quantize(colors=32)
    image("gif-17x9", "gif", saved(pal, "GIF"), "gif")
    image("gif-1x1", "gif", saved(pattern(1, 1, 71).quantize(colors=2), "GIF"), "gif")
    image("gif-transparent-17x9", "gif", saved(pal, "GIF", transparency=3), "gif")
    image("gif-grey-3x5", "gif", saved(pattern(3, 5, 72).convert("L"), "GIF"), "gif")
    big = pattern(33, 17, 73).quantize(colors=64)
    interlaced = saved(big, "GIF", interlace=True)
    assert interlaced[interlaced.index(b"\x2c") + 9] & 0x40, "Pillow wrote an interlaced GIF"
    image("gif-interlaced-33x17", "gif", interlaced, "gif")
    frames = [pattern(17, 9, 74 + i).quantize(colors=16) for i in range(3)]
    image("gif-animated-17x9", "gif", saved(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100), "gif")

    def placed(data, screen, at):
        """The same GIF with a larger logical screen and its first frame moved to `at`."""
        d = bytearray(data)
        d[6:10] = struct.pack("<HH", *screen)
        i = d.index(b"\x2c", 13 + 3 * (2 << (d[10] & 7)) if d[10] & 0x80 else 13)
        d[i + 1:i + 5] = struct.pack("<HH", *at)
        return bytes(d)

    small = pattern(5, 3, 75).quantize(colors=8)
    image("gif-frame-inside-screen-9x7", "gif", placed(saved(small, "GIF"), (9, 7), (2, 3)), "gif")
    image("gif-frame-inside-screen-transparent-9x7", "gif", placed(saved(small, "GIF", transparency=1), (9, 7), (3, 1)), "gif")

    base = saved(big, "GIF")
    for cut in (10, 200, len(base) // 2, len(base) - 5):
        refuse(f"gif-truncated-{cut}.gif", base[:cut], "truncated GIF data")
    rng = random.Random(76)
    refuse("gif-magic-then-random.gif", b"GIF89a" + bytes(rng.randrange(256) for _ in range(400)), "invalid GIF data|truncated GIF data|the GIF header says")
    tiny = saved(pattern(2, 2, 77).quantize(colors=2), "GIF")
    refuse("gif-65535x65535.gif", tiny[:6] + struct.pack("<HH", 65535, 65535) + tiny[10:],
           "the GIF header says 65535×65535 pixels (4294.8 megapixels), over the 50-megapixel limit")
    i = tiny.index(b"\x2c", 13 + 3 * (2 << (tiny[10] & 7)))
    refuse("gif-frame-65535x65535.gif", tiny[:i + 5] + struct.pack("<HH", 65535, 65535) + tiny[i + 9:],
           "the GIF header says 65535×65535 pixels (4294.8 megapixels), over the 50-megapixel limit")
    refuse("gif-0x0.gif", tiny[:6] + struct.pack("<HH", 0, 0) + tiny[10:], "the GIF header says 0×0 pixels; each side must be 1 to 65535")
    refuse("gif-no-image.gif", b"GIF89a" + struct.pack("<HHBBB", 4, 4, 0, 0, 0) + b";", "invalid GIF data (the file holds no image")


# MARK: BMP


def bmp_bytes(w, h, bpp, rows, compression=0, masks=None, header=40, palette=b"", colors=None, top_down=False):
    """A BMP from packed rows (top row first); `masks` go inside V2+ headers or after a 40-byte one."""
    stride = (bpp * w + 31) // 32 * 4
    ordered = rows if top_down else rows[::-1]
    data = b"".join(r.ljust(stride, b"\0") for r in ordered)
    n_colors = len(palette) // (3 if header == 12 else 4) if colors is None else colors
    if header == 12:
        info = struct.pack("<IHHHH", 12, w, h, 1, bpp)
        extra = b""
    else:
        info = struct.pack("<IiiHHIIiiII", header, w, -h if top_down else h, 1, bpp, compression, len(data), 2835, 2835, n_colors, 0)
        m = list(masks or []) + [0] * (4 - len(masks or []))
        extra = b""
        if header == 40 and masks:
            extra = struct.pack(f"<{len(masks)}I", *masks)
        elif header > 40:
            info += struct.pack("<4I", *m)[:header - 40] + bytes(max(0, header - 56))
    offset = 14 + len(info) + len(extra) + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(data), 0, 0, offset) + info + extra + palette + data


def make_bmp():
    def bgr_rows(im, w, h, fmt):
        return [b"".join(fmt(r, g, b, a[0] if a else 255) for r, g, b, *a in row) for row in rows_of(im)]

    for w, h in [(1, 1), (3, 5), (17, 9)]:
        im = pattern(w, h, 80 + w)
        image(f"bmp-24-{w}x{h}", "bmp", bmp_bytes(w, h, 24, bgr_rows(im, w, h, lambda r, g, b, a: bytes([b, g, r]))), "bmp")
    im = pattern(17, 9, 84)
    image("bmp-24-top-down-17x9", "bmp", bmp_bytes(17, 9, 24, bgr_rows(im, 17, 9, lambda r, g, b, a: bytes([b, g, r])), top_down=True), "bmp")
    image("bmp-24-core-header-3x5", "bmp", bmp_bytes(3, 5, 24, bgr_rows(pattern(3, 5, 85), 3, 5, lambda r, g, b, a: bytes([b, g, r])), header=12), "bmp")
    image("bmp-32-rgb-17x9", "bmp", bmp_bytes(17, 9, 32, bgr_rows(im, 17, 9, lambda r, g, b, a: bytes([b, g, r, (r * 3) % 256]))), "bmp")
    rgba = pattern(17, 9, 86, alpha=True)
    image("bmp-32-bitfields-v4-bgra-17x9", "bmp",
          bmp_bytes(17, 9, 32, bgr_rows(rgba, 17, 9, lambda r, g, b, a: bytes([b, g, r, a])), 3,
                    (0xFF0000, 0xFF00, 0xFF, 0xFF000000), header=108), "bmp")
    image("bmp-32-bitfields-v5-rgba-top-down-17x9", "bmp",
          bmp_bytes(17, 9, 32, bgr_rows(rgba, 17, 9, lambda r, g, b, a: bytes([r, g, b, a])), 3,
                    (0xFF, 0xFF00, 0xFF0000, 0xFF000000), header=124, top_down=True), "bmp")
    image("bmp-32-bitfields-info-17x9", "bmp",
          bmp_bytes(17, 9, 32, bgr_rows(im, 17, 9, lambda r, g, b, a: bytes([b, g, r, 7])), 3, (0xFF0000, 0xFF00, 0xFF)), "bmp")
    image("bmp-16-565-17x9", "bmp",
          bmp_bytes(17, 9, 16, bgr_rows(im, 17, 9, lambda r, g, b, a: struct.pack("<H", (r >> 3) << 11 | (g >> 2) << 5 | b >> 3)), 3,
                    (0xF800, 0x7E0, 0x1F)), "bmp")
    image("bmp-16-555-3x5", "bmp",
          bmp_bytes(3, 5, 16, bgr_rows(pattern(3, 5, 87), 3, 5, lambda r, g, b, a: struct.pack("<H", (r >> 3) << 10 | (g >> 3) << 5 | b >> 3))), "bmp")
    rng = random.Random(88)
    for bits, w, h in [(8, 17, 9), (4, 17, 9), (1, 17, 9)]:
        n = 200 if bits == 8 else 1 << bits
        palette = b"".join(bytes([rng.randrange(256), rng.randrange(256), rng.randrange(256), 0]) for _ in range(n))
        indexes = [[rng.randrange(n) for _ in range(w)] for _ in range(h)]
        rows = []
        for line in indexes:
            acc, count, row = 0, 0, bytearray()
            for v in line:
                acc, count = acc << bits | v, count + bits
                if count == 8:
                    row.append(acc)
                    acc, count = 0, 0
            if count:
                row.append(acc << (8 - count))
            rows.append(bytes(row))
        image(f"bmp-{bits}-palette-{w}x{h}", "bmp", bmp_bytes(w, h, bits, rows, palette=palette), "bmp")
        if bits == 8:
            image("bmp-8-palette-top-down-17x9", "bmp", bmp_bytes(w, h, bits, rows, palette=palette, top_down=True), "bmp")
    image("bmp-pillow-8-grey-17x9", "bmp", saved(pattern(17, 9, 89).convert("L"), "BMP"), "bmp")
    image("bmp-pillow-24-17x9", "bmp", saved(pattern(17, 9, 90), "BMP"), "bmp")

    base = saved(pattern(33, 17, 91), "BMP")
    for cut in (30, 60, len(base) // 2, len(base) - 1):
        refuse(f"bmp-truncated-{cut}.bmp", base[:cut], "truncated BMP data")
    refuse("bmp-magic-then-random.bmp", b"BM" + bytes(12) + struct.pack("<I", 40) + bytes(rng.randrange(256) for _ in range(200)),
           "invalid BMP data|truncated BMP data|unsupported BMP variant|the BMP header says")
    for w, h, error in [(100000, 100000, "the BMP header says 100000×100000 pixels; each side must be 1 to 65535"),
                        (20000, 20000, "the BMP header says 20000×20000 pixels (400 megapixels), over the 50-megapixel limit"),
                        (0, 0, "the BMP header says 0×0 pixels; each side must be 1 to 65535")]:
        info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, 0, 0, 0, 0, 0)
        refuse(f"bmp-{w}x{h}.bmp", b"BM" + struct.pack("<IHHI", 54 + 16, 0, 0, 54) + info + bytes(16), error)
    palette = bytes(4 * 256)
    refuse("bmp-rle8.bmp", bmp_bytes(4, 2, 8, [b"\x04\x01\x00\x00", b"\x00\x01"], compression=1, palette=palette),
           "unsupported BMP variant (RLE8 compression)")
    refuse("bmp-rle4.bmp", bmp_bytes(4, 2, 4, [b"\x04\x11\x00\x00", b"\x00\x01"], compression=2, palette=palette[:64]),
           "unsupported BMP variant (RLE4 compression)")
    refuse("bmp-2-bit.bmp", bmp_bytes(4, 1, 2, [b"\x1b"], palette=palette[:16]), "unsupported BMP variant (2 bits a pixel)")


# MARK: Other content


def make_other():
    refuse("empty.png", b"", "empty file (0 bytes)")
    rng = random.Random(100)
    refuse("random.bin", bytes(rng.randrange(256) for _ in range(512)), "not a PNG, JPEG, WebP, GIF or BMP image")
    refuse("text.jpg", b"hello, this is not a picture\n", "not a PNG, JPEG, WebP, GIF or BMP image (it starts with 68 65 6c 6c 6f 2c 20 74)")
    refuse("tiff.tif", saved(pattern(3, 5, 101), "TIFF"), "TIFF images are not supported")


make_png()
make_jpeg()
make_webp()
make_gif()
make_bmp()
make_other()
manifest = {
    "pillow": PIL.__version__,
    "libjpeg_turbo": features.version("libjpeg_turbo"),
    "libwebp": features.version("webp"),
    "images": images,
    "hostile": hostile,
}
with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{len(images)} images, {len(hostile)} hostile files in {os.path.normpath(OUT)}")
