internal import CTesseract
import Foundation

/// Tesseract's version as its library reports it ("5.3.0").
let tesseractVersion: String = String(cString: TessVersion())

/// How Tesseract splits a picture into text before reading it (its page segmentation modes).
public enum PageSegmentation: Int, Sendable, Codable {
    /// Full layout analysis: columns, blocks, paragraphs (Tesseract's default, `--psm 3`).
    case automatic = 3
    /// One uniform block of text (`--psm 6`).
    case singleBlock = 6
    /// Text scattered anywhere, in no particular order (`--psm 11`).
    case sparse = 11
    /// Sparse text with orientation detection (`--psm 12`; needs osd.traineddata).
    case sparseWithOrientation = 12
}

/// One word as Tesseract read it.
struct RecognizedWord {
    var text: String
    /// 0...100.
    var confidence: Double
    /// True for the first word of a text line.
    var startsLine: Bool
}

/// What one recognition pass produced.
struct Recognition {
    var words: [RecognizedWord]
    /// True when Tesseract stopped at the deadline or on cancellation: `words` is partial.
    var stopped: Bool
}

/// Read by Tesseract's cancel callback between words: set when the calling task is cancelled.
final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    func cancel() { lock.withLock { cancelled = true } }
    var isCancelled: Bool { lock.withLock { cancelled } }
}

/// Tesseract's cancel callback: `cancelThis` is the `CancelFlag` of the recognition in progress,
/// unretained (the flag outlives the `TessBaseAPIRecognize` call that uses it).
private let cancelCallback: TessCancelFunc = { cancelThis, _ in
    guard let cancelThis else { return false }
    return Unmanaged<CancelFlag>.fromOpaque(cancelThis).takeUnretainedValue().isCancelled
}

/// One Tesseract engine with its languages loaded. Owns the `TessBaseAPI *` and frees it in
/// `deinit`. A handle is not thread-safe: `TesseractPool` lends it to one picture at a time.
///
/// - SeeAlso: https://tesseract-ocr.github.io/tessapi/5.x/a02438.html (capi.h)
final class TesseractHandle {
    private let api: OpaquePointer
    let languages: [String]

    /// Loads `languages` from `dataPath`. Tesseract's own messages go to /dev/null: a failure is
    /// reported by the return code, turned into an `OCRError` here.
    init(dataPath: String, languages: [String]) throws(OCRError) {
        guard let api = TessBaseAPICreate() else { throw OCRError(.engineFailed("TessBaseAPICreate returned nothing")) }
        let joined = languages.joined(separator: "+")
        // Variables given to Init4 are set before the models load, so even the loader's
        // messages are silenced. Debug parameters are allowed (`debug_file` is one).
        let names = ["debug_file"]
        let values = ["/dev/null"]
        let status = withCStrings(names) { namePointers in
            withCStrings(values) { valuePointers in
                TessBaseAPIInit4(api, dataPath, joined, OEM_LSTM_ONLY, nil, 0, namePointers, valuePointers, names.count, 0)
            }
        }
        guard status == 0 else {
            TessBaseAPIDelete(api)
            throw OCRError(.engineFailed("cannot load \(joined) from \(dataPath) (the traineddata may be damaged or of an older format)"))
        }
        self.api = api
        self.languages = languages
    }

    deinit {
        TessBaseAPIEnd(api)
        TessBaseAPIDelete(api)
    }

    /// Reads `picture`. Stops at `deadline` (Tesseract's monitor checks it between words) or when
    /// `cancel` is set; the words read until then are returned with `stopped` set. The picture is
    /// only borrowed: Tesseract keeps no reference after `TessBaseAPIClear`.
    func recognize(
        _ picture: Picture, segmentation: PageSegmentation, retryInverted: Bool, deadline: Date, cancel: CancelFlag
    ) -> Recognition {
        TessBaseAPISetPageSegMode(api, TessPageSegMode(UInt32(segmentation.rawValue)))
        TessBaseAPISetVariable(api, "tessedit_do_invert", retryInverted ? "1" : "0")
        TessBaseAPISetImage2(api, picture.pix)
        defer { TessBaseAPIClear(api) }
        let monitor = TessMonitorCreate()
        defer { TessMonitorDelete(monitor) }
        let milliseconds = max(1, Int32(clamping: Int((deadline.timeIntervalSinceNow * 1000).rounded(.up))))
        TessMonitorSetDeadlineMSecs(monitor, milliseconds)
        TessMonitorSetCancelFunc(monitor, cancelCallback)
        TessMonitorSetCancelThis(monitor, Unmanaged.passUnretained(cancel).toOpaque())
        let status = withExtendedLifetime(cancel) { TessBaseAPIRecognize(api, monitor) }
        return Recognition(words: words(), stopped: status != 0)
    }

    /// The words of the last recognition in reading order, through a result iterator (freed here);
    /// each word's text is a string Tesseract allocates, freed with `TessDeleteText`.
    private func words() -> [RecognizedWord] {
        guard let iterator = TessBaseAPIGetIterator(api) else { return [] }
        defer { TessResultIteratorDelete(iterator) }
        let page = TessResultIteratorGetPageIteratorConst(iterator)
        var words: [RecognizedWord] = []
        repeat {
            if let text = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) {
                let word = String(cString: text)
                TessDeleteText(text)
                let startsLine = TessPageIteratorIsAtBeginningOf(page, RIL_TEXTLINE) != 0
                let confidence = Double(TessResultIteratorConfidence(iterator, RIL_WORD))
                if !word.allSatisfy(\.isWhitespace) {
                    words.append(RecognizedWord(text: word, confidence: confidence, startsLine: startsLine))
                }
            }
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        return words
    }
}

@available(*, unavailable)
extension TesseractHandle: Sendable {}

/// Calls `body` with a C array of C strings that live for the call.
private func withCStrings<Result>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
    var duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    return duplicates.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}
