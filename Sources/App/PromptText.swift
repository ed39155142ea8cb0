import Conversation
import Engine
import Foundation

extension EngineReplyGenerator {
    /// The prompt for `request` as text, after the chat template (special tokens written as their text, images as
    /// their markers), with text attachments inlined: what `nook run --print-prompt` prints. No message is left out.
    public func promptText(for request: ReplyRequest) throws -> String {
        let messages = try request.messagesWithSystem.map(attachmentRules.inline)
        return template.render(messages, addAssistantPrefix: true, bosToken: context.tokenText(context.tokenizer.bos),
                               eosToken: context.tokenText(context.tokenizer.eos))
    }
}
