import Foundation
import NetralExtract
import NetralModel
import NetralOCR
import NetralPlatforms

/// What citizens send Bawaslu as tips, as items: a screenshot of a post (its words read by OCR,
/// judged as the picture's text) and a WhatsApp "export chat" file (each message with its
/// sender and time). Shared by the capture folder and `netral explain`.
enum CitizenTip {
    /// The largest screenshot read (NetralOCR's own cap).
    static let maxScreenshotBytes = 20 * 1024 * 1024

    /// A screenshot file as a capture (typed by its extension, so the case file keeps it as a picture).
    static func screenshot(atPath path: String) throws -> Capture {
        var capture = try Extractor.captureFile(atPath: path, maxBytes: maxScreenshotBytes)
        capture.headers = [HTTPHeader(name: "Content-Type", value: CaptureRouter.imageType(of: path))]
        return capture
    }

    /// The item of a screenshot whose words were read: no text of its own, the words as the picture's.
    static func screenshotItem(_ capture: Capture, words: ImageText) -> Item {
        // No title: a file name ("aduan-02.png") would be judged as the post's words.
        Item(sourceURL: capture.finalURL, platform: "tangkapan-layar", imageTexts: [words])
    }

    /// A chat export's messages (a `.txt`, or a `.zip` with its media).
    static func chat(_ capture: Capture) throws -> PlatformPage {
        try WhatsAppChat().parse(PlatformInput(body: capture.body, url: capture.finalURL, status: 0))
    }

    /// For `explain`: the items of a screenshot or a chat export, with what to tell the analyst;
    /// nil for any other file.
    static func items(atPath path: String) async throws -> (items: [Item], warnings: [String])? {
        switch CaptureRouter.kind(of: path) {
        case .screenshot:
            let words: PictureWords
            switch PictureWords.make(cacheFolder: nil, policy: .everything) {
            case .success(let made): words = made
            case .failure(let error): throw TargetError("\(path): a screenshot's words need OCR: \(error)")
            }
            let capture = try screenshot(atPath: path)
            let text = try await words.engine.read(capture.body, imageURL: capture.finalURL, budget: words.budget)
            return ([screenshotItem(capture, words: text)], ["screenshot: its words read by OCR (\(text.engine))"])
        case .whatsApp:
            let page = try chat(try Extractor.captureFile(atPath: path, maxBytes: CaptureSource.maxWholeFileBytes))
            return (page.posts.map(\.item), page.notes)
        default:
            return nil
        }
    }
}
