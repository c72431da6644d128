import Foundation
import Crypto
import NetralModel
public import X509

/// The outcome of checking one case file (or one stray entry of the evidence folder).
public struct CaseFileCheck: Sendable, Equatable {
    public var path: String
    /// Empty when the case file is intact.
    public var problems: [String]

    public var isIntact: Bool { problems.isEmpty }
}

/// Checks case files so that neither an edit nor a deletion goes unnoticed: every file is
/// re-hashed; the manifest's own hash is compared with the one the state recorded when the
/// case file was written; its signature is checked; a case file the state knows but the folder
/// lacks, a folder the state does not know, a folder without a manifest and any symlink are
/// reported. Files are read through `CaseFolder`, as every other reader of case files does.
public struct EvidenceVerifier {
    /// When given, every recorded case file must be present with the recorded manifest hash.
    public var store: (any CaseFileLedger)?
    /// Base64 Ed25519 public key; when given, every manifest must carry a signature by it.
    public var publicKey: String?
    /// The configured time-stamping authorities' certificates; when given, every manifest must
    /// carry a token signed by one of them. A token present is always checked.
    public var timestampCertificates: [Certificate]?

    public init(store: (any CaseFileLedger)? = nil, publicKey: String? = nil, timestampCertificates: [Certificate]? = nil) {
        self.store = store
        self.publicKey = publicKey
        self.timestampCertificates = timestampCertificates
    }

    /// Verifies the case file at `path`, or the evidence folder at `path` and all it holds.
    public func verify(path: String) throws -> [CaseFileCheck] {
        let pathKind = FileKind(path)
        switch pathKind {
        case .missing: return [CaseFileCheck(path: path, problems: ["no such file or directory"])]
        case .symlink: return [CaseFileCheck(path: path, problems: ["is a symlink; give the real folder"])]
        default: break
        }
        if (path as NSString).lastPathComponent == CaseManifest.fileName {
            let folder = (path as NSString).deletingLastPathComponent
            return [try verifyCaseFile(folder, recorded: store?.caseFile(id: (folder as NSString).lastPathComponent))]
        }
        guard pathKind == .directory else {
            return [CaseFileCheck(path: path, problems: ["not a case file folder or an evidence folder"])]
        }
        if FileKind((path as NSString).appendingPathComponent(CaseManifest.fileName)) != .missing {
            return [try verifyCaseFile(path, recorded: store?.caseFile(id: (path as NSString).lastPathComponent))]
        }
        return try verifyRoot(path)
    }

    func verifyRoot(_ root: String) throws -> [CaseFileCheck] {
        var checks: [CaseFileCheck] = []
        let recorded = try store?.caseFiles() ?? []
        let recordedByPath = Dictionary(recorded.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        for shard in entries(root) {
            let shardPath = (root as NSString).appendingPathComponent(shard)
            let kind = FileKind(shardPath)
            if shard == CaseFileWriter.temporaryFolder && kind == .directory { continue }
            if shard == EvidenceIndex.fileName && kind == .regular { continue }
            guard kind == .directory, shard.count == 2, shard.allSatisfy(\.isHexDigit) else {
                checks.append(CaseFileCheck(path: shardPath, problems: [Self.stray(kind)]))
                continue
            }
            for name in entries(shardPath) {
                let folder = (shardPath as NSString).appendingPathComponent(name)
                let relative = "\(shard)/\(name)"
                seen.insert(relative)
                let folderKind = FileKind(folder)
                guard folderKind == .directory, name.hasPrefix(shard) else {
                    checks.append(CaseFileCheck(path: folder, problems: [Self.stray(folderKind)]))
                    continue
                }
                var check = try verifyCaseFile(folder, recorded: recordedByPath[relative])
                if store != nil, recordedByPath[relative] == nil {
                    check.problems.append("unknown folder: the state records no case file here")
                }
                checks.append(check)
            }
        }
        for caseFile in recorded where !seen.contains(caseFile.path) {
            let problem = "deleted: the state records case file \(caseFile.id) here, created \(caseFile.createdAt)"
            checks.append(CaseFileCheck(path: (root as NSString).appendingPathComponent(caseFile.path), problems: [problem]))
        }
        if checks.isEmpty {
            return [CaseFileCheck(path: root, problems: ["no case files found (no manifest.json below this folder)"])]
        }
        return checks
    }

    func verifyCaseFile(_ path: String, recorded: StoredCaseFile?) throws -> CaseFileCheck {
        var problems: [String] = []
        let manifestData: Data
        do {
            manifestData = try CaseFolder.readManifest(in: path)
        } catch {
            let what = switch error.problem {
            case .symlink: "manifest.json is a symlink"
            case .missing: "manifest.json is missing"
            case .notRegularFile: "manifest.json is not a regular file"
            case .tooLarge(let limit): "manifest.json is larger than \(limit) bytes"
            default: "manifest.json is unreadable: \(error)"
            }
            return CaseFileCheck(path: path, problems: [what])
        }
        let manifestHash = hexString(SHA256.hash(data: manifestData))
        if let recorded, recorded.manifestSHA256 != manifestHash {
            problems.append("manifest.json changed: sha256 \(manifestHash); the state recorded \(recorded.manifestSHA256)")
        }
        let folder: CaseFolder
        do {
            folder = try CaseFolder(path: path, manifestData: manifestData)
        } catch {
            let reason = if case .undecodable(let reason) = error.problem { reason } else { "\(error)" }
            return CaseFileCheck(path: path, problems: problems + ["manifest.json is unreadable: \(reason)"])
        }
        let manifest = folder.manifest
        if manifest.caseID != (path as NSString).lastPathComponent {
            problems.append("manifest.json names case \(manifest.caseID), but the folder is \((path as NSString).lastPathComponent)")
        }
        let signaturePath = (path as NSString).appendingPathComponent(ManifestSignature.fileName)
        if FileKind(signaturePath) == .regular, let signatureData = try? CaseFolder.readFile(signaturePath) {
            if let signature = try? NetralJSON.decoder().decode(ManifestSignature.self, from: signatureData) {
                if let problem = ManifestSigner.check(signature, manifest: manifestData, expectedKey: publicKey) { problems.append(problem) }
            } else {
                problems.append("signature.json is unreadable")
            }
        } else if publicKey != nil {
            problems.append("signature.json is missing (a signature by the given key is required)")
        }
        let tokenPath = (path as NSString).appendingPathComponent(Timestamper.tokenFileName)
        if FileKind(tokenPath) == .regular, let token = try? CaseFolder.readFile(tokenPath) {
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
            do {
                let (digest, size) = try folder.digest(file.path)
                if digest != file.sha256 || size != file.size {
                    problems.append("changed file: \(file.path) (sha256 \(digest), \(size) bytes; "
                                    + "manifest says \(file.sha256), \(file.size) bytes)")
                }
            } catch {
                let problem = switch error.problem {
                case .outsideFolder: "manifest lists a path outside the case file: \(file.path)"
                case .symlink: "symlink instead of a file: \(file.path)"
                case .missing: "missing file: \(file.path)"
                case .notRegularFile: "not a regular file: \(file.path)"
                default: "unreadable file: \(file.path)"
                }
                problems.append(problem)
            }
        }
        for name in entries(path) where !listed.contains(name) {
            let kind = FileKind((path as NSString).appendingPathComponent(name))
            problems.append(kind == .symlink ? "symlink not in manifest: \(name)" : "file not in manifest: \(name)")
        }
        return CaseFileCheck(path: path, problems: problems)
    }

    /// An entry of the evidence folder that is not a case file's.
    static func stray(_ kind: FileKind) -> String {
        kind == .symlink ? "symlink in the evidence folder" : "unknown entry in the evidence folder"
    }

    private func entries(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }
}
