import App
import ArgumentParser
import Foundation

/// `nook replay`: re-runs a recorded session or a `.nook` script.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-send every user turn of a session log (.jsonl) or script (.nook) and print the transcript.",
        discussion: """
        With --check, each new reply is compared with the recorded one (or the script's /expect lines) and the \
        command exits with status 1 and a diff at the first difference. A recorded session replays with its \
        recorded model (unless --model is given), template and sampling settings.
        """)

    @Argument(help: "A session log (.jsonl) or a script (.nook).")
    var file: String
    @OptionGroup var model: ModelOptionGroup
    @OptionGroup var context: ContextOptionGroup
    @OptionGroup var sampling: SamplingOptionGroup
    @OptionGroup var vision: VisionOptionGroup
    @Flag(help: "Compare each reply with the recorded one or the script's /expect lines; exit 1 at the first difference.")
    var check = false
    @Flag(help: "Print the result as JSON (transcript, checks, failures, warnings).")
    var json = false
    @Flag(name: .customLong("live-profile"), help: "Build each turn's profile context from today's profile instead of the recorded one.")
    var liveProfile = false

    func run() throws {
        let seed = sampling.seed
        let status = CommandLaunchers.replay(file: file, engine: model.request(context: context, template: sampling.template, vision: vision), check: check,
                                             json: json, sampling: sampling.overrides, seed: seed,
                                             samplingGiven: sampling.givesSampling,
                                             environment: ProcessInfo.processInfo.environment, liveProfile: liveProfile)
        if status != 0 { throw ExitCode(status) }
    }
}
