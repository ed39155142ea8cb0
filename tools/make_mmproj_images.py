#!/usr/bin/env python3
"""Writes the three synthetic RGB PNGs the vision-encoder fixtures are recorded on (deterministic pixels).

usage: make_mmproj_images.py [DIR]     (default Tests/MultimodalTests/Fixtures)

  small.png  300x200   below one tile everywhere: internvl uses the overview only (no slices); idefics3 still
                       upscales it to its 2048 longest edge (4x3 tiles) unless the token count is capped
  tall.png   600x1000  portrait: idefics3 3x4 tiles (cols x rows), internvl a grid of 448 slices + overview
  wide.png   900x500   landscape beyond 448: internvl's best-resolution grid path; idefics3 4x3 tiles
Content: smooth colour gradients, a soft-edged disc, a hard-edged rectangle and a thin diagonal line, so that
resampling filters (bilinear, bicubic, Lanczos) and their edge handling all show.
"""
from __future__ import annotations

import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = {"small": (300, 200), "tall": (600, 1000), "wide": (900, 500)}


def render(width: int, height: int) -> np.ndarray:
    """The RGB pixels (height, width, 3) uint8 of one image; only its size varies between images."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    u, v = x / (width - 1), y / (height - 1)
    r = 40 + 180 * u
    g = 30 + 170 * v
    b = 128 + 90 * np.cos(2 * np.pi * (u + 0.5 * v))
    # soft disc: radius 30% of the short side, 6-pixel smooth edge
    cx, cy, rad = 0.62 * width, 0.4 * height, 0.3 * min(width, height)
    d = np.sqrt((x - cx) ** 2 + (y - cy) ** 2)
    a = np.clip((rad - d) / 6 + 0.5, 0, 1)
    a = a * a * (3 - 2 * a)
    r, g, b = r * (1 - a) + 250 * a, g * (1 - a) + 210 * a, b * (1 - a) + 40 * a
    # hard rectangle in the lower left
    rect = (x >= 0.1 * width) & (x < 0.35 * width) & (y >= 0.6 * height) & (y < 0.85 * height)
    r, g, b = np.where(rect, 20, r), np.where(rect, 60, g), np.where(rect, 200, b)
    # one-pixel dark diagonal line
    line = np.abs(y - (0.9 * height - 0.8 * height * u)) < 0.75
    r, g, b = np.where(line, 10, r), np.where(line, 10, g), np.where(line, 10, b)
    rgb = np.stack([r, g, b], axis=-1)
    return np.clip(np.floor(rgb + 0.5), 0, 255).astype(np.uint8)


def main() -> None:
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "Tests", "MultimodalTests", "Fixtures")
    os.makedirs(out, exist_ok=True)
    for name, (w, h) in IMAGES.items():
        path = os.path.join(out, f"{name}.png")
        Image.fromarray(render(w, h), "RGB").save(path, optimize=True)
        print(f"wrote {path} ({w}x{h}, {os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
