import GGUF
import Kernels

/// Looks up tensors by name and checks their shapes and types against what an architecture expects.
struct WeightLoader {
    let file: GGUFFile

    private func info(_ name: String) throws(ModelError) -> GGUFTensorInfo {
        guard let t = file.tensor(name) else { throw .invalid(path: file.path, "missing tensor \(name)") }
        guard t.type.isSupportedWeightType else {
            throw .invalid(path: file.path, "tensor \(name) has type \(t.type), which nook does not support")
        }
        return t
    }

    func has(_ name: String) -> Bool { file.tensor(name) != nil }

    private func data(_ t: GGUFTensorInfo) throws(ModelError) -> UnsafeRawPointer {
        do { return try file.data(of: t) } catch { throw .file(error) }
    }

    /// A matrix with `cols` inputs and `rows` outputs (GGUF shape [cols, rows]).
    func matrix(_ name: String, cols: Int, rows: Int) throws(ModelError) -> WeightMatrix {
        let t = try info(name)
        guard t.shape.count == 2, t.shape[0] == cols, t.shape[1] == rows else {
            throw .invalid(path: file.path, "tensor \(name) has shape \(t.shape), expected [\(cols), \(rows)]")
        }
        return WeightMatrix(type: t.type, rows: rows, cols: cols, data: try data(t))
    }

    /// A vector of `count` values (norm weights, biases), converted to f32.
    func vector(_ name: String, count: Int) throws(ModelError) -> [Float] {
        let t = try info(name)
        guard t.shape.count == 1, t.shape[0] == count else {
            throw .invalid(path: file.path, "tensor \(name) has shape \(t.shape), expected [\(count)]")
        }
        let m = WeightMatrix(type: t.type, rows: 1, cols: count, data: try data(t))
        return Dequantize.row(m, 0)
    }

    func optionalVector(_ name: String, count: Int) throws(ModelError) -> [Float]? {
        has(name) ? try vector(name, count: count) : nil
    }
}

extension WeightMatrix {
    /// Rows `start..<start+count` of this matrix, without copying (for fused projections).
    func rows(_ start: Int, _ count: Int) -> WeightMatrix {
        WeightMatrix(type: type, rows: count, cols: cols, data: data + start * rowBytes)
    }
}
