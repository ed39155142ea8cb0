/// A decoded sound: mono samples at `sampleRate`, with what the file held before conversion.
public struct AudioClip: Sendable, Equatable {
    /// The rate every clip is converted to, in hertz.
    public static let targetRate = 16_000

    /// Mono samples in [-1, 1], shape [frames].
    public var samples: [Float]
    /// Samples per second of `samples`.
    public var sampleRate: Int
    /// The file's own sample rate.
    public var sourceSampleRate: Int
    /// The file's own channel count.
    public var sourceChannels: Int
    /// The container and codec the data was recognised as.
    public var format: AudioFormat

    public init(samples: [Float], sampleRate: Int, sourceSampleRate: Int, sourceChannels: Int, format: AudioFormat) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.sourceSampleRate = sourceSampleRate
        self.sourceChannels = sourceChannels
        self.format = format
    }

    /// Length in seconds.
    public var duration: Double { sampleRate > 0 ? Double(samples.count) / Double(sampleRate) : 0 }
}

/// How much audio a decoder accepts.
public struct AudioLimits: Sendable, Equatable {
    /// The longest clip accepted, in seconds (10 minutes by default).
    public var maxSeconds: Double
    /// The largest file read, in bytes.
    public var maxFileBytes: Int

    public init(maxSeconds: Double = 600, maxFileBytes: Int = 512 << 20) {
        self.maxSeconds = maxSeconds
        self.maxFileBytes = maxFileBytes
    }
}
