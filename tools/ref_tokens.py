#!/usr/bin/env python3
"""Records llama-tokenize's ids for three short prompts on the fixture tokenizer.

usage: ref_tokens.py FIXDIR MODEL.gguf      (environment: tools/ref_env.sh; llama-tokenize on PATH)
Writes FIXDIR/prompt-N.tokens.json for N = 1..3 with:
  prompt                  the exact text (UTF-8)
  model                   the file whose vocabulary was used (all fixtures share it)
  ids                     llama-tokenize's default: parse_special = true (so <|im_start|> is one id),
                          add_bos = the model's add_bos_token (false here)
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
    for i, prompt in enumerate(PROMPTS, start=1):
        entry = {
            "prompt": prompt,
            "model": os.path.basename(model),
            "ids": tokenize(model, prompt, True),
            "ids_no_parse_special": tokenize(model, prompt, False),
        }
        path = os.path.join(fixdir, f"prompt-{i}.tokens.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(entry, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print(f"wrote {path}: {len(entry['ids'])} ids")


if __name__ == "__main__":
    main()
