public import Foundation

/// Words read from one of an item's pictures by OCR, kept with the picture they came from so a
/// reviewer can check the reading against the image.
public struct ImageText: Sendable, Codable, Equatable {
    /// The picture's URL as the item names it.
    public var imageURL: String
    /// SHA-256 (hex) of the picture's bytes as fetched: the OCR cache key and the link to the
    /// picture kept in the case file.
    public var imageHash: String
    /// The words read, lines separated by newlines.
    public var text: String
    /// Mean word confidence, 0...100, as the OCR engine reports it.
    public var confidence: Double?
    /// What read it, e.g. "tesseract 5.3.0 (ind+eng)".
    public var engine: String

    public init(imageURL: String, imageHash: String, text: String, confidence: Double? = nil, engine: String) {
        self.imageURL = imageURL
        self.imageHash = imageHash
        self.text = text
        self.confidence = confidence
        self.engine = engine
    }
}

/// Words said in an item's video, from a subtitle or caption track the platform publishes
/// (TikTok's WebVTT subtitles, YouTube's caption tracks), with their times.
public struct Transcript: Sendable, Codable, Equatable {
    /// One timed line of the track.
    public struct Cue: Sendable, Codable, Equatable {
        /// Seconds from the start of the video.
        public var start: Double
        public var end: Double
        public var text: String

        public init(start: Double, end: Double, text: String) {
            self.start = start
            self.end = end
            self.text = text
        }
    }

    /// Where the track was read from (its URL, or the answer that embedded it).
    public var sourceURL: String
    /// The track's language code as published ("id", "en", "jv"), when given.
    public var language: String?
    /// `subtitle` (written by the uploader) or `auto-caption` (machine speech recognition by
    /// the platform): a reviewer weighs the two differently.
    public var kind: String
    public var cues: [Cue]

    public init(sourceURL: String, language: String? = nil, kind: String, cues: [Cue]) {
        self.sourceURL = sourceURL
        self.language = language
        self.kind = kind
        self.cues = cues
    }

    /// The cues' words, one cue a line: the text rules read.
    public var text: String { cues.map(\.text).joined(separator: "\n") }
}
