import Conversation

/// A built-in chat prompt format, named as llama.cpp names it (`llama_chat_builtin_templates`).
///
/// nook does not run Jinja: like llama.cpp's `llm_chat_apply_template`, it recognises the
/// template a GGUF file carries with string heuristics (`detect(fromJinja:)`) and renders the
/// conversation with hand-written code (`render(_:addAssistantPrefix:bosToken:eosToken:)`)
/// whose output is byte-identical to llama.cpp's for the same messages.
///
/// Everything about one template (how it is detected, how it renders, its stop strings) is its
/// entry in `ChatTemplate.format` (ChatTemplateTable.swift): adding a template is one case here
/// and one entry there. The cases are declared in the order llama.cpp's `llm_chat_detect_template`
/// tries them (chatml first, its rule excluding the two `<|im_start|>` formats it would shadow),
/// and `detect` tries them in declaration order.
public enum ChatTemplate: String, CaseIterable, Sendable {
    /// `<|im_start|>role\n…<|im_end|>\n` (SmolLM2, Qwen2.5, OpenHermes, …).
    case chatml
    /// `<|im_start|>role<|im_sep|>…<|im_end|>` (Phi-4).
    case phi4
    /// `<|im_start|>User: …<end_of_utterance>\nAssistant:` (SmolVLM; not ChatML despite `<|im_start|>`).
    case smolvlm
    /// Mistral "v7": `[SYSTEM_PROMPT] …[/SYSTEM_PROMPT][INST] …[/INST] reply</s>` (Mistral Large 2411).
    case mistralV7 = "mistral-v7"
    /// Mistral "v7-tekken": as v7 without the spaces (Mistral Small 3.x).
    case mistralV7Tekken = "mistral-v7-tekken"
    /// Mistral "v1": ` [INST] … [/INST] reply</s>` (Mistral 7B v0.1/v0.2 official template).
    case mistralV1 = "mistral-v1"
    /// Mistral "v3-tekken": `[INST]…[/INST]reply</s>` (Mistral Nemo).
    case mistralV3Tekken = "mistral-v3-tekken"
    /// Mistral "v3": `[INST] …[/INST] reply</s>`, assistant replies trimmed (Mistral 7B v0.3, Large 2407).
    case mistralV3 = "mistral-v3"
    /// Llama 2 with `<<SYS>>` and every message trimmed of surrounding whitespace.
    case llama2SysStrip = "llama2-sys-strip"
    /// Llama 2 with `<<SYS>>` and a BOS token before every later `[INST]`.
    case llama2SysBos = "llama2-sys-bos"
    /// Llama 2 with a `<<SYS>>` block.
    case llama2Sys = "llama2-sys"
    /// Llama 2 `[INST] … [/INST]` without `<<SYS>>`: the system prompt is prepended to the first user turn.
    case llama2
    /// `<|role|>\n…<|end|>\n` (Phi-3, Phi-3.5).
    case phi3
    /// `[gMASK]<sop><|role|>\n…` (ChatGLM4).
    case chatglm4
    /// `<|role|>\n…\n` (Falcon 3).
    case falcon3
    /// `<|role|>\n…` with no end marker (GLM-Edge; llama.cpp also picks it for HF Zephyr templates).
    case glmedge
    /// `<|role|>\n…<|endoftext|>\n` (Zephyr, StableLM 2 Zephyr).
    case zephyr
    /// `role\n…</s>\n` with `<s>` before every later message (AlphaMonarch).
    case monarch
    /// `<start_of_turn>user\n…<end_of_turn>\n`, assistant is `model`; system folded into the next user turn (Gemma 1/2/3).
    case gemma
    /// `Human: …\n\nAssistant: </s>…</s>`, system folded into the next user turn (Orion).
    case orion
    /// `GPT4 Correct User: …<|end_of_turn|>` (OpenChat 3.5).
    case openchat
    /// Vicuna with a `SYSTEM: ` prefix (Orca-Vicuna).
    case vicunaOrca = "vicuna-orca"
    /// `USER: …\nASSISTANT: …</s>\n` (Vicuna 1.1).
    case vicuna
    /// `### Instruction:\n…\n### Response:\n…\n<|EOT|>\n` (DeepSeek Coder).
    case deepseek
    /// `<|START_OF_TURN_TOKEN|><|USER_TOKEN|>…<|END_OF_TURN_TOKEN|>` (Command R).
    case commandR = "command-r"
    /// `<|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>` (Llama 3.x).
    case llama3
    /// `[gMASK]sop<|role|>\n …` (ChatGLM3).
    case chatglm3
    /// `<用户>…<AI>…`, all messages trimmed (MiniCPM).
    case minicpm
    /// `User: …\n\nAssistant: …<｜end▁of▁sentence｜>` (DeepSeek V2).
    case deepseek2
    /// `<｜User｜>…<｜Assistant｜>…<｜end▁of▁sentence｜>` (DeepSeek V3, R1 distills).
    case deepseek3
    /// `[|user|]…\n[|assistant|]…[|endofturn|]\n` (EXAONE 3).
    case exaone3
    /// `<|start_of_role|>role<|end_of_role|>…<|end_of_text|>\n` (IBM Granite 3.x).
    case granite
    /// `<|role_start|>role<|role_end|>…<|turn_end|>` (Megrez).
    case megrez
    /// `<|header_start|>role<|header_end|>\n\n…<|eot|>` (Llama 4).
    case llama4

    /// The current Mistral format (`mistral-v7`), also accepted as the name `mistral`.
    public static let mistral: ChatTemplate = .mistralV7

    /// Extra names accepted by `init(name:)`, mapped to the template they stand for.
    public static let aliases: [String: ChatTemplate] = ["mistral": .mistralV7]

    /// Every name `init(name:)` accepts: the raw values in declaration order, then the aliases.
    public static var validNames: [String] {
        allCases.map(\.rawValue) + aliases.keys.sorted()
    }

    /// Looks a template up by its llama.cpp name (`chatml`, `mistral-v7`, …) or an alias; nil when unknown.
    public init?(name: String) {
        if let template = ChatTemplate(rawValue: name) {
            self = template
        } else if let template = ChatTemplate.aliases[name] {
            self = template
        } else {
            return nil
        }
    }

    /// Extra stop strings the template implies: the text that ends an assistant turn.
    ///
    /// These back up the model's end-of-generation tokens when a marker is produced as plain text.
    public var stopStrings: [String] { format.stopStrings }

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
        format.render(RenderInput(messages: messages, addAssistantPrefix: addAssistantPrefix,
                                  bos: bosToken.isEmpty ? "<s>" : bosToken, eos: eosToken.isEmpty ? "</s>" : eosToken))
    }
}
