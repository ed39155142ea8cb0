import Conversation
import Testing
import Tokenization

/// Expected prompts produced by llama.cpp's own `llama_chat_apply_template` (libllama from
/// llama-cpp-python 0.3.36, called through ctypes) for every template nook renders.
enum ChatTemplateReference {
    /// The conversation of llama.cpp's tests/test-chat-template.cpp: a system prompt and three user turns.
    static let conversation: [Message] = [
        Message(role: .system, content: "You are a helpful assistant"),
        Message(role: .user, content: "Hello"),
        Message(role: .assistant, content: "Hi there"),
        Message(role: .user, content: "Who are you"),
        Message(role: .assistant, content: "   I am an assistant   "),
        Message(role: .user, content: "Another question"),
    ]

    /// A conversation that starts with the user, has padded text, a late system message, and ends with the assistant.
    static let uneven: [Message] = [
        Message(role: .user, content: " \t Hi there \n"),
        Message(role: .system, content: "  Be brief.\n"),
        Message(role: .assistant, content: " Sure. "),
        Message(role: .system, content: "Use French."),
        Message(role: .user, content: "Bye"),
        Message(role: .assistant, content: "Au revoir"),
    ]

    /// `conversation` rendered with the assistant prefix.
    static let conversationWithPrefix: [String: String] = [
        "chatml": "<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\nHi there<|im_end|>\n<|im_start|>user\nWho are you<|im_end|>\n<|im_start|>assistant\n   I am an assistant   <|im_end|>\n<|im_start|>user\nAnother question<|im_end|>\n<|im_start|>assistant\n",
        "llama2": "[INST] You are a helpful assistant\nHello [/INST]Hi there</s>[INST] Who are you [/INST]   I am an assistant   </s>[INST] Another question [/INST]",
        "llama2-sys": "[INST] <<SYS>>\nYou are a helpful assistant\n<</SYS>>\n\nHello [/INST]Hi there</s>[INST] Who are you [/INST]   I am an assistant   </s>[INST] Another question [/INST]",
        "llama2-sys-bos": "[INST] <<SYS>>\nYou are a helpful assistant\n<</SYS>>\n\nHello [/INST]Hi there</s><s>[INST] Who are you [/INST]   I am an assistant   </s><s>[INST] Another question [/INST]",
        "llama2-sys-strip": "[INST] <<SYS>>\nYou are a helpful assistant\n<</SYS>>\n\nHello [/INST]Hi there</s>[INST] Who are you [/INST]I am an assistant</s>[INST] Another question [/INST]",
        "mistral-v1": " [INST] You are a helpful assistant\n\nHello [/INST] Hi there</s> [INST] Who are you [/INST]    I am an assistant   </s> [INST] Another question [/INST]",
        "mistral-v3": "[INST] You are a helpful assistant\n\nHello[/INST] Hi there</s>[INST] Who are you[/INST] I am an assistant</s>[INST] Another question[/INST]",
        "mistral-v3-tekken": "[INST]You are a helpful assistant\n\nHello[/INST]Hi there</s>[INST]Who are you[/INST]   I am an assistant   </s>[INST]Another question[/INST]",
        "mistral-v7": "[SYSTEM_PROMPT] You are a helpful assistant[/SYSTEM_PROMPT][INST] Hello[/INST] Hi there</s>[INST] Who are you[/INST]    I am an assistant   </s>[INST] Another question[/INST]",
        "mistral-v7-tekken": "[SYSTEM_PROMPT]You are a helpful assistant[/SYSTEM_PROMPT][INST]Hello[/INST]Hi there</s>[INST]Who are you[/INST]   I am an assistant   </s>[INST]Another question[/INST]",
        "phi3": "<|system|>\nYou are a helpful assistant<|end|>\n<|user|>\nHello<|end|>\n<|assistant|>\nHi there<|end|>\n<|user|>\nWho are you<|end|>\n<|assistant|>\n   I am an assistant   <|end|>\n<|user|>\nAnother question<|end|>\n<|assistant|>\n",
        "phi4": "<|im_start|>system<|im_sep|>You are a helpful assistant<|im_end|><|im_start|>user<|im_sep|>Hello<|im_end|><|im_start|>assistant<|im_sep|>Hi there<|im_end|><|im_start|>user<|im_sep|>Who are you<|im_end|><|im_start|>assistant<|im_sep|>   I am an assistant   <|im_end|><|im_start|>user<|im_sep|>Another question<|im_end|><|im_start|>assistant<|im_sep|>",
        "falcon3": "<|system|>\nYou are a helpful assistant\n<|user|>\nHello\n<|assistant|>\nHi there\n<|user|>\nWho are you\n<|assistant|>\n   I am an assistant   \n<|user|>\nAnother question\n<|assistant|>\n",
        "zephyr": "<|system|>\nYou are a helpful assistant<|endoftext|>\n<|user|>\nHello<|endoftext|>\n<|assistant|>\nHi there<|endoftext|>\n<|user|>\nWho are you<|endoftext|>\n<|assistant|>\n   I am an assistant   <|endoftext|>\n<|user|>\nAnother question<|endoftext|>\n<|assistant|>\n",
        "monarch": "system\nYou are a helpful assistant</s>\n<s>user\nHello</s>\n<s>assistant\nHi there</s>\n<s>user\nWho are you</s>\n<s>assistant\n   I am an assistant   </s>\n<s>user\nAnother question</s>\n<s>assistant\n",
        "gemma": "<start_of_turn>user\nYou are a helpful assistant\n\nHello<end_of_turn>\n<start_of_turn>model\nHi there<end_of_turn>\n<start_of_turn>user\nWho are you<end_of_turn>\n<start_of_turn>model\nI am an assistant<end_of_turn>\n<start_of_turn>user\nAnother question<end_of_turn>\n<start_of_turn>model\n",
        "openchat": "You are a helpful assistant<|end_of_turn|>GPT4 Correct User: Hello<|end_of_turn|>GPT4 Correct Assistant: Hi there<|end_of_turn|>GPT4 Correct User: Who are you<|end_of_turn|>GPT4 Correct Assistant:    I am an assistant   <|end_of_turn|>GPT4 Correct User: Another question<|end_of_turn|>GPT4 Correct Assistant:",
        "vicuna": "You are a helpful assistant\n\nUSER: Hello\nASSISTANT: Hi there</s>\nUSER: Who are you\nASSISTANT:    I am an assistant   </s>\nUSER: Another question\nASSISTANT:",
        "vicuna-orca": "SYSTEM: You are a helpful assistant\nUSER: Hello\nASSISTANT: Hi there</s>\nUSER: Who are you\nASSISTANT:    I am an assistant   </s>\nUSER: Another question\nASSISTANT:",
        "deepseek": "You are a helpful assistant### Instruction:\nHello\n### Response:\nHi there\n<|EOT|>\n### Instruction:\nWho are you\n### Response:\n   I am an assistant   \n<|EOT|>\n### Instruction:\nAnother question\n### Response:\n",
        "deepseek2": "You are a helpful assistant\n\nUser: Hello\n\nAssistant: Hi there<｜end▁of▁sentence｜>User: Who are you\n\nAssistant:    I am an assistant   <｜end▁of▁sentence｜>User: Another question\n\nAssistant:",
        "deepseek3": "You are a helpful assistant\n\n<｜User｜>Hello<｜Assistant｜>Hi there<｜end▁of▁sentence｜><｜User｜>Who are you<｜Assistant｜>   I am an assistant   <｜end▁of▁sentence｜><｜User｜>Another question<｜Assistant｜>",
        "command-r": "<|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|>You are a helpful assistant<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|USER_TOKEN|>Hello<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>Hi there<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|USER_TOKEN|>Who are you<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>I am an assistant<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|USER_TOKEN|>Another question<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>",
        "llama3": "<|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWho are you<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nI am an assistant<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnother question<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
        "llama4": "<|header_start|>system<|header_end|>\n\nYou are a helpful assistant<|eot|><|header_start|>user<|header_end|>\n\nHello<|eot|><|header_start|>assistant<|header_end|>\n\nHi there<|eot|><|header_start|>user<|header_end|>\n\nWho are you<|eot|><|header_start|>assistant<|header_end|>\n\nI am an assistant<|eot|><|header_start|>user<|header_end|>\n\nAnother question<|eot|><|header_start|>assistant<|header_end|>\n\n",
        "exaone3": "[|system|]You are a helpful assistant[|endofturn|]\n[|user|]Hello\n[|assistant|]Hi there[|endofturn|]\n[|user|]Who are you\n[|assistant|]I am an assistant[|endofturn|]\n[|user|]Another question\n[|assistant|]",
        "granite": "<|start_of_role|>system<|end_of_role|>You are a helpful assistant<|end_of_text|>\n<|start_of_role|>user<|end_of_role|>Hello<|end_of_text|>\n<|start_of_role|>assistant<|end_of_role|>Hi there<|end_of_text|>\n<|start_of_role|>user<|end_of_role|>Who are you<|end_of_text|>\n<|start_of_role|>assistant<|end_of_role|>   I am an assistant   <|end_of_text|>\n<|start_of_role|>user<|end_of_role|>Another question<|end_of_text|>\n<|start_of_role|>assistant<|end_of_role|>",
        "megrez": "<|role_start|>system<|role_end|>You are a helpful assistant<|turn_end|><|role_start|>user<|role_end|>Hello<|turn_end|><|role_start|>assistant<|role_end|>Hi there<|turn_end|><|role_start|>user<|role_end|>Who are you<|turn_end|><|role_start|>assistant<|role_end|>   I am an assistant   <|turn_end|><|role_start|>user<|role_end|>Another question<|turn_end|><|role_start|>assistant<|role_end|>",
        "orion": "Human: You are a helpful assistant\n\nHello\n\nAssistant: </s>Hi there</s>Human: Who are you\n\nAssistant: </s>   I am an assistant   </s>Human: Another question\n\nAssistant: </s>",
        "chatglm3": "[gMASK]sop<|system|>\n You are a helpful assistant<|user|>\n Hello<|assistant|>\n Hi there<|user|>\n Who are you<|assistant|>\n    I am an assistant   <|user|>\n Another question<|assistant|>",
        "chatglm4": "[gMASK]<sop><|system|>\nYou are a helpful assistant<|user|>\nHello<|assistant|>\nHi there<|user|>\nWho are you<|assistant|>\n   I am an assistant   <|user|>\nAnother question<|assistant|>\n",
        "glmedge": "<|system|>\nYou are a helpful assistant<|user|>\nHello<|assistant|>\nHi there<|user|>\nWho are you<|assistant|>\n   I am an assistant   <|user|>\nAnother question<|assistant|>",
        "minicpm": "You are a helpful assistant<用户>Hello<AI>Hi there<用户>Who are you<AI>I am an assistant<用户>Another question<AI>",
        "smolvlm": "<|im_start|>You are a helpful assistant\n\nUser: Hello<end_of_utterance>\nAssistant: Hi there<end_of_utterance>\nUser: Who are you<end_of_utterance>\nAssistant:    I am an assistant   <end_of_utterance>\nUser: Another question<end_of_utterance>\nAssistant:",
    ]

    /// `conversation` rendered without the assistant prefix.
    static let conversationWithoutPrefix: [String: String] = [
        "chatml": "<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\nHi there<|im_end|>\n<|im_start|>user\nWho are you<|im_end|>\n<|im_start|>assistant\n   I am an assistant   <|im_end|>\n<|im_start|>user\nAnother question<|im_end|>\n",
        "llama2": "[INST] You are a helpful assistant\nHello [/INST]Hi there</s>[INST] Who are you [/INST]   I am an assistant   </s>[INST] Another question [/INST]",
        "llama2-sys": "[INST] <<SYS>>\nYou are a helpful assistant\n<</SYS>>\n\nHello [/INST]Hi there</s>[INST] Who are you [/INST]   I am an assistant   </s>[INST] Another question [/INST]",
        "llama2-sys-bos": "[INST] <<SYS>>\nYou are a helpful assistant\n<</SYS>>\n\nHello [/INST]Hi there</s><s>[INST] Who are you [/INST]   I am an assistant   </s><s>[INST] Another question [/INST]",
        "llama2-sys-strip": "[INST] <<SYS>>\nYou are a helpful assistant\n<</SYS>>\n\nHello [/INST]Hi there</s>[INST] Who are you [/INST]I am an assistant</s>[INST] Another question [/INST]",
        "mistral-v1": " [INST] You are a helpful assistant\n\nHello [/INST] Hi there</s> [INST] Who are you [/INST]    I am an assistant   </s> [INST] Another question [/INST]",
        "mistral-v3": "[INST] You are a helpful assistant\n\nHello[/INST] Hi there</s>[INST] Who are you[/INST] I am an assistant</s>[INST] Another question[/INST]",
        "mistral-v3-tekken": "[INST]You are a helpful assistant\n\nHello[/INST]Hi there</s>[INST]Who are you[/INST]   I am an assistant   </s>[INST]Another question[/INST]",
        "mistral-v7": "[SYSTEM_PROMPT] You are a helpful assistant[/SYSTEM_PROMPT][INST] Hello[/INST] Hi there</s>[INST] Who are you[/INST]    I am an assistant   </s>[INST] Another question[/INST]",
        "mistral-v7-tekken": "[SYSTEM_PROMPT]You are a helpful assistant[/SYSTEM_PROMPT][INST]Hello[/INST]Hi there</s>[INST]Who are you[/INST]   I am an assistant   </s>[INST]Another question[/INST]",
        "phi3": "<|system|>\nYou are a helpful assistant<|end|>\n<|user|>\nHello<|end|>\n<|assistant|>\nHi there<|end|>\n<|user|>\nWho are you<|end|>\n<|assistant|>\n   I am an assistant   <|end|>\n<|user|>\nAnother question<|end|>\n",
        "phi4": "<|im_start|>system<|im_sep|>You are a helpful assistant<|im_end|><|im_start|>user<|im_sep|>Hello<|im_end|><|im_start|>assistant<|im_sep|>Hi there<|im_end|><|im_start|>user<|im_sep|>Who are you<|im_end|><|im_start|>assistant<|im_sep|>   I am an assistant   <|im_end|><|im_start|>user<|im_sep|>Another question<|im_end|>",
        "falcon3": "<|system|>\nYou are a helpful assistant\n<|user|>\nHello\n<|assistant|>\nHi there\n<|user|>\nWho are you\n<|assistant|>\n   I am an assistant   \n<|user|>\nAnother question\n",
        "zephyr": "<|system|>\nYou are a helpful assistant<|endoftext|>\n<|user|>\nHello<|endoftext|>\n<|assistant|>\nHi there<|endoftext|>\n<|user|>\nWho are you<|endoftext|>\n<|assistant|>\n   I am an assistant   <|endoftext|>\n<|user|>\nAnother question<|endoftext|>\n",
        "monarch": "system\nYou are a helpful assistant</s>\n<s>user\nHello</s>\n<s>assistant\nHi there</s>\n<s>user\nWho are you</s>\n<s>assistant\n   I am an assistant   </s>\n<s>user\nAnother question</s>\n",
        "gemma": "<start_of_turn>user\nYou are a helpful assistant\n\nHello<end_of_turn>\n<start_of_turn>model\nHi there<end_of_turn>\n<start_of_turn>user\nWho are you<end_of_turn>\n<start_of_turn>model\nI am an assistant<end_of_turn>\n<start_of_turn>user\nAnother question<end_of_turn>\n",
        "openchat": "You are a helpful assistant<|end_of_turn|>GPT4 Correct User: Hello<|end_of_turn|>GPT4 Correct Assistant: Hi there<|end_of_turn|>GPT4 Correct User: Who are you<|end_of_turn|>GPT4 Correct Assistant:    I am an assistant   <|end_of_turn|>GPT4 Correct User: Another question<|end_of_turn|>",
        "vicuna": "You are a helpful assistant\n\nUSER: Hello\nASSISTANT: Hi there</s>\nUSER: Who are you\nASSISTANT:    I am an assistant   </s>\nUSER: Another question\n",
        "vicuna-orca": "SYSTEM: You are a helpful assistant\nUSER: Hello\nASSISTANT: Hi there</s>\nUSER: Who are you\nASSISTANT:    I am an assistant   </s>\nUSER: Another question\n",
        "deepseek": "You are a helpful assistant### Instruction:\nHello\n### Response:\nHi there\n<|EOT|>\n### Instruction:\nWho are you\n### Response:\n   I am an assistant   \n<|EOT|>\n### Instruction:\nAnother question\n",
        "deepseek2": "You are a helpful assistant\n\nUser: Hello\n\nAssistant: Hi there<｜end▁of▁sentence｜>User: Who are you\n\nAssistant:    I am an assistant   <｜end▁of▁sentence｜>User: Another question\n\n",
        "deepseek3": "You are a helpful assistant\n\n<｜User｜>Hello<｜Assistant｜>Hi there<｜end▁of▁sentence｜><｜User｜>Who are you<｜Assistant｜>   I am an assistant   <｜end▁of▁sentence｜><｜User｜>Another question",
        "command-r": "<|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|>You are a helpful assistant<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|USER_TOKEN|>Hello<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>Hi there<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|USER_TOKEN|>Who are you<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>I am an assistant<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|USER_TOKEN|>Another question<|END_OF_TURN_TOKEN|>",
        "llama3": "<|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWho are you<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nI am an assistant<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnother question<|eot_id|>",
        "llama4": "<|header_start|>system<|header_end|>\n\nYou are a helpful assistant<|eot|><|header_start|>user<|header_end|>\n\nHello<|eot|><|header_start|>assistant<|header_end|>\n\nHi there<|eot|><|header_start|>user<|header_end|>\n\nWho are you<|eot|><|header_start|>assistant<|header_end|>\n\nI am an assistant<|eot|><|header_start|>user<|header_end|>\n\nAnother question<|eot|>",
        "exaone3": "[|system|]You are a helpful assistant[|endofturn|]\n[|user|]Hello\n[|assistant|]Hi there[|endofturn|]\n[|user|]Who are you\n[|assistant|]I am an assistant[|endofturn|]\n[|user|]Another question\n",
        "granite": "<|start_of_role|>system<|end_of_role|>You are a helpful assistant<|end_of_text|>\n<|start_of_role|>user<|end_of_role|>Hello<|end_of_text|>\n<|start_of_role|>assistant<|end_of_role|>Hi there<|end_of_text|>\n<|start_of_role|>user<|end_of_role|>Who are you<|end_of_text|>\n<|start_of_role|>assistant<|end_of_role|>   I am an assistant   <|end_of_text|>\n<|start_of_role|>user<|end_of_role|>Another question<|end_of_text|>\n",
        "megrez": "<|role_start|>system<|role_end|>You are a helpful assistant<|turn_end|><|role_start|>user<|role_end|>Hello<|turn_end|><|role_start|>assistant<|role_end|>Hi there<|turn_end|><|role_start|>user<|role_end|>Who are you<|turn_end|><|role_start|>assistant<|role_end|>   I am an assistant   <|turn_end|><|role_start|>user<|role_end|>Another question<|turn_end|>",
        "orion": "Human: You are a helpful assistant\n\nHello\n\nAssistant: </s>Hi there</s>Human: Who are you\n\nAssistant: </s>   I am an assistant   </s>Human: Another question\n\nAssistant: </s>",
        "chatglm3": "[gMASK]sop<|system|>\n You are a helpful assistant<|user|>\n Hello<|assistant|>\n Hi there<|user|>\n Who are you<|assistant|>\n    I am an assistant   <|user|>\n Another question",
        "chatglm4": "[gMASK]<sop><|system|>\nYou are a helpful assistant<|user|>\nHello<|assistant|>\nHi there<|user|>\nWho are you<|assistant|>\n   I am an assistant   <|user|>\nAnother question",
        "glmedge": "<|system|>\nYou are a helpful assistant<|user|>\nHello<|assistant|>\nHi there<|user|>\nWho are you<|assistant|>\n   I am an assistant   <|user|>\nAnother question",
        "minicpm": "You are a helpful assistant<用户>Hello<AI>Hi there<用户>Who are you<AI>I am an assistant<用户>Another question<AI>",
        "smolvlm": "<|im_start|>You are a helpful assistant\n\nUser: Hello<end_of_utterance>\nAssistant: Hi there<end_of_utterance>\nUser: Who are you<end_of_utterance>\nAssistant:    I am an assistant   <end_of_utterance>\nUser: Another question<end_of_utterance>\n",
    ]

    /// `uneven` rendered with the assistant prefix.
    static let unevenWithPrefix: [String: String] = [
        "chatml": "<|im_start|>user\n \t Hi there \n<|im_end|>\n<|im_start|>system\n  Be brief.\n<|im_end|>\n<|im_start|>assistant\n Sure. <|im_end|>\n<|im_start|>system\nUse French.<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\nAu revoir<|im_end|>\n<|im_start|>assistant\n",
        "llama2": "[INST]  \t Hi there \n [/INST]  Be brief.\n\n Sure. </s>[INST] Use French.\nBye [/INST]Au revoir</s>",
        "llama2-sys": "[INST]  \t Hi there \n [/INST]<<SYS>>\n  Be brief.\n\n<</SYS>>\n\n Sure. </s>[INST] <<SYS>>\nUse French.\n<</SYS>>\n\nBye [/INST]Au revoir</s>",
        "llama2-sys-bos": "[INST]  \t Hi there \n [/INST]<<SYS>>\n  Be brief.\n\n<</SYS>>\n\n Sure. </s><s>[INST] <<SYS>>\nUse French.\n<</SYS>>\n\nBye [/INST]Au revoir</s>",
        "llama2-sys-strip": "[INST] Hi there [/INST]<<SYS>>\nBe brief.\n<</SYS>>\n\nSure.</s>[INST] <<SYS>>\nUse French.\n<</SYS>>\n\nBye [/INST]Au revoir</s>",
        "mistral-v1": " [INST]  \t Hi there \n [/INST]  Be brief.\n\n\n  Sure. </s> [INST] Use French.\n\nBye [/INST] Au revoir</s>",
        "mistral-v3": "[INST]  \t Hi there \n[/INST]  Be brief.\n\n\n Sure.</s>[INST] Use French.\n\nBye[/INST] Au revoir</s>",
        "mistral-v3-tekken": "[INST] \t Hi there \n[/INST]  Be brief.\n\n\n Sure. </s>[INST]Use French.\n\nBye[/INST]Au revoir</s>",
        "mistral-v7": "[INST]  \t Hi there \n[/INST][SYSTEM_PROMPT]   Be brief.\n[/SYSTEM_PROMPT]  Sure. </s>[SYSTEM_PROMPT] Use French.[/SYSTEM_PROMPT][INST] Bye[/INST] Au revoir</s>",
        "mistral-v7-tekken": "[INST] \t Hi there \n[/INST][SYSTEM_PROMPT]  Be brief.\n[/SYSTEM_PROMPT] Sure. </s>[SYSTEM_PROMPT]Use French.[/SYSTEM_PROMPT][INST]Bye[/INST]Au revoir</s>",
        "phi3": "<|user|>\n \t Hi there \n<|end|>\n<|system|>\n  Be brief.\n<|end|>\n<|assistant|>\n Sure. <|end|>\n<|system|>\nUse French.<|end|>\n<|user|>\nBye<|end|>\n<|assistant|>\nAu revoir<|end|>\n<|assistant|>\n",
        "phi4": "<|im_start|>user<|im_sep|> \t Hi there \n<|im_end|><|im_start|>system<|im_sep|>  Be brief.\n<|im_end|><|im_start|>assistant<|im_sep|> Sure. <|im_end|><|im_start|>system<|im_sep|>Use French.<|im_end|><|im_start|>user<|im_sep|>Bye<|im_end|><|im_start|>assistant<|im_sep|>Au revoir<|im_end|><|im_start|>assistant<|im_sep|>",
        "falcon3": "<|user|>\n \t Hi there \n\n<|system|>\n  Be brief.\n\n<|assistant|>\n Sure. \n<|system|>\nUse French.\n<|user|>\nBye\n<|assistant|>\nAu revoir\n<|assistant|>\n",
        "zephyr": "<|user|>\n \t Hi there \n<|endoftext|>\n<|system|>\n  Be brief.\n<|endoftext|>\n<|assistant|>\n Sure. <|endoftext|>\n<|system|>\nUse French.<|endoftext|>\n<|user|>\nBye<|endoftext|>\n<|assistant|>\nAu revoir<|endoftext|>\n<|assistant|>\n",
        "monarch": "user\n \t Hi there \n</s>\n<s>system\n  Be brief.\n</s>\n<s>assistant\n Sure. </s>\n<s>system\nUse French.</s>\n<s>user\nBye</s>\n<s>assistant\nAu revoir</s>\n<s>assistant\n",
        "gemma": "<start_of_turn>user\nHi there<end_of_turn>\n<start_of_turn>model\nSure.<end_of_turn>\n<start_of_turn>user\nBe brief.Use French.\n\nBye<end_of_turn>\n<start_of_turn>model\nAu revoir<end_of_turn>\n<start_of_turn>model\n",
        "openchat": "GPT4 Correct User:  \t Hi there \n<|end_of_turn|>  Be brief.\n<|end_of_turn|>GPT4 Correct Assistant:  Sure. <|end_of_turn|>Use French.<|end_of_turn|>GPT4 Correct User: Bye<|end_of_turn|>GPT4 Correct Assistant: Au revoir<|end_of_turn|>GPT4 Correct Assistant:",
        "vicuna": "USER:  \t Hi there \n\n  Be brief.\n\n\nASSISTANT:  Sure. </s>\nUse French.\n\nUSER: Bye\nASSISTANT: Au revoir</s>\nASSISTANT:",
        "vicuna-orca": "USER:  \t Hi there \n\nSYSTEM:   Be brief.\n\nASSISTANT:  Sure. </s>\nSYSTEM: Use French.\nUSER: Bye\nASSISTANT: Au revoir</s>\nASSISTANT:",
        "deepseek": "### Instruction:\n \t Hi there \n\n  Be brief.\n### Response:\n Sure. \n<|EOT|>\nUse French.### Instruction:\nBye\n### Response:\nAu revoir\n<|EOT|>\n### Response:\n",
        "deepseek2": "User:  \t Hi there \n\n\n  Be brief.\n\n\nAssistant:  Sure. <｜end▁of▁sentence｜>Use French.\n\nUser: Bye\n\nAssistant: Au revoir<｜end▁of▁sentence｜>Assistant:",
        "deepseek3": "<｜User｜> \t Hi there \n  Be brief.\n\n\n<｜Assistant｜> Sure. <｜end▁of▁sentence｜>Use French.\n\n<｜User｜>Bye<｜Assistant｜>Au revoir<｜end▁of▁sentence｜><｜Assistant｜>",
        "command-r": "<|START_OF_TURN_TOKEN|><|USER_TOKEN|>Hi there<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|>Be brief.<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>Sure.<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|>Use French.<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|USER_TOKEN|>Bye<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>Au revoir<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>",
        "llama3": "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nSure.<|eot_id|><|start_header_id|>system<|end_header_id|>\n\nUse French.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nAu revoir<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
        "llama4": "<|header_start|>user<|header_end|>\n\nHi there<|eot|><|header_start|>system<|header_end|>\n\nBe brief.<|eot|><|header_start|>assistant<|header_end|>\n\nSure.<|eot|><|header_start|>system<|header_end|>\n\nUse French.<|eot|><|header_start|>user<|header_end|>\n\nBye<|eot|><|header_start|>assistant<|header_end|>\n\nAu revoir<|eot|><|header_start|>assistant<|header_end|>\n\n",
        "exaone3": "[|user|]Hi there\n[|system|]Be brief.[|endofturn|]\n[|assistant|]Sure.[|endofturn|]\n[|system|]Use French.[|endofturn|]\n[|user|]Bye\n[|assistant|]Au revoir[|endofturn|]\n[|assistant|]",
        "granite": "<|start_of_role|>user<|end_of_role|> \t Hi there \n<|end_of_text|>\n<|start_of_role|>system<|end_of_role|>  Be brief.\n<|end_of_text|>\n<|start_of_role|>assistant<|end_of_role|> Sure. <|end_of_text|>\n<|start_of_role|>system<|end_of_role|>Use French.<|end_of_text|>\n<|start_of_role|>user<|end_of_role|>Bye<|end_of_text|>\n<|start_of_role|>assistant<|end_of_role|>Au revoir<|end_of_text|>\n<|start_of_role|>assistant<|end_of_role|>",
        "megrez": "<|role_start|>user<|role_end|> \t Hi there \n<|turn_end|><|role_start|>system<|role_end|>  Be brief.\n<|turn_end|><|role_start|>assistant<|role_end|> Sure. <|turn_end|><|role_start|>system<|role_end|>Use French.<|turn_end|><|role_start|>user<|role_end|>Bye<|turn_end|><|role_start|>assistant<|role_end|>Au revoir<|turn_end|><|role_start|>assistant<|role_end|>",
        "orion": "Human:  \t Hi there \n\n\nAssistant: </s> Sure. </s>Human:   Be brief.\nUse French.\n\nBye\n\nAssistant: </s>Au revoir</s>",
        "chatglm3": "[gMASK]sop<|user|>\n  \t Hi there \n<|system|>\n   Be brief.\n<|assistant|>\n  Sure. <|system|>\n Use French.<|user|>\n Bye<|assistant|>\n Au revoir<|assistant|>",
        "chatglm4": "[gMASK]<sop><|user|>\n \t Hi there \n<|system|>\n  Be brief.\n<|assistant|>\n Sure. <|system|>\nUse French.<|user|>\nBye<|assistant|>\nAu revoir<|assistant|>\n",
        "glmedge": "<|user|>\n \t Hi there \n<|system|>\n  Be brief.\n<|assistant|>\n Sure. <|system|>\nUse French.<|user|>\nBye<|assistant|>\nAu revoir<|assistant|>",
        "minicpm": "<用户>Hi there<AI>Be brief.Sure.Use French.<用户>Bye<AI>Au revoir",
        "smolvlm": "<|im_start|>User:  \t Hi there \n<end_of_utterance>\n  Be brief.\n\n\nAssistant:  Sure. <end_of_utterance>\nUse French.\n\nUser: Bye<end_of_utterance>\nAssistant: Au revoir<end_of_utterance>\nAssistant:",
    ]

}

@Suite struct ChatTemplateReferenceTests {
    private func check(_ vectors: [String: String], _ messages: [Message], prefix: Bool) {
        #expect(Set(vectors.keys) == Set(ChatTemplate.allCases.map(\.rawValue)), "every template has a reference")
        for template in ChatTemplate.allCases {
            let rendered = template.render(messages, addAssistantPrefix: prefix, bosToken: "<s>", eosToken: "</s>")
            #expect(Array(rendered.utf8) == Array((vectors[template.rawValue] ?? "").utf8), "\(template.rawValue)")
        }
    }

    @Test func multiTurnWithSystemPromptMatchesLlamaCpp() {
        check(ChatTemplateReference.conversationWithPrefix, ChatTemplateReference.conversation, prefix: true)
    }

    @Test func withoutAssistantPrefixMatchesLlamaCpp() {
        check(ChatTemplateReference.conversationWithoutPrefix, ChatTemplateReference.conversation, prefix: false)
    }

    @Test func paddedTextAndLateSystemMessagesMatchLlamaCpp() {
        check(ChatTemplateReference.unevenWithPrefix, ChatTemplateReference.uneven, prefix: true)
    }
}
