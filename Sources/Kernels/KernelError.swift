/// A weight matrix or buffer that the kernels cannot use, with a one-line reason.
public struct KernelError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
