import Foundation
import NetralEvidence
import NetralModel
import NetralStoreTestSupport
import NetralTestSupport
import Testing
@testable import NetralStore

@Suite struct ReviewLogTests {
    func store(_ database: TestDatabase, caseIDs: [String] = ["ab12cd34ef", "ab99ffee00", "c0ffee1234"]) throws -> StateStore {
        let store = try database.open()
        for (index, id) in caseIDs.enumerated() {
            try store.recordCaseFile(StoredCaseFile(id: id, itemID: "https://contoh.test/\(index)", contentDigest: "d\(index)", path: "\(id.prefix(2))/\(id)",
                                                    manifestSHA256: String(repeating: "\(index)", count: 64), supersedes: nil,
                                                    createdAt: Date(timeIntervalSince1970: 1_733_000_000 + Double(index) * 60),
                                                    acts: index == 0 ? "A2,A6" : "A6", severity: index == 2 ? .low : .high,
                                                    author: "Penulis \(index)", candidates: index == 1 ? "Prabowo Subianto; Gerindra" : "Anies Baswedan"))
        }
        return store
    }

    @Test(arguments: Backend.available)
    func decisionsAreChainedAndTheStatusFollowsTheLatest(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try store(database)
        let first = try store.recordReview(caseID: "ab12", decision: .confirm, note: "Foto seragam dan ajakan jelas.", reviewer: "Rina")
        #expect(first.sequence == 1 && first.previousHash == String(repeating: "0", count: 64))
        #expect(first.manifestSHA256 == String(repeating: "0", count: 64))
        let second = try store.recordReview(caseID: "c0ffee1234", decision: .dismiss, note: "Bukan ASN.", reviewer: "Dodi")
        #expect(second.previousHash == first.entryHash)
        try store.recordReview(caseID: "ab12cd", decision: .reopen, note: "Perlu dicek ulang NIP-nya.", reviewer: "Rina")
        #expect(try store.caseFile(id: "ab12cd34ef")?.reviewStatus == .new)
        #expect(try store.caseFile(id: "c0ffee1234")?.reviewStatus == .dismissed)
        #expect(try store.reviews(caseID: "ab12cd34ef").map(\.decision) == [.confirm, .reopen])
        #expect(try store.latestReviews(caseIDs: ["ab12cd34ef", "c0ffee1234", "ab99ffee00"]).mapValues(\.decision) == ["ab12cd34ef": .reopen, "c0ffee1234": .dismiss])
        #expect(try store.verifyReviewLog().isEmpty)
    }

    @Test(arguments: Backend.available)
    func refusesAmbiguousUnknownAndRepeatedDecisions(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try store(database)
        // Too short to be a prefix, and unknown ids, are refused.
        #expect(throws: ReviewError.noSuchCaseFile("ab")) { try store.recordReview(caseID: "ab", decision: .confirm, note: "x", reviewer: "R") }
        #expect(throws: ReviewError.noSuchCaseFile("zzzz")) { try store.recordReview(caseID: "zzzz", decision: .confirm, note: "x", reviewer: "R") }
        // A prefix two case files share is refused with both named.
        let extraDatabase = try TestDatabase(backend)
        defer { withExtendedLifetime(extraDatabase) {} }
        let extra = try extraDatabase.open()
        for id in ["beef0001", "beef0002"] {
            try extra.recordCaseFile(StoredCaseFile(id: id, itemID: id, contentDigest: "d", path: id, manifestSHA256: "m", supersedes: nil,
                                                    createdAt: Date(), acts: "A6", severity: .high))
        }
        #expect(throws: ReviewError.ambiguousCaseID("beef", matches: ["beef0001", "beef0002"])) { try extra.resolveCaseFile("beef") }
        #expect(try extra.resolveCaseFile("BEEF0002").id == "beef0002")
        #expect(throws: ReviewError.emptyNote) { try store.recordReview(caseID: "c0ffee", decision: .dismiss, note: "  ", reviewer: "R") }
        try store.recordReview(caseID: "c0ffee", decision: .dismiss, note: "Akun parodi.", reviewer: "R")
        #expect(throws: ReviewError.alreadyInStatus("c0ffee1234", .dismissed)) { try store.recordReview(caseID: "c0ffee", decision: .dismiss, note: "lagi", reviewer: "R") }
        #expect(throws: ReviewError.alreadyInStatus("ab99ffee00", .new)) { try store.recordReview(caseID: "ab99", decision: .reopen, note: "buka", reviewer: "R") }
        #expect(try store.reviewLog().count == 1)
    }

    @Test(arguments: Backend.available)
    func anEditedDeletedOrTruncatedLogIsDetected(_ backend: Backend) throws {
        /// A state with three decisions, edited behind Netral's back with `sql`.
        func tampered(_ sql: String) throws -> [String] {
            let database = try TestDatabase(backend)
            defer { withExtendedLifetime(database) {} }
            let store = try store(database)
            try store.recordReview(caseID: "ab12", decision: .confirm, note: "Terbukti.", reviewer: "Rina")
            try store.recordReview(caseID: "ab99", decision: .dismiss, note: "Salah orang.", reviewer: "Rina")
            try store.recordReview(caseID: "c0ff", decision: .confirm, note: "Terbukti juga.", reviewer: "Dodi")
            #expect(try store.verifyReviewLog().isEmpty)
            try database.tamper(sql)
            return try database.open().verifyReviewLog().map(\.description)
        }
        let edited = try tampered("UPDATE review_log SET note = 'Tidak terbukti.' WHERE sequence = 2")
        #expect(edited.contains { $0.contains("entry 2") && $0.contains("edited") }, "\(edited)")
        let deleted = try tampered("DELETE FROM review_log WHERE sequence = 2")
        #expect(deleted.contains { $0.contains("entry 3") && $0.contains("deleted") }, "\(deleted)")
        let truncated = try tampered("DELETE FROM review_log WHERE sequence = 3")
        #expect(truncated.contains { $0.contains("head") }, "\(truncated)")
        let statusEdited = try tampered("UPDATE case_file SET review_status = 'dismissed' WHERE id = 'ab12cd34ef'")
        #expect(statusEdited.contains { $0.contains("ab12cd34ef") && $0.contains("confirmed") }, "\(statusEdited)")
    }

    @Test(arguments: Backend.available)
    func concurrentReviewersEachExtendTheChain(_ backend: Backend) async throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let ids = (0..<40).map { String(format: "%08x00", $0 * 7919) }
        _ = try store(database, caseIDs: ids)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for reviewer in ["Rina", "Dodi"] {
                group.addTask {
                    // Each reviewer has their own connection, as two `netral review` processes would.
                    let store = try database.open()
                    for id in ids {
                        _ = try? store.recordReview(caseID: id, decision: reviewer == "Rina" ? .confirm : .dismiss, note: "keputusan \(reviewer)", reviewer: reviewer)
                    }
                }
            }
            try await group.waitForAll()
        }
        let store = try database.open()
        let log = try store.reviewLog()
        #expect(log.count >= ids.count)
        #expect(log.map(\.sequence) == Array(1...Int64(log.count)))
        #expect(try store.verifyReviewLog().isEmpty)
    }

    @Test(arguments: Backend.available)
    func listingsFilterCountAndPage(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try store(database)
        try store.recordReview(caseID: "ab12", decision: .confirm, note: "Terbukti.", reviewer: "Rina")
        #expect(try store.caseFiles(matching: CaseFileFilter()).caseFiles.map(\.id) == ["c0ffee1234", "ab99ffee00", "ab12cd34ef"])
        #expect(try store.caseFiles(matching: CaseFileFilter(statuses: [.confirmed])).caseFiles.map(\.id) == ["ab12cd34ef"])
        #expect(try store.caseFiles(matching: CaseFileFilter(severities: [.low])).caseFiles.map(\.id) == ["c0ffee1234"])
        #expect(try store.caseFiles(matching: CaseFileFilter(acts: ["A2"])).caseFiles.map(\.id) == ["ab12cd34ef"])
        #expect(try store.caseFiles(matching: CaseFileFilter(acts: ["A"])).total == 0)
        #expect(try store.caseFiles(matching: CaseFileFilter(candidate: "prabowo")).caseFiles.map(\.id) == ["ab99ffee00"])
        #expect(try store.caseFiles(matching: CaseFileFilter(since: Date(timeIntervalSince1970: 1_733_000_060))).total == 2)
        let page = try store.caseFiles(matching: CaseFileFilter(), limit: 1, offset: 1)
        #expect(page.total == 3 && page.caseFiles.map(\.id) == ["ab99ffee00"])
        #expect(try store.statusCounts(matching: CaseFileFilter(statuses: [.dismissed])) == [.new: 2, .confirmed: 1])
    }
}
