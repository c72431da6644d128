public import Foundation
import Crypto
public import NetralModel

/// What reports state about a case file, for other modules (exports, the desk) to state the
/// same way: the zone local times are shown in, and the reporting deadline.
public enum CaseFileFacts {
    /// Bawaslu counts a report's deadline in days from when the violation became known.
    public static var reportingDays: Int { ReportRenderer.reportingDays }

    /// The zone of the item's published time as the page gave it (+07:00 → WIB), if any.
    public static func publishedZone(of item: Item) -> IndonesianZone? {
        ReportRenderer.publishedZone(of: item)
    }

    /// The reporting deadline of a case file made at `createdAt`, counted in `zone`'s days.
    public static func deadline(createdAt: Date, zone: IndonesianZone) -> Date {
        Calendar.gregorian(in: zone.timeZone).date(byAdding: .day, value: reportingDays, to: createdAt) ?? createdAt
    }

    /// The zone a case file's times are shown in: the post's own offset, else WIB.
    public static func zone(of item: Item) -> IndonesianZone {
        ReportRenderer.publishedZone(of: item) ?? .wib
    }

    static let shortMonths = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]

    /// `20 Jan 2024 19.30 WITA`: how a reviewer reads a time.
    public static func shortLocalTime(_ date: Date, zone: IndonesianZone) -> String {
        let local = Calendar.gregorian(in: zone.timeZone).dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(local.day ?? 0) \(shortMonths[(local.month ?? 1) - 1]) \(local.year ?? 0) "
            + String(format: "%02d.%02d", local.hour ?? 0, local.minute ?? 0) + " \(zone.rawValue)"
    }

    /// `20 Januari 2024 18.26 WIB (11.26 UTC)`, as the report shows times.
    public static func localAndUTC(_ date: Date, zone: IndonesianZone) -> String {
        ReportRenderer.localAndUTC(date, zone: zone)
    }

    /// `27 Januari 2024 (WITA)`: a day, as the report shows the deadline.
    public static func day(_ date: Date, zone: IndonesianZone) -> String {
        ReportRenderer.dayOnly(date, zone: zone)
    }

    /// A piece of a field's text: plain, a hit (its kind and signals), or a cut (` … `).
    public struct TextSegment: Sendable, Equatable {
        public var text: String
        public var kind: String?
        public var signals: String?
        public var isCut: Bool
    }

    /// A field's text around its hits, overlapping hits merged, far text cut, NIPs masked: the
    /// same excerpts the report quotes.
    public static func highlighted(_ text: String, hits: [Hit], labels: [String: String] = [:]) -> [TextSegment] {
        ReportRenderer.segments(of: text, hits: hits, labels: labels).map { segment in
            let isHit = segment["hit"] as? Bool ?? false
            return TextSegment(text: segment["text"] as? String ?? "", kind: isHit ? segment["kind"] as? String : nil,
                               signals: isHit ? segment["signals"] as? String : nil, isCut: segment["cut"] as? Bool ?? false)
        }
    }

    /// One row per signal: its kind (and label), its name, and each distinct word with a count.
    public struct SignalRow: Sendable, Equatable {
        public var kind: String
        public var kindLabel: String
        public var signal: String
        public var words: String
    }

    public static func signalRows(_ hits: [Hit], labels: [String: String] = [:]) -> [SignalRow] {
        ReportRenderer.compactHits(hits, labels: labels).map { row in
            SignalRow(kind: row["kind"] as? String ?? "", kindLabel: row["kindLabel"] as? String ?? "", signal: row["signal"] as? String ?? "",
                      words: row["words"] as? String ?? "")
        }
    }

    /// Lowercase hex SHA-256 of `data`.
    public static func sha256Hex(_ data: Data) -> String {
        hexString(SHA256.hash(data: data))
    }

    /// Replaces a file in one step (a flushed file beside it, renamed over it), mode 0600, so a
    /// reader never sees half of it and a kill leaves the old one or the new one.
    public static func replaceFile(_ data: Data, at path: String) throws(EvidenceError) {
        try DurableFile.replace(data, at: path)
    }
}
