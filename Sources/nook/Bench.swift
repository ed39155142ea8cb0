import ArgumentParser
import Engine
import Foundation
import Media
import Multimodal

/// `nook bench`: prompt-processing and generation throughput, like llama-bench.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure prompt processing and generation speed in tokens per second (median over repetitions).")

    @OptionGroup var model: ModelOptionGroup
    @Option(name: .customShort("p"), parsing: .unconditional, help: "Prompt tokens evaluated in one batch (0 to skip).")
    var prompt = 512
    @Option(name: .customShort("n"), parsing: .unconditional, help: "Tokens generated one at a time (0 to skip).")
    var generate = 128
    @Option(name: .customShort("r"), parsing: .unconditional, help: "Repetitions.")
    var repetitions = 5
    @OptionGroup var vision: ImageOptionGroup
    @Option(help: "The question asked about --image for the time-to-first-token figure.")
    var question = "What is in this picture?"
    @Flag(help: "Print the results as JSON.")
    var json = false

    func validate() throws {
        guard prompt >= 0, generate >= 0 else { throw ValidationError("-p and -n must be at least 0") }
        guard prompt > 0 || generate > 0 else { throw ValidationError("nothing to measure: give -p or -n above 0") }
        guard repetitions >= 1 else { throw ValidationError("-r must be at least 1") }
        guard vision.images.count <= 1 else { throw ValidationError("nook bench takes one --image") }
    }

    func run() throws {
        let threadCount = model.threads ?? ModelContext.defaultThreads
        let context = try model.load(maxBatch: max(prompt, 1))
        let bench = Benchmark(model: context.model, repetitions: repetitions)
        var results: [Benchmark.Result] = []
        if prompt > 0 { results.append(try bench.promptProcessing(prompt)) }
        if generate > 0 { results.append(try bench.generation(generate)) }
        if let path = vision.images.first, let mmproj = vision.mmproj {
            let encoder = try VisionEncoder(path: mmproj, threads: threadCount)
            let image = RGBImage(try ImageDecoder().decode(fileAt: path).image)
            results.append(try bench.imageEncoding(encoder, image, maxTokens: vision.imageTokens.limit))
            results.append(try bench.timeToFirstToken(context, encoder, image, maxTokens: vision.imageTokens.limit,
                                                      question: question))
        }
        if json {
            struct Report: Encodable {
                let model: String; let threads: Int; let kernels: String; let kvType: String; let results: [Entry]
                struct Entry: Encodable {
                    let test: String; let unit: String; let median: Double; let mean: Double; let stddev: Double; let samples: [Double]
                }
            }
            let r = Report(model: context.path, threads: threadCount, kernels: ModelContext.kernelLevel, kvType: model.kvType ?? "f16", results: results.map {
                .init(test: $0.test, unit: $0.unit, median: $0.median, mean: $0.mean, stddev: $0.stddev, samples: $0.samples)
            })
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Output.write(String(decoding: try enc.encode(r), as: UTF8.self) + "\n")
        } else {
            Output.write("| model | threads | test | median | mean ± sd |\n| --- | ---: | ---: | ---: | ---: |\n")
            let name = URL(fileURLWithPath: context.path).lastPathComponent
            for r in results {
                Output.write(String(format: "| %@ | %d | %@ | %.2f %@ | %.2f ± %.2f |\n",
                                    name, threadCount, r.test, r.median, r.unit, r.mean, r.stddev))
            }
        }
    }
}
