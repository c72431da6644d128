import Foundation

/// One picture from checked bytes to words, on a borrowed Tesseract handle: decode, flatten,
/// scale, the first pass, and the bright-lettering pass when the first read too little. Runs
/// on one thread; every Leptonica image it makes is freed when its `Picture` goes.
struct PictureReader {
    var limits: OCRLimits
    var preprocessing: OCRPreprocessing

    /// What a read produced, before it becomes an `OCRReading`.
    struct Outcome: Sendable {
        var lines: [String]
        var confidence: Double?
        /// Which pass's words were kept: "grey", "inverted", "colour" or "bright".
        var pass: String
        /// Size of the picture Tesseract read.
        var width: Int
        var height: Int
    }

    /// The factor from the declared size to the size Tesseract reads: down to `maxOCRSide` on
    /// the longest side, or by area for long narrow pictures (see `OCRLimits`), up for small ones
    /// when `upscaleBelow` is set; never more than 4x up.
    static func scale(width: Int, height: Int, limits: OCRLimits, upscaleBelow: Int) -> Double {
        let long = Double(max(width, height))
        let short = Double(min(width, height))
        if upscaleBelow > 0, long < Double(upscaleBelow) { return min(4, Double(upscaleBelow) / long) }
        var factor = min(1, Double(limits.maxOCRSide) / long)
        if short * factor < Double(limits.minOCRShortSide) {
            factor = min(1, (Double(limits.maxOCRPixels) / (Double(width) * Double(height))).squareRoot())
        }
        return factor
    }

    /// The JPEG decoder's reduction (1, 2, 4 or 8) that still decodes at least the target size.
    static func jpegReduction(for factor: Double) -> Int {
        for reduction in [8, 4, 2] where factor * Double(reduction) <= 1 { return reduction }
        return 1
    }

    func read(
        _ bytes: UnsafeRawBufferPointer, header: ImageHeader, handle: TesseractHandle, cancel: CancelFlag, deadline: Date
    ) throws -> Outcome {
        let factor = Self.scale(width: header.width, height: header.height, limits: limits, upscaleBelow: preprocessing.upscaleBelow)
        let reduction = header.format == .jpeg ? Self.jpegReduction(for: factor) : 1
        let decoded = try Picture.decode(bytes, header: header, jpegReduction: reduction).flattened()
        // What is left to scale after the decoder's own reduction, from the decoded size.
        let targetLong = (Double(max(header.width, header.height)) * factor).rounded()
        let colour = try decoded.scaled(by: targetLong / Double(max(decoded.width, decoded.height)))

        var first = colour
        var pass = "colour"
        if preprocessing.grey || preprocessing.invertDarkPages {
            first = try colour.grey()
            pass = "grey"
            if preprocessing.invertDarkPages, let mean = first.meanGrey(), mean < preprocessing.darkPageMean {
                first = try first.inverted()
                pass = "inverted"
            }
        }
        if let resolution = preprocessing.resolution { first.setResolution(resolution) }
        var best = try recognize(
            first, segmentation: preprocessing.segmentation, handle: handle, cancel: cancel, deadline: deadline, pass: pass)

        let runBright: Bool
        switch preprocessing.brightTextPass {
        case .never: runBright = false
        case .always: runBright = true
        case .whenWeak:
            runBright = best.confidentCharacters < preprocessing.weakCharacters || (best.confidence ?? 0) < preprocessing.weakMeanConfidence
        }
        if runBright, Date() < deadline {
            let (bright, share) = try colour.darkestChannel().brightAsInk(threshold: preprocessing.brightThreshold)
            // Lettering covers a small part of a picture; when most of it is bright, this is a light
            // page (read well by the first pass) and the mask would be a black page with white
            // text, which Tesseract reads slowly and badly.
            if share <= preprocessing.maxBrightShare {
                if let resolution = preprocessing.resolution { bright.setResolution(resolution) }
                let second = try recognize(
                    bright, segmentation: preprocessing.brightSegmentation, handle: handle, cancel: cancel, deadline: deadline,
                    pass: "bright")
                if second.confidentCharacters > best.confidentCharacters { best = second }
            }
        }
        return outcome(of: best, picture: colour)
    }

    /// One pass's words and how far it can be trusted.
    private struct Pass {
        var words: [RecognizedWord]
        /// Mean word confidence, weighted by word length.
        var confidence: Double?
        /// Characters in words read with at least the weak-pass confidence: how much this pass
        /// read that can be trusted, the measure two passes are compared by.
        var confidentCharacters: Int
        var pass: String
    }

    private func recognize(
        _ picture: Picture, segmentation: PageSegmentation, handle: TesseractHandle, cancel: CancelFlag, deadline: Date, pass: String
    ) throws -> Pass {
        let recognition = handle.recognize(
            picture, segmentation: segmentation, retryInverted: preprocessing.tesseractRetriesInverted, deadline: deadline, cancel: cancel)
        if cancel.isCancelled { throw CancellationError() }
        if recognition.stopped { throw OCRError.Kind.timedOut(seconds: limits.secondsPerImage) }
        let (confidence, _) = Self.meanConfidence(recognition.words)
        let confident = recognition.words.filter { $0.confidence >= preprocessing.weakWordConfidence }.reduce(0) { $0 + $1.text.count }
        return Pass(words: recognition.words, confidence: confidence, confidentCharacters: confident, pass: pass)
    }

    /// Mean confidence weighted by word length, and the characters counted.
    private static func meanConfidence(_ words: [RecognizedWord]) -> (Double?, Int) {
        let characters = words.reduce(0) { $0 + $1.text.count }
        guard characters > 0 else { return (nil, 0) }
        return (words.reduce(0) { $0 + $1.confidence * Double($1.text.count) } / Double(characters), characters)
    }

    /// True for what textures and icons leave behind: a word read with little confidence that is
    /// short (at most `junkLetters` letters and digits) or holds none at all.
    private func isJunk(_ word: RecognizedWord) -> Bool {
        guard word.confidence < preprocessing.junkWordConfidence else { return false }
        return word.text.filter { $0.isLetter || $0.isNumber }.count <= preprocessing.junkLetters
    }

    /// The kept pass as lines: junk dropped, words joined by spaces, a line per text line.
    private func outcome(of pass: Pass, picture: Picture) -> Outcome {
        var kept: [RecognizedWord] = []
        var lines: [String] = []
        var lineStarts = true
        for word in pass.words {
            // A dropped word that started a line still ends the line before it.
            lineStarts = lineStarts || word.startsLine
            guard !isJunk(word) else { continue }
            kept.append(word)
            if lineStarts || lines.isEmpty { lines.append(word.text) } else { lines[lines.count - 1] += " " + word.text }
            lineStarts = false
        }
        return Outcome(lines: lines, confidence: Self.meanConfidence(kept).0, pass: pass.pass, width: picture.width, height: picture.height)
    }
}
