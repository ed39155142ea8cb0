extension ChatTemplate {
    /// Detects the template from a GGUF `tokenizer.chat_template` Jinja string; nil when unknown.
    ///
    /// Follows llama.cpp's `llm_chat_detect_template` branch for branch and in the same order:
    /// an exact llama.cpp template name is taken as is, then each template's rule in the table
    /// (ChatTemplateTable.swift) is tried in declaration order and the first match wins. Formats
    /// llama.cpp knows but nook does not render (RWKV, Hunyuan, Kimi, gpt-oss, …) give nil rather
    /// than falling through to a later, wrong guess. Formats whose text equals a nook template's
    /// for system, user and assistant messages (EXAONE 4, Granite 4.x) map to that template.
    /// Substrings are matched on UTF-8 bytes, as C++ does.
    public static func detect(fromJinja jinja: String) -> ChatTemplate? {
        if let named = ChatTemplate(rawValue: jinja) ?? equivalentLlamaNames[jinja] { return named }
        if unsupportedLlamaNames.contains(jinja) { return nil }

        let text = JinjaText(bytes: Array(jinja.utf8))
        for template in allCases {
            switch template.format.detect(text) {
            case .match: return template
            case .unsupported: return nil
            case .noMatch: continue
            }
        }
        return nil                                                         // dots1, hunyuan, gpt-oss, kimi, …
    }

    /// llama.cpp template names whose output equals a nook template's for system, user and assistant messages.
    static let equivalentLlamaNames: [String: ChatTemplate] = [
        "exaone4": .exaone3, "granite-4.0": .granite, "granite-4.1": .granite,
    ]

    /// llama.cpp template names that nook does not render; `detect` answers nil for them.
    static let unsupportedLlamaNames: Set<String> = [
        "deepseek-ocr", "exaone-moe",
        "rwkv-world", "gigachat", "yandex", "bailing", "bailing-think",
        "bailing2", "hunyuan-moe", "gpt-oss", "hunyuan-dense", "hunyuan-vl", "kimi-k2", "seed_oss",
        "grok-2", "pangu-embedded", "solar-open",
    ]

    /// Whether `haystack` contains the UTF-8 bytes of `needle` (byte-wise, like `std::string::find`).
    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty else { return true }
        guard haystack.count >= pattern.count else { return false }
        let first = pattern[0]
        var i = 0
        let last = haystack.count - pattern.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < pattern.count && haystack[i + j] == pattern[j] { j += 1 }
                if j == pattern.count { return true }
            }
            i += 1
        }
        return false
    }
}
