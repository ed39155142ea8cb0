import Foundation

/// A problem with the profile database or a profile operation, in one line.
public struct ProfileError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
