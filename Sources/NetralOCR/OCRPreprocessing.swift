/// What is done to a picture before and around Tesseract. The defaults are the choices that
/// measured best on `Fixtures/ocr` (see README: each was measured on and off); the others stay
/// settable so `netral-bench-ocr` can measure them again.
public struct OCRPreprocessing: Sendable, Equatable, Codable {
    /// When a second pass reads the picture's bright lettering alone (white captions with a dark
    /// outline over a photo, which Tesseract's own thresholding mixes into the background).
    public enum BrightTextPass: String, Sendable, Codable {
        case never
        /// Only when the first pass read little with confidence: costs a second pass on captions
        /// and busy photos, nothing on posters and screenshots.
        case whenWeak
        case always
    }

    /// Tesseract's page segmentation for every pass.
    public var segmentation: PageSegmentation = .automatic
    /// Hand Tesseract 8-bit grey rather than colour (it converts colour itself; doing it once
    /// here also lets the dark-page check read the grey).
    public var grey: Bool = true
    /// Pictures whose longer side is below this are scaled up to it first (small thumbnails
    /// hold text a few pixels high); 0 turns it off.
    public var upscaleBelow: Int = 0
    /// Invert a picture whose mean grey is below `darkPageMean` (a dark-mode screenshot, white
    /// text on a dark poster) so Tesseract reads dark text on a light page.
    public var invertDarkPages: Bool = false
    public var darkPageMean: Double = 110
    public var brightTextPass: BrightTextPass = .never
    /// Grey level (of each pixel's darkest channel) from which a pixel counts as bright lettering.
    public var brightThreshold: Int = 200
    /// No bright pass when more than this share of the picture is bright (a light page).
    public var maxBrightShare: Double = 0.35
    /// Page segmentation for the bright pass (its page is clean black lettering on white).
    public var brightSegmentation: PageSegmentation = .automatic
    /// The first pass is weak when it reads fewer than this many characters in words of at least
    /// `weakWordConfidence`, or when its mean word confidence is under `weakMeanConfidence`.
    public var weakCharacters: Int = 12
    public var weakWordConfidence: Double = 70
    public var weakMeanConfidence: Double = 0
    /// Words read with less confidence than this are dropped when they hold at most
    /// `junkLetters` letters and digits (specks, icons and textures read as "|", "—™", "oe");
    /// 0 keeps every word. Applied to the kept pass's output only, never to choosing the pass.
    public var junkWordConfidence: Double = 0
    public var junkLetters: Int = 2
    /// Tesseract's own retry of a doubtful line inverted (`tessedit_do_invert`): a second
    /// recognition of every unsure line, which the bright pass and `invertDarkPages` can stand in for.
    public var tesseractRetriesInverted: Bool = true
    /// Resolution declared to Tesseract, in dots per inch; nil leaves the file's own (or
    /// Tesseract's guess of 70 when it has none).
    public var resolution: Int? = nil

    public init() {}

    /// The settings `OCRConfiguration` uses unless told otherwise, measured on the 48 rendered
    /// pictures of `Fixtures/ocr/rendered` (character accuracy; README has the table): grey
    /// (0.896 against 0.840 for Tesseract's own colour thresholding), sparse-text segmentation for
    /// both passes (scattered poster and banner lines are read in order), and the bright pass
    /// when the first is weak or unsure (captions 0.24 -> 0.97), at about a third of the cost of
    /// running it always; and short words under 60 confidence dropped as texture (captions 0.97
    /// -> 0.99, real photos 0.83 -> 0.88).
    public static var measuredBest: OCRPreprocessing {
        var settings = OCRPreprocessing()
        settings.segmentation = .sparse
        settings.brightTextPass = .whenWeak
        settings.brightSegmentation = .sparse
        settings.weakMeanConfidence = 85
        settings.junkWordConfidence = 60
        settings.junkLetters = 3
        return settings
    }

    /// A short text naming every setting, part of the cache key: a reading made with other
    /// settings is never served from the cache.
    var fingerprint: String {
        [
            "psm\(segmentation.rawValue)", grey ? "grey" : "colour", "up\(upscaleBelow)",
            invertDarkPages ? "inv\(Int(darkPageMean))" : "noinv",
            "bright-\(brightTextPass.rawValue)-\(brightThreshold)-\(Int(maxBrightShare * 100))", "bpsm\(brightSegmentation.rawValue)",
            "weak\(weakCharacters)-\(Int(weakWordConfidence))-\(Int(weakMeanConfidence))",
            "junk\(Int(junkWordConfidence))-\(junkLetters)", "dpi\(resolution ?? 0)", tesseractRetriesInverted ? "retry" : "noretry",
        ].joined(separator: ",")
    }
}
