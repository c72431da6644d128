import Foundation
import NetralEvidence
import NetralModel
import NetralStoreTestSupport
import NetralTestSupport
import Testing
@testable import NetralStore

/// Severity, review status, finding class, decision and a target's outcome are typed columns: a
/// row that holds anything else is an error that names the row and the column, never read as a
/// default.
@Suite struct StateRowTests {
    func store(_ database: TestDatabase) throws -> StateStore {
        let store = try database.open()
        let finding = Finding(id: "f1", rule: "asn-kampanye-paslon", pack: PackReference(name: "asn", version: "1", sha256: "00"),
                              act: "A2", severity: .high, score: 1, description: "", hits: [], fired: ["asn"], condition: "asn",
                              unless: nil, findingClass: .report)
        let caseFile = StoredCaseFile(id: "ab12cd34ef", itemID: "https://contoh.test/a", contentDigest: "d", path: "ab/ab12cd34ef",
                                      manifestSHA256: String(repeating: "0", count: 64), supersedes: nil, createdAt: Date(),
                                      acts: "A2", severity: .medium)
        try store.recordCaseFile(caseFile, findings: [finding], caseFilePath: "/bukti/ab/ab12cd34ef", target: "camat")
        return store
    }

    @Test(arguments: Backend.available)
    func typedColumnsReadBackAsTheyWereWritten(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try store(database)
        let caseFile = try #require(try store.caseFile(id: "ab12cd34ef"))
        #expect(caseFile.severity == .medium && caseFile.reviewStatus == .new)
        let finding = try #require(try store.findings().first)
        #expect(finding.severity == .high && finding.findingClass == .report && finding.caseFilePath == "/bukti/ab/ab12cd34ef")
        #expect(try store.caseFiles(matching: CaseFileFilter(severities: [.medium], findingClass: .report)).total == 1)
        #expect(try store.caseFiles(matching: CaseFileFilter(findingClass: .violation)).total == 0)
        try store.recordReview(caseID: "ab12", decision: .confirm, note: "Terbukti.", reviewer: "Rina")
        #expect(try store.statusCounts(matching: CaseFileFilter()) == [.confirmed: 1])
        try store.syncTargets([TargetDefinition(id: "camat", kind: "page", url: "https://contoh.test/a")], at: Date())
        try store.finishTarget("camat", outcome: .disallowed, error: nil, at: Date(), nextDue: nil)
        #expect(try store.targetStatuses().map(\.lastResult) == [.disallowed])
    }

    @Test(arguments: Backend.available)
    func aRowWithAnUnknownValueIsAnErrorThatSaysWhereAndWhy(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try store(database)
        try database.tamper("UPDATE case_file SET severity = 'parah' WHERE id = 'ab12cd34ef'")
        #expect {
            try store.caseFiles()
        } throws: { error in
            guard let error = error as? StateRowError else { return false }
            return error.table == "case_file" && error.row == "id = 'ab12cd34ef'" && error.column == "severity"
                && error.reason == "holds 'parah', expected one of low, medium, high" && error.state == store.path
                && error.description.hasPrefix(store.path + ": case_file row id = 'ab12cd34ef', column severity")
        }
        // The desk's listing and the exports read the same rows: they stop too, not default.
        #expect(throws: StateRowError.self) { try store.caseFiles(matching: CaseFileFilter()) }

        try database.tamper("UPDATE finding SET class = 'gosip' WHERE id = 'f1'")
        #expect(throws: StateRowError.self) { try store.findings(forTarget: "camat") }
    }

    @Test(arguments: Backend.available)
    func anUnknownDecisionStopsAReaderAndIsReportedByTheLogCheck(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try store(database)
        try store.recordReview(caseID: "ab12", decision: .confirm, note: "Terbukti.", reviewer: "Rina")
        try database.tamper("UPDATE review_log SET decision = 'setuju' WHERE sequence = 1")
        #expect {
            try store.reviews(caseID: "ab12cd34ef")
        } throws: { error in
            (error as? StateRowError).map { $0.table == "review_log" && $0.row == "sequence = 1" && $0.column == "decision" } ?? false
        }
        let problems = try store.verifyReviewLog().map(\.description)
        #expect(problems.contains("review log entry 1: unknown decision 'setuju'"))
    }
}
