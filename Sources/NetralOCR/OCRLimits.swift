/// The caps on one picture. Defaults suit post images (1080 px posters, phone photos up to
/// 12 megapixels, long screenshots); each is a hard stop with a clear error, never a stall.
public struct OCRLimits: Sendable, Equatable {
    /// Bytes of one picture as fetched.
    public var maxBytes: Int = 20 << 20
    /// Pixels the header may declare (width x height), checked before anything is decoded, so
    /// a small file declaring 50,000 x 50,000 is refused without allocating its pixels.
    public var maxDecodedPixels: Int = 25_000_000
    /// Shorter than this on either side holds no readable text.
    public var minSide: Int = 8
    /// Longer than this many times its width (or wider than this many times its height) is a strip,
    /// not a picture of text.
    public var maxAspectRatio: Int = 40
    /// The picture Tesseract sees is scaled down to at most this many pixels on its longest side ...
    public var maxOCRSide: Int = 2000
    /// ... unless that leaves its shorter side under `minOCRShortSide` (a tall screenshot), when it
    /// is scaled by area instead, to at most `maxOCRPixels`.
    public var minOCRShortSide: Int = 1000
    public var maxOCRPixels: Int = 4_000_000
    /// Wall-clock seconds Tesseract may spend recognising one picture (all passes together).
    /// Enforced inside recognition through Tesseract's monitor deadline; decoding and layout
    /// analysis are bounded by the pixel caps instead (see README).
    public var secondsPerImage: Double = 20

    public init() {}
}
