extension ChatTemplate {
    /// Detects the template from a GGUF `tokenizer.chat_template` Jinja string; nil when unknown.
    ///
    /// Follows llama.cpp's `llm_chat_detect_template` branch for branch and in the same order:
    /// an exact llama.cpp template name is taken as is, then marker substrings decide. Formats
    /// llama.cpp knows but nook does not render (RWKV, Hunyuan, Kimi, gpt-oss, …) give nil rather
    /// than falling through to a later, wrong guess. Formats whose text equals a nook template's
    /// for system, user and assistant messages (EXAONE 4, Granite 4.x) map to that template.
    /// Substrings are matched on UTF-8 bytes, as C++ does.
    public static func detect(fromJinja jinja: String) -> ChatTemplate? {
        if let named = ChatTemplate(rawValue: jinja) ?? equivalentLlamaNames[jinja] { return named }
        if unsupportedLlamaNames.contains(jinja) { return nil }

        let bytes = Array(jinja.utf8)
        func has(_ needle: String) -> Bool { ChatTemplate.contains(bytes, needle) }

        if has("<|im_start|>") {
            if has("<|im_sep|>") { return .phi4 }
            return has("<end_of_utterance>") ? .smolvlm : .chatml
        }
        if bytes.starts(with: "mistral".utf8) || has("[INST]") {
            if has("[SYSTEM_PROMPT]") { return .mistralV7 }
            if has("' [INST] ' + system_message") || has("[AVAILABLE_TOOLS]") {
                if has(" [INST]") { return .mistralV1 }
                if has("\"[INST]\"") { return .mistralV3Tekken }
                return .mistralV3
            }
            if has("content.strip()") { return .llama2SysStrip }
            if has("bos_token + '[INST]") { return .llama2SysBos }
            if has("<<SYS>>") { return .llama2Sys }
            return .llama2
        }
        if has("<|assistant|>") && has("<|end|>") { return .phi3 }
        if has("[gMASK]<sop>") { return .chatglm4 }
        if has("<|assistant|>") && has("<|user|>") {
            if has("<|tool_declare|>") { return nil }                      // exaone-moe
            return has("</s>") ? .falcon3 : .glmedge
        }
        if has("<|{{ item['role'] }}|>") && has("<|begin_of_image|>") { return .glmedge }
        if has("<|user|>") && has("<|endoftext|>") { return .zephyr }
        if has("bos_token + message['role']") { return .monarch }
        if has("<start_of_turn>") { return .gemma }
        if has("'\\n\\nAssistant: ' + eos_token") { return .orion }
        if has("GPT4 Correct ") { return .openchat }
        if has("USER: ") && has("ASSISTANT: ") { return has("SYSTEM: ") ? .vicunaOrca : .vicuna }
        if has("### Instruction:") && has("<|EOT|>") { return .deepseek }
        if has("<|START_OF_TURN_TOKEN|>") && has("<|USER_TOKEN|>") { return .commandR }
        if has("<|start_header_id|>") && has("<|end_header_id|>") { return .llama3 }
        if has("[gMASK]sop") { return .chatglm3 }
        if has("<用户>") { return .minicpm }
        if has("'Assistant: ' + message['content'] + eos_token") { return .deepseek2 }
        if has("<｜Assistant｜>") && has("<｜User｜>") && has("<｜end▁of▁sentence｜>") { return .deepseek3 }
        if has("[|system|]") && has("[|assistant|]") && has("[|endofturn|]") { return .exaone3 }  // or exaone4: same text
        if has("rwkv-world") || has("{{- 'User: ' + message['content']|trim + '\\n\\n' -}}") { return nil }
        if has("<|start_of_role|>") { return .granite }                    // or granite 4.x: same text
        if has("message['role'] + additional_special_tokens[0] + message['content'] + additional_special_tokens[1]") {
            return nil                                                     // gigachat
        }
        if has("<|role_start|>") { return .megrez }
        if has(" Ассистент:") { return nil }                               // yandex
        if has("<role>ASSISTANT</role>") {                                 // bailing family
            if has("'HUMAN'") || (has("\"HUMAN\"") && has("<think>")) { return nil }
            if has("<role>HUMAN</role>") && has("<|role_end|>") { return nil }
        }
        if has("<|header_start|>") && has("<|header_end|>") { return .llama4 }
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
