import Conversation
import Engine
import Foundation

extension EngineReplyGenerator {
    /// The prompt for `request` as text, after the chat template (special tokens written as their text), with text
    /// attachments inlined: what `nook run --print-prompt` prints. No old messages are left out.
    public func promptText(for request: ReplyRequest, attachments: AttachmentText = AttachmentText()) throws -> String {
        let messages = try request.messagesWithSystem.map(attachments.inline)
        return template.render(messages, addAssistantPrefix: true, bosToken: context.tokenText(context.tokenizer.bos),
                               eosToken: context.tokenText(context.tokenizer.eos))
    }
}
