import Foundation

/// A generator that can count tokens with its model's tokenizer (for budgets such as the profile context's).
public protocol TokenCounting: Sendable {
    /// Tokens of `text` alone, without BOS or special-token parsing.
    func countTokens(_ text: String) -> Int
}

extension EngineReplyGenerator: TokenCounting {
    public func countTokens(_ text: String) -> Int {
        context.tokenizer.encode(text, addSpecial: false, parseSpecial: false).count
    }
}
