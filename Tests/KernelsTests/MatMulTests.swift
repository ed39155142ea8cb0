import CKernelsTesting
import GGUF
import Testing
@testable import Kernels

@Suite struct MatMulTests {
    static let types: [GGMLType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K]

    /// A rows × cols matrix of `type`: from quantized random floats, or from random raw blocks.
    static func matrix(_ type: GGMLType, rows: Int, cols: Int, seed: UInt64, rawBlocks: Bool = false) -> OwnedMatrix {
        var rng = SplitMix(seed: seed)
        var bytes: [UInt8] = []
        for _ in 0..<rows {
            if rawBlocks && type.blockSize > 1 {
                bytes += TestQuantizer.randomRow(type, cols: cols, &rng)
            } else {
                bytes += TestQuantizer.row(rng.floats(cols, scale: 0.1), type)
            }
        }
        return OwnedMatrix(type: type, rows: rows, cols: cols, data: bytes)
    }

    static func input(tokens: Int, cols: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix(seed: seed)
        return (0..<tokens * cols).map { _ in rng.activation() }
    }

    /// The activations the kernels see for `type`, dequantized: [cols].
    static func converted(_ x: [Float], _ type: GGMLType) -> [Float] {
        switch type {
        case .f32: return x
        case .f16: return x.map { Half.roundedToHalf($0) }
        case .bf16: return x.map { Half.roundedToBF16($0) }
        case .q4_K, .q5_K, .q6_K:
            let q = ActivationQuantizer.q8_K(x)
            return (0..<x.count).map { Float(q.qs[$0]) * q.d[$0 / 256] }
        default:
            let q = ActivationQuantizer.q8_0(x)
            return (0..<x.count).map { Float(q.qs[$0]) * q.d[$0 / 32] }
        }
    }

    /// Σ|w·a| per output, the scale for float-order tolerances: tokens × rows.
    static func magnitudes(_ w: WeightMatrix, _ x: [Float], tokens: Int) -> [Double] {
        var out = [Double](repeating: 0, count: tokens * w.rows)
        let rows = (0..<w.rows).map { Dequantize.row(w, $0) }
        for t in 0..<tokens {
            let a = converted(Array(x[t * w.cols..<(t + 1) * w.cols]), w.type)
            for r in 0..<w.rows {
                var s = 0.0
                for c in 0..<w.cols { s += abs(Double(rows[r][c]) * Double(a[c])) }
                out[t * w.rows + r] = s
            }
        }
        return out
    }

    static func reference(_ w: WeightMatrix, _ x: [Float], tokens: Int) -> [Float] {
        var out = [Float](repeating: 0, count: tokens * w.rows)
        x.withUnsafeBufferPointer { ReferenceMatMul.forward(w, input: $0.baseAddress!, tokens: tokens, output: &out) }
        return out
    }

    static func fast(_ w: WeightMatrix, _ x: [Float], tokens: Int, level: KernelLevel?, threads: Int = 2) -> [Float] {
        // level nil: the emulated-VNNI kernels (the VNNI code paths on an AVX2 CPU)
        let pool = ThreadPool(threads: threads)
        let mm = level.map { MatMul(pool: pool, level: $0) }
            ?? MatMul(pool: pool, level: .avx2, runner: nook_testing_matmul_vnni_emulated)
        var out = [Float](repeating: .nan, count: tokens * w.rows)
        x.withUnsafeBufferPointer { mm.forward(w, input: $0.baseAddress!, tokens: tokens, output: &out) }
        return out
    }

    @Test(arguments: types)
    func referenceMatchesDequantizedFloatProducts(_ type: GGMLType) {
        let cols = type.blockSize == 256 ? 512 : 96
        let m = Self.matrix(type, rows: 7, cols: cols, seed: 11)
        let x = Self.input(tokens: 3, cols: cols, seed: 12)
        let ref = Self.reference(m.matrix, x, tokens: 3)
        let mags = Self.magnitudes(m.matrix, x, tokens: 3)
        for t in 0..<3 {
            let a = Self.converted(Array(x[t * cols..<(t + 1) * cols]), type)
            for r in 0..<7 {
                let row = Dequantize.row(m.matrix, r)
                var exact = 0.0
                for c in 0..<cols { exact += Double(row[c]) * Double(a[c]) }
                if type == .q4_1 || type == .q5_1 {
                    // Q8_1 carries s = f16(d·Σq) with the unrounded d; the kernels use it for the min term.
                    let q = ActivationQuantizer.q8_0(Array(x[t * cols..<(t + 1) * cols]))
                    for b in 0..<cols / 32 {
                        let m = Double(Dequantize.half(m.matrix.data + r * m.matrix.rowBytes + b * type.bytesPerBlock, 2))
                        let sumA = (0..<32).reduce(0.0) { $0 + Double(a[32 * b + $1]) }
                        exact += m * (Double(q.s[b]) - sumA)
                    }
                }
                let got = Double(ref[t * 7 + r])
                #expect(abs(got - exact) <= 2e-6 * mags[t * 7 + r] + 1e-12, "\(type) t\(t) r\(r): \(got) vs \(exact)")
            }
        }
    }

    @Test(arguments: types)
    func fastPathsMatchTheReference(_ type: GGMLType) {
        // Columns that need more than one decoded chunk of blocks (64 × 32, 8 × 256) in the tiled kernels.
        let colsList = type.blockSize == 256 ? [256, 2304] : (type.blockSize == 32 ? [64, 2240] : [40, 300])
        for cols in colsList {
            for raw in [false, true] where !(raw && type.blockSize == 1) {
                let rows = 37
                let m = Self.matrix(type, rows: rows, cols: cols, seed: UInt64(cols) &* 31 &+ (raw ? 1 : 0), rawBlocks: raw)
                for tokens in [1, 3, 17, 64] {
                    let x = Self.input(tokens: tokens, cols: cols, seed: UInt64(tokens))
                    let ref = Self.reference(m.matrix, x, tokens: tokens)
                    let mags = Self.magnitudes(m.matrix, x, tokens: tokens)
                    let levels: [KernelLevel?] = KernelLevel.supported + (KernelLevel.avx2.isSupported ? [nil] : [])
                    for level in levels {
                        let got = Self.fast(m.matrix, x, tokens: tokens, level: level)
                        var worst = 0.0
                        for i in 0..<got.count {
                            let err = abs(Double(got[i]) - Double(ref[i])) / (mags[i] + 1e-30)
                            worst = max(worst, err.isNaN ? .infinity : err)
                        }
                        #expect(worst <= 1e-5, "\(type) cols \(cols) raw \(raw) tokens \(tokens) \(level.map(\.description) ?? "emulated VNNI"): relative error \(worst)")
                    }
                }
            }
        }
    }

    @Test func fusedProductsMatchSeparateOnes() {
        let cols = 256
        let a = Self.matrix(.q8_0, rows: 20, cols: cols, seed: 1)
        let b = Self.matrix(.q4_K, rows: 9, cols: cols, seed: 2)
        let c = Self.matrix(.f16, rows: 5, cols: cols, seed: 3)
        let d = Self.matrix(.q5_1, rows: 3, cols: cols, seed: 4)
        for tokens in [1, 5] {
            let x = Self.input(tokens: tokens, cols: cols, seed: 9)
            let mm = MatMul(pool: ThreadPool(threads: 3))
            var outs = [a, b, c, d].map { [Float](repeating: 0, count: tokens * $0.matrix.rows) }
            let ptrs = outs.indices.map { i in UnsafeMutablePointer<Float>.allocate(capacity: outs[i].count) }
            defer { ptrs.forEach { $0.deallocate() } }
            x.withUnsafeBufferPointer { mm.forward([a, b, c, d].map(\.matrix), input: $0.baseAddress!, tokens: tokens, outputs: ptrs) }
            for i in outs.indices { outs[i] = Array(UnsafeBufferPointer(start: ptrs[i], count: outs[i].count)) }
            for (m, out) in zip([a, b, c, d], outs) {
                #expect(out == Self.fast(m.matrix, x, tokens: tokens, level: .best, threads: 3))
            }
        }
    }

    @Test func resultsDoNotDependOnThreadCount() {
        let m = Self.matrix(.q5_0, rows: 300, cols: 576, seed: 5)
        let x = Self.input(tokens: 70, cols: 576, seed: 6)
        let one = Self.fast(m.matrix, x, tokens: 70, level: .best, threads: 1)
        for threads in [2, 3, 5] {
            #expect(Self.fast(m.matrix, x, tokens: 70, level: .best, threads: threads) == one)
        }
    }

    @Test func scratchIsReusedAcrossCallsOfDifferentSizes() {
        let mm = MatMul(pool: ThreadPool(threads: 2))
        for (tokens, cols, type) in [(1, 256, GGMLType.q4_K), (40, 512, .q8_0), (2, 256, .bf16), (40, 512, .q6_K)] {
            let m = Self.matrix(type, rows: 11, cols: cols, seed: UInt64(tokens))
            let x = Self.input(tokens: tokens, cols: cols, seed: 1)
            var out = [Float](repeating: 0, count: tokens * 11)
            x.withUnsafeBufferPointer { mm.forward(m.matrix, input: $0.baseAddress!, tokens: tokens, output: &out) }
            #expect(out == Self.fast(m.matrix, x, tokens: tokens, level: mm.level))
        }
    }

    @Test func invalidMatricesGiveNaN() {
        let bad = OwnedMatrix(type: .q8_0, rows: 4, cols: 40, data: [UInt8](repeating: 0, count: 4 * 34 * 2))
        let x = [Float](repeating: 1, count: 40)
        let out = Self.fast(bad.matrix, x, tokens: 1, level: .best)
        #expect(out.allSatisfy { $0.isNaN })
        let ref = Self.reference(bad.matrix, x, tokens: 1)
        #expect(ref.allSatisfy { $0.isNaN })
    }

    @Test func cpuFeaturesAreConsistent() {
        let f = CPUFeatures.current
        #expect(KernelLevel.supported.first == .scalar)
        #expect(KernelLevel.best.isSupported)
        if KernelLevel.avx2.isSupported { #expect(f.avx2 && f.fma && f.f16c) }
        if KernelLevel.avx512VNNI.isSupported { #expect(f.avx512vnni && f.avx512vl && f.avx512bw) }
        if KernelLevel.avxVNNI.isSupported { #expect(f.avxVNNI) }
        print("CPU features: \(f); kernel levels here: \(KernelLevel.supported)")
    }
}
