public import Foundation
import Crypto
import SwiftASN1
public import X509

/// A time-stamping authority (RFC 3161) from the configuration: where to ask, and the
/// certificate its tokens must be signed with (pinned, so a token made with any other key fails).
public struct TimestampAuthority: Sendable {
    public var url: String
    public var certificate: Certificate
    /// The authority may be on a loopback or private address (an office's own TSA).
    public var allowPrivate: Bool

    public init(url: String, certificate: Certificate, allowPrivate: Bool = false) {
        self.url = url
        self.certificate = certificate
        self.allowPrivate = allowPrivate
    }

    /// Reads the authority's signing certificate (PEM).
    public init(url: String, certificateFile path: String, allowPrivate: Bool = false) throws(EvidenceError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvidenceError(path: path, message: "cannot read the time-stamping authority's certificate")
        }
        do {
            certificate = try Certificate(pemEncoded: String(decoding: data, as: UTF8.self))
        } catch {
            throw EvidenceError(path: path, message: "not a PEM certificate: \(error)")
        }
        self.url = url
        self.allowPrivate = allowPrivate
    }
}

/// One RFC 3161 query as it goes over HTTP: a POST of `body` (DER `TimeStampReq`) with
/// `Content-Type: application/timestamp-query` to the authority's URL.
public struct TimestampQuery: Sendable {
    public static let contentType = "application/timestamp-query"
    public static let replyType = "application/timestamp-reply"
    /// The largest reply taken.
    public static let maxReplyBytes = 1 << 20

    public var url: String
    public var body: [UInt8]
    /// Seconds for the whole exchange.
    public var timeout: TimeInterval
    public var allowPrivate: Bool
}

/// Sends one query and returns the HTTP status and body of the answer. The scan's goes through
/// its fetch engine (address policy, User-Agent, caps); it is called from a case-file writer,
/// which runs on a thread of its own, so it may block.
public typealias TimestampSender = @Sendable (TimestampQuery) throws -> (status: Int, body: [UInt8])

/// What a checked timestamp token says.
public struct TimestampTokenInfo: Sendable, Equatable {
    public var time: Date
    public var authority: String
}

/// RFC 3161 time-stamping of a manifest's SHA-256: the request is built in DER, sent to each
/// authority in order until one answers with a granted token, and the token is checked before it
/// is kept (hash, nonce, signature by the pinned certificate with the timeStamping usage).
public struct Timestamper: Sendable {
    public var authorities: [TimestampAuthority]
    /// Per authority; a slow TSA must not stall a scan.
    public var timeout: TimeInterval
    public let send: TimestampSender

    public static let tokenFileName = "timestamp.tst"

    public init(authorities: [TimestampAuthority], timeout: TimeInterval = 15, send: @escaping TimestampSender) {
        self.authorities = authorities
        self.timeout = timeout
        self.send = send
    }

    /// A checked token (DER ContentInfo) over `digest`, from the first authority that gives one.
    public func token(forSHA256 digest: [UInt8]) throws(EvidenceError) -> [UInt8] {
        var failures: [String] = []
        for authority in authorities {
            let nonce = UInt64.random(in: 1...UInt64(Int64.max))
            do {
                let request = try Self.request(sha256: digest, nonce: nonce)
                let reply = try post(request, to: authority)
                let token = try Self.grantedToken(in: reply)
                _ = try Self.check(token: token, sha256: digest, trusted: [authority.certificate], nonce: nonce)
                return token
            } catch {
                failures.append("\(authority.url): \(error)")
            }
        }
        throw EvidenceError(path: "timestamp", message: failures.isEmpty ? "no time-stamping authority configured" : failures.joined(separator: "; "))
    }

    /// `TimeStampReq` (RFC 3161 §2.4.1): version 1, SHA-256 imprint, nonce, certReq true.
    static func request(sha256 digest: [UInt8], nonce: UInt64) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { request in
            try request.serialize(1)
            try request.appendConstructedNode(identifier: .sequence) { imprint in
                try imprint.appendConstructedNode(identifier: .sequence) { algorithm in
                    try algorithm.serialize(OID.sha256)
                    try algorithm.serialize(ASN1Null())
                }
                try imprint.serialize(ASN1OctetString(contentBytes: ArraySlice(digest)))
            }
            try request.serialize(Int64(bitPattern: nonce))
            try request.serialize(true)
        }
        return serializer.serializedBytes
    }

    func post(_ body: [UInt8], to authority: TimestampAuthority) throws -> [UInt8] {
        let url = authority.url
        guard let target = URL(string: url), ["http", "https"].contains(target.scheme?.lowercased() ?? "") else {
            throw EvidenceError(path: url, message: "not an http(s) URL")
        }
        let answer = try send(TimestampQuery(url: url, body: body, timeout: timeout, allowPrivate: authority.allowPrivate))
        guard answer.status == 200 else { throw EvidenceError(path: url, message: "HTTP status \(answer.status)") }
        guard answer.body.count <= TimestampQuery.maxReplyBytes else { throw EvidenceError(path: url, message: "reply larger than 1 MiB") }
        return answer.body
    }

    /// The token of a `TimeStampResp` whose status is granted (0) or grantedWithMods (1).
    static func grantedToken(in reply: [UInt8]) throws -> [UInt8] {
        let root = try DER.parse(reply)
        let parts = try children(root, "TimeStampResp")
        let status = try children(parts[0], "PKIStatusInfo")
        let code = try Int(derEncoded: status[0])
        guard code == 0 || code == 1 else {
            throw TimestampError("the authority refused (PKIStatus \(code))")
        }
        guard parts.count > 1 else { throw TimestampError("granted without a token") }
        return Array(parts[1].encodedBytes)
    }

    /// Checks a token against the SHA-256 it should cover and the certificates it may be signed
    /// with; returns its time. Every check that fails throws, saying which.
    @discardableResult
    public static func check(token: [UInt8], sha256 digest: [UInt8], trusted: [Certificate], nonce: UInt64? = nil) throws -> TimestampTokenInfo {
        let contentInfo = try children(try DER.parse(token), "ContentInfo")
        guard contentInfo.count == 2, try ASN1ObjectIdentifier(derEncoded: contentInfo[0]) == OID.signedData else {
            throw TimestampError("not a CMS SignedData")
        }
        let signedData = try children(try single(contentInfo[1], "content"), "SignedData")
        let encapsulated = try children(signedData[2], "EncapsulatedContentInfo")
        guard try ASN1ObjectIdentifier(derEncoded: encapsulated[0]) == OID.tstInfo, encapsulated.count == 2 else {
            throw TimestampError("the signed content is not a TSTInfo")
        }
        let tstBytes = try ASN1OctetString(derEncoded: try single(encapsulated[1], "eContent")).bytes
        let tst = try children(try DER.parse(tstBytes), "TSTInfo")
        let imprint = try children(tst[2], "MessageImprint")
        let imprintAlgorithm = try ASN1ObjectIdentifier(derEncoded: try children(imprint[0], "AlgorithmIdentifier")[0])
        let hashed = try ASN1OctetString(derEncoded: imprint[1]).bytes
        guard imprintAlgorithm == OID.sha256, Array(hashed) == digest else {
            throw TimestampError("the token covers another hash than this manifest's SHA-256")
        }
        let generalized = try GeneralizedTime(derEncoded: tst[4])
        var components = DateComponents(timeZone: TimeZone(identifier: "UTC"), year: generalized.year, month: generalized.month,
                                        day: generalized.day, hour: generalized.hours, minute: generalized.minutes, second: generalized.seconds)
        components.nanosecond = Int(generalized.fractionalSeconds * 1_000_000_000)
        guard let time = Calendar(identifier: .gregorian).date(from: components) else { throw TimestampError("the token's time is not a date") }
        if let nonce {
            let integers = tst.dropFirst(5).filter { $0.identifier == .integer }
            guard let first = integers.first, try Int64(derEncoded: first) == Int64(bitPattern: nonce) else {
                throw TimestampError("the token does not carry the request's nonce")
            }
        }

        // The certificates ([0] IMPLICIT) come before the signer infos (the last SET).
        let certificates = try signedData.filter { $0.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) }
            .flatMap { try children($0, "certificates") }
            .map { try Certificate(derEncoded: Array($0.encodedBytes)) }
        guard let signerInfos = signedData.last, let signerInfoNode = try children(signerInfos, "SignerInfos").first else {
            throw TimestampError("no signer")
        }
        let signerInfo = try children(signerInfoNode, "SignerInfo")
        guard signerInfo.count >= 6 else { throw TimestampError("a SignerInfo without signed attributes") }
        let serial = try children(signerInfo[1], "IssuerAndSerialNumber")[1]
        let serialBytes = try ArraySlice<UInt8>(derEncoded: serial)
        let digestAlgorithm = try ASN1ObjectIdentifier(derEncoded: try children(signerInfo[2], "AlgorithmIdentifier")[0])
        let signedAttributes = signerInfo[3]
        guard signedAttributes.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) else {
            throw TimestampError("a SignerInfo without signed attributes")
        }
        let signatureAlgorithm = try ASN1ObjectIdentifier(derEncoded: try children(signerInfo[4], "AlgorithmIdentifier")[0])
        let signature = try ASN1OctetString(derEncoded: signerInfo[5]).bytes

        // messageDigest among the signed attributes must be the digest of the TSTInfo.
        var messageDigest: ArraySlice<UInt8>?
        for attribute in try children(signedAttributes, "signedAttrs") {
            let parts = try children(attribute, "Attribute")
            if try ASN1ObjectIdentifier(derEncoded: parts[0]) == OID.messageDigest, let value = try children(parts[1], "values").first {
                messageDigest = try ASN1OctetString(derEncoded: value).bytes
            }
        }
        guard let messageDigest, Array(messageDigest) == (try hash(Array(tstBytes), with: digestAlgorithm)) else {
            throw TimestampError("the signed attributes do not match the TSTInfo")
        }
        guard let signer = certificates.first(where: { $0.serialNumber.bytes == serialBytes }) else {
            throw TimestampError("the signer's certificate is not in the token")
        }
        guard trusted.contains(signer) else {
            throw TimestampError("signed by \(signer.subject), not by a configured time-stamping authority")
        }
        guard try signer.extensions.extendedKeyUsage?.contains(.timeStamping) == true else {
            throw TimestampError("the signer's certificate lacks the timeStamping usage")
        }
        guard signer.notValidBefore <= time, time <= signer.notValidAfter else {
            throw TimestampError("the token's time lies outside the signer's certificate validity")
        }
        // The signature covers the DER of the attributes as a SET (tag 0x31), not as [0].
        var signedBytes = Array(signedAttributes.encodedBytes)
        signedBytes[0] = 0x31
        let algorithm = try certificateAlgorithm(digest: digestAlgorithm, signature: signatureAlgorithm)
        guard signer.publicKey.isValidSignature(signature, for: signedBytes, signatureAlgorithm: algorithm) else {
            throw TimestampError("the signature does not verify")
        }
        return TimestampTokenInfo(time: time, authority: "\(signer.subject)")
    }

    /// The certificates a token carries, for checking it when no authority is configured (the
    /// hash and signature are checked; who signed is then the reader's judgement).
    public static func embeddedSigners(of token: [UInt8]) throws -> [Certificate] {
        let contentInfo = try children(try DER.parse(token), "ContentInfo")
        guard contentInfo.count == 2 else { throw TimestampError("not a CMS SignedData") }
        let signedData = try children(try single(contentInfo[1], "content"), "SignedData")
        return try signedData.filter { $0.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) }
            .flatMap { try children($0, "certificates") }
            .map { try Certificate(derEncoded: Array($0.encodedBytes)) }
    }

    static func hash(_ bytes: [UInt8], with algorithm: ASN1ObjectIdentifier) throws -> [UInt8] {
        switch algorithm {
        case OID.sha256: Array(SHA256.hash(data: bytes))
        case OID.sha384: Array(SHA384.hash(data: bytes))
        case OID.sha512: Array(SHA512.hash(data: bytes))
        default: throw TimestampError("unsupported digest algorithm \(algorithm)")
        }
    }

    static func certificateAlgorithm(digest: ASN1ObjectIdentifier, signature: ASN1ObjectIdentifier) throws -> Certificate.SignatureAlgorithm {
        let isRSA = signature == OID.rsaEncryption || signature == OID.sha256WithRSA || signature == OID.sha384WithRSA || signature == OID.sha512WithRSA
        let isECDSA = signature == OID.ecPublicKey || signature == OID.ecdsaSHA256 || signature == OID.ecdsaSHA384 || signature == OID.ecdsaSHA512
        switch (isRSA, isECDSA, digest) {
        case (true, _, OID.sha256): return .sha256WithRSAEncryption
        case (true, _, OID.sha384): return .sha384WithRSAEncryption
        case (true, _, OID.sha512): return .sha512WithRSAEncryption
        case (_, true, OID.sha256): return .ecdsaWithSHA256
        case (_, true, OID.sha384): return .ecdsaWithSHA384
        case (_, true, OID.sha512): return .ecdsaWithSHA512
        default:
            if signature == OID.ed25519 { return .ed25519 }
            throw TimestampError("unsupported signature algorithm \(signature) with \(digest)")
        }
    }

    static func children(_ node: ASN1Node, _ what: String) throws -> [ASN1Node] {
        guard case .constructed(let nodes) = node.content else { throw TimestampError("\(what) is not constructed") }
        let list = Array(nodes)
        guard !list.isEmpty || what == "certificates" else { throw TimestampError("\(what) is empty") }
        return list
    }

    static func single(_ node: ASN1Node, _ what: String) throws -> ASN1Node {
        guard let first = try children(node, what).first else { throw TimestampError("\(what) is empty") }
        return first
    }

    enum OID {
        static let sha256: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
        static let sha384: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 2]
        static let sha512: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 3]
        static let signedData: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 7, 2]
        static let tstInfo: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 1, 4]
        static let messageDigest: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 4]
        static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 1]
        static let sha256WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 11]
        static let sha384WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 12]
        static let sha512WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 13]
        static let ecPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]
        static let ecdsaSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
        static let ecdsaSHA384: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 3]
        static let ecdsaSHA512: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 4]
        static let ed25519: ASN1ObjectIdentifier = [1, 3, 101, 112]
    }
}

/// Why a timestamp token was refused.
public struct TimestampError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
