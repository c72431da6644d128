public import Foundation
import Crypto

/// `signature.json`: an Ed25519 signature over the exact bytes of `manifest.json`, and the
/// public key that checks it (`verify --public-key` insists on a known key).
public struct ManifestSignature: Codable, Sendable, Equatable {
    public var algorithm: String
    /// Base64 of the 32-byte raw public key.
    public var publicKey: String
    /// Base64 of the 64-byte signature.
    public var signature: String

    public static let fileName = "signature.json"
}

/// Signs manifests with an Ed25519 key read from a file (named in the configuration; never on
/// the command line). Key files hold the base64 of the raw 32-byte key, as `netral keygen` writes.
public struct ManifestSigner: Sendable {
    /// The raw 32-byte key; CryptoKit's key type is not Sendable, so it is rebuilt per use.
    private let rawKey: Data

    init(key: Curve25519.Signing.PrivateKey) {
        rawKey = key.rawRepresentation
    }

    private var key: Curve25519.Signing.PrivateKey {
        // rawKey was accepted by this same initializer when the signer was made.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: rawKey)
    }

    /// Reads a private key file; refuses one that others can read.
    public init(keyFile path: String) throws(EvidenceError) {
        let permissions: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
        } catch {
            throw EvidenceError(path: path, message: "cannot read signing key: \((error as NSError).localizedDescription)")
        }
        guard permissions & 0o077 == 0 else {
            throw EvidenceError(path: path, message: "signing key is readable by others (mode \(String(permissions & 0o777, radix: 8))); chmod 600 it")
        }
        let raw = try Self.readBase64Key(path)
        do {
            rawKey = try Curve25519.Signing.PrivateKey(rawRepresentation: raw).rawRepresentation
        } catch {
            throw EvidenceError(path: path, message: "not an Ed25519 private key (expected base64 of 32 bytes)")
        }
    }

    public var publicKeyBase64: String { key.publicKey.rawRepresentation.base64EncodedString() }

    public func sign(_ manifest: Data) throws -> ManifestSignature {
        ManifestSignature(algorithm: "ed25519", publicKey: publicKeyBase64,
                          signature: try key.signature(for: manifest).base64EncodedString())
    }

    /// Writes a new key pair: `path` (private, mode 600) and `path.pub`. Refuses to overwrite.
    public static func generateKeyPair(at path: String) throws(EvidenceError) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw EvidenceError(path: folder, message: "cannot create folder: \(error.localizedDescription)")
            }
        }
        let key = Curve25519.Signing.PrivateKey()
        let publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        try DurableFile.write(Data((key.rawRepresentation.base64EncodedString() + "\n").utf8), to: path)
        do {
            try DurableFile.write(Data((publicKey + "\n").utf8), to: path + ".pub", mode: 0o644)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return publicKey
    }

    /// Reads a public key file (`.pub`, as keygen writes it).
    public static func publicKey(file path: String) throws(EvidenceError) -> String {
        let raw = try readBase64Key(path)
        guard (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else {
            throw EvidenceError(path: path, message: "not an Ed25519 public key (expected base64 of 32 bytes)")
        }
        return raw.base64EncodedString()
    }

    static func readBase64Key(_ path: String) throws(EvidenceError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvidenceError(path: path, message: "cannot read key file")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: text), raw.count == 32 else {
            throw EvidenceError(path: path, message: "key file must hold the base64 of a 32-byte key")
        }
        return raw
    }

    /// Checks a signature over `manifest`; returns a problem, or nil when it holds.
    static func check(_ signature: ManifestSignature, manifest: Data, expectedKey: String?) -> String? {
        guard signature.algorithm == "ed25519" else { return "signature.json: unknown algorithm \(signature.algorithm)" }
        if let expectedKey, expectedKey != signature.publicKey {
            return "signature.json: signed by another key (\(signature.publicKey)), not the expected one"
        }
        guard let keyData = Data(base64Encoded: signature.publicKey),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyData),
              let signatureData = Data(base64Encoded: signature.signature) else {
            return "signature.json: unreadable key or signature"
        }
        return key.isValidSignature(signatureData, for: manifest) ? nil : "signature.json: signature does not match manifest.json"
    }
}

/// Files written whole and flushed, readable by the owner only unless told otherwise, so a
/// case file renamed into place after a crash never holds empty or half-written files.
enum DurableFile {
    static func write(_ data: Data, to path: String, mode: mode_t = 0o600) throws(EvidenceError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw EvidenceError(path: path, message: "cannot create file: \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            throw EvidenceError(path: path, message: "cannot write file: \(error.localizedDescription)")
        }
    }

    /// Replaces a file in one step: a new file beside it, flushed, then renamed over it.
    static func replace(_ data: Data, at path: String, mode: mode_t = 0o600) throws(EvidenceError) {
        let temporary = path + ".tmp-\(getpid())"
        try? FileManager.default.removeItem(atPath: temporary)
        try write(data, to: temporary, mode: mode)
        guard rename(temporary, path) == 0 else {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw EvidenceError(path: path, message: "cannot replace file: \(message)")
        }
        syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Flushes a folder's entries (new files, a rename) to disk; best effort.
    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
