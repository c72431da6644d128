import Foundation
import Crypto
import NetralModel
public import NetralStore
public import X509

/// The outcome of checking one case file (or one stray entry of the evidence folder).
public struct BundleCheck: Sendable, Equatable {
    public var path: String
    /// Empty when the bundle is intact.
    public var problems: [String]

    public var isIntact: Bool { problems.isEmpty }
}

/// Checks case files so that neither an edit nor a deletion goes unnoticed: every file is
/// re-hashed; the manifest's own hash is compared with the one the state recorded when the
/// bundle was written; its signature is checked; a bundle the state knows but the folder lacks,
/// a folder the state does not know, a folder without a manifest and any symlink are reported.
public struct EvidenceVerifier {
    /// When given, every recorded case file must be present with the recorded manifest hash.
    public var store: StateStore?
    /// Base64 Ed25519 public key; when given, every manifest must carry a signature by it.
    public var publicKey: String?
    /// The configured time-stamping authorities' certificates; when given, every manifest must
    /// carry a token signed by one of them. A token present is always checked.
    public var timestampCertificates: [Certificate]?

    public init(store: StateStore? = nil, publicKey: String? = nil, timestampCertificates: [Certificate]? = nil) {
        self.store = store
        self.publicKey = publicKey
        self.timestampCertificates = timestampCertificates
    }

    /// Verifies the case file at `path`, or the evidence folder at `path` and all it holds.
    public func verify(path: String) throws -> [BundleCheck] {
        let pathKind = Self.kind(path)
        guard pathKind != 0 else {
            return [BundleCheck(path: path, problems: ["no such file or directory"])]
        }
        if pathKind == S_IFLNK {
            return [BundleCheck(path: path, problems: ["is a symlink; give the real folder"])]
        }
        if (path as NSString).lastPathComponent == CaseManifest.fileName {
            let bundle = (path as NSString).deletingLastPathComponent
            return [try verifyBundle(bundle, recorded: store?.caseFile(id: (bundle as NSString).lastPathComponent))]
        }
        guard pathKind == S_IFDIR else {
            return [BundleCheck(path: path, problems: ["not a case file folder or an evidence folder"])]
        }
        if FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(CaseManifest.fileName)) {
            return [try verifyBundle(path, recorded: store?.caseFile(id: (path as NSString).lastPathComponent))]
        }
        return try verifyRoot(path)
    }

    func verifyRoot(_ root: String) throws -> [BundleCheck] {
        var checks: [BundleCheck] = []
        let recorded = try store?.caseFiles() ?? []
        let recordedByPath = Dictionary(recorded.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        for shard in entries(root) {
            let shardPath = (root as NSString).appendingPathComponent(shard)
            let kind = Self.kind(shardPath)
            if shard == CaseFileWriter.temporaryFolder && kind == S_IFDIR { continue }
            if shard == EvidenceIndex.fileName && kind == S_IFREG { continue }
            guard kind == S_IFDIR, shard.count == 2, shard.allSatisfy(\.isHexDigit) else {
                checks.append(BundleCheck(path: shardPath, problems: [kind == S_IFLNK ? "symlink in the evidence folder" : "unknown entry in the evidence folder"]))
                continue
            }
            for name in entries(shardPath) {
                let bundle = (shardPath as NSString).appendingPathComponent(name)
                let relative = "\(shard)/\(name)"
                seen.insert(relative)
                let bundleKind = Self.kind(bundle)
                guard bundleKind == S_IFDIR, name.hasPrefix(shard) else {
                    checks.append(BundleCheck(path: bundle, problems: [bundleKind == S_IFLNK ? "symlink in the evidence folder" : "unknown entry in the evidence folder"]))
                    continue
                }
                var check = try verifyBundle(bundle, recorded: recordedByPath[relative])
                if store != nil, recordedByPath[relative] == nil {
                    check.problems.append("unknown folder: the state records no case file here")
                }
                checks.append(check)
            }
        }
        for caseFile in recorded where !seen.contains(caseFile.path) {
            checks.append(BundleCheck(path: (root as NSString).appendingPathComponent(caseFile.path),
                                      problems: ["deleted: the state records case file \(caseFile.id) here, created \(caseFile.createdAt)"]))
        }
        if checks.isEmpty {
            return [BundleCheck(path: root, problems: ["no case files found (no manifest.json below this folder)"])]
        }
        return checks
    }

    func verifyBundle(_ bundle: String, recorded: StoredCaseFile?) throws -> BundleCheck {
        var problems: [String] = []
        let manifestPath = (bundle as NSString).appendingPathComponent(CaseManifest.fileName)
        guard Self.kind(manifestPath) == S_IFREG, let manifestData = FileManager.default.contents(atPath: manifestPath) else {
            let what = Self.kind(manifestPath) == S_IFLNK ? "manifest.json is a symlink" : "manifest.json is missing"
            return BundleCheck(path: bundle, problems: [what])
        }
        let manifestHash = hexString(SHA256.hash(data: manifestData))
        if let recorded, recorded.manifestSHA256 != manifestHash {
            problems.append("manifest.json changed: sha256 \(manifestHash); the state recorded \(recorded.manifestSHA256)")
        }
        let manifest: CaseManifest
        do {
            manifest = try NetralJSON.decoder().decode(CaseManifest.self, from: manifestData)
        } catch {
            return BundleCheck(path: bundle, problems: problems + ["manifest.json is unreadable: \(error.localizedDescription)"])
        }
        if manifest.caseID != (bundle as NSString).lastPathComponent {
            problems.append("manifest.json names case \(manifest.caseID), but the folder is \((bundle as NSString).lastPathComponent)")
        }
        let signaturePath = (bundle as NSString).appendingPathComponent(ManifestSignature.fileName)
        if let signatureData = FileManager.default.contents(atPath: signaturePath), Self.kind(signaturePath) == S_IFREG {
            if let signature = try? NetralJSON.decoder().decode(ManifestSignature.self, from: signatureData) {
                if let problem = ManifestSigner.check(signature, manifest: manifestData, expectedKey: publicKey) { problems.append(problem) }
            } else {
                problems.append("signature.json is unreadable")
            }
        } else if publicKey != nil {
            problems.append("signature.json is missing (a signature by the given key is required)")
        }
        let tokenPath = (bundle as NSString).appendingPathComponent(Timestamper.tokenFileName)
        if Self.kind(tokenPath) == S_IFREG, let token = FileManager.default.contents(atPath: tokenPath) {
            do {
                let certificates = try timestampCertificates ?? Timestamper.embeddedSigners(of: Array(token))
                try Timestamper.check(token: Array(token), sha256: Array(SHA256.hash(data: manifestData)), trusted: certificates)
            } catch {
                problems.append("timestamp.tst: \(error)")
            }
        } else if timestampCertificates != nil {
            problems.append("timestamp.tst is missing (a timestamp by a configured authority is required)")
        }
        var listed: Set<String> = [CaseManifest.fileName, ManifestSignature.fileName, Timestamper.tokenFileName]
        for file in manifest.files {
            listed.insert(file.path)
            guard !file.path.contains("/"), !file.path.hasPrefix(".") else {
                problems.append("manifest lists a path outside the bundle: \(file.path)")
                continue
            }
            let filePath = (bundle as NSString).appendingPathComponent(file.path)
            switch Self.kind(filePath) {
            case S_IFREG: break
            case S_IFLNK:
                problems.append("symlink instead of a file: \(file.path)")
                continue
            case 0:
                problems.append("missing file: \(file.path)")
                continue
            default:
                problems.append("not a regular file: \(file.path)")
                continue
            }
            guard let data = FileManager.default.contents(atPath: filePath) else {
                problems.append("unreadable file: \(file.path)")
                continue
            }
            let digest = hexString(SHA256.hash(data: data))
            if digest != file.sha256 || data.count != file.size {
                problems.append("changed file: \(file.path) (sha256 \(digest), \(data.count) bytes; manifest says \(file.sha256), \(file.size) bytes)")
            }
        }
        for name in entries(bundle) where !listed.contains(name) {
            let kind = Self.kind((bundle as NSString).appendingPathComponent(name))
            problems.append(kind == S_IFLNK ? "symlink not in manifest: \(name)" : "file not in manifest: \(name)")
        }
        return BundleCheck(path: bundle, problems: problems)
    }

    private func entries(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// The file type bits of `path` without following a symlink; 0 when it does not exist.
    static func kind(_ path: String) -> mode_t {
        // FileManager reads the entry itself (lstat), never what a symlink points to.
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return 0 }
        switch attributes[.type] as? FileAttributeType {
        case .typeSymbolicLink?: return S_IFLNK
        case .typeDirectory?: return S_IFDIR
        case .typeRegular?: return S_IFREG
        default: return S_IFMT
        }
    }
}
