import Crypto
import Foundation
import NetralTestServer
import NetralModel
import NetralTestSupport
import Testing
import X509
@testable import NetralEvidence

/// Time-stamps through `authority` in process: each query goes to `openssl ts -reply` without
/// HTTP (the HTTP exchange is the fetch engine's, tested with the scan); a URL ending in `mati`
/// is an authority that answers 503.
func inProcessTimestamper(_ authority: OpenSSLAuthority, _ urls: [String], certificate: Certificate) -> Timestamper {
    Timestamper(authorities: urls.map { TimestampAuthority(url: $0, certificate: certificate) }, timeout: 5) { query in
        query.url.hasSuffix("mati") ? (503, []) : (200, try authority.reply(to: query.body))
    }
}

@Suite(.serialized) struct TimestampTests {
    @Test func aManifestIsTimeStampedByTheFirstAuthorityThatAnswersAndVerifies() async throws {
        let authority = try OpenSSLAuthority()
        let certificate = try TimestampAuthority(url: "x", certificateFile: authority.certificatePath).certificate
        let evidence = try TemporaryFolder()
        let timestamper = inProcessTimestamper(authority, ["https://tsa.contoh/mati", "https://tsa.contoh/tsa"], certificate: certificate)
        let outcome = try CaseFileWriter(root: evidence.path, timestamper: timestamper).write(Sample.caseFile())
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
        let outcome = try CaseFileWriter(root: evidence.path, timestamper: inProcessTimestamper(authority, ["https://tsa.contoh/tsa"], certificate: certificate))
            .write(Sample.caseFile())
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
        let outcome = try CaseFileWriter(root: evidence.path, timestamper: inProcessTimestamper(authority, ["https://tsa.contoh/mati"], certificate: certificate))
            .write(Sample.caseFile())
        #expect(outcome.created)
        #expect(outcome.timestampProblem?.contains("HTTP status 503") == true)
        #expect(!FileManager.default.fileExists(atPath: outcome.path + "/timestamp.tst"))
    }
}
