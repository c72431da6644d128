import Foundation
import NetralModel
import NetralStore
import NetralTestSupport
import NetralWARC
import Testing
@testable import NetralEvidence

/// A case file for one invented post of a camat, with one or two acts.
enum Sample {
    static let text = "Camat ajak coblos <script>alert(1)</script> Prabowo NIP 19680411 199303 1 009"

    static func hit(_ signal: String, _ kind: String, _ quote: String, in text: String = Sample.text) -> Hit {
        let start = Array(text.utf8).firstRange(of: Array(quote.utf8))!.lowerBound
        return Hit(signal: signal, kind: kind, term: quote.lowercased(), field: .body, fieldIndex: 0, start: start, end: start + quote.utf8.count, quote: quote)
    }

    static func caseFile(body: String = Sample.text, acts: [String] = ["A2", "A6"]) -> CaseFile {
        let capture = Capture(
            requestURL: "https://contoh.test/a", finalURL: "https://contoh.test/a", status: 200,
            headers: [HTTPHeader(name: "Content-Type", value: "text/html")], body: Data("<p>\(body)</p>".utf8),
            fetchedAt: Date(timeIntervalSince1970: 1_705_750_000), peerIP: "192.0.2.7"
        )
        let item = Item(sourceURL: "https://contoh.test/a", author: Author(name: "Budi", handle: "@budi"), title: "Judul <i>miring</i>",
                        body: body, subject: Subject(name: "Budi Santoso", role: "Camat", agency: "Kecamatan Sungai Jernih", nip: "196804111993031009"))
        let pack = PackReference(name: "asn", version: "1", sha256: String(repeating: "0", count: 64))
        let findings = acts.map { act in
            Finding(
                id: "f-\(act)-\(body.count)", rule: act == "A2" ? "asn-kampanye-paslon" : "asn-interaksi-konten-kampanye", pack: pack,
                act: act, severity: act == "A2" ? .high : .medium, score: 1, description: "ASN mengajak memilih",
                hits: [hit("identitas-asn", "asn", "Camat", in: body), hit("ajakan", "support", "coblos", in: body),
                       hit("paslon-02", "candidate", "Prabowo", in: body), hit("nomor-paslon", "candidate", "Prabowo", in: body)],
                fired: ["asn", "peserta", "ajakan-memilih"], condition: "asn and peserta and ajakan-memilih", unless: "context"
            )
        }
        return CaseFile(capture: capture, item: item, findings: findings, packs: [pack], contentDigest: "digest-\(body.count)",
                        signalLabels: ["paslon-02": "02 Prabowo Subianto – Gibran Rakabuming Raka", "ajakan-memilih": "Ajakan memilih"],
                        region: "Kabupaten Kutai Kartanegara, Kalimantan Timur", zone: .wita, target: "camat")
    }
}

@Suite struct CaseFileTests {
    @Test func oneCaseFileHoldsEveryActOfTheItem() throws {
        let folder = try TemporaryFolder()
        let caseFile = Sample.caseFile()
        let outcome = try CaseFileWriter(root: folder.path).write(caseFile)
        #expect(outcome.created)
        #expect(outcome.relativePath == "\(caseFile.id.prefix(2))/\(caseFile.id)")
        let names = try FileManager.default.contentsOfDirectory(atPath: outcome.path).sorted()
        #expect(names == ["capture.html", "capture.warc.gz", "findings.json", "item.json", "manifest.json", "report.html"])
        let manifest = try NetralJSON.decoder().decode(CaseManifest.self, from: Data(contentsOf: URL(fileURLWithPath: outcome.path + "/manifest.json")))
        #expect(manifest.caseID == caseFile.id)
        #expect(manifest.acts.map(\.act) == ["A2", "A6"])
        #expect(manifest.severity == .high)
        #expect(manifest.files.count == 5)
        #expect(try EvidenceVerifier().verify(path: folder.path).allSatisfy(\.isIntact))
    }

    @Test func theIdFollowsItemAndContentAndTheSamePlaceIsFoundOnAnyDay() throws {
        let folder = try TemporaryFolder()
        let writer = CaseFileWriter(root: folder.path)
        var later = Sample.caseFile()
        later.capture.fetchedAt = later.capture.fetchedAt.addingTimeInterval(3 * 86_400)
        #expect(later.id == Sample.caseFile().id)
        #expect(Sample.caseFile(body: Sample.text + " lagi").id != Sample.caseFile().id)
        #expect(Sample.caseFile(acts: ["A2"]).id != Sample.caseFile().id)
        let first = try writer.write(Sample.caseFile())
        let second = try writer.write(later, now: Date().addingTimeInterval(3 * 86_400))
        #expect(!second.created)
        #expect(second.path == first.path)
        #expect(second.manifestSHA256 == first.manifestSHA256)
    }

    @Test func nipsAreMaskedInItemAndFindingsButNotInTheRawCapture() throws {
        let folder = try TemporaryFolder()
        let outcome = try CaseFileWriter(root: folder.path).write(Sample.caseFile())
        for name in ["item.json", "findings.json", "report.html", "manifest.json"] {
            let text = try String(contentsOfFile: outcome.path + "/" + name, encoding: .utf8)
            #expect(!text.contains("19680411"), "\(name) holds a NIP")
            #expect(!text.contains("196804111993031009"), "\(name) holds a NIP")
        }
        let item = try String(contentsOfFile: outcome.path + "/item.json", encoding: .utf8)
        #expect(item.contains("•••••••••••••••009"))
        let raw = try String(contentsOfFile: outcome.path + "/capture.html", encoding: .utf8)
        #expect(raw.contains("19680411 199303 1 009"))
    }

    @Test func filesAreReadableByTheOwnerOnly() throws {
        let folder = try TemporaryFolder()
        let outcome = try CaseFileWriter(root: folder.path).write(Sample.caseFile())
        let attributes = try FileManager.default.attributesOfItem(atPath: outcome.path + "/item.json")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folderAttributes = try FileManager.default.attributesOfItem(atPath: outcome.path)
        #expect((folderAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    }

    @Test func anEditedItemSupersedesItsEarlierCaseFileAndSaysWhatChanged() throws {
        let folder = try TemporaryFolder()
        let store = try StateStore(path: folder.path + "/state.sqlite")
        let recorder = CaseFileRecorder(writer: CaseFileWriter(root: folder.path + "/evidence"), store: store)
        let first = try recorder.file(Sample.caseFile(acts: ["A2"]), now: Date(timeIntervalSince1970: 1_705_760_000))
        let again = try recorder.file(Sample.caseFile(acts: ["A2"]), now: Date(timeIntervalSince1970: 1_705_770_000))
        #expect(first.created && !again.created)
        let edited = Sample.caseFile(body: Sample.text + " Ayo menangkan!", acts: ["A2", "A6"])
        let second = try recorder.file(edited, now: Date(timeIntervalSince1970: 1_705_780_000))
        #expect(second.created)
        #expect(second.supersedes == first.caseID)
        let manifest = try NetralJSON.decoder().decode(CaseManifest.self, from: Data(contentsOf: URL(fileURLWithPath: second.path + "/manifest.json")))
        #expect(manifest.supersedes?.caseID == first.caseID)
        #expect(manifest.supersedes?.manifestDigest == first.manifestSHA256)
        #expect(manifest.supersedes?.changes.contains { $0.hasPrefix("Isi berubah") } == true)
        #expect(manifest.supersedes?.changes.contains("Jenis pelanggaran baru: A6.") == true)
        let report = try String(contentsOfFile: second.path + "/report.html", encoding: .utf8)
        #expect(report.contains("Perubahan sejak berkas sebelumnya"))
        #expect(try store.caseFiles().count == 2)
        #expect(try store.supersededCaseFileIDs() == [first.caseID])
        try recorder.writeIndex()
        let index = try String(contentsOfFile: folder.path + "/evidence/index.html", encoding: .utf8)
        #expect(index.contains("2 berkas kasus"))
        #expect(index.contains("(digantikan)"))
        #expect(index.contains("\(second.relativePath)/report.html"))
        #expect(index.contains("02 Prabowo Subianto – Gibran Rakabuming Raka"))
        #expect(!index.contains("<script"))
    }

    @Test func aCaseFileRenamedBeforeItsRowIsReconciledNotDuplicated() throws {
        let folder = try TemporaryFolder()
        let writer = CaseFileWriter(root: folder.path + "/evidence")
        // A run killed after the rename, before the row: the case file exists, the state lacks it.
        let orphan = try writer.write(Sample.caseFile())
        let store = try StateStore(path: folder.path + "/state.sqlite")
        let outcome = try CaseFileRecorder(writer: writer, store: store).file(Sample.caseFile(), now: Date().addingTimeInterval(86_400))
        #expect(!outcome.created)
        #expect(outcome.path == orphan.path)
        #expect(try store.caseFile(id: orphan.caseID)?.manifestSHA256 == orphan.manifestSHA256)
        #expect(try EvidenceVerifier(store: store).verify(path: folder.path + "/evidence").allSatisfy(\.isIntact))
    }

    @Test func cleanupLeavesAnotherLiveRunsTemporaryFolder() throws {
        let folder = try TemporaryFolder()
        let temporary = folder.path + "/.incomplete"
        // pid 1 always exists; a pid beyond pid_max never does. Another machine's folder (a
        // worker sharing the evidence folder) is never judged by this machine's processes.
        let host = CaseFileWriter.hostName
        for name in ["1-live", "99999999-dead", "\(getpid())-mine", "99999999-dead@\(host)", "99999999-elsewhere@mesin-lain"] {
            try FileManager.default.createDirectory(atPath: temporary + "/" + name, withIntermediateDirectories: true)
        }
        CaseFileWriter(root: folder.path).removeIncomplete()
        let left = try FileManager.default.contentsOfDirectory(atPath: temporary).sorted()
        #expect(Set(left) == ["\(getpid())-mine", "1-live", "99999999-elsewhere@mesin-lain"])
    }

    @Test func cleanupRemovesTheIndexAKilledRunLeftHalfReplaced() throws {
        let folder = try TemporaryFolder()
        for name in ["index.html", "index.html.tmp-99999999", "index.html.tmp-1", "index.html.tmp-\(getpid())"] {
            _ = try folder.write(name, "<html></html>")
        }
        CaseFileWriter(root: folder.path).removeIncomplete()
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(Set(left) == ["index.html", "index.html.tmp-1", "index.html.tmp-\(getpid())"])
    }

    @Test func theWARCCaptureHoldsResponseAndRequestOfTheExchange() throws {
        let folder = try TemporaryFolder()
        let outcome = try CaseFileWriter(root: folder.path).write(Sample.caseFile())
        let data = try Data(contentsOf: URL(fileURLWithPath: outcome.path + "/capture.warc.gz"))
        // Three gzip members: warcinfo, response, request.
        var members = 0
        for index in data.indices.dropLast(2) where data[index] == 0x1f && data[index + 1] == 0x8b && data[index + 2] == 0x08 { members += 1 }
        #expect(members >= 3)
    }
}

@Suite struct CaseFileImageTests {
    static func image(_ url: String, type: String = "image/png", bytes: Int = 64) -> Capture {
        Capture(requestURL: url, finalURL: url, status: 200, headers: [HTTPHeader(name: "Content-Type", value: type)],
                body: Data(repeating: 0x89, count: bytes), fetchedAt: Date(timeIntervalSince1970: 1_705_750_100))
    }

    @Test func imagesGoIntoTheWARCAndTheReportWithinTheCaps() throws {
        var caseFile = Sample.caseFile()
        caseFile.images = [
            Self.image("https://contoh.test/foto-bersama.png"),
            Self.image("https://contoh.test/bukan-gambar", type: "text/html"),
            Self.image("https://contoh.test/besar.png", bytes: CaseFile.maxImageBytes + 1),
        ] + (1...5).map { Self.image("https://contoh.test/lain-\($0).jpg", type: "image/jpeg") }
        #expect(caseFile.keptImages.map(\.finalURL) == ["https://contoh.test/foto-bersama.png"] + (1...3).map { "https://contoh.test/lain-\($0).jpg" })
        let folder = try TemporaryFolder()
        let outcome = try CaseFileWriter(root: folder.path).write(caseFile)
        let warc = try Data(contentsOf: URL(fileURLWithPath: outcome.path + "/capture.warc.gz"))
        var members = 0
        for index in warc.indices.dropLast(2) where warc[index] == 0x1f && warc[index + 1] == 0x8b && warc[index + 2] == 0x08 { members += 1 }
        #expect(members >= 3 + 2 * 4)
        let report = try String(contentsOfFile: outcome.path + "/report.html", encoding: .utf8)
        #expect(report.contains("<img src=\"data:image/png;base64,"))
        #expect(report.components(separatedBy: "<img ").count - 1 == 4)
        #expect(!report.contains("besar.png"))
    }

    @Test func imageURLsComeFromTheItemsOpenGraphAndTwitterMetadata() {
        let item = Item(sourceURL: "https://contoh.test/berita/a.html", metadata: [
            "og:image": "https://contoh.test/foto.jpg", "twitter:image": "https://contoh.test/foto.jpg",
            "og:image:secure_url": "javascript:alert(1)", "og:image:url": "img/foto-2.jpg",
        ])
        #expect(CaseFile.imageURLs(of: item) == ["https://contoh.test/foto.jpg", "https://contoh.test/berita/img/foto-2.jpg"])
    }
}
