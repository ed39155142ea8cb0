import Kernels
import Testing

/// The GELU of Gemma's feed-forward follows ggml's CPU one: a half-precision table inside (-10, 10), 0 below, x above.
@Suite struct GELUTests {
    let gelu = GELUTable()

    @Test func insideTheTableTheInputAndResultAreHalves() {
        for x: Float in [-9.99, -3, -0.5, -1e-3, 0, 1e-4, 0.3, 1, 2.5, 9.99] {
            #expect(gelu(x) == Half.roundedToHalf(GELUTable.exact(Half.roundedToHalf(x))), "x = \(x)")
        }
        // Inputs that round to the same half share one value.
        #expect(gelu(1.0001) == gelu(1))
    }

    /// The one entry of the 65536 where an unfused 1 + 0.044715·x·x rounds differently: ggml's table (read from the
    /// reference's libggml-cpu, `ggml_table_gelu_f16`) holds half 43475 for x = -1.9990234375 (half 49151).
    @Test func theTableEntryThatNeedsTheFusedMultiplyAddIsGgmls() {
        #expect(Half.fromFloat(gelu(Half.toFloat(49151))) == 43475)
    }

    @Test func outsideTheTableItIsZeroOrTheIdentity() {
        #expect(gelu(-10) == 0 && gelu(-50) == 0)
        #expect(gelu(10) == 10 && gelu(123.25) == 123.25)
    }

    @Test func gegluMultipliesTheGateByUp() {
        var gate: [Float] = [-11, -1, 0.5, 2, 12]
        let up: [Float] = [3, 2, -1, 0.25, 0.5]
        let want = zip(gate, up).map { $0 <= -10 ? 0 : gelu($0) * $1 }
        gelu.geglu(&gate, up, gate.count)
        #expect(gate == want)
        #expect(gate[4] == 6)
    }

    @Test func theExactFormulaIsTheTanhApproximation() {
        #expect(abs(GELUTable.exact(1) - 0.841192) < 1e-6)
        #expect(abs(GELUTable.exact(-2) - -0.0454023) < 1e-6)
    }
}
