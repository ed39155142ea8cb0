#!/usr/bin/env python3
"""Writes the small audio fixtures for Tests/MediaTests (seeded) and soundfile's decode of each as a reference.

Usage: python3 tools/make_audio_fixtures.py   (needs numpy and soundfile from PyPI)
reference.json maps each decodable file to its rate, channels, frames, the mono downmix's RMS and first 64 samples.
"""
import json
import os
import struct

import numpy as np
import soundfile as sf

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "MediaTests", "Fixtures", "audio")
rng = np.random.default_rng(9)


def tone(rate, seconds, freqs, channels=1):
    t = np.arange(int(rate * seconds)) / rate
    sig = sum(0.3 * np.sin(2 * np.pi * f * t) for f in freqs) + 0.01 * rng.standard_normal(t.size)
    if channels == 1:
        return sig.astype(np.float32)
    return np.stack([sig, 0.5 * np.sin(2 * np.pi * 330 * t)], axis=1).astype(np.float32)


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {
        "u8.wav": (tone(8000, 0.5, [440]), 8000, "WAV", "PCM_U8"),
        "s16.wav": (tone(16000, 0.5, [440]), 16000, "WAV", "PCM_16"),
        "s24.wav": (tone(16000, 0.3, [440]), 16000, "WAV", "PCM_24"),
        "s32.wav": (tone(8000, 0.5, [440]), 8000, "WAV", "PCM_32"),
        "f32.wav": (tone(8000, 0.5, [440]), 8000, "WAV", "FLOAT"),
        "stereo.wav": (tone(8000, 0.5, [440], channels=2), 8000, "WAV", "PCM_16"),
        "rate44k.wav": (tone(44100, 0.25, [1000]), 44100, "WAV", "PCM_16"),
        "tone.flac": (tone(16000, 0.5, [440]), 16000, "FLAC", "PCM_16"),
        "tone.ogg": (tone(16000, 1.0, [440]), 16000, "OGG", "VORBIS"),
        "tone.opus": (tone(48000, 1.0, [440]), 48000, "OGG", "OPUS"),
        "tone.mp3": (tone(16000, 1.0, [440]), 16000, "MP3", "MPEG_LAYER_III"),
    }
    reference = {}
    for name, (data, rate, fmt, subtype) in files.items():
        path = os.path.join(OUT, name)
        sf.write(path, data, rate, format=fmt, subtype=subtype)
        decoded, got_rate = sf.read(path, dtype="float32", always_2d=True)
        mono = decoded.mean(axis=1)
        reference[name] = {
            "sampleRate": got_rate, "channels": decoded.shape[1], "frames": decoded.shape[0],
            "rms": float(np.sqrt(np.mean(mono.astype(np.float64) ** 2))),
            "first": [float(x) for x in mono[:64]],
        }
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(reference, f, indent=1, sort_keys=True)

    # Hostile files.
    open(os.path.join(OUT, "empty.wav"), "wb").close()
    whole = open(os.path.join(OUT, "s16.wav"), "rb").read()
    open(os.path.join(OUT, "truncated.wav"), "wb").write(whole[: len(whole) // 3])
    open(os.path.join(OUT, "random.wav"), "wb").write(rng.integers(0, 256, 4096, dtype=np.uint8).tobytes())
    # A 16 kHz mono 16-bit header whose data chunk claims 10 hours, followed by one second of audio.
    claimed = 16000 * 2 * 36000
    header = b"RIFF" + struct.pack("<I", 36 + claimed) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16)
    header += b"data" + struct.pack("<I", claimed)
    open(os.path.join(OUT, "tenhours.wav"), "wb").write(header + (tone(16000, 1.0, [440]) * 32767).astype("<i2").tobytes())
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0) + b"\0" * 4
    open(os.path.join(OUT, "picture.mp3"), "wb").write(png)


if __name__ == "__main__":
    main()
