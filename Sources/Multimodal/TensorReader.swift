import GGUF
import Kernels

/// Looks up an mmproj file's tensors by name and checks their shapes, naming the file and tensor when one is wrong.
struct TensorReader {
    let file: GGUFFile

    func has(_ name: String) -> Bool { file.tensor(name) != nil }

    func info(_ name: String) throws(MultimodalError) -> GGUFTensorInfo {
        guard let t = file.tensor(name) else { throw .file(file.path, "missing tensor \(name)") }
        guard t.type.isSupportedWeightType else {
            throw .file(file.path, "tensor \(name) has type \(t.type), which nook does not support")
        }
        return t
    }

    private func data(_ t: GGUFTensorInfo) throws(MultimodalError) -> UnsafeRawPointer {
        do { return try file.data(of: t) } catch { throw .file(file.path, "tensor \(t.name): \(error)") }
    }

    /// A matrix of `rows` outputs over `cols` inputs; a tensor of more dimensions is flattened into its rows
    /// (a convolution kernel [kw, kh, c, out] reads as `out` rows of kw·kh·c inputs).
    func matrix(_ name: String, cols: Int, rows: Int) throws(MultimodalError) -> WeightMatrix {
        let t = try info(name)
        let shape = Self.squeezed(t.shape)
        guard shape.count >= 2, shape.dropLast().reduce(1, *) == cols, shape.last == rows else {
            throw .file(file.path, "tensor \(name) has shape \(t.shape), expected \(cols) inputs × \(rows) outputs")
        }
        let m = WeightMatrix(type: t.type, rows: rows, cols: cols, data: try data(t))
        do { try m.validate() } catch { throw .file(file.path, "tensor \(name): \(error)") }
        return m
    }

    /// All values of a tensor of `count` elements (any shape), converted to f32.
    func values(_ name: String, count: Int) throws(MultimodalError) -> [Float] {
        let t = try info(name)
        guard t.elementCount == count else {
            throw .file(file.path, "tensor \(name) has shape \(t.shape), expected \(count) values")
        }
        let m = WeightMatrix(type: t.type, rows: 1, cols: count, data: try data(t))
        do { try m.validate() } catch { throw .file(file.path, "tensor \(name): \(error)") }
        return Dequantize.row(m, 0)
    }

    func optionalValues(_ name: String, count: Int) throws(MultimodalError) -> [Float]? {
        has(name) ? try values(name, count: count) : nil
    }

    /// The shape of a tensor that must exist, without trailing dimensions of 1 (converters write [a, b, 1] too).
    func shape(_ name: String) throws(MultimodalError) -> [Int] { Self.squeezed(try info(name).shape) }

    static func squeezed(_ shape: [Int]) -> [Int] {
        var s = shape
        while s.count > 1, s.last == 1 { s.removeLast() }
        return s
    }
}
