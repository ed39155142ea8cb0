import Conversation

/// A built-in chat prompt format, named as llama.cpp names it (`llama_chat_builtin_templates`).
///
/// nook does not run Jinja: like llama.cpp's `llm_chat_apply_template`, it recognises the
/// template a GGUF file carries with string heuristics (`detect(fromJinja:)`) and renders the
/// conversation with hand-written code (`render(_:addAssistantPrefix:bosToken:eosToken:)`)
/// whose output is byte-identical to llama.cpp's for the same messages.
public enum ChatTemplate: String, CaseIterable, Sendable {
    /// `<|im_start|>role\n…<|im_end|>\n` (SmolLM2, Qwen2.5, OpenHermes, …).
    case chatml
    /// Llama 2 `[INST] … [/INST]` without `<<SYS>>`: the system prompt is prepended to the first user turn.
    case llama2
    /// Llama 2 with a `<<SYS>>` block.
    case llama2Sys = "llama2-sys"
    /// Llama 2 with `<<SYS>>` and a BOS token before every later `[INST]`.
    case llama2SysBos = "llama2-sys-bos"
    /// Llama 2 with `<<SYS>>` and every message trimmed of surrounding whitespace.
    case llama2SysStrip = "llama2-sys-strip"
    /// Mistral "v1": ` [INST] … [/INST] reply</s>` (Mistral 7B v0.1/v0.2 official template).
    case mistralV1 = "mistral-v1"
    /// Mistral "v3": `[INST] …[/INST] reply</s>`, assistant replies trimmed (Mistral 7B v0.3, Large 2407).
    case mistralV3 = "mistral-v3"
    /// Mistral "v3-tekken": `[INST]…[/INST]reply</s>` (Mistral Nemo).
    case mistralV3Tekken = "mistral-v3-tekken"
    /// Mistral "v7": `[SYSTEM_PROMPT] …[/SYSTEM_PROMPT][INST] …[/INST] reply</s>` (Mistral Large 2411).
    case mistralV7 = "mistral-v7"
    /// Mistral "v7-tekken": as v7 without the spaces (Mistral Small 3.x).
    case mistralV7Tekken = "mistral-v7-tekken"
    /// `<|role|>\n…<|end|>\n` (Phi-3, Phi-3.5).
    case phi3
    /// `<|im_start|>role<|im_sep|>…<|im_end|>` (Phi-4).
    case phi4
    /// `<|role|>\n…\n` (Falcon 3).
    case falcon3
    /// `<|role|>\n…<|endoftext|>\n` (Zephyr, StableLM 2 Zephyr).
    case zephyr
    /// `role\n…</s>\n` with `<s>` before every later message (AlphaMonarch).
    case monarch
    /// `<start_of_turn>user\n…<end_of_turn>\n`, assistant is `model`; system folded into the next user turn (Gemma 1/2/3).
    case gemma
    /// `GPT4 Correct User: …<|end_of_turn|>` (OpenChat 3.5).
    case openchat
    /// `USER: …\nASSISTANT: …</s>\n` (Vicuna 1.1).
    case vicuna
    /// Vicuna with a `SYSTEM: ` prefix (Orca-Vicuna).
    case vicunaOrca = "vicuna-orca"
    /// `### Instruction:\n…\n### Response:\n…\n<|EOT|>\n` (DeepSeek Coder).
    case deepseek
    /// `User: …\n\nAssistant: …<｜end▁of▁sentence｜>` (DeepSeek V2).
    case deepseek2
    /// `<｜User｜>…<｜Assistant｜>…<｜end▁of▁sentence｜>` (DeepSeek V3, R1 distills).
    case deepseek3
    /// `<|START_OF_TURN_TOKEN|><|USER_TOKEN|>…<|END_OF_TURN_TOKEN|>` (Command R).
    case commandR = "command-r"
    /// `<|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>` (Llama 3.x).
    case llama3
    /// `<|header_start|>role<|header_end|>\n\n…<|eot|>` (Llama 4).
    case llama4
    /// `[|user|]…\n[|assistant|]…[|endofturn|]\n` (EXAONE 3).
    case exaone3
    /// `<|start_of_role|>role<|end_of_role|>…<|end_of_text|>\n` (IBM Granite 3.x).
    case granite
    /// `<|role_start|>role<|role_end|>…<|turn_end|>` (Megrez).
    case megrez
    /// `Human: …\n\nAssistant: </s>…</s>`, system folded into the next user turn (Orion).
    case orion
    /// `[gMASK]sop<|role|>\n …` (ChatGLM3).
    case chatglm3
    /// `[gMASK]<sop><|role|>\n…` (ChatGLM4).
    case chatglm4
    /// `<|role|>\n…` with no end marker (GLM-Edge; llama.cpp also picks it for HF Zephyr templates).
    case glmedge
    /// `<用户>…<AI>…`, all messages trimmed (MiniCPM).
    case minicpm
    /// `<|im_start|>User: …<end_of_utterance>\nAssistant:` (SmolVLM; not ChatML despite `<|im_start|>`).
    case smolvlm

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
    public var stopStrings: [String] {
        switch self {
        case .chatml: return ["<|im_end|>"]
        case .phi4: return ["<|im_end|>"]
        case .llama2, .llama2Sys, .llama2SysBos, .llama2SysStrip: return ["</s>", "[INST]"]
        case .mistralV1, .mistralV3, .mistralV3Tekken, .mistralV7, .mistralV7Tekken: return ["</s>", "[INST]"]
        case .phi3: return ["<|end|>"]
        case .falcon3: return ["<|user|>"]
        case .zephyr: return ["<|endoftext|>"]
        case .monarch: return ["</s>"]
        case .gemma: return ["<end_of_turn>"]
        case .openchat: return ["<|end_of_turn|>"]
        case .vicuna, .vicunaOrca: return ["</s>", "USER:"]
        case .deepseek: return ["<|EOT|>"]
        case .deepseek2, .deepseek3: return ["<｜end▁of▁sentence｜>"]
        case .commandR: return ["<|END_OF_TURN_TOKEN|>"]
        case .llama3: return ["<|eot_id|>"]
        case .llama4: return ["<|eot|>"]
        case .exaone3: return ["[|endofturn|]"]
        case .granite: return ["<|end_of_text|>"]
        case .megrez: return ["<|turn_end|>"]
        case .orion: return ["</s>", "Human:"]
        case .chatglm3, .chatglm4, .glmedge: return ["<|user|>", "<|observation|>"]
        case .minicpm: return ["<用户>"]
        case .smolvlm: return ["<end_of_utterance>"]
        }
    }
}
