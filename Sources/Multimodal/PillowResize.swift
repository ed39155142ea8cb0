import Foundation

/// The resampling filters of Pillow's `Image.resize`, which llama.cpp reimplements for its preprocessing.
public enum ResizeFilter: String, Sendable, CaseIterable {
    case bilinear, bicubic, lanczos

    /// Half-width of the filter in source pixels at scale 1.
    var support: Double {
        switch self {
        case .bilinear: 1
        case .bicubic: 2
        case .lanczos: 3
        }
    }

    /// The filter's weight at distance `x` from the output pixel's centre.
    func weight(_ x: Double) -> Double {
        switch self {
        case .lanczos:
            guard -3 <= x, x < 3 else { return 0 }
            return sinc(x) * sinc(x / 3)
        case .bilinear:
            let a = abs(x)
            return a < 1 ? 1 - a : 0
        case .bicubic:
            let a = abs(x), c = -0.5
            if a < 1 { return ((c + 2) * a - (c + 3)) * a * a + 1 }
            if a < 2 { return (((a - 5) * a + 8) * a - 4) * c }
            return 0
        }
    }

    private func sinc(_ v: Double) -> Double {
        if v == 0 { return 1 }
        let p = v * Double.pi
        return sin(p) / p
    }
}

/// Separable resampling of packed RGB bytes in Pillow's fixed-point arithmetic (22 fractional bits, horizontal
/// pass first, each pass rounded and clamped to bytes), so results match Pillow and llama.cpp byte for byte.
enum PillowResize {
    private static let precisionBits = 22

    /// For each output pixel: the first source pixel, how many contribute, and their fixed-point weights.
    private struct Coefficients {
        var first: [Int]
        var count: [Int]
        var weights: [Int32]   // [outSize, kernelSize]
        var kernelSize: Int
    }

    private static func coefficients(inSize: Int, outSize: Int, filter: ResizeFilter) -> Coefficients {
        let scale = Double(inSize) / Double(outSize)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        let ksize = Int(support.rounded(.up)) * 2 + 1
        var first = [Int](repeating: 0, count: outSize), count = first
        var weights = [Int32](repeating: 0, count: outSize * ksize)
        var pre = [Double](repeating: 0, count: ksize)
        let fxp = Double(1 << precisionBits)
        for xx in 0..<outSize {
            let center = (Double(xx) + 0.5) * scale
            let ss = 1 / filterScale
            let xmin = max(0, Int(center - support + 0.5))
            let xmax = min(inSize, Int(center + support + 0.5)) - xmin
            var ww = 0.0
            for x in 0..<ksize { pre[x] = 0 }
            for x in 0..<max(0, xmax) {
                let w = filter.weight((Double(x + xmin) - center + 0.5) * ss)
                pre[x] = w
                ww += w
            }
            for x in 0..<ksize {
                let w = ww != 0 && x < xmax ? pre[x] / ww : (x < xmax ? pre[x] : 0)
                weights[xx * ksize + x] = Int32(w * fxp + (w < 0 ? -0.5 : 0.5))
            }
            first[xx] = xmin
            count[xx] = max(0, xmax)
        }
        return Coefficients(first: first, count: count, weights: weights, kernelSize: ksize)
    }

    @inline(__always) private static func clip8(_ v: Int32) -> UInt8 { v < 0 ? 0 : v > 255 ? 255 : UInt8(v) }

    private static func horizontal(_ src: [UInt8], width: Int, height: Int, outWidth: Int, _ c: Coefficients) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: outWidth * height * 3)
        let half = Int32(1 << (precisionBits - 1))
        src.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                for y in 0..<height {
                    let row = y * width * 3, orow = y * outWidth * 3
                    for xx in 0..<outWidth {
                        var s0 = half, s1 = half, s2 = half
                        var p = row + c.first[xx] * 3
                        let k = xx * c.kernelSize
                        for x in 0..<c.count[xx] {
                            let w = c.weights[k + x]
                            s0 &+= Int32(s[p]) &* w
                            s1 &+= Int32(s[p + 1]) &* w
                            s2 &+= Int32(s[p + 2]) &* w
                            p += 3
                        }
                        o[orow + xx * 3] = clip8(s0 >> Int32(precisionBits))
                        o[orow + xx * 3 + 1] = clip8(s1 >> Int32(precisionBits))
                        o[orow + xx * 3 + 2] = clip8(s2 >> Int32(precisionBits))
                    }
                }
            }
        }
        return out
    }

    private static func vertical(_ src: [UInt8], width: Int, outHeight: Int, _ c: Coefficients) -> [UInt8] {
        let n = width * 3
        var out = [UInt8](repeating: 0, count: n * outHeight)
        var acc = [Int32](repeating: 0, count: n)
        let half = Int32(1 << (precisionBits - 1))
        src.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                acc.withUnsafeMutableBufferPointer { a in
                    for yy in 0..<outHeight {
                        for i in 0..<n { a[i] = half }
                        let k = yy * c.kernelSize
                        for y in 0..<c.count[yy] {
                            let w = c.weights[k + y], row = (c.first[yy] + y) * n
                            for i in 0..<n { a[i] &+= Int32(s[row + i]) &* w }
                        }
                        for i in 0..<n { o[yy * n + i] = clip8(a[i] >> Int32(precisionBits)) }
                    }
                }
            }
        }
        return out
    }

    /// `image` resized to `width × height` with `filter`.
    static func resize(_ image: RGBImage, width: Int, height: Int, filter: ResizeFilter) -> RGBImage {
        if width == image.width && height == image.height { return image }
        var pixels = image.pixels
        var w = image.width
        if width != image.width {
            let c = coefficients(inSize: image.width, outSize: width, filter: filter)
            pixels = horizontal(pixels, width: image.width, height: image.height, outWidth: width, c)
            w = width
        }
        if height != image.height {
            let c = coefficients(inSize: image.height, outSize: height, filter: filter)
            pixels = vertical(pixels, width: w, outHeight: height, c)
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
