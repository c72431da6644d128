internal import CTesseract
import Foundation

/// Leptonica's process-wide message level, set once before the first decode: its decoders
/// print on stderr, and NetralOCR reports its own errors instead.
let leptonicaSilenced: Void = ctesseract_silence_leptonica()

/// A decoded picture in Leptonica's memory. Owns its `PIX` and destroys it in `deinit`; every
/// operation returns a new `Picture` owning a new `PIX`, so no pixel buffer has two owners.
/// Confined to the task that made it (Leptonica images are not shared between threads here).
final class Picture {
    let pix: UnsafeMutablePointer<PIX>

    /// Takes ownership of `pix`, which Leptonica just allocated.
    private init(owning pix: UnsafeMutablePointer<PIX>) {
        self.pix = pix
    }

    deinit {
        var owned: UnsafeMutablePointer<PIX>? = pix
        pixDestroy(&owned)
    }

    var width: Int { Int(pixGetWidth(pix)) }
    var height: Int { Int(pixGetHeight(pix)) }
    /// Bits per pixel: 1, 2, 4, 8, 16 or 32.
    var depth: Int { Int(pixGetDepth(pix)) }

    /// Wraps what a Leptonica call returned, or fails with `what` when it returned nothing.
    private static func adopt(_ pix: UnsafeMutablePointer<PIX>?, _ what: @autoclosure () -> String) throws(OCRError.Kind) -> Picture {
        guard let pix else { throw .decodeFailed(format: what()) }
        return Picture(owning: pix)
    }

    /// Decodes `bytes` as the format `header` found, with that format's own Leptonica reader
    /// (never the sniffing `pixReadMem`, which would also accept TIFF, BMP, PNM...). A JPEG is
    /// decoded at 1/2, 1/4 or 1/8 scale in the DCT domain when `jpegReduction` says so, which
    /// costs a fraction of a full decode; a GIF's first frame only is decoded.
    static func decode(_ bytes: UnsafeRawBufferPointer, header: ImageHeader, jpegReduction: Int) throws(OCRError.Kind) -> Picture {
        _ = leptonicaSilenced
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw .empty }
        let format = header.format.rawValue
        switch header.format {
        case .png:
            return try adopt(pixReadMemPng(base, bytes.count), format)
        case .jpeg:
            var warnings: Int32 = 0
            // Hint 0: Leptonica fails on corrupt or truncated data instead of returning a grey-filled
            // remainder (its default since 1.80).
            let pix = pixReadMemJpeg(base, bytes.count, 0, Int32(jpegReduction), &warnings, 0)
            return try adopt(pix, format)
        case .webp:
            return try adopt(pixReadMemWebP(base, bytes.count), format)
        case .gif:
            guard let length = header.gifFirstFrameLength, length <= bytes.count else { throw .decodeFailed(format: format) }
            var firstFrame = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[..<length]))
            firstFrame.append(0x3B)  // the trailer
            let pix = firstFrame.withUnsafeBufferPointer { pixReadMemGif($0.baseAddress, $0.count) }
            return try adopt(pix, format)
        }
    }

    /// The picture without transparency, over white (a twibbon's transparent hole or a logo's
    /// background reads as black otherwise). Self when there is no alpha channel.
    func flattened() throws(OCRError.Kind) -> Picture {
        guard depth == 32, pixGetSpp(pix) == 4 else { return self }
        return try Self.adopt(pixAlphaBlendUniform(pix, 0xFFFF_FF00), "alpha blend")
    }

    /// 8-bit grey (luminance for colour, the map's grey for a palette).
    func grey() throws(OCRError.Kind) -> Picture {
        if depth == 8, pixGetColormap(pix) == nil { return self }
        return try Self.adopt(pixConvertTo8(pix, 0), "grey conversion")
    }

    /// 32-bit RGB (a palette or grey picture expanded).
    func rgb() throws(OCRError.Kind) -> Picture {
        if depth == 32 { return self }
        return try Self.adopt(pixConvertTo32(pix), "RGB conversion")
    }

    /// Scaled by `factor` on both axes: area mapping when shrinking (no aliasing of thin
    /// strokes), linear interpolation when growing. Self for a factor of 1.
    func scaled(by factor: Double) throws(OCRError.Kind) -> Picture {
        guard abs(factor - 1) > 0.001 else { return self }
        return try Self.adopt(pixScale(pix, Float(factor), Float(factor)), "scaling")
    }

    /// Each pixel's darkest channel, as 8-bit grey: white stays white, any saturated colour goes
    /// dark, so white lettering stands out from a colourful photo behind it.
    func darkestChannel() throws(OCRError.Kind) -> Picture {
        let colour = try rgb()
        return try Self.adopt(pixConvertRGBToGrayMinMax(colour.pix, Int32(L_CHOOSE_MIN)), "channel minimum")
    }

    /// Black where the 8-bit grey picture is at least `threshold`, white elsewhere, as 8-bit
    /// grey: bright lettering turned into dark text on a white page, the polarity Tesseract's
    /// models were trained on. Also returns the share of the picture that was bright.
    func brightAsInk(threshold: Int) throws(OCRError.Kind) -> (picture: Picture, brightShare: Double) {
        let grey = try grey()
        // pixThresholdToBinary sets pixels below the threshold to 1 (black in 1 bpp), so bright
        // pixels become 0 (white); 1 -> 255 and 0 -> 0 on the way back to 8 bpp swaps them.
        let binary = try Self.adopt(pixThresholdToBinary(grey.pix, Int32(threshold)), "threshold")
        var dark: Int32 = 0
        pixCountPixels(binary.pix, &dark, nil)
        let share = 1 - Double(dark) / Double(max(1, width * height))
        return (try Self.adopt(pixConvert1To8(nil, binary.pix, 0, 255), "1 to 8 bpp"), share)
    }

    /// The mean of the 8-bit grey picture, sampled every `step` pixels.
    func meanGrey(step: Int = 4) -> Double? {
        var mean: Float = 0
        guard pixGetDepth(pix) == 8, pixAverageInRect(pix, nil, nil, 0, 255, Int32(step), &mean) == 0 else { return nil }
        return Double(mean)
    }

    /// Photographic negative of an 8-bit grey picture.
    func inverted() throws(OCRError.Kind) -> Picture {
        try Self.adopt(pixInvert(nil, pix), "inversion")
    }

    /// Declares the resolution Tesseract assumes for the picture.
    func setResolution(_ dotsPerInch: Int) {
        pixSetResolution(pix, Int32(dotsPerInch), Int32(dotsPerInch))
    }
}

@available(*, unavailable)
extension Picture: Sendable {}
