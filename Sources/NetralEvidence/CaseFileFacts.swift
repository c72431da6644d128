public import Foundation
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

    /// Replaces a file in one step (a flushed file beside it, renamed over it), mode 0600, so a
    /// reader never sees half of it and a kill leaves the old one or the new one.
    public static func replaceFile(_ data: Data, at path: String) throws(EvidenceError) {
        try DurableFile.replace(data, at: path)
    }
}
