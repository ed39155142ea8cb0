import Conversation
import Foundation
import Sessions

/// `/model`: what runs, and switching to another model mid-chat (recorded in the log like a persona switch).
extension ChatApp {
    /// `/model` shows the model; `/model PATH|NAME` loads another one off the UI thread and switches when it is ready.
    func model(_ argument: String) {
        guard !argument.isEmpty else {
            return note((env.modelDetails.isEmpty ? [env.generator.modelInfo.path] : env.modelDetails).joined(separator: "\n"))
        }
        guard !busy else { return }
        guard loadingModel == nil else { return error("a model is loading already: wait for it") }
        guard let loader = env.modelLoader else { return error("this chat cannot switch models") }
        guard let path = modelPath(argument) else {
            let folder = env.modelsFolder.map { " or put \(argument).gguf in \($0.path)" } ?? ""
            return error("no model file \(argument): give its path\(folder)")
        }
        guard path != env.generator.modelInfo.path else { return note("\(path) is the model in use already") }
        loadingModel = path
        let mailbox = self.mailbox
        Task.detached {
            do {
                mailbox.post(.modelLoaded(try loader(path)))
            } catch {
                mailbox.post(.modelFailed(path: path, "\(error)"))
            }
        }
    }

    /// The file `/model` means: an existing path (`~` and relative paths resolved), else `NAME.gguf` or `NAME` in
    /// the models folder; nil when there is none.
    func modelPath(_ argument: String) -> String? {
        var path = argument
        if path == "~" || path.hasPrefix("~/") { path = env.homeDirectory + path.dropFirst() }
        if !path.hasPrefix("/") { path = env.workingDirectory + "/" + path }
        var candidates = [URL(fileURLWithPath: path).standardizedFileURL]
        if !argument.contains("/"), let folder = env.modelsFolder {
            candidates += [folder.appendingPathComponent(argument + ".gguf"), folder.appendingPathComponent(argument)]
        }
        var isFolder: ObjCBool = false
        return candidates.first { FileManager.default.fileExists(atPath: $0.path, isDirectory: &isFolder) && !isFolder.boolValue }?.path
    }

    /// Puts a loaded model in place: later replies come from it, and the log records the switch.
    func switchModel(to loaded: LoadedModel) {
        loadingModel = nil
        let info = loaded.generator.modelInfo
        env.generator = loaded.generator
        env.modelDetails = loaded.details
        record(.model(ModelSwitch(model: info)))
        view.status.model = URL(fileURLWithPath: info.path).lastPathComponent
        note("model: \(URL(fileURLWithPath: info.path).lastPathComponent) (template \(info.template ?? "?")): the next replies come from it")
        if let caution = loaded.caution { warn(caution) }
        refreshContextUsage()
    }
}
