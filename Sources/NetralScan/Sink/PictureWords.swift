import Foundation
import Logging
import NetralEvidence
import NetralModel
import NetralOCR

/// The words in posts' pictures, for the sink: one OCR engine per run (its readings cached by
/// picture digest beside the state), the run's budget and the policy that says which items are
/// worth it (an ASN author, or a campaign signal in the text already). See NetralOCR's README.
struct PictureWords: Sendable {
    let engine: OCREngine
    let budget: OCRBudget
    let policy: OCRPolicy

    /// The engine for a scan, or nil with the reason when Tesseract's language data is missing
    /// (the scan then runs without OCR and says so once). `cacheFolder` keeps readings between
    /// runs; nil keeps them for this process only.
    static func make(cacheFolder: String?, budget: OCRBudget = OCRBudget(), policy: OCRPolicy = OCRPolicy()) -> Result<
        PictureWords, OCRError
    > {
        do {
            let engine = try OCREngine(cache: OCRCache(folder: cacheFolder))
            return .success(PictureWords(engine: engine, budget: budget, policy: policy))
        } catch {
            return .failure(error)
        }
    }

    /// The pictures an item offers: the page's og:image and twitter:image, then those a platform
    /// parser listed for it.
    static func candidates(of item: Item, listed: [String]) -> [String] {
        var seen = Set<String>()
        return (CaseFile.imageURLs(of: item) + listed).filter { seen.insert($0).inserted }
    }

    /// Reads each picture (an image response: type `image/*`, a body) and returns its words, in
    /// the pictures' order; a picture with no words gives nothing, one that cannot be read
    /// (an image bomb, a truncated file, the budget spent) is logged with its reason and skipped.
    func read(_ pictures: [Capture], logger: Logger) async throws -> [ImageText] {
        var texts: [ImageText] = []
        for picture in pictures where !picture.body.isEmpty {
            do {
                let text = try await engine.read(picture.body, imageURL: picture.finalURL, budget: budget)
                if !text.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { texts.append(text) }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.info("picture not read", metadata: ["url": "\(picture.finalURL)", "reason": "\(error)"])
            }
        }
        return texts
    }
}
