import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralEvidence

@Suite struct BundleTests {
    static func content(body: String = "<p>Camat ajak coblos <b>Prabowo</b> NIP 19680411 199303 1 009</p>") -> BundleContent {
        let capture = Capture(
            requestURL: "https://contoh.test/a", finalURL: "https://contoh.test/a", status: 200,
            headers: [HTTPHeader(name: "Content-Type", value: "text/html")], body: Data(body.utf8),
            fetchedAt: Date(timeIntervalSince1970: 1_705_750_000)
        )
        let text = "Camat ajak coblos <script>alert(1)</script> Prabowo NIP 19680411 199303 1 009"
        let item = Item(sourceURL: "https://contoh.test/a", title: "Judul <i>miring</i>", body: text)
        func hit(_ signal: String, _ kind: String, _ quote: String) -> Hit {
            let start = Array(text.utf8).firstRange(of: Array(quote.utf8))!.lowerBound
            return Hit(signal: signal, kind: kind, term: quote.lowercased(), field: .body, fieldIndex: 0, start: start, end: start + quote.utf8.count, quote: quote)
        }
        let finding = Finding(
            id: "abc123def456abc123def456", rule: "asn-kampanye-paslon",
            pack: PackReference(name: "asn", version: "1", sha256: String(repeating: "0", count: 64)),
            act: "A2", severity: .high, score: 1, description: "ASN mengajak memilih",
            hits: [hit("identitas-asn", "asn", "Camat"), hit("ajakan", "support", "coblos"), hit("paslon-02", "candidate", "Prabowo")],
            fired: ["asn", "candidate", "support"], condition: "asn and candidate and support", unless: "context"
        )
        return BundleContent(capture: capture, item: item, finding: finding, packs: [finding.pack])
    }

    @Test func writesACompleteBundleThatVerifies() throws {
        let folder = try TemporaryFolder()
        let writer = BundleWriter(root: folder.path)
        let outcome = try writer.write(Self.content())
        #expect(outcome.created)
        #expect(outcome.path.hasSuffix("2024/01/20/abc123def456abc123def456"))
        let names = try FileManager.default.contentsOfDirectory(atPath: outcome.path).sorted()
        #expect(names == ["capture.html", "exchange.json", "finding.json", "item.json", "manifest.json", "report.html"])
        let manifest = try NetralJSON.decoder().decode(BundleManifest.self, from: Data(contentsOf: URL(fileURLWithPath: outcome.path + "/manifest.json")))
        #expect(manifest.findingID == "abc123def456abc123def456")
        #expect(manifest.tool.version == NetralVersion.current)
        #expect(manifest.packs.first?.name == "asn")
        #expect(manifest.files.count == 5)
        let raw = try Data(contentsOf: URL(fileURLWithPath: outcome.path + "/capture.html"))
        #expect(raw == Self.content().capture.body)
        #expect(BundleVerifier.verify(path: folder.path).allSatisfy { $0.isIntact })
        #expect(BundleVerifier.verify(path: folder.path).count == 1)
    }

    @Test func filesAreReadableByTheOwnerOnly() throws {
        let folder = try TemporaryFolder()
        let outcome = try BundleWriter(root: folder.path).write(Self.content())
        let attributes = try FileManager.default.attributesOfItem(atPath: outcome.path + "/item.json")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folderAttributes = try FileManager.default.attributesOfItem(atPath: outcome.path)
        #expect((folderAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    }

    @Test func aSecondWriteOfTheSameFindingChangesNothing() throws {
        let folder = try TemporaryFolder()
        let writer = BundleWriter(root: folder.path)
        let first = try writer.write(Self.content())
        let before = try Data(contentsOf: URL(fileURLWithPath: first.path + "/manifest.json"))
        let second = try writer.write(Self.content())
        #expect(!second.created)
        #expect(second.path == first.path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.path + "/manifest.json")) == before)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: folder.path + "/.incomplete")) ?? []
        #expect(leftovers.isEmpty)
    }

    @Test func verifyReportsChangedMissingAndExtraFiles() throws {
        let folder = try TemporaryFolder()
        let outcome = try BundleWriter(root: folder.path).write(Self.content())
        try Data("diubah".utf8).write(to: URL(fileURLWithPath: outcome.path + "/item.json"))
        try FileManager.default.removeItem(atPath: outcome.path + "/finding.json")
        try Data("x".utf8).write(to: URL(fileURLWithPath: outcome.path + "/tambahan.txt"))
        let check = try #require(BundleVerifier.verify(path: outcome.path).first)
        #expect(!check.isIntact)
        #expect(check.problems.contains { $0.hasPrefix("changed file: item.json") })
        #expect(check.problems.contains("missing file: finding.json"))
        #expect(check.problems.contains("file not in manifest: tambahan.txt"))
    }

    @Test func verifyOfAFolderWithoutBundlesFails() throws {
        let folder = try TemporaryFolder()
        let checks = BundleVerifier.verify(path: folder.path)
        #expect(checks.count == 1)
        #expect(!checks[0].isIntact)
    }

    @Test func reportEscapesHighlightsAndMasks() throws {
        let html = ReportRenderer.render(Self.content(), createdAt: Date(timeIntervalSince1970: 1_705_760_000))
        #expect(html.contains("<mark title=\"identitas-asn\">Camat</mark>"))
        #expect(html.contains("<mark title=\"paslon-02\">Prabowo</mark>"))
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("Judul &lt;i&gt;miring&lt;/i&gt;"))
        #expect(!html.contains("19680411"))
        #expect(html.contains("•••••••• •••••• • 009"))
        #expect(html.contains("Laporan Temuan"))
        #expect(html.contains("A2: Sosialisasi/kampanye melalui media sosial"))
        #expect(!html.contains("src="))
        #expect(!html.contains("<link"))
    }

    @Test func masksGroupedAndPlainNIPs() {
        #expect(NIPMasking.mask("NIP 19680411 199303 1 009.") == "NIP •••••••• •••••• • 009.")
        #expect(NIPMasking.mask("NIP 196804111993031009") == "NIP •••••••••••••••009")
        #expect(NIPMasking.mask("telp 0812345678") == "telp 0812345678")
        #expect(NIPMasking.mask("1234567890123456789012") == "1234567890123456789012")
    }
}
