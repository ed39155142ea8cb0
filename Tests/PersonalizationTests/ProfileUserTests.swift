import Testing
@testable import Personalization

@Suite struct ProfileUserTests {
    @Test func theFlagWinsThenTheConfigThenTheOSUser() throws {
        #expect(try ProfileUser.resolve(flag: "aki", configured: "bo", environment: ["USER": "root"]) == "aki")
        #expect(try ProfileUser.resolve(flag: nil, configured: "bo", environment: ["USER": "root"]) == "bo")
        #expect(try ProfileUser.resolve(flag: nil, configured: nil, environment: ["USER": "root"]) == "root")
        #expect(try ProfileUser.resolve(flag: " ", configured: nil, environment: ["LOGNAME": "cy"]) == "cy")
        #expect(try ProfileUser.resolve(flag: nil, configured: nil, environment: [:]) == "default")
    }

    @Test func badNamesAreOneLineErrors() {
        #expect(throws: ProfileError.self) { try ProfileUser.resolve(flag: "a/b", configured: nil, environment: [:]) }
        #expect(throws: ProfileError.self) { try ProfileUser.validate(String(repeating: "x", count: 65)) }
        #expect(throws: ProfileError.self) { try ProfileUser.validate("tab\there") }
    }
}
