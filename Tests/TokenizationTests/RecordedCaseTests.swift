import Foundation
import Testing
@testable import Tokenization

/// One `Fixtures/cases/*.json` file: what llama.cpp did with one vocabulary
/// (recorded by tools/record_tokenizer_fixtures.py).
struct RecordedCases {
    struct Case {
        let text: String
        /// Ids with addSpecial and parseSpecial off.
        let plain: [Int32]
        /// Ids with both on, when recorded.
        let special: [Int32]?
    }

    let name: String
    /// "shared:<file>" (in ../shared/fixtures/vocab) or "fixture:<path>" (in this target's Fixtures).
    let vocab: String
    let vocabularySize: Int
    let bos, eos, eot, sep: Int32?
    let addBOS, addEOS, addSEP: Bool
    let endOfGeneration: Set<Int32>
    let cases: [Case]
    /// Token → llama.cpp's piece bytes.
    let pieces: [(Int32, [UInt8])]
    /// Token → llama.cpp's attribute bits.
    let attributes: [(Int32, UInt16)]

    static func all() -> [String] {
        let dir = TestVocabularies.fixtures.appendingPathComponent("cases")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    init(name: String) throws {
        self.name = name
        let url = TestVocabularies.fixtures.appendingPathComponent("cases/\(name).json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        func id(_ key: String) -> Int32? { (json[key] as? NSNumber).map { $0.int32Value } }
        func ids(_ any: Any?) -> [Int32]? { (any as? [NSNumber])?.map { $0.int32Value } }
        vocab = try #require(json["vocab"] as? String)
        vocabularySize = try #require(json["n_vocab"] as? Int)
        bos = id("bos"); eos = id("eos"); eot = id("eot"); sep = id("sep")
        addBOS = json["add_bos"] as? Bool ?? false
        addEOS = json["add_eos"] as? Bool ?? false
        addSEP = json["add_sep"] as? Bool ?? false
        endOfGeneration = Set(ids(json["eog"]) ?? [])
        cases = try (json["cases"] as? [[String: Any]] ?? []).map { c in
            Case(text: try #require(c["text"] as? String), plain: try #require(ids(c["plain"])), special: ids(c["special"]))
        }
        pieces = (json["pieces"] as? [[Any]] ?? []).map { pair in
            ((pair[0] as! NSNumber).int32Value, Self.hexBytes(pair[1] as! String))
        }
        attributes = (json["attributes"] as? [[NSNumber]] ?? []).map { ($0[0].int32Value, $0[1].uint16Value) }
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = hex.utf8.makeIterator()
        while let hi = it.next(), let lo = it.next() {
            out.append(UInt8(String(decoding: [hi, lo], as: UTF8.self), radix: 16) ?? 0)
        }
        return out
    }

    /// The vocabulary file, or nil when it lives in an absent shared folder.
    func vocabularyURL() -> URL? {
        if vocab.hasPrefix("shared:") {
            return TestVocabularies.sharedVocabFolder?.appendingPathComponent(String(vocab.dropFirst(7)))
        }
        return TestVocabularies.fixtures.appendingPathComponent(String(vocab.dropFirst(8)))
    }
}

/// Texts beyond llama.cpp's test strings (Japanese, emoji, code, whitespace, digits, contractions,
/// special-token text …) for every vocabulary, including small ones that exercise the
/// pre-tokenizers with no full-size fixture: ids, pieces, attributes and special tokens must all
/// be llama.cpp's.
@Suite struct RecordedCaseTests {
    static let names = RecordedCases.all()

    @Test func fixturesArePresent() {
        #expect(Self.names.count >= 15)
    }

    @Test(arguments: names)
    func matchesLlamaCpp(_ name: String) throws {
        let recorded = try RecordedCases(name: name)
        guard let url = recorded.vocabularyURL() else {
            print("RecordedCaseTests: ../shared is absent; \(name) skipped")
            return
        }
        let tokenizer = try TestVocabularies.tokenizer(url)
        let vocabulary = try #require((tokenizer as? any VocabularyBacked)?.vocabulary)
        #expect(tokenizer.vocabularySize == recorded.vocabularySize)

        var plainPassed = 0, specialPassed = 0, specialTotal = 0
        for c in recorded.cases {
            let plain = tokenizer.encode(c.text, addSpecial: false, parseSpecial: false)
            #expect(plain == c.plain, "\(name) plain: \(c.text.debugDescription.prefix(120))")
            if plain == c.plain { plainPassed += 1 }
            if let want = c.special {
                specialTotal += 1
                let got = tokenizer.encode(c.text, addSpecial: true, parseSpecial: true)
                #expect(got == want, "\(name) special: \(c.text.debugDescription.prefix(120))")
                if got == want { specialPassed += 1 }
            }
        }

        var piecesPassed = 0
        for (token, bytes) in recorded.pieces {
            let got = tokenizer.piece(token)
            #expect(got == bytes, "\(name) piece of \(token) \(tokenizer.text(of: token).debugDescription)")
            if got == bytes { piecesPassed += 1 }
        }
        var attributesPassed = 0
        for (token, bits) in recorded.attributes {
            let got = vocabulary.attributes[Int(token)].rawValue
            #expect(got == bits, "\(name) attribute of \(token) \(tokenizer.text(of: token).debugDescription)")
            if got == bits { attributesPassed += 1 }
        }

        let eog = Set((0..<Int32(tokenizer.vocabularySize)).filter { tokenizer.isEndOfGeneration($0) })
        #expect(eog == recorded.endOfGeneration, "\(name) end-of-generation set")
        #expect(tokenizer.bos == recorded.bos)
        #expect(tokenizer.addBOS == recorded.addBOS)
        if vocabulary.kind == .wpm {
            #expect(tokenizer.eos == recorded.sep)
            #expect(tokenizer.addEOS == recorded.addSEP)
        } else {
            #expect(tokenizer.eos == recorded.eos)
            #expect(tokenizer.addEOS == recorded.addEOS)
        }
        // llama.cpp picks eot from an unordered map when several tokens qualify; it must at least end generation.
        if let eot = vocabulary.ids.eot { #expect(tokenizer.isEndOfGeneration(eot)) }
        #expect((vocabulary.ids.eot == nil) == (recorded.eot == nil))

        print("\(name): \(plainPassed)/\(recorded.cases.count) texts, \(specialPassed)/\(specialTotal) with special tokens, "
              + "\(piecesPassed)/\(recorded.pieces.count) pieces, \(attributesPassed)/\(recorded.attributes.count) attributes match llama.cpp")
    }
}
