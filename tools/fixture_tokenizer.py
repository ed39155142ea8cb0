"""A tiny byte-level BPE vocabulary for nook's test models, trained deterministically on a paragraph.

The vocabulary mirrors SmolLM2-Instruct's layout at a small scale:
  ids 0..2                 <|endoftext|>, <|im_start|>, <|im_end|>   (token type CONTROL)
  ids 3..258               the 256 byte tokens, in GPT-2's bytes_to_unicode order (type NORMAL)
  ids 259..vocab-1         merge results, in merge order                (type NORMAL)
Optionally (benchmark models) the list is padded after the merges with unique dummy tokens
`<|dummy_N|>` of type UNUSED so it reaches a large size such as 49152.

Merges are learned by a plain BPE trainer over the pieces produced by the `smollm` pre-tokenizer
(the same two regular expressions llama.cpp uses for starcoder/refact/smollm), so every merge
stays inside one pre-token exactly as llama.cpp will apply them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import regex

# Pre-tokenizer of llama.cpp's LLAMA_VOCAB_PRE_TYPE_SMOLLM: digits split one by one first, then GPT-2 style.
SMOLLM_DIGITS = regex.compile(r"\p{N}")
SMOLLM_WORDS = regex.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)")

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

# SmolLM2-Instruct's chat template (ChatML with a default system prompt), verbatim.
SMOLLM2_CHAT_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}"
    "{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

# GGUF token types (llama.cpp's llama_token_type).
TOKEN_NORMAL, TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_USER_DEFINED, TOKEN_UNUSED, TOKEN_BYTE = 1, 2, 3, 4, 5, 6

# Training text: plain English written for these fixtures (no third-party text).
TRAINING_TEXT = """\
The small assistant lives in a terminal window and answers questions about the files on the
machine it runs on. It reads the question, thinks about the words one at a time, and writes the
answer back to the screen. When the user asks for the weather, it explains that it cannot see the
sky; when the user asks for the time, it reads the clock of the computer. The assistant is not
large, but it is patient, and it tries to be helpful, honest and kind in everything it does.

Every model in the test suite shares this tokenizer. The tokenizer splits the text into pieces,
turns each piece into bytes, and then merges the most frequent pairs of bytes into longer tokens.
The merges were learned from this paragraph, so common English words such as the, and, that, with,
this, there, their, which, when, where, what, will, would, could and should become single tokens,
while rare words are spelled out with shorter pieces. Numbers like 2024, 3.14 and 42 are split
into single digits before any merge is applied.

In the morning the people of the town open their windows, make their tea, and read the news.
The children walk to the school near the river, and the teachers write the lessons on the board.
In the evening the streets are quiet again; the lights in the houses turn on one after another,
and the old cat sits on the wall and watches the moon rise over the hills. Then the night comes,
the stars are bright, and the whole town sleeps until the morning returns once more.

A good test is short, clear and repeatable. It states what it expects, it runs the code, and it
compares the result with the expected value. When the values differ, the test should print the
position and the size of the difference, so that the person reading the report can find the
problem quickly. Tests that depend on the time of day, on the network or on random numbers without
a fixed seed are fragile, and fragile tests are worse than no tests at all.
"""


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte → printable unicode character map, in GPT-2's order."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) \
        + list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(printable, chars)}


def pre_tokenize(text: str) -> list[str]:
    """Splits text the way llama.cpp's smollm pre-tokenizer does (digits first, then words)."""
    pieces: list[str] = []
    for chunk in _split_keep(text, SMOLLM_DIGITS):
        pieces.extend(m.group(0) for m in SMOLLM_WORDS.finditer(chunk))
    return pieces


def _split_keep(text: str, pattern: regex.Pattern) -> list[str]:
    """Splits text into the matches of pattern and the runs between them, keeping both, in order."""
    out, last = [], 0
    for m in pattern.finditer(text):
        if m.start() > last:
            out.append(text[last:m.start()])
        out.append(m.group(0))
        last = m.end()
    if last < len(text):
        out.append(text[last:])
    return out


def train_merges(text: str, n_merges: int) -> list[tuple[str, str]]:
    """Learns n_merges byte-level BPE merges; ties broken by (count desc, pair asc) for determinism."""
    b2u = bytes_to_unicode()
    words = Counter(tuple(b2u[b] for b in piece.encode("utf-8")) for piece in pre_tokenize(text))
    merges: list[tuple[str, str]] = []
    while len(merges) < n_merges:
        pairs: Counter = Counter()
        for word, count in words.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] += count
        if not pairs:
            raise ValueError(f"training text only supports {len(merges)} merges, {n_merges} requested")
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        merges.append(best)
        merged = best[0] + best[1]
        new_words: Counter = Counter()
        for word, count in words.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(merged)
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            new_words[tuple(out)] += count
        words = new_words
    return merges


@dataclass
class Vocabulary:
    """Token strings, their GGUF token types, merges and special ids, ready to write to GGUF."""
    tokens: list[str]
    token_types: list[int]
    merges: list[str]
    bos_id: int = 1
    eos_id: int = 2
    eot_id: int = 2
    unk_id: int = 0
    pad_id: int = 2
    chat_template: str = SMOLLM2_CHAT_TEMPLATE
    extra: dict = field(default_factory=dict)
    scores: list[float] | None = None   # SentencePiece (tokenizer.ggml.model "llama") only

    def add_to(self, writer) -> None:
        """Writes the tokenizer.* keys to a gguf.GGUFWriter."""
        if self.scores is not None:
            self._add_sentencepiece_to(writer)
            return
        writer.add_tokenizer_model("gpt2")
        writer.add_tokenizer_pre("smollm")
        writer.add_token_list(self.tokens)
        writer.add_token_types(self.token_types)
        writer.add_token_merges(self.merges)
        writer.add_bos_token_id(self.bos_id)
        writer.add_eos_token_id(self.eos_id)
        writer.add_eot_token_id(self.eot_id)
        writer.add_unk_token_id(self.unk_id)
        writer.add_pad_token_id(self.pad_id)
        writer.add_add_bos_token(False)
        writer.add_chat_template(self.chat_template)

    def _add_sentencepiece_to(self, writer) -> None:
        """The keys convert_hf_to_gguf.py writes for Gemma 3's SentencePiece tokenizer (no eot id: llama.cpp
        finds <end_of_turn> by its text)."""
        writer.add_tokenizer_model("llama")
        writer.add_tokenizer_pre("default")
        writer.add_token_list(self.tokens)
        writer.add_token_scores(self.scores)
        writer.add_token_types(self.token_types)
        writer.add_bos_token_id(self.bos_id)
        writer.add_eos_token_id(self.eos_id)
        writer.add_unk_token_id(self.unk_id)
        writer.add_pad_token_id(self.pad_id)
        writer.add_add_bos_token(True)
        writer.add_add_eos_token(False)
        writer.add_add_space_prefix(False)
        writer.add_chat_template(self.chat_template)


def build_vocabulary(vocab_size: int = 512, n_learned_tokens: int = 512) -> Vocabulary:
    """Builds the fixture vocabulary.

    n_learned_tokens: specials + bytes + merges (512 gives 253 merges); tokens beyond it up to
    vocab_size are unique UNUSED dummies (used only for benchmark-sized vocabularies).
    """
    if vocab_size < n_learned_tokens:
        raise ValueError(f"vocab_size {vocab_size} < learned tokens {n_learned_tokens}")
    b2u = bytes_to_unicode()
    n_merges = n_learned_tokens - len(SPECIAL_TOKENS) - 256
    merges = train_merges(TRAINING_TEXT, n_merges)
    tokens = SPECIAL_TOKENS + list(b2u.values()) + [a + b for a, b in merges]
    types = [TOKEN_CONTROL] * len(SPECIAL_TOKENS) + [TOKEN_NORMAL] * (len(tokens) - len(SPECIAL_TOKENS))
    if len(set(tokens)) != len(tokens):
        raise ValueError("duplicate token strings in learned vocabulary")
    for i in range(len(tokens), vocab_size):
        tokens.append(f"<|dummy_{i}|>")
        types.append(TOKEN_UNUSED)
    return Vocabulary(tokens=tokens, token_types=types, merges=[f"{a} {b}" for a, b in merges])


# Gemma 3's special tokens in its own order (ids 0..5 as in the real vocabulary; the turn and image markers, 106, 107,
# 255999 and 256000 there, follow directly here), with the types convert_hf_to_gguf.py gives them.
GEMMA_SPECIALS = [("<pad>", TOKEN_CONTROL), ("<eos>", TOKEN_CONTROL), ("<bos>", TOKEN_CONTROL),
                  ("<unk>", TOKEN_UNKNOWN), ("<mask>", TOKEN_USER_DEFINED), ("[multimodal]", TOKEN_USER_DEFINED),
                  ("<start_of_turn>", TOKEN_CONTROL), ("<end_of_turn>", TOKEN_CONTROL),
                  ("<start_of_image>", TOKEN_USER_DEFINED), ("<end_of_image>", TOKEN_USER_DEFINED)]

# A short Gemma 3 style chat template: the system prompt joins the first user turn, the assistant is "model".
GEMMA3_CHAT_TEMPLATE = (
    "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{% set first_user_prefix = messages[0]['content'] + '\n\n' %}"
    "{% set loop_messages = messages[1:] %}{% else %}{% set first_user_prefix = '' %}{% set loop_messages = messages %}"
    "{% endif %}{% for message in loop_messages %}{% set role = 'model' if message['role'] == 'assistant' else message['role'] %}"
    "{{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else '') + message['content'] | trim + '<end_of_turn>\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<start_of_turn>model\n' }}{% endif %}"
)


def build_gemma_vocabulary(vocab_size: int = 512) -> Vocabulary:
    """A SentencePiece vocabulary laid out like Gemma 3's at a small scale.

    ids 0..9 the specials above; then the 256 byte tokens <0x00>..<0xFF> (type BYTE); then "\n", "▁" and the
    printable ASCII characters but the space (the pieces every text starts from); then the results of the first
    merges learned on TRAINING_TEXT, spaces written as ▁, with score -rank so that earlier merges apply first.
    """
    u2b = {c: b for b, c in bytes_to_unicode().items()}
    tokens = [t for t, _ in GEMMA_SPECIALS] + [f"<0x{b:02X}>" for b in range(256)]
    types = [ty for _, ty in GEMMA_SPECIALS] + [TOKEN_BYTE] * 256
    chars = ["\n", "\u2581"] + [chr(c) for c in range(0x21, 0x7f)]
    tokens += chars
    types += [TOKEN_NORMAL] * len(chars)
    scores = [0.0] * len(tokens)
    rank = 0
    for a, b in train_merges(TRAINING_TEXT, 400):
        if len(tokens) == vocab_size:
            break
        piece = bytes(u2b[c] for c in a + b).decode("utf-8").replace(" ", "\u2581")
        if piece in tokens:
            continue
        rank += 1
        tokens.append(piece)
        types.append(TOKEN_NORMAL)
        scores.append(float(-rank))
    if len(tokens) != vocab_size:
        raise ValueError(f"only {len(tokens)} tokens for a vocabulary of {vocab_size}")
    return Vocabulary(tokens=tokens, token_types=types, merges=[], bos_id=2, eos_id=1, eot_id=1, unk_id=3, pad_id=0,
                      chat_template=GEMMA3_CHAT_TEMPLATE, scores=scores)


if __name__ == "__main__":
    v = build_vocabulary()
    print(len(v.tokens), "tokens,", len(v.merges), "merges")
    print("last merges:", v.merges[-10:])
    print("longest tokens:", sorted(v.tokens[259:], key=len)[-10:])
