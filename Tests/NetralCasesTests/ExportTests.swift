import CSV
import Foundation
import NetralEvidence
import NetralModel
import NetralCaseFixtures
import NetralStore
import NetralTestSupport
import Testing
@testable import NetralCases

@Suite struct ExportTests {
    func lines(_ data: Data) throws -> [[String: Any]] {
        try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func eachConfirmedCaseFileReachesADestinationOnceWithTheFieldsAReportNeeds() throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(5, confirmed: [0, 2, 3], dismissed: [4])
        let exporter = CaseExporter(store: fixtures.store, evidenceRoot: fixtures.evidence)
        let confirmed = CaseFileFilter(statuses: [.confirmed])
        let first = try exporter.export(to: "bawaslu-kukar", format: .jsonl, filter: confirmed, options: ExportOptions())
        #expect(Set(first.caseIDs) == [ids[0], ids[2], ids[3]])
        #expect(first.suggestedFileName.hasPrefix("netral-bawaslu-kukar-") && first.suggestedFileName.hasSuffix(".jsonl"))
        let records = try lines(first.data)
        #expect(records.count == 3)
        let record = try #require(records.first { $0["id"] as? String == ids[0] })
        let person = try #require(record["reported_person"] as? [String: Any])
        #expect(person["name"] as? String == "Drs. Hartono Wibisono")
        #expect(person["position"] as? String == "Camat")
        #expect(person["agency"] as? String == "Kecamatan Sungai Jernih")
        #expect(person["nip_masked"] as? String != "196804111993031009")
        #expect((person["nip_masked"] as? String)?.hasSuffix("009") == true)
        #expect(!String(decoding: first.data, as: UTF8.self).contains("196804111993031009"), "no NIP leaves unmasked")
        #expect(record["region"] as? String == "Kabupaten Kutai Kartanegara, Kalimantan Timur")
        #expect(record["status"] as? String == "confirmed")
        #expect((record["review"] as? [String: Any])?["reviewer"] as? String == "Rina")
        let acts = try #require(record["acts"] as? [[String: Any]])
        #expect(acts.first?["code"] as? String == "A2" && (acts.first?["title"] as? String)?.contains("media sosial") == true)
        #expect(record["candidate_labels"] as? [String] == ["02 Prabowo Subianto – Gibran Rakabuming Raka"])
        // The post's own offset (+08:00) decides the zone: WITA, with UTC beside.
        #expect(record["zone"] as? String == "WITA")
        #expect((record["captured_at_local"] as? String)?.hasSuffix("+08:00") == true)
        #expect((record["captured_at_utc"] as? String)?.hasSuffix("Z") == true)
        #expect(record["deadline"] as? String == "2024-01-27")
        #expect((record["narrative"] as? String)?.contains("diduga melanggar netralitas ASN") == true)
        #expect(record["manifest_sha256"] as? String == (try fixtures.store.caseFile(id: ids[0])?.manifestSHA256))
        #expect(record["case_file_path"] as? String == "\(ids[0].prefix(2))/\(ids[0])")

        // Nothing new: nothing exported, the cursor stays.
        let again = try exporter.export(to: "bawaslu-kukar", format: .jsonl, filter: confirmed, options: ExportOptions())
        #expect(again.caseIDs.isEmpty && again.data.isEmpty)
        #expect(try fixtures.store.exportCursor(destination: "bawaslu-kukar")?.delivered == 3)
        // A case file confirmed later, though made earlier than those sent, goes exactly once.
        try fixtures.store.recordReview(caseID: ids[1], decision: .confirm, note: "Setelah dicek NIP cocok.", reviewer: "Rina")
        #expect(try exporter.export(to: "bawaslu-kukar", format: .jsonl, filter: confirmed, options: ExportOptions()).caseIDs == [ids[1]])
        // Another destination has its own cursor.
        #expect(try exporter.export(to: "bkn", format: .jsonl, filter: confirmed, options: ExportOptions()).caseIDs.count == 4)
        // --again makes the file again without counting twice.
        let repeated = try exporter.export(to: "bkn", format: .jsonl, filter: confirmed, options: ExportOptions(includeDelivered: true))
        #expect(repeated.caseIDs.count == 4)
        #expect(try fixtures.store.exportCursor(destination: "bkn")?.delivered == 4)
        #expect(try fixtures.store.deliveries(destination: "bkn").count == 4)
    }

    @Test func aConfirmedCaseFileOfAnEditedPostIsStillExported() throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(1, confirmed: [0])
        let newer = try fixtures.add(0, edited: true)
        #expect(try fixtures.store.caseFile(id: newer)?.supersedes == ids[0])
        let exporter = CaseExporter(store: fixtures.store, evidenceRoot: fixtures.evidence)
        // The listing hides the superseded one; an export of decisions keeps it.
        #expect(try fixtures.store.caseFiles(matching: CaseFileFilter(statuses: [.confirmed])).caseFiles.isEmpty)
        let result = try exporter.export(to: "x", format: .jsonl, filter: CaseFileFilter(statuses: [.confirmed], includeSuperseded: true), options: ExportOptions())
        #expect(result.caseIDs == [ids[0]])
        let record = try #require(try lines(result.data).first)
        #expect(record["status"] as? String == "confirmed")
    }

    @Test func aPreparedExportAdvancesNothingUntilCommitted() throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        try fixtures.populate(2, confirmed: [0, 1])
        let exporter = CaseExporter(store: fixtures.store, evidenceRoot: fixtures.evidence)
        let prepared = try exporter.prepare(to: "x", format: .csv, filter: CaseFileFilter(statuses: [.confirmed]), options: ExportOptions())
        #expect(prepared.result.caseIDs.count == 2)
        #expect(try fixtures.store.exportCursor(destination: "x") == nil)
        #expect(try exporter.prepare(to: "x", format: .csv, filter: CaseFileFilter(statuses: [.confirmed]), options: ExportOptions()).result.caseIDs.count == 2)
        try exporter.commit(prepared)
        #expect(try exporter.prepare(to: "x", format: .csv, filter: CaseFileFilter(statuses: [.confirmed]), options: ExportOptions()).result.caseIDs.isEmpty)
        #expect(throws: ExportError.invalidDestination("../etc")) {
            try exporter.export(to: "../etc", format: .csv, filter: CaseFileFilter(), options: ExportOptions())
        }
    }

    @Test func csvQuotesAsRFC4180SaysAndASpreadsheetCannotRunACell() throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        try fixtures.populate(4, confirmed: [0, 1, 2, 3])
        let exporter = CaseExporter(store: fixtures.store, evidenceRoot: fixtures.evidence)
        let result = try exporter.export(to: "lembar", format: .csv, filter: CaseFileFilter(statuses: [.confirmed]), options: ExportOptions(byteOrderMark: true))
        #expect(Array(result.data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(result.data.suffix(2) == Data([0x0D, 0x0A]))
        #expect(result.contentType.hasPrefix("text/csv"))
        let text = String(decoding: result.data.dropFirst(3), as: UTF8.self)
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        let header = try #require(reader.headerRow)
        #expect(header == ExportEncoding.csvColumns.map(\.0))
        var rows: [[String: String]] = []
        while let row = reader.next() {
            rows.append(Dictionary(uniqueKeysWithValues: zip(header, row)))
        }
        #expect(rows.count == 4)
        #expect(Set(rows.compactMap { $0["id"] }) == Set(result.caseIDs))
        // A name with a comma, quotes in a post's text and a line break come back whole.
        let guru = try #require(rows.first { $0["position"] == "Guru PPPK" })
        #expect(guru["name"] == "Sri Wahyuni, S.Pd.")
        #expect(guru["narrative"]?.contains("Sri Wahyuni, S.Pd.") == true)
        #expect(rows.allSatisfy { $0["deadline"] == "2024-01-27" && $0["acts"] == "A2" && $0["status"] == "confirmed" })
        #expect(rows.allSatisfy { ($0["nip_masked"] ?? "").hasSuffix("009") && $0["nip_masked"] != "196804111993031009" })
        // The title "=HYPERLINK(...)" of post 2 is not a cell a spreadsheet runs.
        #expect(ExportEncoding.spreadsheetSafe("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")")
        #expect(ExportEncoding.spreadsheetSafe("Camat") == "Camat")
        #expect(!text.contains(",=") && !text.contains("\r\n="))
    }

    @Test func theHiveAlertsAndMISPEventsCarryTheirFormatsFields() throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(2, confirmed: [0, 1])
        let exporter = CaseExporter(store: fixtures.store, evidenceRoot: fixtures.evidence)
        let hive = try exporter.export(to: "thehive-file", format: .thehive, filter: CaseFileFilter(statuses: [.confirmed]), options: ExportOptions())
        let alerts = try #require(JSONSerialization.jsonObject(with: hive.data) as? [[String: Any]])
        #expect(alerts.count == 2)
        let alert = try #require(alerts.first { $0["sourceRef"] as? String == ids[0] })
        #expect(alert["type"] as? String == "netralitas-asn" && alert["source"] as? String == "netral")
        #expect(alert["severity"] as? Int == 3)
        #expect((alert["date"] as? Int) == 1_705_750_000_000)
        #expect((alert["tags"] as? [String])?.contains("act:A2") == true)
        #expect((alert["title"] as? String)?.contains("Drs. Hartono Wibisono") == true)
        #expect((alert["description"] as? String)?.contains("| Jabatan | Camat |") == true)
        let observables = try #require(alert["observables"] as? [[String: Any]])
        #expect(Set(observables.compactMap { $0["dataType"] as? String }) == ["url", "domain", "other"])
        #expect(observables.contains { $0["dataType"] as? String == "other" && $0["data"] as? String == "@warga0" })
        let pairs = observables.map { "\($0["dataType"] ?? "")|\($0["data"] ?? "")" }
        #expect(Set(pairs).count == pairs.count, "TheHive refuses an alert with two equal observables")

        let misp = try exporter.export(to: "misp-file", format: .misp, filter: CaseFileFilter(statuses: [.confirmed]), options: ExportOptions())
        let root = try #require(JSONSerialization.jsonObject(with: misp.data) as? [String: Any])
        let events = try #require(root["response"] as? [[String: Any]]).compactMap { $0["Event"] as? [String: Any] }
        #expect(events.count == 2)
        let event = try #require(events.first)
        #expect(event["threat_level_id"] as? String == "1" && event["analysis"] as? String == "2" && event["distribution"] as? String == "0")
        #expect((event["date"] as? String)?.count == 10)
        let attributes = try #require(event["Attribute"] as? [[String: Any]])
        #expect(attributes.contains { $0["type"] as? String == "url" && $0["category"] as? String == "External analysis" })
        #expect(attributes.allSatisfy { $0["to_ids"] as? Bool == false && ($0["uuid"] as? String)?.count == 36 })
        // The same case file gives the same event uuid on every export, so MISP updates, not adds.
        let again = try exporter.export(to: "misp-file", format: .misp, filter: CaseFileFilter(statuses: [.confirmed]), options: ExportOptions(includeDelivered: true))
        let againRoot = try #require(JSONSerialization.jsonObject(with: again.data) as? [String: Any])
        let againEvents = try #require(againRoot["response"] as? [[String: Any]]).compactMap { $0["Event"] as? [String: Any] }
        #expect(Set(againEvents.compactMap { $0["uuid"] as? String }) == Set(events.compactMap { $0["uuid"] as? String }))
    }

    @Test func aCaseFileWhoseManifestChangedIsSkippedNotExported() throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(3, confirmed: [0, 1, 2])
        let path = fixtures.evidence + "/\(ids[1].prefix(2))/\(ids[1])/manifest.json"
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        var manifest = try String(contentsOfFile: path, encoding: .utf8)
        manifest = manifest.replacingOccurrences(of: "\"severity\"", with: "\"severity\" ")
        try manifest.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: fixtures.evidence + "/\(ids[2].prefix(2))/\(ids[2])/item.json")
        let exporter = CaseExporter(store: fixtures.store, evidenceRoot: fixtures.evidence)
        let result = try exporter.export(to: "t", format: .jsonl, filter: CaseFileFilter(statuses: [.confirmed]), options: ExportOptions())
        #expect(result.caseIDs == [ids[0]])
        #expect(Set(result.problems.map(\.caseID)) == [ids[1], ids[2]])
        #expect(result.problems.first { $0.caseID == ids[1] }?.message.contains("netral verify") == true)
        // Not delivered: once repaired they go.
        #expect(try fixtures.store.deliveries(destination: "t").map(\.caseID) == [ids[0]])
    }
}
