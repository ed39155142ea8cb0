#!/usr/bin/env python3
"""Records llama.cpp's tokenizer behaviour as fixtures for nook's Tokenization tests.

1. Cuts small vocabulary-only GGUF files from llama.cpp's test vocabularies (../shared/fixtures/vocab)
   for pre-tokenizers and flags that have no full-size fixture; writes them to
   Tests/TokenizationTests/Fixtures/vocab/.
2. Loads every vocabulary (shared and small) into llama.cpp (vocab only) and writes
   Tests/TokenizationTests/Fixtures/cases/<name>.json: the ids of many texts (add_special and
   parse_special off, and both on), the pieces and attributes of sample tokens, the
   end-of-generation set and the special-token flags.

Needs the reference build (tools/reference-llama-cpp.sh in ../shared) and its Python bindings:
  export LLAMA_CPP_LIB_PATH=~/.cache/nook-reference/build/bin
  export PYTHONPATH=~/.cache/nook-reference/llama_cpp_python-0.3.36
On a CPU without AVX-512 the reference's libggml-cpu.so dies with SIGILL in ggml_cpu_init; build
an AVX2 one (cmake ... -DGGML_AVX512=OFF --target ggml-cpu) and put its folder first in LD_LIBRARY_PATH.

usage: tools/record_tokenizer_fixtures.py [--shared ../shared] [--out Tests/TokenizationTests/Fixtures]
"""
import argparse
import ctypes
import json
import os
import sys

import gguf

# Small vocabularies: (name, source vocabulary, metadata overrides, how to cut it).
SMALL = [
    ("gpt2-default", "ggml-vocab-gpt-2.gguf", {"tokenizer.ggml.pre": "default"}, "bpe"),
    ("gpt2-mpt", "ggml-vocab-gpt-2.gguf", {"tokenizer.ggml.pre": "mpt"}, "bpe"),
    ("gpt2-starcoder", "ggml-vocab-gpt-2.gguf", {"tokenizer.ggml.pre": "starcoder"}, "bpe"),
    ("gpt2-smollm", "ggml-vocab-gpt-2.gguf", {"tokenizer.ggml.pre": "smollm"}, "bpe"),
    ("gpt2-refact", "ggml-vocab-gpt-2.gguf", {"tokenizer.ggml.pre": "refact"}, "bpe"),
    ("gpt2-falcon", "ggml-vocab-gpt-2.gguf", {"tokenizer.ggml.pre": "falcon"}, "bpe"),
    ("llama3-small", "ggml-vocab-llama-bpe.gguf", {"tokenizer.ggml.pre": "llama3"}, "bpe"),
    ("qwen35-small", "ggml-vocab-qwen2.gguf", {"tokenizer.ggml.pre": "qwen35"}, "bpe"),
    ("spm-no-prefix", "ggml-vocab-llama-spm.gguf",
     {"tokenizer.ggml.add_space_prefix": False, "tokenizer.ggml.add_eos_token": True}, "head"),
    ("bert-cased", "ggml-vocab-bert-bge.gguf", {"tokenizer.ggml.normalizer.lowercase": False}, "head"),
    # llama.cpp gives "[MASK]" the lstrip flag when general.name contains "modern-bert".
    ("spm-lstrip-mask", "ggml-vocab-llama-spm.gguf", {"general.name": "modern-bert-test"}, "head"),
]
BPE_MERGES = 3000          # merges kept when cutting a BPE vocabulary
HEAD_TOKENS = 5000         # tokens kept when cutting a SentencePiece or WordPiece vocabulary
# Tokens added to the small gpt2 vocabularies: (text, llama_token_type); 3 control, 4 user-defined.
ADDED = [("<|im_start|>", 3), ("<|im_end|>", 3), ("<tool_call>", 4), ("</tool_call>", 4)]

TEXTS = [
    "", " ", "Hello world", " Hello world", "Hello World!", "hello\nworld\n",
    # Japanese, Chinese, Korean and other scripts
    "日本語のテキストを正しく分割できますか？", "こんにちは、世界！　カタカナ・ひらがな混じり文。",
    "你好，世界。這是一個測試。", "안녕하세요, 세계!", "Привет, мир! ЁЖИК ёжик", "مرحبا بالعالم ١٢٣",
    "नमस्ते दुनिया", "สวัสดีครับ", "Ελληνικά κείμενα", "עברית",
    # emoji
    "🦙🎉 emoji 👨‍👩‍👧‍👦 family 🏳️‍🌈 flag", "I ❤️ tokenizers 😀😃😄", "🤷🏽‍♀️",
    # code
    "def f(x):\n    return x ** 2  # square\n\n\tprint(f(3))\n",
    "fn main() {\n    let v: Vec<u8> = vec![1, 2, 3];\n    println!(\"{:?}\", v);\n}\n",
    "{\"key\": [1, 2.5, null], \"nested\": {\"a\": \"b\"}}", "if (a <= b && c != d) { x += 1; } // ok",
    "<div class=\"x\">&amp; &lt;tag&gt;</div>", "SELECT * FROM t WHERE id = 42;",
    # whitespace
    " \t\n\r\n  \u00a0\u2003x\u3000y  \n\n\n  ", "\r\n\r\n", "trailing   ", "   leading", "a  b   c    d",
    "\n", "\n\n", "\t\t", "  \n  \n", "x\u0085y\u2028z\u2029w", "tab\there", "\u000b\u000c\x1c\x1d\x1e\x1f",
    # digits
    "1234567890123456789012345", "3.14159 2,718,281 007 1e-9", "٣٤٥ ൧൨ ²³ ½ Ⅻ ①②③", "0x1F 0b1010 12ab34",
    "1 22 333 4444 55555 666666 7777777",
    # contractions
    "I'm, you're, he'll, they've, it's, can't, she'd", "I'M YOU'RE HE'LL THEY'VE IT'S CAN'T SHE'D",
    "''quoted'' 'tis rock 'n' roll", "don’t won’t", "'s 't 're 've 'm 'll 'd",
    # punctuation and symbols
    "!!!???...,,,;;; $$$ +++ <=> ^^^ ~~~ ||| ``` @@@", "a--b__c..d", "«quotes» „low“ ‘single’ —dash— …",
    "€100 £5 ¥20 ₹3 ©®™ ∑∫√ ≤≥≠", "#hashtag @mention http://example.com/path?q=1&r=2",
    # casing and accents
    "Café naïve Ångström ÉCOLE façade", "a \u0301b !\u0308 \u20dd x\u0300\u0301\u0302 'S 'ĹL", "ǅungla ﬁ ß ẞ İstanbul", "e\u0301 a\u0300 n\u0303", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟘𝟙𝟚",
    # control and format characters
    "\u0000null\u0001", "\ufeffbom", "\u200bzero\u200dwidth\u2060", "\ue000private", "\ufffd replacement",
    # special-token text
    "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", "<s>[INST] hi [/INST]</s>",
    "<|endoftext|>Hello<|endoftext|>", "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>",
    "[CLS] hello [SEP] [MASK] [UNK]", "<|user|>\nQuestion?<|end|>\n<|assistant|>", "a<tool_call>{\"x\":1}</tool_call>b",
    "  <|im_end|>  spaced  <|im_end|>", "<unk><s></s>", "x   [MASK] y\n[MASK]\t\tz [MASK]", " <tool_call> x </tool_call> ",
]


def long_text():
    parts = [t for t in TEXTS if "<" not in t and "[" not in t]
    return " ".join(parts * 2)


def read_fields(path):
    r = gguf.GGUFReader(path)
    out = {}
    for k, f in r.fields.items():
        if k.startswith("GGUF.") or k == "general.architecture":
            continue
        main = gguf.GGUFValueType(f.types[0])
        sub = gguf.GGUFValueType(f.types[-1]) if main == gguf.GGUFValueType.ARRAY else None
        out[k] = (f.contents(), main, sub)
    return r.fields["general.architecture"].contents(), out


def cut_bpe(fields):
    toks = fields["tokenizer.ggml.tokens"][0]
    types = fields["tokenizer.ggml.token_type"][0]
    merges = fields["tokenizer.ggml.merges"][0]
    known = set(toks)
    keep = set(toks[:256])
    kept_merges = []
    for m in merges[:BPE_MERGES]:
        left, right = m.split(" ", 1)
        if left in keep and right in keep and left + right in known:
            kept_merges.append(m)
            keep.add(left + right)
    specials = [i for i, t in enumerate(types) if t != 1][:12]
    ids = [i for i, t in enumerate(toks) if t in keep] + specials
    new_toks = [toks[i] for i in ids] + [t for t, _ in ADDED if t not in known]
    new_types = [types[i] for i in ids] + [ty for t, ty in ADDED if t not in known]
    return ids, new_toks, new_types, None, kept_merges


def cut_head(fields):
    toks = fields["tokenizer.ggml.tokens"][0]
    types = fields["tokenizer.ggml.token_type"][0]
    scores = fields.get("tokenizer.ggml.scores", (None,))[0]
    ids = list(range(min(HEAD_TOKENS, len(toks))))
    new_toks = [toks[i] for i in ids]
    new_types = [types[i] for i in ids]
    new_scores = [scores[i] for i in ids] if scores else None
    # Added tokens: "[MASK]" (user-defined) where the vocabulary has none, and the ADDED ones for SentencePiece.
    extra = ([("[MASK]", 4)] if "[MASK]" not in new_toks else []) + (ADDED if scores else [])
    for text, kind in extra:
        if text not in new_toks:
            new_toks.append(text)
            new_types.append(kind)
            if new_scores is not None:
                new_scores.append(0.0)
    return ids, new_toks, new_types, new_scores, None


def write_small(shared, out_dir, name, source, overrides, how):
    arch, fields = read_fields(os.path.join(shared, "fixtures", "vocab", source))
    old_toks = fields["tokenizer.ggml.tokens"][0]
    ids, toks, types, scores, merges = (cut_bpe if how == "bpe" else cut_head)(fields)
    new_id = {t: i for i, t in enumerate(toks)}
    path = os.path.join(out_dir, "vocab", name + ".gguf")
    w = gguf.GGUFWriter(path, arch)
    T = gguf.GGUFValueType
    for k, (value, main, sub) in fields.items():
        if k in ("tokenizer.ggml.tokens", "tokenizer.ggml.token_type", "tokenizer.ggml.scores",
                 "tokenizer.ggml.merges", "tokenizer.chat_template") or k in overrides:
            continue
        if k.startswith("tokenizer.ggml.") and k.endswith("_token_id"):
            text = old_toks[value]
            if text not in new_id:
                continue
            value = new_id[text]
        if k.endswith(".vocab_size"):
            value = len(toks)
        w.add_key_value(k, value, main, sub)
    w.add_key_value("tokenizer.ggml.tokens", toks, T.ARRAY, T.STRING)
    w.add_key_value("tokenizer.ggml.token_type", types, T.ARRAY, T.INT32)
    if scores is not None:
        w.add_key_value("tokenizer.ggml.scores", scores, T.ARRAY, T.FLOAT32)
    if merges is not None:
        w.add_key_value("tokenizer.ggml.merges", merges, T.ARRAY, T.STRING)
    for k, v in overrides.items():
        w.add_key_value(k, v, T.STRING if isinstance(v, str) else T.BOOL)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    w.close()
    return path


def record(llama_cpp, path, label):
    p = llama_cpp.llama_model_default_params()
    p.vocab_only = True
    model = llama_cpp.llama_model_load_from_file(path.encode(), p)
    if not model:
        sys.exit(f"llama.cpp could not load {path}")
    v = llama_cpp.llama_model_get_vocab(model)
    n = llama_cpp.llama_vocab_n_tokens(v)

    def tokenize(text, add, special):
        b = text.encode("utf-8")
        buf = (llama_cpp.llama_token * (2 * len(b) + 16))()
        k = llama_cpp.llama_tokenize(v, b, len(b), buf, len(buf), add, special)
        assert k >= 0, (text, k)
        return list(buf[:k])

    def piece(t):
        buf = ctypes.create_string_buffer(1024)
        k = llama_cpp.llama_token_to_piece(v, t, buf, len(buf), 0, True)
        assert k >= 0
        return buf.raw[:k].hex()

    attrs = [llama_cpp.llama_vocab_get_attr(v, t) for t in range(n)]
    step = 37 if n > 10000 else 7
    sample = sorted(set(range(0, n, step)) | set(range(min(n, 300))) | {t for t in range(n) if attrs[t] != 4})

    def tok(x):
        return None if x < 0 else x

    return {
        "vocab": label,
        "n_vocab": n,
        "bos": tok(llama_cpp.llama_vocab_bos(v)),
        "eos": tok(llama_cpp.llama_vocab_eos(v)),
        "eot": tok(llama_cpp.llama_vocab_eot(v)),
        "sep": tok(llama_cpp.llama_vocab_sep(v)),
        "add_bos": bool(llama_cpp.llama_vocab_get_add_bos(v)),
        "add_eos": bool(llama_cpp.llama_vocab_get_add_eos(v)),
        "add_sep": bool(llama_cpp.llama_vocab_get_add_sep(v)),
        "eog": [t for t in range(n) if llama_cpp.llama_vocab_is_eog(v, t)],
        "cases": [{"text": t, "plain": tokenize(t, False, False), "special": tokenize(t, True, True)} for t in TEXTS]
        + [{"text": long_text(), "plain": tokenize(long_text(), False, False)}],
        "pieces": [[t, piece(t)] for t in sample],
        "attributes": [[t, attrs[t]] for t in sample],
    }


_quiet = None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared"))
    ap.add_argument("--out", default=os.path.join(here, "..", "Tests", "TokenizationTests", "Fixtures"))
    args = ap.parse_args()
    os.makedirs(os.path.join(args.out, "vocab"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "cases"), exist_ok=True)

    import llama_cpp
    global _quiet  # the callback must outlive every llama.cpp call
    _quiet = llama_cpp.llama_log_callback(lambda level, text, data: None)
    llama_cpp.llama_log_set(_quiet, ctypes.c_void_p())
    llama_cpp.llama_backend_init()

    jobs = []
    vocab_dir = os.path.join(args.shared, "fixtures", "vocab")
    for name in sorted(os.listdir(vocab_dir)):
        if name.startswith("ggml-vocab-") and name.endswith(".gguf"):
            jobs.append((os.path.join(vocab_dir, name), "shared:" + name, name[len("ggml-vocab-"):-len(".gguf")]))
    for name, source, overrides, how in SMALL:
        path = write_small(args.shared, args.out, name, source, overrides, how)
        jobs.append((path, "fixture:vocab/" + name + ".gguf", name))
    for path, label, name in jobs:
        data = record(llama_cpp, path, label)
        with open(os.path.join(args.out, "cases", name + ".json"), "w") as f:
            json.dump(data, f, separators=(",", ":"))
        print(f"{name}: {data['n_vocab']} tokens, {len(data['cases'])} texts")


if __name__ == "__main__":
    main()
