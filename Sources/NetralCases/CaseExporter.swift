public import Foundation
public import NetralEvidence
import NetralModel
public import NetralStore

/// How an export is made, beyond its destination, format and filter.
public struct ExportOptions: Sendable, Equatable {
    /// CSV only: start with a UTF-8 byte-order mark, so a spreadsheet opens the file as UTF-8.
    public var byteOrderMark: Bool
    /// The zone of local times; nil: the post's own offset, else WIB.
    public var zone: IndonesianZone?
    /// At most this many case files (the oldest first); the rest wait for the next export.
    public var limit: Int?
    /// Also case files this destination has received (to make a lost file again). They are
    /// not counted twice in the cursor.
    public var includeDelivered: Bool
    /// CSV only: the header row in Bahasa Indonesia (`nama_terlapor`, `jabatan`, ...) for reviewers.
    public var indonesianHeaders: Bool

    public init(byteOrderMark: Bool = false, zone: IndonesianZone? = nil, limit: Int? = nil, includeDelivered: Bool = false,
                indonesianHeaders: Bool = false) {
        self.indonesianHeaders = indonesianHeaders
        self.byteOrderMark = byteOrderMark
        self.zone = zone
        self.limit = limit
        self.includeDelivered = includeDelivered
    }
}

/// One export: the bytes, which case files they hold, and how to name and serve them.
public struct ExportResult: Sendable, Equatable {
    public var destination: String
    public var format: ExportFormat
    public var data: Data
    /// The case files in `data`, in order; the destination's cursor covers exactly these.
    public var caseIDs: [String]
    /// `netral-<destination>-<UTC time>.<ext>`.
    public var suggestedFileName: String
    public var contentType: String
    /// Case files that matched but could not be read (missing or changed files); they are
    /// not in `data` and not marked delivered, so a later export includes them once fixed.
    public var problems: [CaseRecordProblem]
}

/// Why an export could not be made at all.
public enum ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidDestination(String)

    public var description: String {
        switch self {
        case .invalidDestination(let name):
            "destination name '\(name)' must be 1-64 letters, digits, '.', '_' or '-' (it names the cursor and the file)"
        }
    }

    static func check(_ destination: String) throws(ExportError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard (1...64).contains(destination.count), destination.allSatisfy(allowed.contains), !destination.hasPrefix("."), !destination.hasPrefix("-") else {
            throw .invalidDestination(destination)
        }
    }
}

/// An export made but not yet counted: `CaseExporter.commit` advances the cursor. A caller that
/// writes a file commits after the file is in place, so a kill never loses a case file (at
/// worst the next export repeats it, and trackers key on the case id).
public struct PreparedExport: Sendable {
    public var result: ExportResult
    let caseFiles: [StoredCaseFile]
    let at: Date
}

/// Exports case files to a named destination in one of the formats, each case file once per
/// destination. The entry point of `netral export` and the reviewer's desk.
public struct CaseExporter: Sendable {
    public let store: StateStore
    public let evidenceRoot: String

    public init(store: StateStore, evidenceRoot: String) {
        self.store = store
        self.evidenceRoot = evidenceRoot
    }

    /// Exports what `destination` has not received among the case files matching `filter`,
    /// and advances its cursor (one transaction) before returning. An empty `caseIDs` means
    /// nothing was new; the cursor is then left alone.
    public func export(to destination: String, format: ExportFormat, filter: CaseFileFilter, options: ExportOptions) throws -> ExportResult {
        let prepared = try prepare(to: destination, format: format, filter: filter, options: options)
        try commit(prepared)
        return prepared.result
    }

    /// Makes the export without advancing the cursor.
    public func prepare(to destination: String, format: ExportFormat, filter: CaseFileFilter, options: ExportOptions,
                        now: Date = Date()) throws -> PreparedExport {
        try ExportError.check(destination)
        let candidates = try store.undeliveredCaseFiles(destination: destination, matching: filter, limit: options.limit,
                                                        includeDelivered: options.includeDelivered)
        let (records, included, problems) = try records(of: candidates, zone: options.zone)
        let data = try ExportEncoding.encode(records, format: format, byteOrderMark: options.byteOrderMark,
                                              indonesianHeaders: options.indonesianHeaders)
        let stamp = now.formatted(Date.ISO8601FormatStyle().year().month().day().time(includingFractionalSeconds: false).timeSeparator(.omitted).dateSeparator(.omitted))
        let result = ExportResult(destination: destination, format: format, data: data, caseIDs: included.map(\.id),
                                  suggestedFileName: "netral-\(destination)-\(stamp).\(format.fileExtension)", contentType: format.contentType,
                                  problems: problems)
        return PreparedExport(result: result, caseFiles: included, at: now)
    }

    /// Records the prepared export's case files as delivered and advances the cursor.
    public func commit(_ prepared: PreparedExport) throws {
        try store.recordDeliveries(destination: prepared.result.destination, format: prepared.result.format.rawValue,
                                   caseFiles: prepared.caseFiles, at: prepared.at)
    }

    /// The records of `caseFiles` with their latest reviews; unreadable ones become problems.
    func records(of caseFiles: [StoredCaseFile], zone: IndonesianZone?) throws -> ([CaseRecord], [StoredCaseFile], [CaseRecordProblem]) {
        let reader = CaseRecordReader(store: store, evidenceRoot: evidenceRoot, zone: zone)
        let reviews = try store.latestReviews(caseIDs: caseFiles.map(\.id))
        let head = try reviewLogHead()
        var records: [CaseRecord] = []
        var included: [StoredCaseFile] = []
        var problems: [CaseRecordProblem] = []
        for caseFile in caseFiles {
            do {
                var record = try reader.record(caseFile, review: reviews[caseFile.id])
                record.reviewLogHead = head
                records.append(record)
                included.append(caseFile)
            } catch let problem as CaseRecordProblem {
                problems.append(problem)
            }
        }
        return (records, included, problems)
    }

    /// The record of one case file (for `findings --format json` and the desk's detail view).
    public func record(of caseFile: StoredCaseFile, zone: IndonesianZone? = nil) throws -> CaseRecord {
        let review = try store.latestReviews(caseIDs: [caseFile.id])[caseFile.id]
        var record = try CaseRecordReader(store: store, evidenceRoot: evidenceRoot, zone: zone).record(caseFile, review: review)
        record.reviewLogHead = try reviewLogHead()
        return record
    }

    /// `COUNT:SHA256`: the review log's length and last entry hash, as every record states it.
    func reviewLogHead() throws -> String {
        let head = try store.reviewHead()
        return "\(head.count):\(head.entryHash)"
    }
}
