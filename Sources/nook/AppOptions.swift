import App
import ArgumentParser

/// `--ctx`, for the commands that hold a conversation or a generation in a context window.
struct ContextOptionGroup: ParsableArguments {
    @Option(parsing: .unconditional, help: "Context length in tokens (default: the model's, at most 4096).")
    var ctx: Int?

    func validate() throws {
        if let n = ctx, n < 16 { throw ValidationError("--ctx must be at least 16") }
    }
}

extension ModelOptionGroup {
    /// The model request of chat, run and replay, with the template chosen by `--template`.
    func request(context: ContextOptionGroup, template: String?, vision: VisionOptionGroup? = nil) -> ModelRequest {
        ModelRequest(model: model, threads: threads, contextLength: context.ctx, template: template, kvType: kvType,
                     mmproj: vision?.mmproj, imageTokens: vision?.imageTokens.limit)
    }
}
