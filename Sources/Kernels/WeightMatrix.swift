import GGUF

/// A weight matrix in its stored (possibly quantized) type; row r holds the `cols` weights of output feature r.
///
/// `data` points at `rows` rows of `rowBytes` bytes each, in ggml's block layout for `type`
/// (for GGUF tensors: ggml `ne[0] = cols`, `ne[1] = rows`). The memory is not owned.
public struct WeightMatrix: @unchecked Sendable {
    public let type: GGMLType
    /// Output features (ggml ne[1]).
    public let rows: Int
    /// Input features (ggml ne[0], the row length).
    public let cols: Int
    public let data: UnsafeRawPointer
    /// Distance in bytes between consecutive rows; `type.rowBytes(cols)` for a packed tensor.
    public var rowBytes: Int

    /// A packed matrix: rows follow each other without gaps. When `cols` is not a whole number of
    /// blocks of `type`, `rowBytes` is 0 and ``validate()`` reports it.
    public init(type: GGMLType, rows: Int, cols: Int, data: UnsafeRawPointer) {
        self.type = type
        self.rows = rows
        self.cols = cols
        self.data = data
        rowBytes = type.rowBytes(cols) ?? 0
    }

    /// Checks that the kernels can compute with this matrix: a supported type, whole blocks, sane sizes.
    public func validate() throws(KernelError) {
        guard type.isSupportedWeightType else {
            throw KernelError("weight type \(type) is not supported by the kernels")
        }
        guard rows >= 0, cols > 0 else { throw KernelError("weight matrix \(rows)×\(cols) has an empty or negative size") }
        guard let need = type.rowBytes(cols) else {
            throw KernelError("row length \(cols) is not a multiple of the \(type) block size \(type.blockSize)")
        }
        guard rowBytes >= need else {
            throw KernelError("row stride \(rowBytes) bytes is shorter than a \(type) row of \(cols) values (\(need) bytes)")
        }
    }

    /// Whether ``validate()`` passes.
    public var isValid: Bool {
        do { try validate(); return true } catch { return false }
    }
}
