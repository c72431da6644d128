import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralEvidence

/// The one reader of case files: what the desk, the exports, `verify` and the version history
/// all read through.
@Suite struct CaseFolderTests {
    /// A case file written by the writer, with two photos in its capture.
    static func written() throws -> (TemporaryFolder, CaseFileOutcome) {
        let folder = try TemporaryFolder()
        var caseFile = Sample.caseFile()
        caseFile.images = ["png", "svg+xml"].map { type in
            Capture(requestURL: "https://contoh.test/foto.\(type)", finalURL: "https://contoh.test/foto.\(type)", status: 200,
                    headers: [HTTPHeader(name: "Content-Type", value: "image/\(type)")], body: Data(repeating: 0x89, count: 64),
                    fetchedAt: Date(timeIntervalSince1970: 1_705_750_100))
        }
        let outcome = try CaseFileWriter(root: folder.path + "/evidence").write(caseFile)
        return (folder, outcome)
    }

    @Test func readsWhatTheWriterWrote() throws {
        let (folder, outcome) = try Self.written()
        let caseFolder = try CaseFolder(evidenceRoot: folder.path + "/evidence", relativePath: outcome.relativePath)
        #expect(caseFolder.manifest.caseID == outcome.caseID)
        #expect(caseFolder.manifestSHA256 == outcome.manifestSHA256)
        #expect(try caseFolder.item().subject?.nip == "•••••••••••••••009")
        #expect(try caseFolder.findings().map(\.act) == ["A2", "A6"])
        #expect(caseFolder.captureFileName == "capture.html")
        let report = try caseFolder.data(CaseFolder.reportFileName)
        let listed = try #require(caseFolder.manifest.files.first { $0.path == "report.html" })
        #expect(try caseFolder.digest(CaseFolder.reportFileName) == (listed.sha256, report.count))
        // Only images a browser shows without running anything: the SVG stays in the WARC.
        #expect(try caseFolder.photos().map(\.finalURL) == ["https://contoh.test/foto.png"])
    }

    @Test func aStatePathOutsideTheEvidenceFolderIsRefused() throws {
        let (folder, _) = try Self.written()
        for path in ["../../etc", "/etc", "ab/../../x", "./ab", ""] {
            #expect(throws: CaseFolderError(path: path, problem: .outsideFolder)) {
                try CaseFolder(evidenceRoot: folder.path + "/evidence", relativePath: path)
            }
        }
    }

    @Test func onlyFilesTheManifestListsAreHandedOut() throws {
        let (folder, outcome) = try Self.written()
        defer { withExtendedLifetime(folder) {} }
        let caseFolder = try CaseFolder(path: outcome.path)
        #expect(throws: CaseFolderError(path: "signature.json", problem: .notInManifest)) { try caseFolder.data("signature.json") }
        #expect(throws: CaseFolderError(path: "../manifest.json", problem: .outsideFolder)) { try caseFolder.digest("../manifest.json") }
    }

    @Test func symlinksAreNeverFollowed() throws {
        let (folder, outcome) = try Self.written()
        let secret = folder.path + "/rahasia.txt"
        try Data("rahasia".utf8).write(to: URL(fileURLWithPath: secret))
        let item = outcome.path + "/item.json"
        try FileManager.default.removeItem(atPath: item)
        try FileManager.default.createSymbolicLink(atPath: item, withDestinationPath: secret)
        let caseFolder = try CaseFolder(path: outcome.path)
        #expect(throws: CaseFolderError(path: item, problem: .symlink)) { try caseFolder.item() }
        #expect(throws: CaseFolderError(path: item, problem: .symlink)) { try caseFolder.digest("item.json") }
        // A case-file folder that is itself a symlink is not opened.
        let linked = folder.path + "/tautan"
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: outcome.path)
        #expect(throws: CaseFolderError(path: linked, problem: .symlink)) { try CaseFolder(path: linked) }
    }

    @Test func aFileLargerThanTheCapIsRefusedButStillHashed() throws {
        let (folder, outcome) = try Self.written()
        defer { withExtendedLifetime(folder) {} }
        let capture = outcome.path + "/capture.html"
        // Sparse: the size is there without writing 33 MiB.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: capture))
        try handle.truncate(atOffset: UInt64(CaseFolder.maxFileBytes + 1))
        try handle.close()
        let caseFolder = try CaseFolder(path: outcome.path)
        #expect(throws: CaseFolderError(path: capture, problem: .tooLarge(limit: CaseFolder.maxFileBytes))) {
            try caseFolder.data("capture.html")
        }
        #expect(try caseFolder.digest("capture.html").size == CaseFolder.maxFileBytes + 1)
    }

    @Test func aManifestThatIsNotJSONSaysWhere() throws {
        let (folder, outcome) = try Self.written()
        defer { withExtendedLifetime(folder) {} }
        try Data("{bukan json".utf8).write(to: URL(fileURLWithPath: outcome.path + "/manifest.json"))
        #expect {
            try CaseFolder(path: outcome.path)
        } throws: { error in
            guard let error = error as? CaseFolderError, case .undecodable = error.problem else { return false }
            return error.path == outcome.path + "/manifest.json"
        }
    }
}
