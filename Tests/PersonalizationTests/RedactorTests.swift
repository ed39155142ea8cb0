import Foundation
import Testing
@testable import Personalization

@Suite struct RedactorTests {
    let redactor = Redactor()

    @Test(arguments: [
        ("my key is sk-proj-AbCdEf0123456789ghIJklMN", "my key is [redacted key]", "API key"),
        ("use AKIAIOSFODNN7EXAMPLE for s3", "use [redacted key] for s3", "API key"),
        ("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 here", "token [redacted key] here", "API key"),
        ("Authorization: Bearer abc.def-123456789xyz", "Authorization: Bearer [redacted token]", "token"),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "jwt [redacted token]", "token"),
        ("my password is hunter2!", "my password is [redacted]", "password"),
        ("Password: \"correct horse\"", "Password: [redacted]", "password"),
        ("pin code = 4821", "pin code = [redacted]", "password"),
        ("パスワードはabc123です。", "パスワードは[redacted]。", "password"),
        ("pay with 4111 1111 1111 1111 please", "pay with [redacted card number] please", "card number"),
        ("card 5500-0000-0000-0004", "card [redacted card number]", "card number"),
        ("secret Zx9QmP2vLk8RtY4wNb6HjC3sDf7GaE1uK5oI0", "secret [redacted secret]", "secret"),
    ])
    func secretsAreReplaced(input: String, expected: String, kind: String) {
        let r = redactor.redact(input)
        #expect(r.text == expected)
        #expect(r.kinds.contains(kind))
    }

    @Test func privateKeysAreReplacedWhole() {
        let key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACD\n-----END OPENSSH PRIVATE KEY-----"
        let r = redactor.redact("here it is:\n\(key)\nthanks")
        #expect(r.text == "here it is:\n[redacted private key]\nthanks")
    }

    @Test(arguments: [
        "I prefer short answers",
        "call me Aki",
        "my phone has 1234 5678 9012 3456 7 stickers",
        "order 4111 1111 1111 1112 was late",
        "the commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39 broke it",
        "the token limit is too small",
        "私はベジタリアンです",
        "a password manager would help",
    ])
    func ordinaryTextIsLeftAlone(input: String) {
        let r = redactor.redact(input)
        #expect(r.text == input)
        #expect(r.kinds.isEmpty)
    }

    @Test func luhn() {
        #expect(Redactor.isCardNumber([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))
        #expect(!Redactor.isCardNumber([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]))
        #expect(!Redactor.isCardNumber([0, 0, 0, 0]))
    }

    @Test func secretsNeverReachTheStore() throws {
        let folder = try TempFolder()
        let profile = try openStore(folder, FixedClock()).profile(for: "aki")
        try profile.addMemory("my password is Tr0ub4dor&3 and my card is 4111111111111111", reason: "remember")
        try profile.setPreference(key: "api", value: "sk-ant-ZZZZZZZZZZZZZZZZZZZZZZZZ", source: .stated, confidence: 1,
                                  reason: "said sk-ant-ZZZZZZZZZZZZZZZZZZZZZZZZ")
        try profile.recordFeedback(.bad, detail: "pin: 9931")
        let memory = try #require(try profile.memories().first)
        #expect(memory.text == "my password is [redacted] and my card is [redacted card number]")
        #expect(try profile.preferences().first?.value == "[redacted key]")
        try profile.store.compact()
        var bytes = Data()
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: folder.database.path + suffix) {
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: folder.database.path + suffix)))
        }
        for secret in ["Tr0ub4dor", "4111111111111111", "ZZZZZZZZZZZZ", "9931"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) reached the store")
        }
    }
}
