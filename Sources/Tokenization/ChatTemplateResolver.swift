/// Why no chat template could be chosen for a model.
public struct ChatTemplateError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong.
    public enum Kind: Equatable, Sendable {
        /// `--template` named no known template; carries the name given.
        case unknownName(String)
        /// The model carries a Jinja template that matches no supported format.
        case unknownTemplate
        /// The model carries no chat template and none was given.
        case missingTemplate
    }

    public let kind: Kind
    /// The model file the template was sought for.
    public let modelPath: String

    public init(_ kind: Kind, modelPath: String) {
        self.kind = kind
        self.modelPath = modelPath
    }

    /// One line naming the file and the problem, with the names `--template` accepts.
    public var description: String {
        let names = ChatTemplate.validNames.joined(separator: "|")
        switch kind {
        case .unknownName(let name):
            return "\(modelPath): unknown chat template name '\(name)' (valid: \(names))"
        case .unknownTemplate:
            return "\(modelPath): unknown chat template (use --template \(names))"
        case .missingTemplate:
            return "\(modelPath): no chat template in the file (use --template \(names))"
        }
    }
}

/// Chooses the chat template for a model from the user's override and the file's Jinja template.
public enum ChatTemplateResolver {
    /// The template to use: the override when given (by name or alias), else the one detected in `jinja`.
    ///
    /// - Parameters:
    ///   - override: a template name from the user (`--template`), or nil.
    ///   - jinja: the GGUF `tokenizer.chat_template` string, or nil when the file has none.
    ///   - modelPath: the model file, named in errors.
    /// - Throws: `ChatTemplateError` for an unknown override name, an unrecognised Jinja template,
    ///   or no template at all.
    public static func resolve(override: String?, jinja: String?, modelPath: String) throws -> ChatTemplate {
        if let override {
            guard let template = ChatTemplate(name: override) else {
                throw ChatTemplateError(.unknownName(override), modelPath: modelPath)
            }
            return template
        }
        guard let jinja, !jinja.isEmpty else {
            throw ChatTemplateError(.missingTemplate, modelPath: modelPath)
        }
        guard let template = ChatTemplate.detect(fromJinja: jinja) else {
            throw ChatTemplateError(.unknownTemplate, modelPath: modelPath)
        }
        return template
    }
}
