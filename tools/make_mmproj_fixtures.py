#!/usr/bin/env python3
"""Writes random-weight mmproj GGUF files with the real tensor names, shapes, types and clip.* metadata.

usage: make_mmproj_fixtures.py [--out DIR] [--blocks N] [--only idefics3,internvl,mlp,gemma3] [--spec-dir DIR]

  idefics3  SmolVLM-256M-Instruct: SigLIP 768/12 heads/ffn 3072, patch 16, image 512, pixel shuffle 4 -> 576
  internvl  InternVL3-1B (and 2.5-1B): InternViT-300M 1024/16 heads/ffn 4096, patch 14, image 448, ls1/ls2,
            pixel shuffle 2, mlp projector with LayerNorm -> 896 (qwen2)
  mlp       LLaVA-1.5: CLIP ViT-L/14-336 1024/16/4096, as the legacy convert_image_encoder_to_gguf.py writes it
            (fc1 stored as ffn_down, fc2 as ffn_up; the last HF block is dropped; mm.0/mm.2 -> 4096)
  gemma3    Gemma 3 4B: SigLIP so400m 1152/16 heads/ffn 4304, patch 14, image 896, 4x4 average pool,
            mm.soft_emb_norm (RMS) and mm.input_projection -> 2560

Only the depth is reduced (--blocks, default 2; block_count says N). Tensor types follow the converters:
matrices F16, norms/biases/layer scales F32, position embeddings F32 (F16 in the legacy LLaVA file), patch
embeddings F32 for idefics3/gemma3 (their ".embeddings." rule) and F16 for internvl/mlp.
Weights come from prng_gguf.py's splitmix64 streams (see there), scaled so activations stay O(1):
matrices uniform ±sqrt(3/fan_in) (patch kernels ±2·sqrt(3/fan_in)), norms 1 ± 0.1, biases ± 0.05, layer scales 0.1 ± 0.02, position and
class embeddings ± 0.5.
The GGUF goes to --out (default /tmp/nook-mmproj); its spec to --spec-dir (default: the committed
Tests/MultimodalTests/Fixtures when --blocks is 2, else --out).
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prng_gguf import Tensor, bias, matrix, norm, write  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC_DIR = os.path.join(HERE, "..", "Tests", "MultimodalTests", "Fixtures")
GLOBAL_SEED = 0x6E6F6F6B6D6D706A  # "nookmmpj"

IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
OPENAI_MEAN, OPENAI_STD = [0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711]
HALF = [0.5, 0.5, 0.5]
# Patch kernels twice the unit-variance width, so that the image content outweighs the position embeddings.
PATCH_GAIN = 2.0


def vision_header(proj_type: str, name: str, *, n_text: int, image: int, patch: int, n_embd: int, n_ff: int,
                  blocks: int, heads: int, mean: list[float], std: list[float], eps: float) -> list:
    """The keys MmprojModel.set_gguf_parameters and the projector's subclass write, in their order."""
    return [
        ("general.type", "string", "mmproj"),
        ("general.name", "string", name + " (nook random-weight fixture)"),
        ("general.file_type", "uint32", 1),
        ("clip.has_vision_encoder", "bool", True),
        ("clip.vision.projection_dim", "uint32", n_text),
        ("clip.vision.image_size", "uint32", image),
        ("clip.vision.patch_size", "uint32", patch),
        ("clip.vision.embedding_length", "uint32", n_embd),
        ("clip.vision.feed_forward_length", "uint32", n_ff),
        ("clip.vision.block_count", "uint32", blocks),
        ("clip.vision.attention.head_count", "uint32", heads),
        ("clip.vision.image_mean", "array:float32", mean),
        ("clip.vision.image_std", "array:float32", std),
        ("clip.projector_type", "string", proj_type),
        ("clip.vision.attention.layer_norm_epsilon", "float32", eps),
    ]


def siglip_block(i: int, e: int, ff: int) -> list[Tensor]:
    """One SigLIP/InternViT encoder block: q/k/v/out with biases, LayerNorms, fc1 (ffn_up) and fc2 (ffn_down)."""
    b = f"v.blk.{i}."
    t: list[Tensor] = []
    for p in ("attn_q", "attn_k", "attn_v", "attn_out"):
        t += [matrix(b + p + ".weight", e, e), bias(b + p + ".bias", e)]
    t += [norm(b + "ln1.weight", e), bias(b + "ln1.bias", e)]
    t += [matrix(b + "ffn_up.weight", e, ff), bias(b + "ffn_up.bias", ff)]
    t += [matrix(b + "ffn_down.weight", ff, e), bias(b + "ffn_down.bias", e)]
    t += [norm(b + "ln2.weight", e), bias(b + "ln2.bias", e)]
    return t


def idefics3(blocks: int):
    e, ff, patch, image, sf, n_text = 768, 3072, 16, 512, 4, 576
    meta = vision_header("idefics3", "SmolVLM 256M Instruct", n_text=n_text, image=image, patch=patch, n_embd=e,
                         n_ff=ff, blocks=blocks, heads=12, mean=HALF, std=HALF, eps=1e-5)
    meta += [("clip.vision.projector.scale_factor", "uint32", sf), ("clip.use_gelu", "bool", True),
             ("clip.vision.preproc_image_size", "uint32", 2048)]
    n_pos = (image // patch) ** 2
    t = [Tensor("v.patch_embd.weight", [patch, patch, 3, e], "f32", PATCH_GAIN * (3.0 / (3 * patch * patch)) ** 0.5),
         bias("v.patch_embd.bias", e),
         Tensor("v.position_embd.weight", [e, n_pos], "f32", 0.5)]
    for i in range(blocks):
        t += siglip_block(i, e, ff)
    t += [norm("v.post_ln.weight", e), bias("v.post_ln.bias", e),
          matrix("mm.model.fc.weight", e * sf * sf, n_text)]
    return meta, t


def internvl(blocks: int):
    e, ff, patch, image, sf, n_text = 1024, 4096, 14, 448, 2, 896
    meta = vision_header("internvl", "InternVL3 1B", n_text=n_text, image=image, patch=patch, n_embd=e, n_ff=ff,
                         blocks=blocks, heads=16, mean=IMAGENET_MEAN, std=IMAGENET_STD, eps=1e-6)
    meta += [("clip.use_gelu", "bool", True), ("clip.vision.projector.scale_factor", "uint32", sf),
             ("clip.vision.preproc_min_tiles", "uint32", 1), ("clip.vision.preproc_max_tiles", "uint32", 12)]
    n_pos = (image // patch) ** 2 + 1
    t = [Tensor("v.class_embd", [e, 1, 1], "f32", 0.5),
         Tensor("v.patch_embd.weight", [patch, patch, 3, e], "f16", PATCH_GAIN * (3.0 / (3 * patch * patch)) ** 0.5),
         bias("v.patch_embd.bias", e),
         Tensor("v.position_embd.weight", [e, n_pos, 1], "f32", 0.5)]
    for i in range(blocks):
        t += siglip_block(i, e, ff)
        t += [Tensor(f"v.blk.{i}.ls1.weight", [e], "f32", 0.02, 0.1),
              Tensor(f"v.blk.{i}.ls2.weight", [e], "f32", 0.02, 0.1)]
    m = e * sf * sf
    t += [norm("mm.model.mlp.0.weight", m), bias("mm.model.mlp.0.bias", m),
          matrix("mm.model.mlp.1.weight", m, n_text), bias("mm.model.mlp.1.bias", n_text),
          matrix("mm.model.mlp.3.weight", n_text, n_text), bias("mm.model.mlp.3.bias", n_text)]
    return meta, t


def mlp(blocks: int):
    """LLaVA-1.5's file as convert_image_encoder_to_gguf.py --llava-projector writes it (keys in its order)."""
    e, ff, patch, image, n_text = 1024, 4096, 14, 336, 4096
    meta = [
        ("clip.has_text_encoder", "bool", False),
        ("clip.has_vision_encoder", "bool", True),
        ("clip.has_llava_projector", "bool", True),
        ("general.file_type", "uint32", 1),
        ("general.name", "string", "openai/clip-vit-large-patch14-336 (LLaVA-1.5, nook random-weight fixture)"),
        ("general.description", "string", "image encoder for LLaVA"),
        ("clip.projector_type", "string", "mlp"),
        ("clip.vision.image_size", "uint32", image),
        ("clip.vision.patch_size", "uint32", patch),
        ("clip.vision.embedding_length", "uint32", e),
        ("clip.vision.feed_forward_length", "uint32", ff),
        ("clip.vision.projection_dim", "uint32", 768),
        ("clip.vision.attention.head_count", "uint32", 16),
        ("clip.vision.attention.layer_norm_epsilon", "float32", 1e-5),
        ("clip.vision.block_count", "uint32", blocks),
        ("clip.vision.image_mean", "array:float32", OPENAI_MEAN),
        ("clip.vision.image_std", "array:float32", OPENAI_STD),
        ("clip.use_gelu", "bool", False),
    ]
    t = [matrix("mm.0.weight", e, n_text), bias("mm.0.bias", n_text),
         matrix("mm.2.weight", n_text, n_text), bias("mm.2.bias", n_text),
         Tensor("v.class_embd", [e], "f32", 0.5),
         Tensor("v.patch_embd.weight", [patch, patch, 3, e], "f16", PATCH_GAIN * (3.0 / (3 * patch * patch)) ** 0.5),
         Tensor("v.position_embd.weight", [e, (image // patch) ** 2 + 1], "f16", 0.5),
         norm("v.pre_ln.weight", e), bias("v.pre_ln.bias", e)]
    for i in range(blocks):
        b = f"v.blk.{i}."
        for p in ("attn_k", "attn_v", "attn_q", "attn_out"):  # CLIPAttention's k, v, q, out order
            t += [matrix(b + p + ".weight", e, e), bias(b + p + ".bias", e)]
        t += [norm(b + "ln1.weight", e), bias(b + "ln1.bias", e),
              matrix(b + "ffn_down.weight", e, ff), bias(b + "ffn_down.bias", ff),   # HF fc1 (n_embd -> n_ff)
              matrix(b + "ffn_up.weight", ff, e), bias(b + "ffn_up.bias", e),        # HF fc2 (n_ff -> n_embd)
              norm(b + "ln2.weight", e), bias(b + "ln2.bias", e)]
    return meta, t


def gemma3(blocks: int):
    e, ff, patch, image, n_text = 1152, 4304, 14, 896, 2560
    meta = vision_header("gemma3", "Gemma 3 4B It", n_text=n_text, image=image, patch=patch, n_embd=e, n_ff=ff,
                         blocks=blocks, heads=16, mean=HALF, std=HALF, eps=1e-6)
    meta += [("clip.use_gelu", "bool", True)]
    t = [Tensor("v.patch_embd.weight", [patch, patch, 3, e], "f32", PATCH_GAIN * (3.0 / (3 * patch * patch)) ** 0.5),
         bias("v.patch_embd.bias", e),
         Tensor("v.position_embd.weight", [e, (image // patch) ** 2], "f32", 0.5)]
    for i in range(blocks):
        t += siglip_block(i, e, ff)
    # mm_input_projection_weight is (vision, text) in HF, used as x @ W: ggml ne = {n_text, n_embd}
    t += [norm("v.post_ln.weight", e), bias("v.post_ln.bias", e),
          norm("mm.soft_emb_norm.weight", e),
          Tensor("mm.input_projection.weight", [n_text, e], "f16", (3.0 / e) ** 0.5)]
    return meta, t


FIXTURES = {"idefics3": idefics3, "internvl": internvl, "mlp": mlp, "gemma3": gemma3}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="/tmp/nook-mmproj", help="folder for the .gguf files")
    ap.add_argument("--blocks", type=int, default=2, help="encoder blocks (block_count) per file")
    ap.add_argument("--only", help="comma-separated subset of: " + ", ".join(FIXTURES))
    ap.add_argument("--spec-dir", help="folder for <name>.spec.json")
    args = ap.parse_args()
    if args.blocks < 1:
        ap.error("--blocks must be at least 1")
    spec_dir = args.spec_dir or (SPEC_DIR if args.blocks == 2 else args.out)
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(spec_dir, exist_ok=True)
    for name in (args.only.split(",") if args.only else FIXTURES):
        if name not in FIXTURES:
            ap.error(f"unknown fixture {name!r}")
        meta, tensors = FIXTURES[name](args.blocks)
        path = os.path.join(args.out, f"{name}.gguf")
        write(path, os.path.join(spec_dir, f"{name}.spec.json"), name, "clip", meta, tensors, GLOBAL_SEED,
              extra={"blocks": args.blocks})
        print(f"wrote {path} ({os.path.getsize(path)} bytes, {len(tensors)} tensors)")


if __name__ == "__main__":
    main()
