import Crypto
import Foundation
import Hummingbird
import Logging
import NetralDemo
import NetralModel
import NetralTestSupport
import Testing
import X509
@testable import NetralEvidence

/// A real RFC 3161 authority: `openssl ts -reply` with a throw-away EC key and a certificate with
/// the critical timeStamping usage, behind a loopback HTTP endpoint the test starts.
final class OpenSSLAuthority: Sendable {
    let folder: TemporaryFolder
    var certificatePath: String { folder.path + "/tsa.crt" }

    init() throws {
        folder = try TemporaryFolder()
        let dir = folder.path
        try Self.run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                      "-keyout", dir + "/tsa.key", "-out", dir + "/tsa.crt", "-days", "30",
                      "-subj", "/CN=Netral Uji TSA", "-addext", "extendedKeyUsage=critical,timeStamping"])
        try folder.write("serial", "01\n")
        try folder.write("tsa.cnf", """
        [ tsa ]
        default_tsa = uji
        [ uji ]
        dir = \(dir)
        serial = $dir/serial
        crypto_device = builtin
        signer_cert = $dir/tsa.crt
        signer_key = $dir/tsa.key
        signer_digest = sha256
        default_policy = 1.2.3.4.1
        digests = sha256
        accuracy = secs:1
        ordering = no
        tsa_name = no
        ess_cert_id_chain = no
        ess_cert_id_alg = sha256

        """)
    }

    /// Answers one query, as a TSA's HTTP endpoint does.
    func reply(to query: [UInt8]) throws -> [UInt8] {
        let name = UUID().uuidString
        let queryPath = folder.path + "/\(name).tsq", replyPath = folder.path + "/\(name).tsr"
        try Data(query).write(to: URL(fileURLWithPath: queryPath))
        try Self.run(["ts", "-reply", "-queryfile", queryPath, "-config", folder.path + "/tsa.cnf", "-out", replyPath])
        return Array(try Data(contentsOf: URL(fileURLWithPath: replyPath)))
    }

    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EvidenceError(path: "openssl", message: "openssl \(arguments.prefix(2).joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }

    /// Serves `POST /tsa` (this authority) and `POST /mati` (an authority that fails).
    func withServer<T: Sendable>(_ body: @Sendable (_ base: String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("tsa") { request, _ in
            let query = try await request.body.collect(upTo: 1 << 16)
            let answer = try self.reply(to: Array(query.readableBytesView))
            return Response(status: .ok, headers: [.contentType: "application/timestamp-reply"], body: .init(byteBuffer: ByteBuffer(bytes: answer)))
        }
        router.post("mati") { _, _ in Response(status: .serviceUnavailable) }
        var logger = Logger(label: "tsa-tests")
        logger.logLevel = .critical
        return try await DemoSiteServer.withServer(router: router, logger: logger) { base in try await body(base) }
    }
}

@Suite(.serialized) struct TimestampTests {
    @Test func aManifestIsTimeStampedByTheFirstAuthorityThatAnswersAndVerifies() async throws {
        let authority = try OpenSSLAuthority()
        let certificate = try TimestampAuthority(url: "x", certificateFile: authority.certificatePath).certificate
        let evidence = try TemporaryFolder()
        let outcome = try await authority.withServer { base in
            let timestamper = Timestamper(authorities: [
                TimestampAuthority(url: base + "mati", certificate: certificate),
                TimestampAuthority(url: base + "tsa", certificate: certificate),
            ], timeout: 5)
            return try await offCooperativePool { try CaseFileWriter(root: evidence.path, timestamper: timestamper).write(Sample.caseFile()) }
        }
        #expect(outcome.timestampProblem == nil)
        let tokenPath = outcome.path + "/timestamp.tst"
        #expect(FileManager.default.fileExists(atPath: tokenPath))
        let checks = try EvidenceVerifier(timestampCertificates: [certificate]).verify(path: evidence.path)
        #expect(checks.allSatisfy { $0.isIntact }, "\(checks)")

        // The token's time is now, and it names the authority.
        let manifest = try Data(contentsOf: URL(fileURLWithPath: outcome.path + "/manifest.json"))
        let info = try Timestamper.check(token: Array(try Data(contentsOf: URL(fileURLWithPath: tokenPath))),
                                         sha256: Array(SHA256.hash(data: manifest)), trusted: [certificate])
        #expect(abs(info.time.timeIntervalSinceNow) < 300)
        #expect(info.authority.contains("Netral Uji TSA"))

        // A manifest changed afterwards no longer matches its token.
        var text = String(decoding: manifest, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"high\"", with: "\"low\"")
        try text.write(toFile: outcome.path + "/manifest.json", atomically: false, encoding: .utf8)
        let after = try EvidenceVerifier(timestampCertificates: [certificate]).verify(path: evidence.path).flatMap(\.problems)
        #expect(after.contains("timestamp.tst: the token covers another hash than this manifest's SHA-256"))
    }

    @Test func aTokenFromAnotherAuthorityAndAMissingTokenFail() async throws {
        let authority = try OpenSSLAuthority()
        let other = try OpenSSLAuthority()
        let certificate = try TimestampAuthority(url: "x", certificateFile: authority.certificatePath).certificate
        let otherCertificate = try TimestampAuthority(url: "x", certificateFile: other.certificatePath).certificate
        let evidence = try TemporaryFolder()
        let outcome = try await authority.withServer { base in
            try await offCooperativePool {
                try CaseFileWriter(root: evidence.path, timestamper: Timestamper(authorities: [TimestampAuthority(url: base + "tsa", certificate: certificate)], timeout: 5))
                    .write(Sample.caseFile())
            }
        }
        let problems = try EvidenceVerifier(timestampCertificates: [otherCertificate]).verify(path: evidence.path).flatMap(\.problems)
        #expect(problems.contains { $0.hasPrefix("timestamp.tst: signed by") })
        // A byte changed in the signature (the token's last bytes) is caught.
        let tokenPath = outcome.path + "/timestamp.tst"
        var token = try Data(contentsOf: URL(fileURLWithPath: tokenPath))
        token[token.count - 1] ^= 0x01
        try token.write(to: URL(fileURLWithPath: tokenPath))
        let forged = try EvidenceVerifier(timestampCertificates: [certificate]).verify(path: evidence.path).flatMap(\.problems)
        #expect(forged == ["timestamp.tst: the signature does not verify"])
        try FileManager.default.removeItem(atPath: tokenPath)
        let missing = try EvidenceVerifier(timestampCertificates: [certificate]).verify(path: evidence.path).flatMap(\.problems)
        #expect(missing == ["timestamp.tst is missing (a timestamp by a configured authority is required)"])
    }

    @Test func whenNoAuthorityAnswersTheCaseFileIsKeptAndSaysWhy() async throws {
        let authority = try OpenSSLAuthority()
        let certificate = try TimestampAuthority(url: "x", certificateFile: authority.certificatePath).certificate
        let evidence = try TemporaryFolder()
        let outcome = try await authority.withServer { base in
            try await offCooperativePool {
                try CaseFileWriter(root: evidence.path, timestamper: Timestamper(authorities: [TimestampAuthority(url: base + "mati", certificate: certificate)], timeout: 5))
                    .write(Sample.caseFile())
            }
        }
        #expect(outcome.created)
        #expect(outcome.timestampProblem?.contains("HTTP status 503") == true)
        #expect(!FileManager.default.fileExists(atPath: outcome.path + "/timestamp.tst"))
    }
}
