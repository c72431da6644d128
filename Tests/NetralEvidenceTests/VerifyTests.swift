import Crypto
import Foundation
import NetralModel
import NetralStore
import NetralTestSupport
import Testing
@testable import NetralEvidence

/// `verify` must not be fooled: each tampering below is one a case officer's adversary could do.
@Suite struct VerifyTests {
    /// An evidence folder with two recorded, signed case files.
    struct Evidence {
        let folder: TemporaryFolder
        let store: StateStore
        let root: String
        let publicKey: String
        let first: CaseFileOutcome
        let second: CaseFileOutcome

        init() throws {
            folder = try TemporaryFolder()
            store = try StateStore(path: folder.path + "/state.sqlite")
            root = folder.path + "/evidence"
            let keyFile = folder.path + "/kunci"
            publicKey = try ManifestSigner.generateKeyPair(at: keyFile)
            let recorder = CaseFileRecorder(writer: CaseFileWriter(root: root, signer: try ManifestSigner(keyFile: keyFile)), store: store)
            first = try recorder.file(Sample.caseFile(acts: ["A2"]))
            var other = Sample.caseFile()
            other.item.sourceURL = "https://contoh.test/b"
            second = try recorder.file(other)
        }

        func verify(_ path: String? = nil) throws -> [CaseFileCheck] {
            try EvidenceVerifier(store: store, publicKey: publicKey).verify(path: path ?? root)
        }

        func problems() throws -> [String] { try verify().flatMap(\.problems) }
    }

    @Test func anUntouchedSignedEvidenceFolderVerifies() throws {
        let evidence = try Evidence()
        let checks = try evidence.verify()
        #expect(checks.count == 2)
        #expect(checks.allSatisfy { $0.isIntact }, "\(checks)")
        #expect(FileManager.default.fileExists(atPath: evidence.first.path + "/signature.json"))
    }

    @Test func aByteChangedInAManifestFails() throws {
        let evidence = try Evidence()
        let path = evidence.first.path + "/manifest.json"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"high\"", with: "\"low\"")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let problems = try evidence.problems()
        #expect(problems.contains { $0.hasPrefix("manifest.json changed") })
        #expect(problems.contains("signature.json: signature does not match manifest.json"))
        // Without the state and the key, the signature in the case file still catches it.
        #expect(try EvidenceVerifier().verify(path: evidence.first.path).flatMap(\.problems).contains("signature.json: signature does not match manifest.json"))
    }

    @Test func aCaptureEditedWithItsHashRewrittenInTheManifestFails() throws {
        let evidence = try Evidence()
        let caseFolder = evidence.first.path
        let edited = Data("<p>isi lain</p>".utf8)
        try edited.write(to: URL(fileURLWithPath: caseFolder + "/capture.html"))
        let manifestPath = caseFolder + "/manifest.json"
        var manifest = try NetralJSON.decoder().decode(CaseManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
        let index = try #require(manifest.files.firstIndex { $0.path == "capture.html" })
        manifest.files[index].sha256 = hexString(SHA256.hash(data: edited))
        manifest.files[index].size = edited.count
        try NetralJSON.encoder().encode(manifest).write(to: URL(fileURLWithPath: manifestPath))
        // The files now agree with the manifest; only its recorded hash and signature tell.
        let problems = try evidence.problems()
        #expect(!problems.contains { $0.hasPrefix("changed file") })
        #expect(problems.contains { $0.hasPrefix("manifest.json changed") })
        #expect(problems.contains("signature.json: signature does not match manifest.json"))
    }

    @Test func aDeletedBundleAndADeletedManifestFail() throws {
        let evidence = try Evidence()
        try FileManager.default.removeItem(atPath: evidence.first.path)
        try FileManager.default.removeItem(atPath: evidence.second.path + "/manifest.json")
        let checks = try evidence.verify()
        #expect(checks.contains { $0.path == evidence.first.path && $0.problems.first?.hasPrefix("deleted: the state records case file") == true })
        #expect(checks.contains { $0.path == evidence.second.path && $0.problems == ["manifest.json is missing"] })
    }

    @Test func aSymlinkedFileAndAnUnknownFolderFail() throws {
        let evidence = try Evidence()
        let item = evidence.first.path + "/item.json"
        let copy = evidence.folder.path + "/item-salinan.json"
        try FileManager.default.moveItem(atPath: item, toPath: copy)
        try FileManager.default.createSymbolicLink(atPath: item, withDestinationPath: copy)
        let stray = evidence.root + "/\(evidence.second.caseID.prefix(2))/\(evidence.second.caseID.prefix(2))0000000000000000000000"
        try FileManager.default.copyItem(atPath: evidence.second.path, toPath: stray)
        try FileManager.default.createDirectory(atPath: evidence.root + "/lain", withIntermediateDirectories: true)
        let checks = try evidence.verify()
        #expect(checks.contains { $0.path == evidence.first.path && $0.problems.contains("symlink instead of a file: item.json") })
        #expect(checks.contains { $0.path == stray && $0.problems.contains("unknown folder: the state records no case file here") })
        #expect(checks.contains { $0.path == evidence.root + "/lain" && $0.problems == ["unknown entry in the evidence folder"] })
    }

    @Test func aSignatureByAnotherKeyOrNoneFailsWhenAKeyIsRequired() throws {
        let evidence = try Evidence()
        let otherKey = evidence.folder.path + "/kunci-lain"
        _ = try ManifestSigner.generateKeyPair(at: otherKey)
        let manifest = try Data(contentsOf: URL(fileURLWithPath: evidence.first.path + "/manifest.json"))
        let forged = try ManifestSigner(keyFile: otherKey).sign(manifest)
        let signaturePath = evidence.first.path + "/signature.json"
        try NetralJSON.encoder().encode(forged).write(to: URL(fileURLWithPath: signaturePath))
        try FileManager.default.removeItem(atPath: evidence.second.path + "/signature.json")
        let problems = try evidence.problems()
        #expect(problems.contains { $0.hasPrefix("signature.json: signed by another key") })
        #expect(problems.contains("signature.json is missing (a signature by the given key is required)"))
    }

    @Test func keysAreWrittenPrivateAndNeverOverwritten() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/kunci/baru/netral"
        let publicKey = try ManifestSigner.generateKeyPair(at: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try ManifestSigner.publicKey(file: path + ".pub") == publicKey)
        #expect(throws: EvidenceError.self) { try ManifestSigner.generateKeyPair(at: path) }
        chmod(path, 0o644)
        #expect(throws: EvidenceError.self) { try ManifestSigner(keyFile: path) }
    }
}
