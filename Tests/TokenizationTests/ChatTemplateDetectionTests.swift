import Testing
import Tokenization

/// Jinja templates as real GGUF files carry them (shortened where the rest changes nothing for detection).
enum JinjaSamples {
    /// HuggingFaceTB/SmolLM2-*-Instruct.
    static let smolLM2 = #"""
    {% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system
    You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
    ' }}{% endif %}{{'<|im_start|>' + message['role'] + '
    ' + message['content'] + '<|im_end|>' + '
    '}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant
    ' }}{% endif %}
    """#

    /// Qwen/Qwen2.5-*-Instruct (tool section shortened).
    static let qwen25 = #"""
    {%- if tools %}
        {{- '<|im_start|>system\n' }}
        {%- if messages[0]['role'] == 'system' %}
            {{- messages[0]['content'] }}
        {%- else %}
            {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
        {%- endif %}
        {{- "\n\n# Tools\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>" }}
        {%- for tool in tools %}
            {{- "\n" }}
            {{- tool | tojson }}
        {%- endfor %}
        {{- "\n</tools>\n\nFor each function call, return a json object within <tool_call></tool_call> XML tags<|im_end|>\n" }}
    {%- else %}
        {%- if messages[0]['role'] == 'system' %}
            {{- '<|im_start|>system\n' + messages[0]['content'] + '<|im_end|>\n' }}
        {%- else %}
            {{- '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' }}
        {%- endif %}
    {%- endif %}
    {%- for message in messages %}
        {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
            {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>' + '\n' }}
        {%- endif %}
    {%- endfor %}
    {%- if add_generation_prompt %}
        {{- '<|im_start|>assistant\n' }}
    {%- endif %}
    """#

    /// meta-llama/Llama-3.1-8B-Instruct (tool and date handling shortened).
    static let llama31 = #"""
    {{- bos_token }}
    {%- if not date_string is defined %}
        {%- set date_string = "26 Jul 2024" %}
    {%- endif %}
    {%- if messages[0]['role'] == 'system' %}
        {%- set system_message = messages[0]['content']|trim %}
        {%- set messages = messages[1:] %}
    {%- else %}
        {%- set system_message = "" %}
    {%- endif %}
    {{- "<|start_header_id|>system<|end_header_id|>\n\n" }}
    {{- "Cutting Knowledge Date: December 2023\n" }}
    {{- "Today Date: " + date_string + "\n\n" }}
    {{- system_message }}
    {{- "<|eot_id|>" }}
    {%- for message in messages %}
        {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}
            {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' }}
        {%- endif %}
    {%- endfor %}
    {%- if add_generation_prompt %}
        {{- '<|start_header_id|>assistant<|end_header_id|>\n\n' }}
    {%- endif %}
    """#

    /// microsoft/Phi-3.5-mini-instruct.
    static let phi35 = #"""
    {% for message in messages %}{% if message['role'] == 'system' and message['content'] %}{{'<|system|>
    ' + message['content'] + '<|end|>
    '}}{% elif message['role'] == 'user' %}{{'<|user|>
    ' + message['content'] + '<|end|>
    '}}{% elif message['role'] == 'assistant' %}{{'<|assistant|>
    ' + message['content'] + '<|end|>
    '}}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>
    ' }}{% else %}{{ eos_token }}{% endif %}
    """#

    /// google/gemma-2-*-it.
    static let gemma2 = #"""
    {{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '
    ' + message['content'] | trim + '<end_of_turn>
    ' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model
    '}}{% endif %}
    """#

    /// mistralai/Mistral-Small-24B-Instruct-2501 ("v7-tekken"; llama.cpp detects it as v7).
    static let mistralSmall3 = #"""
    {%- set today = strftime_now("%Y-%m-%d") %}
    {%- set default_system_message = "You are Mistral Small 3, a Large Language Model (LLM) created by Mistral AI." %}
    {{- bos_token }}
    {%- if messages[0]['role'] == 'system' %}
        {%- set system_message = messages[0]['content'] %}
        {%- set loop_messages = messages[1:] %}
    {%- else %}
        {%- set system_message = default_system_message %}
        {%- set loop_messages = messages %}
    {%- endif %}
    {{- '[SYSTEM_PROMPT]' + system_message + '[/SYSTEM_PROMPT]' }}
    {%- for message in loop_messages %}
        {%- if message['role'] == 'user' %}
            {{- '[INST]' + message['content'] + '[/INST]' }}
        {%- elif message['role'] == 'system' %}
            {{- '[SYSTEM_PROMPT]' + message['content'] + '[/SYSTEM_PROMPT]' }}
        {%- elif message['role'] == 'assistant' %}
            {{- message['content'] + eos_token }}
        {%- else %}
            {{- raise_exception('Only user, system and assistant roles are supported!') }}
        {%- endif %}
    {%- endfor %}
    """#

    /// mistralai/Mistral-7B-Instruct-v0.3 ("v3"; tool details shortened).
    static let mistral7Bv03 = #"""
    {%- if messages[0]["role"] == "system" %}
        {%- set system_message = messages[0]["content"] %}
        {%- set loop_messages = messages[1:] %}
    {%- else %}
        {%- set loop_messages = messages %}
    {%- endif %}
    {%- set user_messages = loop_messages | selectattr("role", "equalto", "user") | list %}
    {{- bos_token }}
    {%- for message in loop_messages %}
        {%- if message["role"] == "user" %}
            {%- if tools is not none and (message == user_messages[-1]) %}
                {{- "[AVAILABLE_TOOLS] [" }}
                {{- "]" }}
                {{- "[/AVAILABLE_TOOLS]" }}
            {%- endif %}
            {%- if loop.last and system_message is defined %}
                {{- "[INST] " + system_message + "\n\n" + message["content"] + "[/INST]" }}
            {%- else %}
                {{- "[INST] " + message["content"] + "[/INST]" }}
            {%- endif %}
        {%- elif message["role"] == "assistant" %}
            {{- " " + message["content"]|trim + eos_token}}
        {%- endif %}
    {%- endfor %}
    """#

    /// mistralai/Mistral-Nemo-Instruct-2407 ("v3-tekken"; tool details shortened).
    static let mistralNemo = #"""
    {{- bos_token }}
    {%- for message in loop_messages %}
        {%- if message["role"] == "user" %}
            {%- if tools is not none and (message == user_messages[-1]) %}
                {{- "[AVAILABLE_TOOLS][" }}{{- "]" }}{{- "[/AVAILABLE_TOOLS]" }}
            {%- endif %}
            {%- if loop.last and system_message is defined %}
                {{- "[INST]" + system_message + "\n\n" + message["content"] + "[/INST]" }}
            {%- else %}
                {{- "[INST]" + message["content"] + "[/INST]" }}
            {%- endif %}
        {%- elif message["role"] == "assistant" %}
            {{- message["content"] + eos_token}}
        {%- endif %}
    {%- endfor %}
    """#

    /// mistralai/Mistral-7B-Instruct-v0.2 as shipped (no system prompt).
    static let mistral7Bv02 = #"{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}"#

    /// THUDM/glm-4-9b-chat.
    static let chatGLM4 = #"[gMASK]<sop>{% for item in messages %}{% if item['content'] %}<|{{ item['role'] }}|>{{ item['metadata'] }}\n{{ item['content'] }}{% endif %}{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}"#
}

@Suite struct ChatTemplateDetectionTests {
    @Test func detectsTheRealTemplatesOfCommonModels() {
        #expect(ChatTemplate.detect(fromJinja: JinjaSamples.smolLM2) == .chatml)
        #expect(ChatTemplate.detect(fromJinja: JinjaSamples.qwen25) == .chatml)
        #expect(ChatTemplate.detect(fromJinja: JinjaSamples.llama31) == .llama3)
        #expect(ChatTemplate.detect(fromJinja: JinjaSamples.phi35) == .phi3)
        #expect(ChatTemplate.detect(fromJinja: JinjaSamples.gemma2) == .gemma)
        #expect(ChatTemplate.detect(fromJinja: JinjaSamples.mistralSmall3) == .mistralV7)
        #expect(ChatTemplate.detect(fromJinja: JinjaSamples.mistral7Bv03) == .mistralV3)
        #expect(ChatTemplate.detect(fromJinja: JinjaSamples.mistralNemo) == .mistralV3Tekken)
        #expect(ChatTemplate.detect(fromJinja: JinjaSamples.mistral7Bv02) == .llama2)
        #expect(ChatTemplate.detect(fromJinja: JinjaSamples.chatGLM4) == .chatglm4)
    }

    /// Templates from llama.cpp's tests/test-chat-template.cpp and the format each one is detected as there.
    @Test(arguments: [
        ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}", ChatTemplate.chatml),
        ("{% for message in messages %}{% if (message['role'] == 'system') %}{{'<|im_start|>system<|im_sep|>' + message['content'] + '<|im_end|>'}}{% endif %}{% endfor %}", .phi4),
        ("{%- for message in messages %}{{- bos_token + '[INST] ' }}{{ '[INST] <<SYS>>\\n' }}{% endfor %}", .llama2SysBos),
        ("{% if message['role'] == 'user' %}{{ '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'system' %}{{ '<<SYS>>\\n' + content.strip() + '\\n<</SYS>>\\n\\n' }}{% endif %}", .llama2SysStrip),
        ("{{ bos_token }}{% if message['role'] == 'user' %}{{ '[INST] <<SYS>>\\n' + message['content'] }}{% endif %}", .llama2Sys),
        ("{%- if loop.first and system_message is defined %}{{- ' [INST] ' + system_message + '\\n\\n' + message['content'] + ' [/INST]' }}{%- endif %}", .mistralV1),
        ("{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + '[/INST]' }}{% elif message['role'] == 'system' %}{{ '[SYSTEM_PROMPT] ' + message['content'] + '[/SYSTEM_PROMPT]' }}{% endif %}{% endfor %}", .mistralV7),
        ("{% for message in messages %}{{bos_token + message['role'] + '\\n' + message['content'] + eos_token + '\\n'}}{% endfor %}", .monarch),
        ("{% for message in messages %}{% if loop.first %}{{ bos_token }}{% endif %}{% if message['role'] == 'user' %}{{ 'Human: ' + message['content'] + '\\n\\nAssistant: ' + eos_token }}{% endif %}{% endfor %}", .orion),
        ("{{ bos_token }}{% for message in messages %}{{ 'GPT4 Correct ' + message['role'].title() + ': ' + message['content'] + '<|end_of_turn|>'}}{% endfor %}", .openchat),
        ("{%- if message['role'] == 'system' -%}{{-'SYSTEM: ' + message['content'] + '\n' -}}{%- else -%}{{-'USER: ' + message['content'] + '\n'-}}{{-'ASSISTANT: ' + message['content'] + '</s>\n' -}}{%- endif -%}", .vicunaOrca),
        ("{%- if message['role'] == 'user' -%}{{-'USER: ' + message['content'] + '\n'-}}{%- else -%}{{-'ASSISTANT: ' + message['content'] + '</s>\n' -}}{%- endif -%}", .vicuna),
        ("{{'### Instruction:\\n' + message['content'] + '\\n'}}{{'### Response:\\n' + message['content'] + '\\n<|EOT|>\\n'}}", .deepseek),
        ("{{ '<|START_OF_TURN_TOKEN|><|USER_TOKEN|>' + content.strip() + '<|END_OF_TURN_TOKEN|>' }}", .commandR),
        ("{% for message in messages %}{% if loop.first %}[gMASK]sop<|{{ message['role'] }}|>\n {{ message['content'] }}{% endif %}{% endfor %}", .chatglm3),
        ("{% for item in messages %}{% if item['role'] == 'system' %}<|system|>\n{{ item['content'] }}{% elif item['role'] == 'user' %}<|user|>\n{{ item['content'] }}{% elif item['role'] == 'assistant' %}<|assistant|>\n{{ item['content'] }}{% endif %}{% endfor %}<|assistant|>", .glmedge),
        ("{% for message in messages %}{% if message['role'] == 'user' %}{{'<用户>' + message['content'].strip() + '<AI>'}}{% else %}{{message['content'].strip()}}{% endif %}{% endfor %}", .minicpm),
        ("{% if message['role'] == 'user' %}{{ 'User: ' + message['content'] + '\n\n' }}{% elif message['role'] == 'assistant' %}{{ 'Assistant: ' + message['content'] + eos_token }}{% endif %}", .deepseek2),
        ("{{'<｜User｜>' + message['content']}}{{'<｜Assistant｜>' + message['content'] + '<｜end▁of▁sentence｜>'}}", .deepseek3),
        ("{{ '<|start_of_role|>system<|end_of_role|>' + message['content'] + '<|end_of_text|>\n' }}", .granite),
        ("{{ '<|role_start|>' + message['role'] + '<|role_end|>' + message['content'] + '<|turn_end|>' }}", .megrez),
        ("{{ '<|header_start|>' + message['role'] + '<|header_end|>\\n\\n' }}", .llama4),
        ("{{ '[|system|]' + message['content'] + '[|endofturn|]\\n' }}{{ '[|assistant|]' }}", .exaone3),
        ("{{ '<|user|>\\n' + message['content'] + '<|endoftext|>' }}", .zephyr),
        ("{{ '<|user|>\\n' + message['content'] + '</s>' }}{{ '<|assistant|>\\n' }}", .falcon3),
        ("<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}: {{ message['content'] }}<end_of_utterance>\n{% endfor %}", .smolvlm),
    ])
    func matchesLlamaCppHeuristics(jinja: String, expected: ChatTemplate) {
        #expect(ChatTemplate.detect(fromJinja: jinja) == expected)
    }

    @Test func anExactTemplateNameIsTakenAsIs() {
        for template in ChatTemplate.allCases {
            #expect(ChatTemplate.detect(fromJinja: template.rawValue) == template)
        }
        // A string starting with "mistral" enters llama.cpp's [INST] branch and ends at llama2.
        #expect(ChatTemplate.detect(fromJinja: "mistral") == .llama2)
    }

    @Test func formatsThatRenderAlikeWithoutToolRolesShareATemplate() {
        #expect(ChatTemplate.detect(fromJinja: "{{ '[|system|]' }}{{ '[|assistant|]' }}{{ '[|endofturn|]' }}{{ '[|tool|]' }}") == .exaone3)
        #expect(ChatTemplate.detect(fromJinja: "{{ '<|start_of_role|>' }}<tool_call>{# g4_default_system_message #}") == .granite)
        #expect(ChatTemplate.detect(fromJinja: "granite-4.1") == .granite)
        #expect(ChatTemplate.detect(fromJinja: "exaone4") == .exaone3)
    }

    @Test func unknownOrUnsupportedTemplatesGiveNil() {
        #expect(ChatTemplate.detect(fromJinja: "") == nil)
        #expect(ChatTemplate.detect(fromJinja: "{% for m in messages %}{{ m.content }}{% endfor %}") == nil)
        #expect(ChatTemplate.detect(fromJinja: "kimi-k2") == nil)
        #expect(ChatTemplate.detect(fromJinja: "{{ '<|start|>' + role + '<|channel|>' }}") == nil)   // gpt-oss
        // An unsupported branch must not fall through to a later, wrong guess (llama4 comes after bailing).
        #expect(ChatTemplate.detect(fromJinja: "<role>ASSISTANT</role>'HUMAN'<|header_start|><|header_end|>") == nil)
    }
}
