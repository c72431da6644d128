public import Foundation
public import NetralEvidence
public import NetralModel
public import NetralStore

/// One case file as a case tracker receives it: the fields a report to Bawaslu (who, what,
/// where, when, evidence) and BKN's intake (name, position, agency, NIP) ask for, read from
/// the case file's own files and the state. NIPs are masked; the raw capture stays in the case
/// file. Every export format and push body is made from this.
public struct CaseRecord: Sendable, Equatable, Codable {
    /// The person the case concerns: the analyst's subject when the target names one, else
    /// the account's author.
    public struct ReportedPerson: Sendable, Equatable, Codable {
        public var name: String?
        public var position: String?
        public var agency: String?
        /// The 18-digit NIP with all but its last digits masked, when the analyst knows it.
        public var nipMasked: String?
        public var accountName: String?
        public var accountHandle: String?
        public var profileURL: String?
        /// Where the name, position and agency came from (`bio akun`, `teks unggahan`, …).
        public var nameSource: String?
        public var positionSource: String?
        public var agencySource: String?
        /// The account or site is an office's: the office answers through its head.
        public var isOffice: Bool?
        /// Who posted, when the person reported is someone else (a quoted village head).
        public var uploader: String?

        public init(_ terlapor: Terlapor) {
            name = terlapor.name.map { NIPMasking.mask($0.value) }
            position = terlapor.position?.value
            agency = terlapor.agency?.value
            nipMasked = terlapor.nipMasked
            accountName = terlapor.accountName
            accountHandle = terlapor.accountHandle
            profileURL = terlapor.profileURL
            nameSource = terlapor.name?.source
            positionSource = terlapor.position?.source
            agencySource = terlapor.agency?.source
            isOffice = terlapor.isOffice ? true : nil
            uploader = terlapor.uploader
        }
    }

    /// One prohibited act found on the post.
    public struct Act: Sendable, Equatable, Codable {
        /// SKB 2/2022 act code (`A2`).
        public var code: String
        /// Its title in Bahasa Indonesia.
        public var title: String
        public var rule: String
        /// `violation` (the author's own act) or `report` (the post alleges someone else's).
        public var `class`: FindingClass
        public var severity: Severity
        public var score: Double
        public var pack: String
    }

    /// The latest review decision.
    public struct Review: Sendable, Equatable, Codable {
        public var decision: ReviewDecision
        public var reviewer: String
        public var decidedAt: String
        public var note: String
        /// The manifest hash the reviewer decided on.
        public var manifestSHA256: String
        public var sequence: Int64

        public init(decision: ReviewDecision, reviewer: String, decidedAt: String, note: String, manifestSHA256: String, sequence: Int64) {
            self.decision = decision
            self.reviewer = reviewer
            self.decidedAt = decidedAt
            self.note = note
            self.manifestSHA256 = manifestSHA256
            self.sequence = sequence
        }

        public init(_ entry: ReviewEntry) {
            self.init(decision: entry.decision, reviewer: entry.reviewer, decidedAt: entry.decidedAt, note: entry.note,
                      manifestSHA256: entry.manifestSHA256, sequence: entry.sequence)
        }
    }

    public var id: String
    public var status: ReviewStatus
    public var review: Review?
    public var reportedPerson: ReportedPerson
    public var region: String?
    public var acts: [Act]
    public var severity: Severity
    /// `report` when every act is alleged of someone else, else `violation`.
    public var `class`: FindingClass
    /// Candidate and party labels as the packs give them (`02 Prabowo Subianto – ...`).
    public var candidateLabels: [String]
    public var title: String?
    public var postURL: String
    public var canonicalURL: String?
    public var platform: String
    public var domain: String?
    /// The zone local times are given in: the target's, else the post's own offset, else WIB.
    public var zone: String
    public var postedAtUTC: Date?
    public var postedAtLocal: String?
    public var capturedAtUTC: Date
    public var capturedAtLocal: String
    public var caseCreatedAtUTC: Date
    public var caseCreatedAtLocal: String
    /// The last day to report (the case file's date plus the reporting days), in the zone.
    public var deadline: String
    /// A short account in Bahasa Indonesia, for a report's "uraian kejadian".
    public var narrative: String
    /// The case-file folder and its report, relative to the evidence root.
    public var caseFilePath: String
    public var reportPath: String
    public var manifestSHA256: String
    public var supersedes: String?
    public var target: String?
    /// `name@version` of every pack that fired.
    public var packs: [String]
    /// The review log's head when the record was made (`COUNT:SHA256` of its last entry): each
    /// file sent out is one more record of the log outside the database (`verify --reviews`).
    public var reviewLogHead: String? = nil

    /// Severity as TheHive (1 low … 3 high) and MISP (`threat_level_id` 1 high … 3 low) count it.
    var severityRank: Int {
        switch severity {
        case .low: 1
        case .medium: 2
        case .high: 3
        }
    }
}

/// Why a case file could not be read into a record; the export skips it and says so.
public struct CaseRecordProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var caseID: String
    public var message: String
    public var description: String { "case file \(caseID): \(message)" }
}

/// Reads case files into records.
struct CaseRecordReader {
    let store: StateStore
    let evidenceRoot: String
    /// Overrides the zone of local times (else the post's own offset, else WIB).
    let zone: IndonesianZone?

    /// The record of one case file; throws `CaseRecordProblem` when its files are missing,
    /// unreadable, or its manifest no longer has the hash the state recorded, and the state's
    /// error when the state cannot be read.
    func record(_ caseFile: StoredCaseFile, review: ReviewEntry?) throws -> CaseRecord {
        let folder: CaseFolder
        let item: Item
        let findings: [Finding]
        do {
            folder = try CaseFolder(evidenceRoot: evidenceRoot, relativePath: caseFile.path)
            guard folder.manifestSHA256 == caseFile.manifestSHA256 else {
                throw CaseRecordProblem(caseID: caseFile.id,
                                        message: "manifest.json changed since the case file was recorded (run netral verify)")
            }
            item = try folder.item()
            findings = try folder.findings()
        } catch let error as CaseFolderError {
            throw CaseRecordProblem(caseID: caseFile.id, message: "cannot read its files: \(error)")
        }
        let manifest = folder.manifest
        let storedFindings = try store.findings(forCaseFile: caseFile)
        let zone = self.zone ?? CaseFileFacts.publishedZone(of: item) ?? .wib
        let person = CaseRecord.ReportedPerson(Terlapor.of(item: item, findings: findings))
        let acts = findings.map { finding in
            CaseRecord.Act(code: finding.act, title: ProhibitedAct.title(of: finding.act), rule: finding.rule, class: finding.findingClass,
                           severity: finding.severity, score: finding.score, pack: finding.pack.name)
        }
        var packs: [String] = []
        for finding in findings where !packs.contains("\(finding.pack.name)@\(finding.pack.version)") {
            packs.append("\(finding.pack.name)@\(finding.pack.version)")
        }
        let labels = caseFile.candidates.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let reportOnly = !findings.isEmpty && findings.allSatisfy { $0.findingClass == .report }
        let deadline = CaseFileFacts.deadline(createdAt: manifest.createdAt, zone: zone)
        var record = CaseRecord(
            id: caseFile.id, status: caseFile.reviewStatus,
            review: review.map(CaseRecord.Review.init),
            reportedPerson: person, region: manifest.region, acts: acts, severity: caseFile.severity,
            class: reportOnly ? .report : .violation,
            candidateLabels: labels, title: item.title, postURL: item.sourceURL, canonicalURL: item.canonicalURL, platform: item.platform,
            domain: URL(string: item.identityURL)?.host, zone: zone.rawValue,
            postedAtUTC: item.publishedAt, postedAtLocal: item.publishedAt.map { Self.local($0, zone) },
            capturedAtUTC: manifest.fetchedAt, capturedAtLocal: Self.local(manifest.fetchedAt, zone),
            caseCreatedAtUTC: manifest.createdAt, caseCreatedAtLocal: Self.local(manifest.createdAt, zone),
            deadline: Self.day(deadline, zone), narrative: "", caseFilePath: caseFile.path, reportPath: caseFile.path + "/report.html",
            manifestSHA256: caseFile.manifestSHA256, supersedes: caseFile.supersedes, target: storedFindings.compactMap(\.target).first,
            packs: packs)
        record.narrative = Self.narrative(record)
        return record
    }

    /// ISO 8601 with the zone's offset (`2024-01-20T18:26:40+08:00`).
    static func local(_ date: Date, _ zone: IndonesianZone) -> String {
        var style = Date.ISO8601FormatStyle(timeZone: zone.timeZone)
        style = style.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon).timeZone(separator: .colon)
        return date.formatted(style)
    }

    /// `2024-01-27`: the calendar day in the zone.
    static func day(_ date: Date, _ zone: IndonesianZone) -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: zone.timeZone, from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The "uraian kejadian" of a report, in Bahasa Indonesia, from the record's own fields.
    static func narrative(_ record: CaseRecord) -> String {
        let person = record.reportedPerson
        var who = person.name ?? person.accountHandle ?? "Pemilik akun yang belum diketahui"
        let roles = [person.position, person.agency].compactMap { $0 }.filter { !$0.isEmpty }
        if !roles.isEmpty { who += " (" + roles.joined(separator: ", ") + ")" }
        if let handle = person.accountHandle, person.name != nil { who += " melalui akun \(handle)" }
        let when = record.postedAtLocal.map { "Pada \(Self.readable($0, zone: record.zone)), " } ?? ""
        let place = record.domain.map { " di \($0)" } ?? ""
        var seen = Set<String>()
        let acts = record.acts.filter { seen.insert($0.code).inserted }.map { "\($0.code) (\($0.title.prefix(1).lowercased() + $0.title.dropFirst()))" }
        var text: String
        if record.class == .report {
            text = "\(when)unggahan\(place) memberitakan dugaan pelanggaran netralitas oleh ASN atau pihak lain, bukan oleh penulisnya: \(acts.joined(separator: "; "))."
        } else {
            text = "\(when)\(who) mengunggah konten\(place) yang diduga melanggar netralitas ASN: \(acts.joined(separator: "; "))."
        }
        text = text.prefix(1).uppercased() + text.dropFirst()
        if !record.candidateLabels.isEmpty { text += " Unggahan menyebut \(record.candidateLabels.joined(separator: "; "))." }
        if let region = record.region { text += " Wilayah: \(region)." }
        text += " Konten direkam Netral pada \(Self.readable(record.capturedAtLocal, zone: record.zone)) dan disimpan sebagai berkas kasus \(record.id)"
        text += " (hash manifes \(record.manifestSHA256.prefix(16))…). Batas waktu pelaporan: \(record.deadline)."
        return text
    }

    /// `2024-01-20T18:26:40+08:00` → `2024-01-20 18.26 WITA`.
    static func readable(_ iso: String, zone: String) -> String {
        guard iso.count >= 16 else { return iso }
        let date = iso.prefix(10)
        let time = iso.dropFirst(11).prefix(5).replacingOccurrences(of: ":", with: ".")
        return "\(date) \(time) \(zone)"
    }
}
