import Conversation

extension ChatTemplate {
    /// Renders messages into the prompt text; `addAssistantPrefix` appends the opening of the assistant turn.
    ///
    /// The output is byte-identical to llama.cpp's `llm_chat_apply_template` for the same messages
    /// and template, including its per-template quirks: which templates trim whitespace, how a
    /// system message is folded into a user turn (gemma, orion, llama2, mistral v1/v3), and that
    /// the llama2 and mistral families, orion and minicpm never add an assistant prefix (their
    /// user turn already ends with the assistant's cue, e.g. `[/INST]`).
    /// Attachments are not rendered; only `content` is.
    ///
    /// The text never starts with the BOS token: the tokenizer adds it when the vocabulary asks for
    /// one, as llama.cpp does. `bosToken` and `eosToken` stand in for the `<s>` and `</s>` that
    /// llama.cpp hard-codes in the llama2, mistral and monarch templates (the real Jinja templates
    /// write `bos_token`/`eos_token` there); an empty string keeps llama.cpp's literal. With `<s>`
    /// and `</s>`, the usual tokens of those models, the output equals llama.cpp's exactly.
    public func render(_ messages: [Message], addAssistantPrefix: Bool, bosToken: String, eosToken: String) -> String {
        let bos = bosToken.isEmpty ? "<s>" : bosToken
        let eos = eosToken.isEmpty ? "</s>" : eosToken
        var out = ""
        switch self {
        case .chatml:
            for m in messages { out += "<|im_start|>\(m.role.rawValue)\n\(m.content)<|im_end|>\n" }
            if addAssistantPrefix { out += "<|im_start|>assistant\n" }
        case .mistralV7, .mistralV7Tekken:
            let space = self == .mistralV7 ? " " : ""
            for m in messages {
                switch m.role {
                case .system: out += "[SYSTEM_PROMPT]\(space)\(m.content)[/SYSTEM_PROMPT]"
                case .user: out += "[INST]\(space)\(m.content)[/INST]"
                case .assistant: out += space + m.content + eos
                }
            }
        case .mistralV1, .mistralV3, .mistralV3Tekken:
            out = renderMistralV1V3(messages, eos: eos)
        case .llama2, .llama2Sys, .llama2SysBos, .llama2SysStrip:
            out = renderLlama2(messages, bos: bos, eos: eos)
        case .phi3:
            for m in messages { out += "<|\(m.role.rawValue)|>\n\(m.content)<|end|>\n" }
            if addAssistantPrefix { out += "<|assistant|>\n" }
        case .phi4:
            for m in messages { out += "<|im_start|>\(m.role.rawValue)<|im_sep|>\(m.content)<|im_end|>" }
            if addAssistantPrefix { out += "<|im_start|>assistant<|im_sep|>" }
        case .falcon3:
            for m in messages { out += "<|\(m.role.rawValue)|>\n\(m.content)\n" }
            if addAssistantPrefix { out += "<|assistant|>\n" }
        case .zephyr:
            for m in messages { out += "<|\(m.role.rawValue)|>\n\(m.content)<|endoftext|>\n" }
            if addAssistantPrefix { out += "<|assistant|>\n" }
        case .monarch:
            for (i, m) in messages.enumerated() {
                out += (i == 0 ? "" : bos) + "\(m.role.rawValue)\n\(m.content)" + eos + "\n"
            }
            if addAssistantPrefix { out += bos + "assistant\n" }
        case .gemma:
            out = renderGemma(messages)
            if addAssistantPrefix { out += "<start_of_turn>model\n" }
        case .openchat:
            for m in messages {
                switch m.role {
                case .system: out += "\(m.content)<|end_of_turn|>"
                case .user: out += "GPT4 Correct User: \(m.content)<|end_of_turn|>"
                case .assistant: out += "GPT4 Correct Assistant: \(m.content)<|end_of_turn|>"
                }
            }
            if addAssistantPrefix { out += "GPT4 Correct Assistant:" }
        case .vicuna, .vicunaOrca:
            for m in messages {
                switch m.role {
                case .system: out += self == .vicunaOrca ? "SYSTEM: \(m.content)\n" : "\(m.content)\n\n"
                case .user: out += "USER: \(m.content)\n"
                case .assistant: out += "ASSISTANT: \(m.content)</s>\n"
                }
            }
            if addAssistantPrefix { out += "ASSISTANT:" }
        case .deepseek:
            for m in messages {
                switch m.role {
                case .system: out += m.content
                case .user: out += "### Instruction:\n\(m.content)\n"
                case .assistant: out += "### Response:\n\(m.content)\n<|EOT|>\n"
                }
            }
            if addAssistantPrefix { out += "### Response:\n" }
        case .deepseek2:
            for m in messages {
                switch m.role {
                case .system: out += "\(m.content)\n\n"
                case .user: out += "User: \(m.content)\n\n"
                case .assistant: out += "Assistant: \(m.content)<｜end▁of▁sentence｜>"
                }
            }
            if addAssistantPrefix { out += "Assistant:" }
        case .deepseek3:
            for m in messages {
                switch m.role {
                case .system: out += "\(m.content)\n\n"
                case .user: out += "<｜User｜>\(m.content)"
                case .assistant: out += "<｜Assistant｜>\(m.content)<｜end▁of▁sentence｜>"
                }
            }
            if addAssistantPrefix { out += "<｜Assistant｜>" }
        case .commandR:
            for m in messages {
                let token = m.role == .system ? "<|SYSTEM_TOKEN|>" : m.role == .user ? "<|USER_TOKEN|>" : "<|CHATBOT_TOKEN|>"
                out += "<|START_OF_TURN_TOKEN|>\(token)\(ChatTemplate.trim(m.content))<|END_OF_TURN_TOKEN|>"
            }
            if addAssistantPrefix { out += "<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>" }
        case .llama3:
            for m in messages {
                out += "<|start_header_id|>\(m.role.rawValue)<|end_header_id|>\n\n\(ChatTemplate.trim(m.content))<|eot_id|>"
            }
            if addAssistantPrefix { out += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        case .llama4:
            for m in messages {
                out += "<|header_start|>\(m.role.rawValue)<|header_end|>\n\n\(ChatTemplate.trim(m.content))<|eot|>"
            }
            if addAssistantPrefix { out += "<|header_start|>assistant<|header_end|>\n\n" }
        case .exaone3:
            for m in messages {
                let text = ChatTemplate.trim(m.content)
                switch m.role {
                case .system: out += "[|system|]\(text)[|endofturn|]\n"
                case .user: out += "[|user|]\(text)\n"
                case .assistant: out += "[|assistant|]\(text)[|endofturn|]\n"
                }
            }
            if addAssistantPrefix { out += "[|assistant|]" }
        case .granite:
            for m in messages { out += "<|start_of_role|>\(m.role.rawValue)<|end_of_role|>\(m.content)<|end_of_text|>\n" }
            if addAssistantPrefix { out += "<|start_of_role|>assistant<|end_of_role|>" }
        case .megrez:
            for m in messages { out += "<|role_start|>\(m.role.rawValue)<|role_end|>\(m.content)<|turn_end|>" }
            if addAssistantPrefix { out += "<|role_start|>assistant<|role_end|>" }
        case .orion:
            out = renderOrion(messages)
        case .chatglm3, .chatglm4, .glmedge:
            out = self == .chatglm3 ? "[gMASK]sop" : self == .chatglm4 ? "[gMASK]<sop>" : ""
            let separator = self == .chatglm3 ? "\n " : "\n"
            for m in messages { out += "<|\(m.role.rawValue)|>" + separator + m.content }
            if addAssistantPrefix { out += self == .chatglm4 ? "<|assistant|>\n" : "<|assistant|>" }
        case .minicpm:
            for m in messages {
                let text = ChatTemplate.trim(m.content)
                out += m.role == .user ? "<用户>\(text)<AI>" : text
            }
        case .smolvlm:
            out = "<|im_start|>"
            for m in messages {
                switch m.role {
                case .system: out += "\(m.content)\n\n"
                case .user: out += "User: \(m.content)<end_of_utterance>\n"
                case .assistant: out += "Assistant: \(m.content)<end_of_utterance>\n"
                }
            }
            if addAssistantPrefix { out += "Assistant:" }
        }
        return out
    }

    /// Mistral v1, v3 and v3-tekken: a system message opens the `[INST]` block it belongs to.
    private func renderMistralV1V3(_ messages: [Message], eos: String) -> String {
        let leading = self == .mistralV1 ? " " : ""
        let trailing = self == .mistralV3Tekken ? "" : " "
        let trimAssistant = self == .mistralV3
        var out = ""
        var insideTurn = false
        for m in messages {
            if !insideTurn {
                out += leading + "[INST]" + trailing
                insideTurn = true
            }
            switch m.role {
            case .system: out += m.content + "\n\n"
            case .user: out += m.content + leading + "[/INST]"
            case .assistant:
                out += trailing + (trimAssistant ? ChatTemplate.trim(m.content) : m.content) + eos
                insideTurn = false
            }
        }
        return out
    }

    /// The llama2 family: the prompt opens with `[INST] ` and later turns reopen it after `</s>`.
    private func renderLlama2(_ messages: [Message], bos: String, eos: String) -> String {
        let systemBlock = self != .llama2
        let bosInHistory = self == .llama2SysBos
        let strip = self == .llama2SysStrip
        var out = "[INST] "
        var insideTurn = true
        for m in messages {
            let content = strip ? ChatTemplate.trim(m.content) : m.content
            if !insideTurn {
                insideTurn = true
                out += bosInHistory ? bos + "[INST] " : "[INST] "
            }
            switch m.role {
            case .system: out += systemBlock ? "<<SYS>>\n\(content)\n<</SYS>>\n\n" : "\(content)\n"
            case .user: out += content + " [/INST]"
            case .assistant:
                out += content + eos
                insideTurn = false
            }
        }
        return out
    }

    /// Gemma: system prompts are trimmed, concatenated and put at the head of the next user turn.
    private func renderGemma(_ messages: [Message]) -> String {
        var out = ""
        var systemPrompt = ""
        for m in messages {
            if m.role == .system {
                systemPrompt += ChatTemplate.trim(m.content)
                continue
            }
            let role = m.role == .assistant ? "model" : m.role.rawValue
            out += "<start_of_turn>\(role)\n"
            if !systemPrompt.isEmpty && role != "model" {
                out += systemPrompt + "\n\n"
                systemPrompt = ""
            }
            out += ChatTemplate.trim(m.content) + "<end_of_turn>\n"
        }
        return out
    }

    /// Orion: like gemma the system prompt joins the next user turn, untrimmed; no assistant prefix.
    private func renderOrion(_ messages: [Message]) -> String {
        var out = ""
        var systemPrompt = ""
        for m in messages {
            switch m.role {
            case .system:
                systemPrompt += m.content
            case .user:
                out += "Human: "
                if !systemPrompt.isEmpty {
                    out += systemPrompt + "\n\n"
                    systemPrompt = ""
                }
                out += m.content + "\n\nAssistant: </s>"
            case .assistant:
                out += m.content + "</s>"
            }
        }
        return out
    }

    /// Removes leading and trailing C-locale whitespace (space, \t, \n, \v, \f, \r) byte-wise, like llama.cpp's `trim`.
    static func trim(_ text: String) -> String {
        let bytes = Array(text.utf8)
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        var start = 0
        var end = bytes.count
        while start < end && isSpace(bytes[start]) { start += 1 }
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        if start == 0 && end == bytes.count { return text }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
