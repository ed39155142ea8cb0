/// One splitting pass of a byte-level BPE pre-tokenizer. Each pass cuts every piece the previous
/// pass produced; text between matches stays as pieces of its own, as llama.cpp's
/// `unicode_regex_split` does.
enum PreTokenizerStage: Sendable, Equatable {
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)` (llama.cpp's hand-written matcher).
    case gpt2
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    case llama3
    /// As `llama3` with `\p{N}` in place of `\p{N}{1,3}`.
    case qwen2
    /// As `qwen2` with marks joining letters: `[\p{L}\p{M}]+` and `[^\s\p{L}\p{M}\p{N}]+`.
    case qwen35
    /// `\p{N}`: each number on its own.
    case isolateNumbers
    /// `\p{N}+`.
    case numberRuns
    /// `[\p{P}\$\+<=>\^~\|]+`, with the backtick added for falcon.
    case punctuationRuns(backtick: Bool)
    /// `[0-9][0-9][0-9]`.
    case asciiDigitTriplets
}

/// A BPE pre-tokenizer: the passes `tokenizer.ggml.pre` selects, and llama.cpp's flags for it.
struct PreTokenizer: Sendable {
    let stages: [PreTokenizerStage]
    /// Words found whole in the vocabulary skip the merges (llama3-style vocabularies).
    let ignoreMerges: Bool
    /// llama.cpp's default for `add_bos_token` with this pre-tokenizer.
    let addBOS: Bool
    /// llama.cpp drops the default BOS id for this pre-tokenizer.
    let noDefaultBOS: Bool

    /// The pre-tokenizer for a `tokenizer.ggml.pre` value (nil or absent means `default`), or nil when unknown.
    static func named(_ name: String?) -> PreTokenizer? {
        let gpt2Default: [PreTokenizerStage] = [.punctuationRuns(backtick: false), .gpt2, .numberRuns, .asciiDigitTriplets]
        switch name ?? "default" {
        case "", "default":
            return PreTokenizer(stages: gpt2Default, ignoreMerges: false, addBOS: false, noDefaultBOS: false)
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano":
            return PreTokenizer(stages: [.llama3], ignoreMerges: true, addBOS: true, noDefaultBOS: false)
        case "dbrx", "smaug-bpe":
            return PreTokenizer(stages: [.llama3], ignoreMerges: false, addBOS: false, noDefaultBOS: false)
        case "chatglm-bpe":
            return PreTokenizer(stages: [.llama3], ignoreMerges: false, addBOS: false, noDefaultBOS: true)
        case "glm4", "glm5":
            return PreTokenizer(stages: [.llama3], ignoreMerges: true, addBOS: false, noDefaultBOS: true)
        case "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan", "solar-open", "grok-2":
            return PreTokenizer(stages: [.qwen2], ignoreMerges: false, addBOS: false, noDefaultBOS: false)
        case "qwen35":
            return PreTokenizer(stages: [.qwen35], ignoreMerges: false, addBOS: false, noDefaultBOS: false)
        case "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b", "mellum2":
            return PreTokenizer(stages: [.isolateNumbers, .gpt2], ignoreMerges: false, addBOS: false, noDefaultBOS: false)
        case "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum",
             "modern-bert", "exaone4", "jina-v1-en", "jina-v2-code", "roberta-bpe", "mpt", "olmo", "jais",
             "trillion", "granite-docling":
            return PreTokenizer(stages: [.gpt2], ignoreMerges: false, addBOS: false, noDefaultBOS: false)
        case "falcon":
            return PreTokenizer(stages: [.punctuationRuns(backtick: true), .gpt2, .asciiDigitTriplets],
                                ignoreMerges: false, addBOS: false, noDefaultBOS: false)
        default:
            return nil
        }
    }

    /// Splits UTF-8 text into words.
    ///
    /// - Parameter bytes: valid UTF-8.
    /// - Returns: byte ranges of the words, in order, covering all of `bytes`.
    func split(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let (cpts, offsets) = UTF8Scan.decode(bytes)
        let table = UnicodeTables.shared
        let flags = cpts.map { table.flags($0).rawValue }
        var lengths = [cpts.count]
        cpts.withUnsafeBufferPointer { c in
            flags.withUnsafeBufferPointer { f in
                for stage in stages {
                    var next: [Int] = []
                    next.reserveCapacity(max(lengths.count, c.count / 4))
                    var start = 0
                    for len in lengths {
                        PreTokenizerSplit.apply(stage, c, f, start, start + len, &next)
                        start += len
                    }
                    lengths = next
                }
            }
        }
        var words: [Range<Int>] = []
        words.reserveCapacity(lengths.count)
        var start = 0
        for len in lengths where len > 0 {
            words.append(offsets[start]..<offsets[start + len])
            start += len
        }
        return words
    }
}
