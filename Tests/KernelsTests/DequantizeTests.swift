import GGUF
import Testing
@testable import Kernels

/// Hand-built blocks with known values for every type, checking the element order of each layout.
@Suite struct DequantizeTests {
    func dequant(_ type: GGMLType, cols: Int, _ bytes: [UInt8], row: Int = 0, rows: Int = 1) -> [Float] {
        let m = OwnedMatrix(type: type, rows: rows, cols: cols, data: bytes)
        return Dequantize.row(m.matrix, row)
    }

    let h = TestQuantizer.f16

    @Test func floatTypes() {
        let xs: [Float] = [1, -2, 0.5, 3.25]
        #expect(dequant(.f32, cols: 4, TestQuantizer.row(xs, .f32)) == xs)
        #expect(dequant(.f16, cols: 4, TestQuantizer.row(xs, .f16)) == xs)
        #expect(dequant(.bf16, cols: 4, TestQuantizer.row(xs, .bf16)) == xs)
        // second row of a two-row matrix
        let two = TestQuantizer.row(xs + xs.map { -$0 }, .f16)
        #expect(dequant(.f16, cols: 4, two, row: 1, rows: 2) == xs.map { -$0 })
    }

    @Test func q8_0() {
        let qs = (0..<32).map { UInt8(bitPattern: Int8($0 - 16)) }
        let y = dequant(.q8_0, cols: 32, h(0.25) + qs)
        for j in 0..<32 { #expect(y[j] == Float(j - 16) * 0.25) }
        // -128 is a valid stored quant
        #expect(dequant(.q8_0, cols: 32, h(1) + [0x80] + [UInt8](repeating: 0, count: 31))[0] == -128)
    }

    @Test func q4_0() {
        // byte j: low nibble j (element j), high nibble 15 - j (element j + 16)
        let qs = (0..<16).map { UInt8($0 | (15 - $0) << 4) }
        let y = dequant(.q4_0, cols: 32, h(0.5) + qs)
        for j in 0..<16 {
            #expect(y[j] == Float(j - 8) * 0.5)
            #expect(y[j + 16] == Float(7 - j) * 0.5)
        }
    }

    @Test func q4_1() {
        let qs = (0..<16).map { UInt8($0 | (15 - $0) << 4) }
        let y = dequant(.q4_1, cols: 32, h(2) + h(-1) + qs)
        for j in 0..<16 {
            #expect(y[j] == Float(j) * 2 - 1)
            #expect(y[j + 16] == Float(15 - j) * 2 - 1)
        }
    }

    @Test func q5_0() {
        // qh bit e is the fifth bit of element e: set it for odd elements.
        let qh: [UInt8] = [0xAA, 0xAA, 0xAA, 0xAA]
        let qs = (0..<16).map { UInt8($0 | (15 - $0) << 4) }
        let y = dequant(.q5_0, cols: 32, h(1) + qh + qs)
        for e in 0..<32 {
            let nib = e < 16 ? e : 15 - (e - 16)
            #expect(y[e] == Float((nib | (e % 2 == 1 ? 16 : 0)) - 16), "element \(e)")
        }
    }

    @Test func q5_1() {
        let qh: [UInt8] = [0x0F, 0x00, 0xF0, 0xFF]   // bits 0-3, 20-23, 24-31
        let qs = [UInt8](repeating: 0x31, count: 16)   // low nibble 1, high nibble 3
        let y = dequant(.q5_1, cols: 32, h(0.5) + h(10) + qh + qs)
        for e in 0..<32 {
            let bit = (qh[e / 8] >> (e % 8)) & 1
            let q = (e < 16 ? 1 : 3) + Int(bit) * 16
            #expect(y[e] == Float(q) * 0.5 + 10, "element \(e)")
        }
    }

    /// 12 scale bytes giving sub-block j scale j + 1 and min 2j (j < 8), with the high bits of j ≥ 4 used.
    func kScales() -> (bytes: [UInt8], sc: [Int], m: [Int]) {
        let sc = (0..<8).map { $0 * 8 + 7 }, m = (0..<8).map { 63 - $0 * 5 }
        return (TestQuantizer.packScales(sc, m), sc, m)
    }

    @Test func q4_K() {
        let (s, sc, m) = kScales()
        // qs byte 32i + l: low nibble l % 16 (element 64i + l), high nibble (l + i) % 16 (element 64i + 32 + l)
        var qs = [UInt8]()
        for i in 0..<4 { for l in 0..<32 { qs.append(UInt8(l % 16 | ((l + i) % 16) << 4)) } }
        let y = dequant(.q4_K, cols: 256, h(0.5) + h(0.25) + s + qs)
        for i in 0..<4 {
            for l in 0..<32 {
                let lo = Float(0.5) * Float(sc[2 * i]) * Float(l % 16) - Float(0.25) * Float(m[2 * i])
                let hi = Float(0.5) * Float(sc[2 * i + 1]) * Float((l + i) % 16) - Float(0.25) * Float(m[2 * i + 1])
                #expect(y[64 * i + l] == lo)
                #expect(y[64 * i + 32 + l] == hi)
            }
        }
    }

    @Test func q5_K() {
        let (s, sc, m) = kScales()
        let qs = [UInt8](repeating: 0x52, count: 128)       // low 2, high 5
        let qh = (0..<32).map { UInt8(truncatingIfNeeded: $0 * 37) }
        let y = dequant(.q5_K, cols: 256, h(0.125) + h(1) + s + qh + qs)
        for i in 0..<4 {
            for l in 0..<32 {
                let lo = 2 + Int((qh[l] >> (2 * i)) & 1) * 16, hi = 5 + Int((qh[l] >> (2 * i + 1)) & 1) * 16
                #expect(y[64 * i + l] == Float(0.125) * Float(sc[2 * i]) * Float(lo) - Float(m[2 * i]))
                #expect(y[64 * i + 32 + l] == Float(0.125) * Float(sc[2 * i + 1]) * Float(hi) - Float(m[2 * i + 1]))
            }
        }
    }

    @Test func q6_K() {
        // Elements e = 128h + 32k + l; choose the 6-bit value v(e) = (e * 7) % 64 and pack it by hand.
        func v(_ e: Int) -> Int { (e * 7) % 64 }
        var ql = [UInt8](repeating: 0, count: 128), qh = [UInt8](repeating: 0, count: 64)
        for h in 0..<2 {
            for l in 0..<32 {
                let a = v(128 * h + l), b = v(128 * h + 32 + l), c = v(128 * h + 64 + l), d = v(128 * h + 96 + l)
                ql[64 * h + l] = UInt8(a & 15 | (c & 15) << 4)
                ql[64 * h + 32 + l] = UInt8(b & 15 | (d & 15) << 4)
                qh[32 * h + l] = UInt8(a >> 4 | (b >> 4) << 2 | (c >> 4) << 4 | (d >> 4) << 6)
            }
        }
        let scales = (0..<16).map { Int8($0 * 8 - 60) }
        let y = dequant(.q6_K, cols: 256, ql + qh + scales.map { UInt8(bitPattern: $0) } + h(0.5))
        for e in 0..<256 {
            #expect(y[e] == Float(0.5) * Float(scales[e / 16]) * Float(v(e) - 32), "element \(e)")
        }
    }

    @Test func invalidMatricesGiveNaNInsteadOfReadingOutOfBounds() {
        let m = OwnedMatrix(type: .q8_0, rows: 1, cols: 40, data: [UInt8](repeating: 0, count: 64))
        #expect(!m.matrix.isValid)
        #expect(Dequantize.row(m.matrix, 0).allSatisfy { $0.isNaN })
        let ok = OwnedMatrix(type: .q8_0, rows: 1, cols: 32, data: [UInt8](repeating: 0, count: 34))
        #expect(Dequantize.row(ok.matrix, 1).allSatisfy { $0.isNaN })
        #expect(Dequantize.row(ok.matrix, -1).allSatisfy { $0.isNaN })
        let q2 = OwnedMatrix(type: .q2_K, rows: 1, cols: 256, data: [UInt8](repeating: 0, count: 84))
        #expect(throws: KernelError.self) { try q2.matrix.validate() }
    }
}
