import Conversation

/// Renderers shared by several entries of the template table (ChatTemplateTable.swift).
extension ChatTemplate {
    /// Mistral v7 and v7-tekken: system prompts in their own block, replies closed by EOS.
    static func renderMistralV7(_ r: RenderInput, space: String) -> String {
        r.messages.map { (m: Message) -> String in
            switch m.role {
            case .system: return "[SYSTEM_PROMPT]\(space)\(m.content)[/SYSTEM_PROMPT]"
            case .user: return "[INST]\(space)\(m.content)[/INST]"
            case .assistant: return space + m.content + r.eos
            }
        }.joined()
    }

    /// Mistral v1, v3 and v3-tekken: a system message opens the `[INST]` block it belongs to.
    static func renderMistral(_ r: RenderInput, leading: String, trailing: String, trimAssistant: Bool) -> String {
        var out = ""
        var insideTurn = false
        for m in r.messages {
            if !insideTurn {
                out += leading + "[INST]" + trailing
                insideTurn = true
            }
            switch m.role {
            case .system: out += m.content + "\n\n"
            case .user: out += m.content + leading + "[/INST]"
            case .assistant:
                out += trailing + (trimAssistant ? trim(m.content) : m.content) + r.eos
                insideTurn = false
            }
        }
        return out
    }

    /// The llama2 family: the prompt opens with `[INST] ` and later turns reopen it after `</s>`.
    static func renderLlama2(_ r: RenderInput, systemBlock: Bool, bosInHistory: Bool, strip: Bool) -> String {
        var out = "[INST] "
        var insideTurn = true
        for m in r.messages {
            let content = strip ? trim(m.content) : m.content
            if !insideTurn {
                insideTurn = true
                out += bosInHistory ? r.bos + "[INST] " : "[INST] "
            }
            switch m.role {
            case .system: out += systemBlock ? "<<SYS>>\n\(content)\n<</SYS>>\n\n" : "\(content)\n"
            case .user: out += content + " [/INST]"
            case .assistant:
                out += content + r.eos
                insideTurn = false
            }
        }
        return out
    }

    /// Gemma: system prompts are trimmed, concatenated and put at the head of the next user turn.
    static func renderGemma(_ messages: [Message]) -> String {
        var out = ""
        var systemPrompt = ""
        for m in messages {
            if m.role == .system {
                systemPrompt += trim(m.content)
                continue
            }
            let role = m.role == .assistant ? "model" : m.role.rawValue
            out += "<start_of_turn>\(role)\n"
            if !systemPrompt.isEmpty && role != "model" {
                out += systemPrompt + "\n\n"
                systemPrompt = ""
            }
            out += trim(m.content) + "<end_of_turn>\n"
        }
        return out
    }

    /// Orion: like gemma the system prompt joins the next user turn, untrimmed; no assistant prefix.
    static func renderOrion(_ messages: [Message]) -> String {
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
