/// Why a picture was not read, or why the engine could not start. Every case says what to do or
/// what was wrong in words an operator can act on; `imageURL` says which picture, when one.
public struct OCRError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Error, Sendable, Equatable {
        /// Zero bytes.
        case empty
        /// More bytes than `OCRLimits.maxBytes`.
        case tooManyBytes(count: Int, limit: Int)
        /// Not a picture format NetralOCR reads; `found` describes what the bytes look like.
        case notAnImage(found: String)
        /// A picture format NetralOCR does not read (TIFF, BMP, animated WebP...).
        case unsupportedFormat(String)
        /// The header ends or breaks before the picture's size is known.
        case badHeader(format: String, reason: String)
        /// The header declares more pixels than `OCRLimits.maxDecodedPixels`: refused before decoding
        /// (an image bomb, or a picture far larger than any post shows).
        case tooManyPixels(width: Int, height: Int, limit: Int)
        /// A side shorter than `OCRLimits.minSide` or a shape longer than `OCRLimits.maxAspectRatio`
        /// (a 1 x 50,000 strip): nothing a reader could read.
        case badShape(width: Int, height: Int, reason: String)
        /// The file stops before its end (a download cut short).
        case truncated(format: String, reason: String)
        /// Leptonica could not decode the body (truncated or corrupt data).
        case decodeFailed(format: String)
        /// Recognition ran past `OCRLimits.secondsPerImage` and was stopped.
        case timedOut(seconds: Double)
        /// The run's budget (`OCRBudget`) has no images or seconds left.
        case budgetExhausted(String)
        /// A language code that is not a plain traineddata name.
        case invalidLanguage(String)
        /// No `LANG.traineddata` in any searched folder.
        case languageDataMissing(language: String, searched: [String], debianPackage: String)
        /// Tesseract refused to start with these languages.
        case engineFailed(String)
    }

    public var imageURL: String?
    public var kind: Kind

    public init(_ kind: Kind, imageURL: String? = nil) {
        self.kind = kind
        self.imageURL = imageURL
    }

    /// True for the refusals a cap or a bad picture causes (skip the picture, keep scanning);
    /// false for an engine that cannot run at all (fix the installation).
    public var isPictureProblem: Bool {
        switch kind {
        case .invalidLanguage, .languageDataMissing, .engineFailed: false
        default: true
        }
    }

    public var description: String {
        let reason: String
        switch kind {
        case .empty: reason = "the picture is empty (0 bytes)"
        case .tooManyBytes(let count, let limit): reason = "the picture has \(count) bytes, over the cap of \(limit)"
        case .notAnImage(let found): reason = "not a PNG, JPEG, WebP or GIF picture (\(found))"
        case .unsupportedFormat(let format): reason = "\(format) pictures are not read"
        case .badHeader(let format, let why): reason = "broken \(format) header: \(why)"
        case .tooManyPixels(let width, let height, let limit):
            reason = "the \(width) x \(height) picture declares more than \(limit) pixels; refused before decoding"
        case .badShape(let width, let height, let why): reason = "a \(width) x \(height) picture \(why)"
        case .truncated(let format, let why): reason = "the \(format) picture is truncated: \(why)"
        case .decodeFailed(let format): reason = "the \(format) data cannot be decoded (truncated or corrupt)"
        case .timedOut(let seconds): reason = "recognition took longer than \(seconds) s and was stopped"
        case .budgetExhausted(let why): reason = "the run's OCR budget is spent (\(why))"
        case .invalidLanguage(let code): reason = "'\(code)' is not a Tesseract language code (letters, digits and _ only)"
        case .languageDataMissing(let language, let searched, let package):
            reason = "no \(language).traineddata in \(searched.joined(separator: ", ")); install it with `apt-get install \(package)` "
                + "or set TESSDATA_PREFIX to the folder that holds it"
        case .engineFailed(let why): reason = "Tesseract could not start: \(why)"
        }
        if let imageURL { return "\(imageURL): \(reason)" }
        return reason
    }
}
