import Crypto
#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import NetralCaseFixtures
import NetralEvidence
import NetralModel
import NetralStore
import NetralTestSupport
import Testing
import ZIPFoundation
@testable import NetralCases

/// One case ready to file: the report form filled from the case file, as a printable page and a
/// Word document, and the case's ZIP whose hashes match its manifest.
@Suite struct CasePackageTests {
    static func entries(of zip: Data) throws -> [String: Data] {
        let archive = try Archive(data: zip, accessMode: .read)
        var entries: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            entries[entry.path] = data
        }
        return entries
    }

    @Test func theFormNamesTheTerlaporQuotesThePostAndListsTheEvidenceWithItsHashes() throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(1, confirmed: [0])
        let caseFile = try #require(try fixtures.store.caseFile(id: ids[0]))
        let package = try CasePackage(store: fixtures.store, evidenceRoot: fixtures.evidence, caseFile: caseFile)
        let form = package.form
        #expect(form.reporter.allSatisfy { $0.value.isEmpty }, "the reporter fills in their own identity")
        #expect(form.terlapor.first == ReportForm.Line(label: "Nama", value: "Drs. Hartono Wibisono (sumber: data analis (target di netral.yaml))"))
        #expect(form.terlapor.contains { $0.label == "Instansi" && $0.value.hasPrefix("Kecamatan Sungai Jernih") })
        #expect(form.terlapor.contains { $0.label == "NIP" && $0.value.hasPrefix("•") && !$0.value.contains("196804111993031009") })
        #expect(form.event.contains { $0.label == "Hari dan tanggal kejadian" && $0.value == "Sabtu, 20 Januari 2024 pukul 18.26 WITA" })
        #expect(form.event.contains { $0.label == "Tempat kejadian" && $0.value.contains("https://warga-0.contoh.test/posts/0") })
        #expect(form.witnesses.first?.hasPrefix("Rina: peninjau") == true)
        #expect(form.witnesses.last?.hasPrefix("Sistem Netral") == true)
        #expect(form.chronology.contains("«Prabowo»"), "the chronology quotes the post")
        #expect(form.chronology.contains("Jelas ajakan memilih"), "and the reviewer's note")
        let folder = try CaseFolder(evidenceRoot: fixtures.evidence, relativePath: caseFile.path)
        for file in folder.manifest.files {
            #expect(form.evidence.contains { $0.name == file.path && $0.sha256 == file.sha256 }, "\(file.path)")
        }
        #expect(form.evidence.contains { $0.name == "manifest.json" && $0.sha256 == caseFile.manifestSHA256 })
        let html = form.html()
        #expect(html.contains("<h2>2. Identitas Terlapor</h2>"))
        #expect(!html.contains("<script"))
    }

    @Test func theDocxOpensAsAWordDocumentWithTheFieldsFilled() throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(1, confirmed: [])
        let package = try CasePackage(store: fixtures.store, evidenceRoot: fixtures.evidence,
                                      caseFile: try #require(try fixtures.store.caseFile(id: ids[0])))
        let parts = try Self.entries(of: try package.docx())
        #expect(Set(parts.keys) == ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/document.xml"])
        let document = String(decoding: try #require(parts["word/document.xml"]), as: UTF8.self)
        #expect(document.contains("Identitas Terlapor"))
        #expect(document.contains("Drs. Hartono Wibisono (sumber: data analis (target di netral.yaml))"))
        #expect(try XMLDocument(xmlString: document).rootElement()?.name == "w:document", "well-formed XML")
    }

    @Test func theZipHoldsEveryFileOfTheCaseWithHashesThatMatchItsManifestAndTheCustodySheet() throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(1, confirmed: [0])
        let caseFile = try #require(try fixtures.store.caseFile(id: ids[0]))
        let package = try CasePackage(store: fixtures.store, evidenceRoot: fixtures.evidence, caseFile: caseFile)
        let path = fixtures.folder.path + "/keluar/\(package.stem).zip"
        try FileManager.default.createDirectory(atPath: fixtures.folder.path + "/keluar", withIntermediateDirectories: true)
        try package.writeZip(to: path)
        let entries = try Self.entries(of: try Data(contentsOf: URL(fileURLWithPath: path)))
        let manifestData = try #require(entries["berkas/manifest.json"])
        #expect(hexString(SHA256.hash(data: manifestData)) == caseFile.manifestSHA256)
        let manifest = try NetralJSON.decoder().decode(CaseManifest.self, from: manifestData)
        for file in manifest.files {
            let data = try #require(entries["berkas/\(file.path)"], "\(file.path)")
            #expect(hexString(SHA256.hash(data: data)) == file.sha256)
        }
        let sums = String(decoding: try #require(entries["berkas/SHA256SUMS"]), as: UTF8.self)
        #expect(sums.contains("\(caseFile.manifestSHA256)  manifest.json"))
        let custody = String(decoding: try #require(entries["rantai-bukti.txt"]), as: UTF8.self)
        #expect(custody.contains("Direkam oleh: sistem Netral"))
        #expect(custody.contains("Rina: Dikonfirmasi"))
        #expect(entries["formulir-laporan.docx"] != nil && entries["formulir-laporan.html"] != nil)
        #expect(entries["berkas/report.html"] != nil)
    }
}
