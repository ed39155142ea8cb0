#!/usr/bin/env python3
"""Records llama-tokenize's ids for three short prompts on the fixture tokenizer.

usage: ref_tokens.py FIXDIR MODEL.gguf [gemma]     (environment: tools/ref_env.sh; llama-tokenize on PATH)
Writes FIXDIR/prompt-N.tokens.json for N = 1..3 (with "gemma": FIXDIR/gemma3-prompt-N.tokens.json for the Gemma
prompts below, on the gemma3 fixture's SentencePiece vocabulary) with:
  prompt                  the exact text (UTF-8)
  model                   the file whose vocabulary was used (all fixtures share it)
  ids                     llama-tokenize's default: parse_special = true (so <|im_start|> is one id),
                          add_bos = the model's add_bos_token (false here; true for gemma3)
  ids_no_parse_special    same with --no-parse-special (special-token text is tokenized as bytes)
"""
import json
import os
import subprocess
import sys
import tempfile

PROMPTS = [
    "The children walk to the school near the river.",
    "<|im_start|>user\nIt's 2024: héllo  wörld!\tTests run 3.14 times...<|im_end|>\n<|im_start|>assistant\n",
    "  Hello,   world!! don't STOP: 42 apples cost $7 — ok?\n\n",
]

# Gemma: the first is llama.cpp's `gemma` template for [system "You are terse.", user "Hello there, how are the stars
# tonight?"] with the assistant prefix; the others need byte fallback (é, —, a tab) and runs of spaces and newlines.
GEMMA_PROMPTS = [
    "<start_of_turn>user\nYou are terse.\n\nHello there, how are the stars tonight?<end_of_turn>\n<start_of_turn>model\n",
    "  Hello,   world!! don't STOP: 42 apples cost $7 \u2014 ok?\n\n",
    "The caf\u00e9 near the river\tcloses at 9.<end_of_turn>",
]


def tokenize(model: str, text: str, parse_special: bool) -> list[int]:
    if "\\" in text:
        raise ValueError("llama-tokenize processes escapes: keep backslashes out of the prompts")
    with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as f:
        f.write(text.encode("utf-8"))
        path = f.name
    try:
        cmd = ["llama-tokenize", "-m", model, "-f", path, "--ids", "--log-disable"]
        if not parse_special:
            cmd.append("--no-parse-special")
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    line = [l for l in out.splitlines() if l.startswith("[")][-1]
    return json.loads(line)


def main() -> None:
    fixdir, model = sys.argv[1], sys.argv[2]
    gemma = sys.argv[3:] == ["gemma"]
    for i, prompt in enumerate(GEMMA_PROMPTS if gemma else PROMPTS, start=1):
        entry = {
            "prompt": prompt,
            "model": os.path.basename(model),
            "ids": tokenize(model, prompt, True),
            "ids_no_parse_special": tokenize(model, prompt, False),
        }
        path = os.path.join(fixdir, f"{'gemma3-' if gemma else ''}prompt-{i}.tokens.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(entry, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print(f"wrote {path}: {len(entry['ids'])} ids")


if __name__ == "__main__":
    main()
