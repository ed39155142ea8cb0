import Conversation

/// What one chat template is: how a Jinja template is recognised as it, how it renders, and the text that ends a reply.
struct ChatTemplateFormat: Sendable {
    /// Whether a Jinja template is this one; called in declaration order, the first `.match` wins.
    let detect: @Sendable (JinjaText) -> DetectionVerdict
    /// Extra stop strings: the text that ends an assistant turn.
    let stopStrings: [String]
    /// The prompt text for the input.
    let render: @Sendable (RenderInput) -> String
}

/// The answer of one template's detection rule.
enum DetectionVerdict: Sendable {
    case match
    case noMatch
    /// A format llama.cpp knows at this point of its search but nook does not render: stop and answer nil,
    /// rather than fall through to a later, wrong guess.
    case unsupported
}

/// The input of a template's renderer (BOS and EOS already defaulted to `<s>` and `</s>`).
struct RenderInput {
    let messages: [Message]
    let addAssistantPrefix: Bool
    let bos: String
    let eos: String

    /// `text` when the assistant prefix is wanted, else nothing.
    func prefix(_ text: String) -> String { addAssistantPrefix ? text : "" }
}

/// A Jinja template's UTF-8 bytes, searched byte-wise as C++ `std::string::find` does.
struct JinjaText: Sendable {
    let bytes: [UInt8]

    func has(_ needle: String) -> Bool { ChatTemplate.contains(bytes, needle) }
    func starts(with prefix: String) -> Bool { bytes.starts(with: prefix.utf8) }
}

extension ChatTemplateFormat {
    /// A template recognised when `rule` holds.
    init(when rule: @escaping @Sendable (JinjaText) -> Bool, stop: [String], render: @escaping @Sendable (RenderInput) -> String) {
        self.init(detect: { rule($0) ? .match : .noMatch }, stopStrings: stop, render: render)
    }

    /// A template recognised when `rule` holds, after llama.cpp's check for formats nook does not render.
    init(unless unsupported: @escaping @Sendable (JinjaText) -> Bool, when rule: @escaping @Sendable (JinjaText) -> Bool,
         stop: [String], render: @escaping @Sendable (RenderInput) -> String) {
        self.init(detect: { unsupported($0) ? .unsupported : rule($0) ? .match : .noMatch }, stopStrings: stop, render: render)
    }
}

/// llama.cpp's `[INST]` branch: every template in it is a llama2 or mistral variant.
private func instBranch(_ j: JinjaText) -> Bool { j.starts(with: "mistral") || j.has("[INST]") }
/// Mistral v1/v3 templates, told apart from llama2 by their system-message or tool markers.
private func mistralLegacy(_ j: JinjaText) -> Bool {
    instBranch(j) && (j.has("' [INST] ' + system_message") || j.has("[AVAILABLE_TOOLS]"))
}

extension ChatTemplate {
    /// The one table of templates: detection rule (in llama.cpp's order), stop strings and renderer of each.
    var format: ChatTemplateFormat {
        switch self {
        case .chatml:
            return .init(when: { $0.has("<|im_start|>") && !$0.has("<|im_sep|>") && !$0.has("<end_of_utterance>") }, stop: ["<|im_end|>"]) { r in
                r.messages.map { "<|im_start|>\($0.role.rawValue)\n\($0.content)<|im_end|>\n" }.joined()
                    + r.prefix("<|im_start|>assistant\n")
            }
        case .phi4:
            return .init(when: { $0.has("<|im_start|>") && $0.has("<|im_sep|>") }, stop: ["<|im_end|>"]) { r in
                r.messages.map { "<|im_start|>\($0.role.rawValue)<|im_sep|>\($0.content)<|im_end|>" }.joined()
                    + r.prefix("<|im_start|>assistant<|im_sep|>")
            }
        case .smolvlm:
            return .init(when: { $0.has("<|im_start|>") && $0.has("<end_of_utterance>") }, stop: ["<end_of_utterance>"]) { r in
                "<|im_start|>" + r.messages.map { m in
                    switch m.role {
                    case .system: return "\(m.content)\n\n"
                    case .user: return "User: \(m.content)<end_of_utterance>\n"
                    case .assistant: return "Assistant: \(m.content)<end_of_utterance>\n"
                    }
                }.joined() + r.prefix("Assistant:")
            }
        case .mistralV7:
            return .init(when: { instBranch($0) && $0.has("[SYSTEM_PROMPT]") }, stop: ["</s>", "[INST]"]) {
                ChatTemplate.renderMistralV7($0, space: " ")
            }
        case .mistralV7Tekken:   // llama.cpp detects only v7; v7-tekken is chosen by name
            return .init(when: { _ in false }, stop: ["</s>", "[INST]"]) { ChatTemplate.renderMistralV7($0, space: "") }
        case .mistralV1:
            return .init(when: { mistralLegacy($0) && $0.has(" [INST]") }, stop: ["</s>", "[INST]"]) {
                ChatTemplate.renderMistral($0, leading: " ", trailing: " ", trimAssistant: false)
            }
        case .mistralV3Tekken:
            return .init(when: { mistralLegacy($0) && $0.has("\"[INST]\"") }, stop: ["</s>", "[INST]"]) {
                ChatTemplate.renderMistral($0, leading: "", trailing: "", trimAssistant: false)
            }
        case .mistralV3:
            return .init(when: mistralLegacy, stop: ["</s>", "[INST]"]) {
                ChatTemplate.renderMistral($0, leading: "", trailing: " ", trimAssistant: true)
            }
        case .llama2SysStrip:
            return .init(when: { instBranch($0) && $0.has("content.strip()") }, stop: ["</s>", "[INST]"]) {
                ChatTemplate.renderLlama2($0, systemBlock: true, bosInHistory: false, strip: true)
            }
        case .llama2SysBos:
            return .init(when: { instBranch($0) && $0.has("bos_token + '[INST]") }, stop: ["</s>", "[INST]"]) {
                ChatTemplate.renderLlama2($0, systemBlock: true, bosInHistory: true, strip: false)
            }
        case .llama2Sys:
            return .init(when: { instBranch($0) && $0.has("<<SYS>>") }, stop: ["</s>", "[INST]"]) {
                ChatTemplate.renderLlama2($0, systemBlock: true, bosInHistory: false, strip: false)
            }
        case .llama2:
            return .init(when: instBranch, stop: ["</s>", "[INST]"]) {
                ChatTemplate.renderLlama2($0, systemBlock: false, bosInHistory: false, strip: false)
            }
        case .phi3:
            return .init(when: { $0.has("<|assistant|>") && $0.has("<|end|>") }, stop: ["<|end|>"]) { r in
                r.messages.map { "<|\($0.role.rawValue)|>\n\($0.content)<|end|>\n" }.joined() + r.prefix("<|assistant|>\n")
            }
        case .chatglm4:
            return .init(when: { $0.has("[gMASK]<sop>") }, stop: ["<|user|>", "<|observation|>"]) { r in
                "[gMASK]<sop>" + r.messages.map { "<|\($0.role.rawValue)|>\n" + $0.content }.joined() + r.prefix("<|assistant|>\n")
            }
        case .falcon3:
            return .init(unless: { $0.has("<|assistant|>") && $0.has("<|user|>") && $0.has("<|tool_declare|>") },  // exaone-moe
                         when: { $0.has("<|assistant|>") && $0.has("<|user|>") && $0.has("</s>") }, stop: ["<|user|>"]) { r in
                r.messages.map { "<|\($0.role.rawValue)|>\n\($0.content)\n" }.joined() + r.prefix("<|assistant|>\n")
            }
        case .glmedge:
            return .init(when: { ($0.has("<|assistant|>") && $0.has("<|user|>"))
                                 || ($0.has("<|{{ item['role'] }}|>") && $0.has("<|begin_of_image|>")) },
                         stop: ["<|user|>", "<|observation|>"]) { r in
                r.messages.map { "<|\($0.role.rawValue)|>\n" + $0.content }.joined() + r.prefix("<|assistant|>")
            }
        case .zephyr:
            return .init(when: { $0.has("<|user|>") && $0.has("<|endoftext|>") }, stop: ["<|endoftext|>"]) { r in
                r.messages.map { "<|\($0.role.rawValue)|>\n\($0.content)<|endoftext|>\n" }.joined() + r.prefix("<|assistant|>\n")
            }
        case .monarch:
            return .init(when: { $0.has("bos_token + message['role']") }, stop: ["</s>"]) { r in
                r.messages.enumerated().map { i, m in (i == 0 ? "" : r.bos) + "\(m.role.rawValue)\n\(m.content)" + r.eos + "\n" }
                    .joined() + r.prefix(r.bos + "assistant\n")
            }
        case .gemma:
            return .init(when: { $0.has("<start_of_turn>") }, stop: ["<end_of_turn>"]) { r in
                ChatTemplate.renderGemma(r.messages) + r.prefix("<start_of_turn>model\n")
            }
        case .orion:
            return .init(when: { $0.has("'\\n\\nAssistant: ' + eos_token") }, stop: ["</s>", "Human:"]) {
                ChatTemplate.renderOrion($0.messages)
            }
        case .openchat:
            return .init(when: { $0.has("GPT4 Correct ") }, stop: ["<|end_of_turn|>"]) { r in
                r.messages.map { m in
                    switch m.role {
                    case .system: return "\(m.content)<|end_of_turn|>"
                    case .user: return "GPT4 Correct User: \(m.content)<|end_of_turn|>"
                    case .assistant: return "GPT4 Correct Assistant: \(m.content)<|end_of_turn|>"
                    }
                }.joined() + r.prefix("GPT4 Correct Assistant:")
            }
        case .vicunaOrca, .vicuna:
            let orca = self == .vicunaOrca
            return .init(when: { $0.has("USER: ") && $0.has("ASSISTANT: ") && (!orca || $0.has("SYSTEM: ")) },
                         stop: ["</s>", "USER:"]) { r in
                r.messages.map { m in
                    switch m.role {
                    case .system: return orca ? "SYSTEM: \(m.content)\n" : "\(m.content)\n\n"
                    case .user: return "USER: \(m.content)\n"
                    case .assistant: return "ASSISTANT: \(m.content)</s>\n"
                    }
                }.joined() + r.prefix("ASSISTANT:")
            }
        case .deepseek:
            return .init(when: { $0.has("### Instruction:") && $0.has("<|EOT|>") }, stop: ["<|EOT|>"]) { r in
                r.messages.map { m in
                    switch m.role {
                    case .system: return m.content
                    case .user: return "### Instruction:\n\(m.content)\n"
                    case .assistant: return "### Response:\n\(m.content)\n<|EOT|>\n"
                    }
                }.joined() + r.prefix("### Response:\n")
            }
        case .commandR:
            return .init(when: { $0.has("<|START_OF_TURN_TOKEN|>") && $0.has("<|USER_TOKEN|>") },
                         stop: ["<|END_OF_TURN_TOKEN|>"]) { r in
                r.messages.map { m in
                    let token = m.role == .system ? "<|SYSTEM_TOKEN|>" : m.role == .user ? "<|USER_TOKEN|>" : "<|CHATBOT_TOKEN|>"
                    return "<|START_OF_TURN_TOKEN|>\(token)\(ChatTemplate.trim(m.content))<|END_OF_TURN_TOKEN|>"
                }.joined() + r.prefix("<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>")
            }
        case .llama3:
            return .init(when: { $0.has("<|start_header_id|>") && $0.has("<|end_header_id|>") }, stop: ["<|eot_id|>"]) { r in
                r.messages.map { "<|start_header_id|>\($0.role.rawValue)<|end_header_id|>\n\n\(ChatTemplate.trim($0.content))<|eot_id|>" }
                    .joined() + r.prefix("<|start_header_id|>assistant<|end_header_id|>\n\n")
            }
        case .chatglm3:
            return .init(when: { $0.has("[gMASK]sop") }, stop: ["<|user|>", "<|observation|>"]) { r in
                "[gMASK]sop" + r.messages.map { "<|\($0.role.rawValue)|>\n " + $0.content }.joined() + r.prefix("<|assistant|>")
            }
        case .minicpm:
            return .init(when: { $0.has("<用户>") }, stop: ["<用户>"]) { r in
                r.messages.map { m in
                    let text = ChatTemplate.trim(m.content)
                    return m.role == .user ? "<用户>\(text)<AI>" : text
                }.joined()
            }
        case .deepseek2:
            return .init(when: { $0.has("'Assistant: ' + message['content'] + eos_token") }, stop: ["<｜end▁of▁sentence｜>"]) { r in
                r.messages.map { m in
                    switch m.role {
                    case .system: return "\(m.content)\n\n"
                    case .user: return "User: \(m.content)\n\n"
                    case .assistant: return "Assistant: \(m.content)<｜end▁of▁sentence｜>"
                    }
                }.joined() + r.prefix("Assistant:")
            }
        case .deepseek3:
            return .init(when: { $0.has("<｜Assistant｜>") && $0.has("<｜User｜>") && $0.has("<｜end▁of▁sentence｜>") },
                         stop: ["<｜end▁of▁sentence｜>"]) { r in
                r.messages.map { m in
                    switch m.role {
                    case .system: return "\(m.content)\n\n"
                    case .user: return "<｜User｜>\(m.content)"
                    case .assistant: return "<｜Assistant｜>\(m.content)<｜end▁of▁sentence｜>"
                    }
                }.joined() + r.prefix("<｜Assistant｜>")
            }
        case .exaone3:   // exaone4 renders the same text
            return .init(when: { $0.has("[|system|]") && $0.has("[|assistant|]") && $0.has("[|endofturn|]") },
                         stop: ["[|endofturn|]"]) { r in
                r.messages.map { m in
                    let text = ChatTemplate.trim(m.content)
                    switch m.role {
                    case .system: return "[|system|]\(text)[|endofturn|]\n"
                    case .user: return "[|user|]\(text)\n"
                    case .assistant: return "[|assistant|]\(text)[|endofturn|]\n"
                    }
                }.joined() + r.prefix("[|assistant|]")
            }
        case .granite:   // granite 4.x renders the same text
            return .init(unless: { $0.has("rwkv-world") || $0.has("{{- 'User: ' + message['content']|trim + '\\n\\n' -}}") },
                         when: { $0.has("<|start_of_role|>") }, stop: ["<|end_of_text|>"]) { r in
                r.messages.map { "<|start_of_role|>\($0.role.rawValue)<|end_of_role|>\($0.content)<|end_of_text|>\n" }.joined()
                    + r.prefix("<|start_of_role|>assistant<|end_of_role|>")
            }
        case .megrez:
            return .init(unless: { $0.has("message['role'] + additional_special_tokens[0] + message['content'] + additional_special_tokens[1]") },  // gigachat
                         when: { $0.has("<|role_start|>") }, stop: ["<|turn_end|>"]) { r in
                r.messages.map { "<|role_start|>\($0.role.rawValue)<|role_end|>\($0.content)<|turn_end|>" }.joined()
                    + r.prefix("<|role_start|>assistant<|role_end|>")
            }
        case .llama4:
            return .init(unless: { $0.has(" Ассистент:") || isBailing($0) },   // yandex, the bailing family
                         when: { $0.has("<|header_start|>") && $0.has("<|header_end|>") }, stop: ["<|eot|>"]) { r in
                r.messages.map { "<|header_start|>\($0.role.rawValue)<|header_end|>\n\n\(ChatTemplate.trim($0.content))<|eot|>" }
                    .joined() + r.prefix("<|header_start|>assistant<|header_end|>\n\n")
            }
        }
    }
}

/// llama.cpp's bailing, bailing-think and bailing2 formats.
private func isBailing(_ j: JinjaText) -> Bool {
    guard j.has("<role>ASSISTANT</role>") else { return false }
    return j.has("'HUMAN'") || (j.has("\"HUMAN\"") && j.has("<think>")) || (j.has("<role>HUMAN</role>") && j.has("<|role_end|>"))
}
