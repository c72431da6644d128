public import Foundation
import Crypto
import NetralModel
import NetralWARC

/// Where a case file is, and whether this call created it.
public struct CaseFileOutcome: Sendable, Equatable {
    public var caseID: String
    /// The case-file folder (absolute or as the evidence root was given).
    public var path: String
    /// Relative to the evidence root, as the state records it.
    public var relativePath: String
    public var manifestSHA256: String
    /// False when the case file already existed and was left untouched.
    public var created: Bool
    public var supersedes: String?
    /// Why no authority time-stamped the manifest, when timestamps are configured and all failed.
    public var timestampProblem: String? = nil
}

/// Writes case files: one folder per item and content under `root/<id[0..2]>/<id>/`.
///
/// The folder is decided by the id alone, so a rescan on any later day finds the same place.
/// A case file is assembled in `root/.incomplete/<pid>-<uuid>@<host>/` and renamed into place in one
/// step, so a reader never sees half a case file; a run removes only temporary folders of its own
/// machine whose process is gone, so configurations and workers sharing one evidence folder never
/// delete each other's work.
public struct CaseFileWriter: Sendable {
    public let root: String
    public let signer: ManifestSigner?
    public let timestamper: Timestamper?
    public static let temporaryFolder = ".incomplete"

    public init(root: String, signer: ManifestSigner? = nil, timestamper: Timestamper? = nil) {
        self.root = root
        self.signer = signer
        self.timestamper = timestamper
    }

    public static func relativePath(caseID: String) -> String {
        "\(caseID.prefix(2))/\(caseID)"
    }

    public func path(caseID: String) -> String {
        (root as NSString).appendingPathComponent(Self.relativePath(caseID: caseID))
    }

    /// Writes the case file unless one with the same id exists.
    public func write(_ caseFile: CaseFile, supersedes: CaseManifest.Supersedes? = nil, now: Date = Date()) throws(EvidenceError) -> CaseFileOutcome {
        let caseID = caseFile.id
        let relative = Self.relativePath(caseID: caseID)
        let finalPath = path(caseID: caseID)
        let manifestAtFinal = (finalPath as NSString).appendingPathComponent(CaseManifest.fileName)
        if let existing = FileManager.default.contents(atPath: manifestAtFinal) {
            return CaseFileOutcome(caseID: caseID, path: finalPath, relativePath: relative, manifestSHA256: hexString(SHA256.hash(data: existing)),
                                   created: false, supersedes: supersedes?.caseID)
        }
        let temporaryPath = (root as NSString).appendingPathComponent("\(Self.temporaryFolder)/\(getpid())-\(UUID().uuidString)@\(Self.hostName)")
        do throws(EvidenceError) {
            try makeDirectory(temporaryPath)
            let (manifestData, timestampProblem) = try assemble(caseFile, in: temporaryPath, supersedes: supersedes, now: now)
            DurableFile.syncDirectory(temporaryPath)
            let parent = (finalPath as NSString).deletingLastPathComponent
            try makeDirectory(parent)
            // rename(2) moves the whole folder in one step, and refuses if the target is a
            // non-empty folder (another run wrote the same case first).
            if rename(temporaryPath, finalPath) != 0 {
                let code = errno
                try? FileManager.default.removeItem(atPath: temporaryPath)
                if (code == EEXIST || code == ENOTEMPTY), let existing = FileManager.default.contents(atPath: manifestAtFinal) {
                    return CaseFileOutcome(caseID: caseID, path: finalPath, relativePath: relative,
                                           manifestSHA256: hexString(SHA256.hash(data: existing)), created: false, supersedes: supersedes?.caseID)
                }
                throw EvidenceError(path: finalPath, message: "cannot move case file into place: \(String(cString: strerror(code)))")
            }
            DurableFile.syncDirectory(parent)
            return CaseFileOutcome(caseID: caseID, path: finalPath, relativePath: relative,
                                   manifestSHA256: hexString(SHA256.hash(data: manifestData)), created: true, supersedes: supersedes?.caseID,
                                   timestampProblem: timestampProblem)
        } catch {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw error
        }
    }

    /// Writes every file of the case file into `folder`; returns the manifest's bytes, and why it
    /// could not be time-stamped (the case file is kept without a token rather than lost).
    func assemble(_ caseFile: CaseFile, in folder: String, supersedes: CaseManifest.Supersedes?, now: Date) throws(EvidenceError) -> (Data, String?) {
        var files: [CaseManifest.File] = []
        func add(_ name: String, _ data: Data) throws(EvidenceError) {
            try DurableFile.write(data, to: (folder as NSString).appendingPathComponent(name))
            files.append(CaseManifest.File(path: name, sha256: hexString(SHA256.hash(data: data)), size: data.count))
        }
        func encode<Value: Encodable>(_ value: Value, _ name: String) throws(EvidenceError) -> Data {
            do { return try NetralJSON.encoder().encode(value) } catch {
                throw EvidenceError(path: (folder as NSString).appendingPathComponent(name), message: "cannot encode: \(error)")
            }
        }
        let warcName = "capture.warc.gz"
        var info = [
            HTTPHeader(name: "software", value: "netral \(NetralVersion.current)"),
            HTTPHeader(name: "format", value: "WARC File Format 1.1"),
            HTTPHeader(name: "conformsTo", value: "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"),
            HTTPHeader(name: "description", value: "netral case \(caseFile.id): \(caseFile.item.identityURL)"),
        ]
        if caseFile.capture.encodedBody == nil, caseFile.capture.header("Content-Encoding") != nil {
            info.append(HTTPHeader(name: "note", value: "response payload stored after content decoding; original Content-Encoding kept as X-Netral-Original-Content-Encoding"))
        }
        if let source = caseFile.source {
            info.append(HTTPHeader(name: "source-warc", value: source.warcFile))
            info.append(HTTPHeader(name: "source-record-offset", value: String(source.offset)))
            if let id = source.recordID { info.append(HTTPHeader(name: "source-record-id", value: id)) }
            if let digest = source.digest { info.append(HTTPHeader(name: "source-record-digest", value: digest)) }
        }
        let warc: WARCWriter
        do {
            warc = try CaptureArchive.warc(for: caseFile.capture, resources: (caseFile.related + caseFile.keptImages).map(CaptureArchive.Resource.init),
                                           info: info, filename: warcName, now: now)
        } catch {
            throw EvidenceError(path: (folder as NSString).appendingPathComponent(warcName), message: "\(error)")
        }
        try add(warcName, warc.data)
        // The decoded body as its own file too: the copy a reviewer opens without WARC tools.
        try add("capture.\(Self.bodyExtension(for: caseFile.capture))", caseFile.capture.body)
        for (index, related) in caseFile.related.enumerated() {
            try add("related-\(index + 1).\(Self.bodyExtension(for: related))", related.body)
        }
        try add("item.json", try encode(Masked.item(caseFile.item), "item.json"))
        try add("findings.json", try encode(caseFile.findings.map(Masked.finding), "findings.json"))
        let manifestWithoutFiles = manifest(for: caseFile, supersedes: supersedes, now: now, files: [])
        try add("report.html", Data(ReportRenderer.render(caseFile, manifest: manifestWithoutFiles).utf8))

        let manifest = manifest(for: caseFile, supersedes: supersedes, now: now, files: files)
        let manifestData = try encode(manifest, CaseManifest.fileName)
        try DurableFile.write(manifestData, to: (folder as NSString).appendingPathComponent(CaseManifest.fileName))
        if let signer {
            let signature: ManifestSignature
            do { signature = try signer.sign(manifestData) } catch {
                throw EvidenceError(path: folder, message: "cannot sign manifest: \(error)")
            }
            try DurableFile.write(try encode(signature, ManifestSignature.fileName), to: (folder as NSString).appendingPathComponent(ManifestSignature.fileName))
        }
        var timestampProblem: String?
        if let timestamper {
            do {
                let token = try timestamper.token(forSHA256: Array(SHA256.hash(data: manifestData)))
                try DurableFile.write(Data(token), to: (folder as NSString).appendingPathComponent(Timestamper.tokenFileName))
            } catch {
                timestampProblem = error.description
            }
        }
        return (manifestData, timestampProblem)
    }

    func manifest(for caseFile: CaseFile, supersedes: CaseManifest.Supersedes?, now: Date, files: [CaseManifest.File]) -> CaseManifest {
        CaseManifest(
            format: CaseManifest.currentFormat, caseID: caseFile.id, itemID: caseFile.item.identityURL,
            contentDigest: caseFile.contentDigest, sourceURL: caseFile.item.sourceURL,
            fetchedAt: caseFile.capture.fetchedAt, createdAt: now, severity: caseFile.severity,
            acts: caseFile.findings.map { .init(findingID: $0.id, rule: $0.rule, act: $0.act, severity: $0.severity, score: $0.score) },
            supersedes: supersedes, source: caseFile.source, region: caseFile.region,
            tool: .init(name: "netral", version: NetralVersion.current), packs: caseFile.packs, files: files
        )
    }

    /// This machine's name, which marks its temporary folders.
    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// Removes temporary folders whose run is gone (killed while writing); a live run's
    /// folders, of this or another configuration or machine, are left alone.
    public func removeIncomplete() {
        // A file replaced in one step (`index.html`) by a run killed before its rename leaves
        // `NAME.tmp-PID` beside it.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
            guard let marker = name.range(of: ".tmp-", options: .backwards), let pid = Int32(name[marker.upperBound...]),
                  pid != getpid(), kill(pid, 0) != 0, errno != EPERM else { continue }
            try? FileManager.default.removeItem(atPath: (root as NSString).appendingPathComponent(name))
        }
        let temporaryRoot = (root as NSString).appendingPathComponent(Self.temporaryFolder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporaryRoot) else { return }
        for name in names {
            // Workers on other machines may share this folder: their process ids mean nothing here.
            if let at = name.lastIndex(of: "@"), name[name.index(after: at)...] != Self.hostName { continue }
            let pidText = name.split(separator: "-", maxSplits: 1).first.map(String.init) ?? ""
            // kill(pid, 0) asks whether the process exists without signalling it.
            if let pid = Int32(pidText), pid == getpid() || kill(pid, 0) == 0 || errno == EPERM { continue }
            try? FileManager.default.removeItem(atPath: (temporaryRoot as NSString).appendingPathComponent(name))
        }
    }

    private func makeDirectory(_ path: String) throws(EvidenceError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw EvidenceError(path: path, message: "cannot create folder: \(error.localizedDescription)")
        }
    }

    /// A file extension for the raw body, so a reviewer's system opens it sensibly.
    static func bodyExtension(for capture: Capture) -> String {
        switch capture.mediaType {
        case let type? where type.contains("html"): "html"
        case let type? where type.contains("json"): "json"
        case let type? where type.contains("xml"): "xml"
        case let type? where type.hasPrefix("text/"): "txt"
        case nil where capture.finalURL.hasSuffix(".html") || capture.finalURL.hasSuffix(".htm"): "html"
        default: "body"
        }
    }
}
