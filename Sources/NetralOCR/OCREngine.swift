import Crypto
public import Foundation
public import NetralModel

/// How the engine is set up: languages, where their data is, the caps, the preprocessing.
public struct OCRConfiguration: Sendable, Equatable {
    /// Tesseract language codes, in priority order. Indonesian first: campaign pictures are in
    /// Bahasa Indonesia, with English words (hashtags, "POV", "vote") mixed in.
    public var languages: [String] = ["ind", "eng"]
    /// The folder holding `LANG.traineddata`; nil searches `$TESSDATA_PREFIX` and the usual places.
    public var dataPath: String? = nil
    public var limits = OCRLimits()
    public var preprocessing = OCRPreprocessing.measuredBest
    /// Pictures recognised at once, one Tesseract handle each (about 60 MB per handle with
    /// ind+eng). More than the machine's cores only queues.
    public var maxConcurrentImages: Int = min(2, ProcessInfo.processInfo.activeProcessorCount)

    public init() {}
}

/// Counts since the engine was made: what a caller (or a test) can observe.
public struct OCRStatistics: Sendable, Equatable {
    /// Pictures Tesseract actually read.
    public var recognitions = 0
    public var memoryHits = 0
    public var diskHits = 0
    /// Pictures refused or failed (header caps, decode errors, time-outs, budget).
    public var failures = 0
    /// Seconds spent in decoding and recognition.
    public var recognitionSeconds = 0.0
}

/// Words in post pictures, through Tesseract's C API. Make one per process (or per scan) and
/// share it: it is `Sendable`, and its pool lends each of its Tesseract handles to one picture at
/// a time.
///
///     let engine = try OCREngine(cache: OCRCache(folder: stateFolder + "/ocr-cache"))
///     let budget = OCRBudget(maxImages: 300, maxSeconds: 300)
///     for url in OCRPolicy().picturesToRead(item.mediaURLs, authorHasASNIdentity: asn, textHasCampaignSignal: signal) {
///         let text = try await engine.read(bytes, imageURL: url, budget: budget)   // an ImageText
///     }
public final class OCREngine: Sendable {
    public let configuration: OCRConfiguration
    /// "tesseract 5.3.0 (ind+eng)": what `ImageText.engine` says.
    public let engineName: String
    private let pool: TesseractPool
    private let cache: OCRCache?
    private let fingerprint: String
    private let counters = Counters()

    /// Checks that every language's data is installed and loads them once.
    ///
    /// - Throws: `OCRError` `.languageDataMissing` (naming the Debian package to install),
    ///   `.invalidLanguage`, or `.engineFailed`.
    public init(configuration: OCRConfiguration = OCRConfiguration(), cache: OCRCache? = nil) throws(OCRError) {
        let folder = try LanguageData.folder(
            for: configuration.languages, configured: configuration.dataPath, environment: ProcessInfo.processInfo.environment)
        self.configuration = configuration
        pool = try TesseractPool(capacity: configuration.maxConcurrentImages, dataPath: folder, languages: configuration.languages)
        engineName = "tesseract \(tesseractVersion) (\(configuration.languages.joined(separator: "+")))"
        self.cache = cache
        let limits = configuration.limits
        fingerprint = [
            engineName, configuration.preprocessing.fingerprint,
            "side\(limits.maxOCRSide)-short\(limits.minOCRShortSide)-area\(limits.maxOCRPixels)",
        ].joined(separator: "|")
    }

    /// The words in one picture, as the `ImageText` an item carries: `imageURL` as the item names
    /// the picture, `imageHash` the SHA-256 of `bytes`. A picture read before (same bytes, same
    /// settings) comes from the cache without OCR and without touching `budget`.
    ///
    /// - Throws: `OCRError` with `imageURL` for a refused or unreadable picture (see
    ///   `OCRError.Kind`); `CancellationError` when the task is cancelled (Tesseract stops
    ///   between words).
    public func read(_ bytes: Data, imageURL: String, budget: OCRBudget? = nil) async throws -> ImageText {
        let digest = Self.digest(bytes)
        let reading = try await reading(of: bytes, digest: digest, imageURL: imageURL, budget: budget)
        return ImageText(imageURL: imageURL, imageHash: digest, text: reading.text, confidence: reading.confidence, engine: reading.engine)
    }

    /// `read` with the reading's details (the pass kept, the size read), for measuring.
    public func reading(of bytes: Data, imageURL: String, budget: OCRBudget? = nil) async throws -> OCRReading {
        try await reading(of: bytes, digest: Self.digest(bytes), imageURL: imageURL, budget: budget)
    }

    public var statistics: OCRStatistics { counters.snapshot }

    /// Tesseract handles made so far (at most `maxConcurrentImages`).
    public var handleCount: Int { pool.handleCount }

    /// SHA-256 of the bytes, lowercase hex: the cache key and `ImageText.imageHash`.
    public static func digest(_ bytes: Data) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    private func reading(of bytes: Data, digest: String, imageURL: String, budget: OCRBudget?) async throws -> OCRReading {
        if let (hit, source) = cache?.reading(digest: digest, fingerprint: fingerprint) {
            counters.hit(source)
            return hit
        }
        // Header checks before anything is decoded or any budget is spent.
        let header: ImageHeader
        do {
            header = try bytes.withUnsafeBytes { try ImageHeader.read($0, limits: configuration.limits) }
            try budget?.claim()
        } catch let kind as OCRError.Kind {
            counters.fail()
            throw OCRError(kind, imageURL: imageURL)
        }
        let reader = PictureReader(limits: configuration.limits, preprocessing: configuration.preprocessing)
        let engineName = engineName
        let started = Date()
        let seconds = configuration.limits.secondsPerImage
        do {
            let outcome = try await pool.withHandle { handle, cancel in
                try bytes.withUnsafeBytes { buffer in
                    // The deadline counts from when a handle is free, not from the wait for one.
                    try reader.read(buffer, header: header, handle: handle, cancel: cancel, deadline: Date().addingTimeInterval(seconds))
                }
            }
            let elapsed = Date().timeIntervalSince(started)
            budget?.spend(elapsed)
            counters.recognized(seconds: elapsed)
            let reading = OCRReading(
                text: outcome.lines.joined(separator: "\n"), confidence: outcome.confidence.map { ($0 * 10).rounded() / 10 },
                engine: engineName, pass: outcome.pass, width: outcome.width, height: outcome.height)
            cache?.store(reading, digest: digest, fingerprint: fingerprint)
            return reading
        } catch let kind as OCRError.Kind {
            budget?.spend(Date().timeIntervalSince(started))
            counters.fail()
            throw OCRError(kind, imageURL: imageURL)
        } catch {
            counters.fail()
            throw error
        }
    }
}

/// The engine's counters, under one lock.
private final class Counters: @unchecked Sendable {
    private let lock = NSLock()
    private var statistics = OCRStatistics()

    var snapshot: OCRStatistics { lock.withLock { statistics } }

    func hit(_ source: OCRCache.Source) {
        lock.withLock {
            switch source {
            case .memory: statistics.memoryHits += 1
            case .disk: statistics.diskHits += 1
            }
        }
    }

    func fail() { lock.withLock { statistics.failures += 1 } }

    func recognized(seconds: Double) {
        lock.withLock {
            statistics.recognitions += 1
            statistics.recognitionSeconds += seconds
        }
    }
}
