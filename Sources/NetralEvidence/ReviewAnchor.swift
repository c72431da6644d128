public import Foundation
import Crypto
import NetralModel
public import X509

/// The review log's head (how many entries, the last entry's hash) kept where an edit of the
/// database cannot reach: `review-anchor.json` in the evidence folder, replaced after every
/// decision and only ever by a longer log, signed with the configured key and time-stamped
/// (RFC 3161) where authorities are configured. `verify --reviews` compares the state's log with
/// it: a log shorter than the anchor (entries deleted, an older copy restored) or one whose entry
/// at the anchored position hashes differently (rewritten and recomputed) is caught.
public struct ReviewAnchor: Codable, Sendable, Equatable {
    public var format: Int
    /// Entries in the log when it was anchored.
    public var count: Int64
    /// The hash of entry `count` (64 zeros for an empty log).
    public var entryHash: String
    public var anchoredAt: Date
    /// Ed25519 over `signedBytes`, when a signing key is configured.
    public var signature: ManifestSignature?
    /// Base64 of an RFC 3161 token over the SHA-256 of `signedBytes`, when authorities answered.
    public var timestamp: String?

    public static let fileName = "review-anchor.json"
    public static let currentFormat = 1

    public init(count: Int64, entryHash: String, anchoredAt: Date = Date()) {
        format = Self.currentFormat
        self.count = count
        self.entryHash = entryHash
        self.anchoredAt = anchoredAt
    }

    /// What is signed and time-stamped: the head alone, so the same head always gives the same bytes.
    public var signedBytes: Data { Data("netral-review-head-v1\n\(count)\n\(entryHash)\n".utf8) }

    /// The anchor of `evidenceRoot`, or nil when none was written yet.
    public static func read(evidenceRoot: String) throws(EvidenceError) -> ReviewAnchor? {
        let path = (evidenceRoot as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try NetralJSON.decoder().decode(ReviewAnchor.self, from: data)
        } catch {
            throw EvidenceError(path: path, message: "unreadable review anchor: \(error)")
        }
    }

    /// Signs and time-stamps this head and writes it to `evidenceRoot`, unless the anchor there
    /// already records a log at least as long (two reviewers deciding at once never move it
    /// back). Serialised between processes by a lock file beside it. Returns why the head could
    /// not be time-stamped, if it could not (the anchor is written without a token).
    @discardableResult
    public func write(evidenceRoot: String, signer: ManifestSigner?, timestamper: Timestamper?) throws(EvidenceError) -> String? {
        var anchor = self
        if let signer {
            do { anchor.signature = try signer.sign(signedBytes) } catch {
                throw EvidenceError(path: evidenceRoot, message: "cannot sign the review anchor: \(error)")
            }
        }
        var timestampProblem: String?
        if let timestamper {
            do {
                anchor.timestamp = Data(try timestamper.token(forSHA256: Array(SHA256.hash(data: signedBytes)))).base64EncodedString()
            } catch {
                timestampProblem = error.description
            }
        }
        let path = (evidenceRoot as NSString).appendingPathComponent(Self.fileName)
        let lockPath = path + ".lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard lock >= 0 else { throw EvidenceError(path: lockPath, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        if let current = try Self.read(evidenceRoot: evidenceRoot), current.count >= count { return timestampProblem }
        let data: Data
        do { data = try NetralJSON.encoder().encode(anchor) } catch {
            throw EvidenceError(path: path, message: "cannot encode the review anchor: \(error)")
        }
        try DurableFile.replace(data, at: path, mode: 0o644)
        return timestampProblem
    }

    /// Why this anchor cannot be trusted (a signature that does not hold, one by another key than
    /// `publicKey`, a token that does not cover the head), or nil.
    public func problem(publicKey: String?, timestampCertificates: [Certificate]?) -> String? {
        if let signature {
            if let problem = ManifestSigner.check(signature, manifest: signedBytes, expectedKey: publicKey) {
                let reason = problem.replacingOccurrences(of: "signature.json: ", with: "")
                return "\(Self.fileName): " + reason.replacingOccurrences(of: "manifest.json", with: "the anchored head")
            }
        } else if publicKey != nil {
            return "\(Self.fileName) is not signed, but a signing key is required"
        }
        if let timestamp {
            guard let token = Data(base64Encoded: timestamp) else { return "\(Self.fileName): the timestamp is not base64" }
            do {
                _ = try Timestamper.check(token: Array(token), sha256: Array(SHA256.hash(data: signedBytes)),
                                          trusted: timestampCertificates ?? Timestamper.embeddedSigners(of: Array(token)))
            } catch {
                return "\(Self.fileName): the timestamp does not hold: \(error)"
            }
        }
        return nil
    }

    /// Names the files the anchor keeps beside it, which `verify` does not take for case files.
    static func isAnchorFile(_ name: String) -> Bool {
        name == fileName || name == fileName + ".lock" || name.hasPrefix(fileName + ".tmp-")
    }
}
