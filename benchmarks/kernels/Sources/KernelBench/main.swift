// Micro-benchmarks of the Kernels module: fork/join latency, single products, and whole-model passes with the
// matrix shapes of a SmolLM2-135M-like decoder (dim 576, ffn 1536, 30 layers, vocab 49152).
import Foundation
import GGUF
import Kernels

struct Options {
    var threads = 2
    var filter = ""
    var level = KernelLevel.best
    var seconds = 1.0
    var model = ""
    var cpuTime = false
    var tokens: [Int] = [1, 512]
}

func parseOptions() -> Options {
var opts = Options()
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--threads": opts.threads = Int(args.popFirst() ?? "") ?? 2
    case "--filter": opts.filter = args.popFirst() ?? ""
    case "--seconds": opts.seconds = Double(args.popFirst() ?? "") ?? 1
    case "--model": opts.model = args.popFirst() ?? ""
    case "--cpu-time": opts.cpuTime = true
    case "--tokens": opts.tokens = [Int(args.popFirst() ?? "") ?? 1]
    case "--level":
        let name = args.popFirst() ?? ""
        opts.level = KernelLevel.allCases.first { $0.description == name } ?? .best
    default:
        print("usage: kernel-bench [--threads N] [--filter TEXT] [--level scalar|avx2|avx-vnni|avx512-vnni] [--seconds S] [--model FILE.gguf [--tokens N]] [--cpu-time]")
        exit(2)
    }
}
return opts
}

let opts = parseOptions()
let useCPUTime = opts.cpuTime

/// Wall time, or with --cpu-time this thread's CPU time (steadier on a shared machine, meaningful with --threads 1).
func now() -> Double {
    var ts = timespec()
    clock_gettime(useCPUTime ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Runs `body` repeatedly for about `opts.seconds` and returns the best time per run.
@MainActor func measure(_ body: () -> Void) -> Double {
    body()
    var best = Double.infinity
    let start = now()
    var runs = 0
    while runs < 3 || now() - start < opts.seconds {
        let t0 = now()
        body()
        best = min(best, now() - t0)
        runs += 1
    }
    return best
}

/// Random but valid weights: random quant bytes with moderate scales.
final class Weights {
    let raw: UnsafeMutableRawPointer
    let matrix: WeightMatrix

    init(_ type: GGMLType, rows: Int, cols: Int, seed: UInt64) {
        let rowBytes = type.rowBytes(cols)!
        raw = .allocate(byteCount: rows * rowBytes, alignment: 64)
        var s = seed
        let words = raw.bindMemory(to: UInt64.self, capacity: rows * rowBytes / 8)
        for i in 0..<rows * rowBytes / 8 {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            words[i] = s
        }
        let bytes = raw.bindMemory(to: UInt8.self, capacity: rows * rowBytes)
        // f16 0x2000 ≈ 0.0078: a sane scale in every scale field position of the block types.
        func setHalf(_ at: Int) { bytes[at] = 0x00; bytes[at + 1] = 0x20 }
        for r in 0..<rows {
            for b in 0..<cols / type.blockSize {
                let o = r * rowBytes + b * type.bytesPerBlock
                switch type {
                case .f32: raw.storeBytes(of: Float(0.01), toByteOffset: o, as: Float.self)
                case .f16, .bf16: setHalf(o)
                case .q8_0, .q4_0, .q5_0: setHalf(o)
                case .q4_1, .q5_1, .q4_K, .q5_K: setHalf(o); setHalf(o + 2)
                case .q6_K: setHalf(o + 208)
                default: break
                }
            }
        }
        matrix = WeightMatrix(type: type, rows: rows, cols: cols, data: UnsafeRawPointer(raw))
    }

    deinit { raw.deallocate() }
}

let pool = ThreadPool(threads: opts.threads)
let mm = MatMul(pool: pool, level: opts.level)
print("kernel-bench: \(opts.threads) threads, level \(mm.level), CPU features: \(CPUFeatures.current)")

@MainActor func wanted(_ name: String) -> Bool { opts.filter.isEmpty || name.contains(opts.filter) }

if !opts.model.isEmpty {
    filePass(opts.model)
    exit(0)
}

// Fork/join latency.
if wanted("forkjoin") {
    let sink = UnsafeMutablePointer<Int>.allocate(capacity: 64)
    sink.initialize(repeating: 0, count: 64)
    let n = 200_000
    let t = measure {
        for _ in 0..<n { pool.parallelFor(opts.threads) { i in sink[i * 8] &+= 1 } }
    }
    print(String(format: "forkjoin: %.0f ns per parallelFor(%d) with empty bodies", t / Double(n) * 1e9, opts.threads))
    sink.deallocate()
}

// Single products.
let shapes: [(String, Int, Int)] = [("attn_q 576x576", 576, 576), ("attn_k 192x576", 192, 576),
                                    ("ffn_up 1536x576", 1536, 576), ("ffn_down 576x1536", 576, 1536)]
let types: [GGMLType] = [.q8_0, .q5_0, .q4_0, .q4_K, .q6_K, .q5_K, .f16, .f32, .bf16, .q4_1]
for type in types {
    for (name, rows, cols) in shapes where cols % type.blockSize == 0 {
        for tokens in [1, 512] {
            let label = "\(type) \(name) tokens \(tokens)"
            guard wanted(label) else { continue }
            let w = Weights(type, rows: rows, cols: cols, seed: 1)
            var rng: UInt64 = 7
            let x = (0..<tokens * cols).map { _ -> Float in
                rng = rng &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int64(bitPattern: rng) >> 40) / Float(1 << 23)
            }
            var out = [Float](repeating: 0, count: tokens * rows)
            let t = x.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { op in
                    measure { mm.forward(w.matrix, input: xp.baseAddress!, tokens: tokens, output: op.baseAddress!) }
                }
            }
            let gflops = 2 * Double(rows * cols * tokens) / t * 1e-9
            let gbs = Double(rows * w.matrix.rowBytes) / t * 1e-9
            print(String(format: "%-36@ %9.1f us  %7.1f GFLOP/s  %6.1f GB/s of weights", label as NSString, t * 1e6, gflops, gbs))
        }
    }
}

// Whole-model passes: every layer's matrices in sequence, with distinct weights per layer (as a real model streams them).
struct LayerTypes { let q, k, v, o, gate, up, down: GGMLType }

@MainActor func modelPass(name: String, layers: Int, types: (Int) -> LayerTypes, output: GGMLType) {
    for tokens in [1, 512] {
        let label = "model \(name) tokens \(tokens)"
        guard wanted(label) else { continue }
        var ws: [[Weights]] = []
        for l in 0..<layers {
            let t = types(l)
            ws.append([Weights(t.q, rows: 576, cols: 576, seed: UInt64(l * 8 + 1)),
                       Weights(t.k, rows: 192, cols: 576, seed: UInt64(l * 8 + 2)),
                       Weights(t.v, rows: 192, cols: 576, seed: UInt64(l * 8 + 3)),
                       Weights(t.o, rows: 576, cols: 576, seed: UInt64(l * 8 + 4)),
                       Weights(t.gate, rows: 1536, cols: 576, seed: UInt64(l * 8 + 5)),
                       Weights(t.up, rows: 1536, cols: 576, seed: UInt64(l * 8 + 6)),
                       Weights(t.down, rows: 576, cols: 1536, seed: UInt64(l * 8 + 7))])
        }
        let head = Weights(output, rows: 49152, cols: 576, seed: 99)
        let x = UnsafeMutablePointer<Float>.allocate(capacity: tokens * 1536)
        for i in 0..<tokens * 1536 { x[i] = Float(i % 17) * 0.05 - 0.4 }
        let y = UnsafeMutablePointer<Float>.allocate(capacity: tokens * 1536)
        let z = UnsafeMutablePointer<Float>.allocate(capacity: tokens * 1536)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: 49152)
        let t = measure {
            for l in ws {
                mm.forward(l[0].matrix, input: x, tokens: tokens, output: y)
                mm.forward(l[1].matrix, input: x, tokens: tokens, output: y)
                mm.forward(l[2].matrix, input: x, tokens: tokens, output: y)
                mm.forward(l[3].matrix, input: x, tokens: tokens, output: y)
                mm.forward(l[4].matrix, input: x, tokens: tokens, output: y)
                mm.forward(l[5].matrix, input: x, tokens: tokens, output: z)
                mm.forward(l[6].matrix, input: z, tokens: tokens, output: y)
            }
            // logits of the last token only, as in generation and llama-bench
            mm.forward(head.matrix, input: x + (tokens - 1) * 576, tokens: 1, output: logits)
        }
        print(String(format: "%-36@ %9.2f ms per pass  %8.1f tokens/s (matrix products only)", label as NSString, t * 1e3,
                     Double(tokens) / t))
        for p in [x, y, z, logits] { p.deallocate() }
    }
}

modelPass(name: "Q8_0", layers: 30, types: { _ in LayerTypes(q: .q8_0, k: .q8_0, v: .q8_0, o: .q8_0, gate: .q8_0, up: .q8_0, down: .q8_0) },
          output: .q8_0)
// The Q4_K_M mix of a 576-wide model: 576-column tensors fall back to Q5_0 (Q6_K ones to Q8_0); ffn_down keeps
// Q4_K, with Q6_K on the layers llama-quantize gives more bits (first and last eighth, every third).
modelPass(name: "Q4_K_M", layers: 30, types: { l in
    let more = l < 4 || l >= 26 || (l - 4) % 3 == 2
    return LayerTypes(q: .q5_0, k: .q5_0, v: more ? .q8_0 : .q5_0, o: .q5_0, gate: .q5_0, up: .q5_0, down: more ? .q6_K : .q4_K)
}, output: .q8_0)

/// Runs the products of a llama-family GGUF file in forward-pass order: per block q, k, v, o, gate, up, down; then
/// the output head (or the tied embedding) for the last token.
@MainActor func filePass(_ path: String) {
    let file: GGUFFile
    do { file = try GGUFFile(path: path) } catch { print("\(error)"); exit(1) }
    func matrix(_ name: String) -> WeightMatrix? {
        guard let t = file.tensor(name), t.shape.count == 2 else { return nil }
        return WeightMatrix(type: t.type, rows: t.shape[1], cols: t.shape[0], data: file.data(of: t))
    }
    var blocks: [[WeightMatrix]] = []
    var l = 0
    while let q = matrix("blk.\(l).attn_q.weight") {
        let names = ["attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]
        blocks.append([q] + names.compactMap { matrix("blk.\(l).\($0).weight") })
        l += 1
    }
    guard let head = matrix("output.weight") ?? matrix("token_embd.weight"), let first = blocks.first, first.count == 7 else {
        print("\(path): not a llama-family file with the expected tensors"); exit(1)
    }
    let dim = first[0].cols, ffn = first[4].rows
    for tokens in opts.tokens {
        let width = max(dim, ffn, head.rows)
        let x = UnsafeMutablePointer<Float>.allocate(capacity: tokens * width)
        for i in 0..<tokens * width { x[i] = Float(i % 17) * 0.05 - 0.4 }
        let y = UnsafeMutablePointer<Float>.allocate(capacity: tokens * width)
        let z = UnsafeMutablePointer<Float>.allocate(capacity: tokens * width)
        let t = measure {
            for b in blocks {
                mm.forward(b[0], input: x, tokens: tokens, output: y)
                mm.forward(b[1], input: x, tokens: tokens, output: y)
                mm.forward(b[2], input: x, tokens: tokens, output: y)
                mm.forward(b[3], input: x, tokens: tokens, output: y)
                mm.forward(b[4], input: x, tokens: tokens, output: y)
                mm.forward(b[5], input: x, tokens: tokens, output: z)
                mm.forward(b[6], input: z, tokens: tokens, output: y)
            }
            mm.forward(head, input: x + (tokens - 1) * dim, tokens: 1, output: y)
        }
        print(String(format: "file %@ tokens %d: %.2f ms per pass, %.1f tokens/s (matrix products only)",
                     (path as NSString).lastPathComponent, tokens, t * 1e3, Double(tokens) / t))
        for p in [x, y, z] { p.deallocate() }
    }
}
