@testable import Engine
import Testing

@Suite struct BenchmarkTests {
    @Test func medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        #expect(Benchmark.Result(test: "pp8", tokens: 8, samples: [10, 20]).median == 15)
        #expect(Benchmark.Result(test: "pp8", tokens: 8, samples: [40, 10, 30, 20]).median == 25)
        #expect(Benchmark.Result(test: "pp8", tokens: 8, samples: [3, 1, 2]).median == 2)
        #expect(Benchmark.Result(test: "pp8", tokens: 8, samples: []).median == 0)
    }
}
