public import Foundation
public import NetralModel

/// A case file's review status, derived from its latest review-log entry (`new` without one).
public enum ReviewStatus: String, Sendable, Codable, CaseIterable {
    case new
    case confirmed
    case dismissed

    /// Reviewer-facing label, in Bahasa Indonesia.
    public var label: String {
        switch self {
        case .new: "Baru"
        case .confirmed: "Dikonfirmasi"
        case .dismissed: "Ditolak"
        }
    }
}

/// A case file as the state records it. The manifest's own hash is kept so `verify` notices a
/// manifest that was edited and re-hashed, and a case file that was deleted outright.
public struct StoredCaseFile: Sendable, Equatable, Codable {
    public var id: String
    /// The item's identity (canonical URL, else source URL).
    public var itemID: String
    public var contentDigest: String
    /// The case-file folder, relative to the evidence root.
    public var path: String
    /// Lowercase hex SHA-256 of the case file's `manifest.json`.
    public var manifestSHA256: String
    /// The earlier case file of the same item whose content this one replaces.
    public var supersedes: String?
    public var createdAt: Date
    /// Acts, comma-separated (`A2,A6`; an act only reported of someone else as `A8 (laporan)`),
    /// for listings.
    public var acts: String
    /// The highest severity among the findings.
    public var severity: Severity
    /// Who the case concerns (subject or author), NIP-free, for listings.
    public var author: String
    /// Candidate and party labels named in the item, `; `-separated, for listings.
    public var candidates: String
    public var reviewStatus: ReviewStatus

    public init(id: String, itemID: String, contentDigest: String, path: String, manifestSHA256: String,
                supersedes: String?, createdAt: Date, acts: String, severity: Severity, author: String = "", candidates: String = "",
                reviewStatus: ReviewStatus = .new) {
        self.id = id
        self.itemID = itemID
        self.contentDigest = contentDigest
        self.path = path
        self.manifestSHA256 = manifestSHA256
        self.supersedes = supersedes
        self.createdAt = createdAt
        self.acts = acts
        self.severity = severity
        self.author = author
        self.candidates = candidates
        self.reviewStatus = reviewStatus
    }
}

/// What the case-file side needs of the state, so this module never depends on it: the state
/// (NetralStore's `StateStore`) conforms. The recorder files and records through it, `verify`
/// compares the evidence folder with it, and the index lists it.
public protocol CaseFileLedger: Sendable {
    func caseFile(id: String) throws -> StoredCaseFile?
    /// The newest case file of an item, if any.
    func latestCaseFile(itemID: String) throws -> StoredCaseFile?
    /// Every case file, oldest first.
    func caseFiles() throws -> [StoredCaseFile]
    /// The ids of case files that a later one of the same item replaces.
    func supersededCaseFileIDs() throws -> Set<String>
    /// Records a case file and its findings in one transaction (a kill never leaves one without
    /// the other); recording the same id twice keeps the first.
    func recordCaseFile(_ caseFile: StoredCaseFile, findings: [Finding], caseFilePath: String, target: String?) throws
}
