public import Foundation
import Crypto
public import NetralModel

/// Where a capture came from when it was read from another tool's WARC, not fetched by us.
public struct SourceRecord: Sendable, Codable, Equatable {
    /// The WARC file's name (its path as the target gives it).
    public var warcFile: String
    public var recordID: String?
    /// Byte offset of the record (of its gzip member, for a record-compressed file).
    public var offset: Int64
    /// The record's `WARC-Payload-Digest` or `WARC-Block-Digest`, as the file states it.
    public var digest: String?

    public init(warcFile: String, recordID: String?, offset: Int64, digest: String?) {
        self.warcFile = warcFile
        self.recordID = recordID
        self.offset = offset
        self.digest = digest
    }
}

/// The Indonesian time zones a report shows local times in.
public enum IndonesianZone: String, Sendable, Codable, CaseIterable {
    case wib = "WIB"
    case wita = "WITA"
    case wit = "WIT"

    public var timeZone: TimeZone {
        switch self {
        case .wib: TimeZone(identifier: "Asia/Jakarta")!
        case .wita: TimeZone(identifier: "Asia/Makassar")!
        case .wit: TimeZone(identifier: "Asia/Jayapura")!
        }
    }

    /// Midnight in this zone of a calendar day written `YYYY-MM-DD`, or nil when the text is not
    /// one (a day that does not exist, such as 2024-02-30, is refused, not rolled over). The
    /// command line's and the desk's date filters both read days through this.
    public func startOfDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.day, from: date) == day else { return nil }
        return date
    }

    /// The zone of a UTC offset (+07:00, +08:00, +09:00), if it is one of the three.
    public init?(offsetSeconds: Int) {
        switch offsetSeconds {
        case 7 * 3600: self = .wib
        case 8 * 3600: self = .wita
        case 9 * 3600: self = .wit
        default: return nil
        }
    }
}

/// Everything one case file records about one item: the item, every finding on it, the
/// capture it was read from, where that capture came from, and who and where it concerns.
/// The scanner builds one per judged item that has findings and hands it to `CaseFileRecorder`.
public struct CaseFile: Sendable {
    public var capture: Capture
    public var item: Item
    /// Every finding of the item (one per act that fired); at least one.
    public var findings: [Finding]
    /// Every pack loaded when the item was judged.
    public var packs: [PackReference]
    /// `RuleSet.contentDigest(of: item)`: what "the same content" means for a rescan.
    public var contentDigest: String
    /// Reviewer-facing labels of signals by name (`paslon-02` → "02 Prabowo Subianto – ...").
    public var signalLabels: [String: String]
    /// Set when the capture was read from a WARC file.
    public var source: SourceRecord?
    /// The region the target concerns (a province or regency), when the configuration says.
    public var region: String?
    /// The zone local times are shown in; when nil, the published time's own offset decides,
    /// else WIB.
    public var zone: IndonesianZone?
    /// The target's id in the configuration.
    public var target: String?
    /// Images of the post (og:image, the item's media) as fetched; at most `maxImages` of at
    /// most `maxImageBytes` each are kept (in the WARC, and shown in the report).
    public var images: [Capture]
    /// Further answers, as received, that the finding rests on besides `capture`: for an
    /// interaction with a campaign account's post, the answer holding that post and the
    /// interacting account's profile (`capture` is the listing that shows the account). At most
    /// `maxRelated` are kept.
    public var related: [Capture]

    public static let maxImages = 4
    public static let maxRelated = 4
    public static let maxImageBytes = 2 * 1024 * 1024

    /// The images worth keeping: image media types, within the caps, in the given order.
    public var keptImages: [Capture] {
        Array(images.filter { ($0.mediaType ?? "").hasPrefix("image/") && !$0.body.isEmpty && $0.body.count <= Self.maxImageBytes }
            .prefix(Self.maxImages))
    }

    /// The image URLs of an item a case file should hold: `og:image` and `twitter:image`,
    /// resolved against the item's URL, http(s) only, without repeats, at most `maxImages`.
    public static func imageURLs(of item: Item) -> [String] {
        var seen = Set<String>()
        let base = URL(string: item.sourceURL)
        let candidates = ["og:image", "og:image:url", "og:image:secure_url", "twitter:image"].compactMap { item.metadata[$0] }
        let resolved = candidates.compactMap { URL(string: $0, relativeTo: base)?.absoluteURL }
            .filter { ["http", "https"].contains($0.scheme?.lowercased() ?? "") }
            .map(\.absoluteString)
        return Array(resolved.filter { seen.insert($0).inserted }.prefix(maxImages))
    }

    public init(capture: Capture, item: Item, findings: [Finding], packs: [PackReference], contentDigest: String,
                signalLabels: [String: String] = [:], source: SourceRecord? = nil, region: String? = nil,
                zone: IndonesianZone? = nil, target: String? = nil, images: [Capture] = [], related: [Capture] = []) {
        self.capture = capture
        self.item = item
        self.findings = findings
        self.packs = packs
        self.contentDigest = contentDigest
        self.signalLabels = signalLabels
        self.source = source
        self.region = region
        self.zone = zone
        self.target = target
        self.images = images
        self.related = Array(related.prefix(Self.maxRelated))
    }

    /// Derived from the item's identity, its content and the findings on it, so a rescan of
    /// the same post finds the same id, and an edited post (or a new act) gets a new one.
    public var id: String {
        var text = "case\n\(item.identityURL)\n\(contentDigest)\n"
        for findingID in findings.map(\.id).sorted() { text += findingID + "\n" }
        return String(hexString(SHA256.hash(data: Data(text.utf8))).prefix(24))
    }

    /// The most serious severity among the findings.
    public var severity: Severity { findings.map(\.severity).max() ?? .low }

    /// Who the case concerns, in one line: the terlapor (`Terlapor`), with the account's handle
    /// when the name is the account's.
    public var who: String {
        let terlapor = Terlapor.of(item: item, findings: findings)
        if let name = terlapor.name {
            if name.source == Terlapor.Source.account, let handle = item.author?.handle, handle != name.value {
                return "\(name.value) (\(handle))"
            }
            return name.value
        }
        if terlapor.isReportAboutOthers, let uploader = terlapor.uploader { return "(belum dikenali; diunggah oleh \(uploader))" }
        return item.author?.handle ?? "(tidak diketahui)"
    }

    /// Labels of the candidates and parties the findings cite, in order of first mention.
    public var candidateLabels: [String] {
        var seen = Set<String>()
        var labels: [String] = []
        for hit in findings.flatMap(\.hits) where hit.kind == "candidate" || hit.kind == "party" {
            let label = signalLabels[hit.signal] ?? hit.signal
            if seen.insert(label).inserted { labels.append(label) }
        }
        return labels
    }

    /// The acts that fired, in order of first appearance, without repeats; an act only a report
    /// about someone else alleges is marked `(laporan)`, so no list reads it as the author's.
    public var acts: [String] {
        var seen = Set<String>()
        return findings.map { $0.findingClass == .report ? "\($0.act) (laporan)" : $0.act }.filter { seen.insert($0).inserted }
    }
}

/// Why a case file could not be written or checked.
public struct EvidenceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Copies of item fields with every NIP masked, for item.json and findings.json: only the raw
/// capture keeps a NIP as published. Hit offsets keep pointing into the unmasked text.
enum Masked {
    static func item(_ item: Item) -> Item {
        var masked = item
        masked.title = item.title.map(NIPMasking.mask)
        masked.description = item.description.map(NIPMasking.mask)
        masked.body = NIPMasking.mask(item.body)
        masked.imageAlts = item.imageAlts.map(NIPMasking.mask)
        for index in masked.imageTexts.indices { masked.imageTexts[index].text = NIPMasking.mask(item.imageTexts[index].text) }
        if var transcript = item.transcript {
            for index in transcript.cues.indices { transcript.cues[index].text = NIPMasking.mask(transcript.cues[index].text) }
            masked.transcript = transcript
        }
        masked.links = item.links.map { Link(url: $0.url, text: NIPMasking.mask($0.text)) }
        if var author = item.author {
            author.name = author.name.map(NIPMasking.mask)
            author.bio = author.bio.map(NIPMasking.mask)
            masked.author = author
        }
        if var subject = item.subject {
            subject.nip = subject.nip.map(NIPMasking.mask)
            masked.subject = subject
        }
        masked.metadata = item.metadata.mapValues(NIPMasking.mask)
        return masked
    }

    static func finding(_ finding: Finding) -> Finding {
        var masked = finding
        masked.hits = finding.hits.map { hit in
            var hit = hit
            hit.quote = NIPMasking.mask(hit.quote)
            return hit
        }
        return masked
    }
}
