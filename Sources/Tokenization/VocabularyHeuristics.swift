import GGUF

/// llama.cpp's load-time guesses about special tokens from their text: end-of-turn and
/// fill-in-the-middle tokens, unused tokens, the end-of-generation set, and per-model strip flags.
///
/// llama.cpp walks an unordered map where this walks ids in ascending order, so when a vocabulary
/// holds several candidates for one role (say both `<|im_end|>` and `<|endoftext|>` for eot) the
/// chosen id may differ; the end-of-generation set, which contains all of them, does not.
struct VocabularyHeuristics {
    let texts: [String]
    let table: ByteStringTable
    var attributes: [AttributeBits]
    var ids: SpecialTokenIDs
    private(set) var endOfGeneration: Set<Int32> = []
    private(set) var specialTokens: [Int32] = []

    init(texts: [String], table: ByteStringTable, attributes: [AttributeBits], ids: SpecialTokenIDs) {
        self.texts = texts
        self.table = table
        self.attributes = attributes
        self.ids = ids
    }

    static let eotNames: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>",
        "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>",
    ]
    static let eomNames: Set<String> = ["<|eom_id|>"]
    static let fimPreNames: Set<String> = [
        "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>",
        "<|code_prefix|>", "<|prefix|>",
    ]
    static let fimSufNames: Set<String> = [
        "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>",
        "<|code_suffix|>", "<|suffix|>",
    ]
    static let fimMidNames: Set<String> = [
        "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>",
        "<|code_middle|>", "<|middle|>",
    ]
    static let fimPadNames: Set<String> = ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"]
    static let fimRepNames: Set<String> = ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"]
    static let fimSepNames: Set<String> = ["<|file_sep|>"]
    static let eogNames: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
        "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
        "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
        "<｜end▁of▁sentence｜>", "[e~[",
    ]
    static let alwaysRendered: Set<String> = ["<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"]

    /// Ids whose string maps back to them (the last of duplicates), in ascending order:
    /// the entries of llama.cpp's `token_to_id`.
    private func canonicalIDs() -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(texts.count)
        for (i, s) in texts.enumerated() {
            let bytes = Array(s.utf8)
            if bytes.withUnsafeBufferPointer({ table.lookup($0) }) == Int32(i) { out.append(Int32(i)) }
        }
        return out
    }

    private func id(of text: String) -> Int32? {
        Array(text.utf8).withUnsafeBufferPointer { table.lookup($0) }
    }

    mutating func run(file: GGUFFile) {
        let canonical = canonicalIDs()

        // Role detection by text; a detected token becomes a control token.
        let roles: [(WritableKeyPath<SpecialTokenIDs, Int32?>, Set<String>)] = [
            (\.eot, Self.eotNames), (\.eom, Self.eomNames), (\.fimPre, Self.fimPreNames),
            (\.fimSuf, Self.fimSufNames), (\.fimMid, Self.fimMidNames), (\.fimPad, Self.fimPadNames),
            (\.fimRep, Self.fimRepNames), (\.fimSep, Self.fimSepNames),
        ]
        for (keyPath, names) in roles where ids[keyPath: keyPath] == nil {
            if let t = canonical.first(where: { names.contains(texts[Int($0)]) }) {
                ids[keyPath: keyPath] = t
                attributes[Int(t)].insert(.control)
            }
        }

        // Control tokens named "unused" are unused.
        for t in canonical where attributes[Int(t)].contains(.control) && texts[Int(t)].contains("unused") {
            attributes[Int(t)].insert(.unused)
        }

        var eog: Set<Int32> = []
        for t in [ids.fimPad, ids.fimRep, ids.fimSep] { if let t { eog.insert(t) } }
        for t in canonical where Self.eogNames.contains(texts[Int(t)]) {
            eog.insert(t)
            attributes[Int(t)].insert(.control)
        }
        for t in canonical where Self.alwaysRendered.contains(texts[Int(t)]) {
            attributes[Int(t)] = .userDefined
        }
        for t in [ids.eos, ids.eot, ids.eom] { if let t { eog.insert(t) } }

        // o200k_harmony and solar-open: "<|end|>" ends a message, not the generation.
        let eogTexts = Set(eog.map { texts[Int($0)] })
        let hasCall = eogTexts.contains("<|call|>") || eogTexts.contains("<|calls|>")
        if (eogTexts.contains("<|return|>") && hasCall) || (hasCall && eogTexts.contains("<|flush|>")),
           let end = eog.first(where: { texts[Int($0)] == "<|end|>" }) {
            eog.remove(end)
            attributes[Int(end)] = .userDefined
        }
        // gemma4 and plamo have an ordinary "</s>".
        if eogTexts.contains("<|tool_response>") || eogTexts.contains("<|plamo:eos|>"),
           let s = eog.first(where: { texts[Int($0)] == "</s>" }) {
            eog.remove(s)
            attributes[Int(s)] = .normal
        }
        endOfGeneration = eog

        let specialMask: AttributeBits = [.control, .userDefined, .unknown]
        let special = (0..<texts.count).filter { !attributes[$0].isDisjoint(with: specialMask) }.map { Int32($0) }
        let lengths = texts.map { $0.utf8.count }
        specialTokens = special.sorted { a, b in
            let la = lengths[Int(a)], lb = lengths[Int(b)]
            return la != lb ? la > lb : a < b
        }

        applyModelStripFlags(file: file)
    }

    /// Per-model strip flags llama.cpp sets by model name, pre-tokenizer or architecture.
    private mutating func applyModelStripFlags(file: GGUFFile) {
        let name = (file.string("general.name") ?? "").lowercased()
        let pre = file.string("tokenizer.ggml.pre") ?? ""
        let arch = file.string("general.architecture") ?? ""
        func set(_ text: String, _ bit: AttributeBits, _ on: Bool) {
            guard let t = id(of: text) else { return }
            if on { attributes[Int(t)].insert(bit) } else { attributes[Int(t)].remove(bit) }
        }
        if ["jina-v2-de", "jina-v2-es", "jina-v2-code"].contains(where: { pre.contains($0) })
            || ["nomic-bert-moe", "jina-bert-v3"].contains(where: { arch.contains($0) }) {
            set("<mask>", .lstrip, true)
        } else if name.contains("phi-3") || name.contains("phi3") {
            for t in specialTokens { attributes[Int(t)].insert(.rstrip) }
            set("</s>", .rstrip, true)
            for text in ["<unk>", "<s>", "<|endoftext|>"] { set(text, .rstrip, false) }
        } else if name.contains("modern-bert") {
            set("[MASK]", .lstrip, true)
        }
    }
}
