import Testing
@testable import Sessions

@Suite struct TextDiffTests {
    @Test func singleLinesShowTheFirstDifferentCharacter() {
        #expect(TextDiff.describe(expected: "The answer is 42.", actual: "The answer is 41.") == """
        first difference at character 16 (differs):
        expected: The answer is 42.
        actual:   The answer is 41.
                                 ^
        """)
        #expect(TextDiff.firstDifference(expected: "abc", actual: "abcd") == """
        first difference at character 4 (actual is longer):
        expected: abc
        actual:   abcd
                     ^
        """)
        #expect(TextDiff.firstDifference(expected: "a\tb", actual: "a\tc").hasSuffix("expected: a\\tb\nactual:   a\\tc\n             ^"))
        let long = String(repeating: "x", count: 100)
        let shown = TextDiff.firstDifference(expected: long + "A" + long, actual: long + "B" + long, radius: 5)
        #expect(shown == """
        first difference at character 101 (differs):
        expected: …xxxxxAxxxx…
        actual:   …xxxxxBxxxx…
                        ^
        """)
    }

    @Test func multiLineTextsGiveAUnifiedDiffWithContext() {
        let a = (1...12).map { "line \($0)" }.joined(separator: "\n")
        var lines = (1...12).map { "line \($0)" }
        lines[1] = "LINE 2"
        lines.insert("inserted", at: 10)
        let b = lines.joined(separator: "\n")
        #expect(TextDiff.describe(expected: a, actual: b, context: 1) == """
        --- expected
        +++ actual
        @@ -1,3 +1,3 @@
         line 1
        -line 2
        +LINE 2
         line 3
        @@ -10,2 +10,3 @@
         line 10
        +inserted
         line 11
        """)
        #expect(TextDiff.describe(expected: "a\nb", actual: "a") == "--- expected\n+++ actual\n@@ -1,2 +1,1 @@\n a\n-b")
        #expect(TextDiff.describe(expected: "", actual: "x\ny") == "--- expected\n+++ actual\n@@ -0,0 +1,2 @@\n+x\n+y")
    }
}
