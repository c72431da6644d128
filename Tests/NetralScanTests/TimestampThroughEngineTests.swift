import Foundation
import NetralEvidence
import NetralFetch
import NetralRules
import NetralTestServer
import NetralTestSupport
import Testing
@testable import NetralScan

/// RFC 3161 in a scan: the query goes through the scan's fetch engine, so the address policy
/// holds for a time-stamping authority as for any target.
@Suite(.serialized) struct TimestampThroughEngineTests {
    let rules = (repositoryRoot as NSString).appendingPathComponent("Rules")
    let site = (repositoryRoot as NSString).appendingPathComponent("Fixtures/demo-site")

    func scan(authority: OpenSSLAuthority, allowPrivate: Bool, in folder: TemporaryFolder) async throws -> (ScanSummary, [CaseFileCheck]) {
        let certificate = try TimestampAuthority(url: "x", certificateFile: authority.certificatePath).certificate
        let ruleSet = try PackLoader.load(paths: [rules])
        return try await authority.withServer { tsa in
            try await TestServer.withServer(serving: site) { base in
                var config = ScanConfig(
                    statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence",
                    fetch: FetchOptions(perHostDelay: 0),
                    targets: [Target(id: "camat", url: base + "camat-sungai-jernih.html", allowPrivate: true)])
                config.timestampAuthorities = [TimestampAuthority(url: tsa + "tsa", certificate: certificate, allowPrivate: allowPrivate)]
                let summary = try await Scanner(config: config, ruleSet: ruleSet).run(logger: quietLogger)
                return (summary, try EvidenceVerifier(timestampCertificates: [certificate]).verify(path: folder.path + "/evidence"))
            }
        }
    }

    @Test func aScanTimeStampsEachNewCaseFileThroughItsEngine() async throws {
        let folder = try TemporaryFolder()
        let (summary, checks) = try await scan(authority: try OpenSSLAuthority(), allowPrivate: true, in: folder)
        let caseFile = try #require(summary.findings.first?.caseFile)
        #expect(FileManager.default.fileExists(atPath: caseFile + "/timestamp.tst"))
        #expect(!checks.isEmpty && checks.allSatisfy(\.isIntact), "\(checks)")
    }

    @Test func anAuthorityOnAPrivateAddressIsRefusedUnlessAllowed() async throws {
        let folder = try TemporaryFolder()
        let (summary, checks) = try await scan(authority: try OpenSSLAuthority(), allowPrivate: false, in: folder)
        // The case file is kept, without a token: the engine refused to connect to loopback.
        let caseFile = try #require(summary.findings.first?.caseFile)
        #expect(FileManager.default.fileExists(atPath: caseFile + "/manifest.json"))
        #expect(!FileManager.default.fileExists(atPath: caseFile + "/timestamp.tst"))
        #expect(checks.contains { $0.problems.contains { $0.contains("timestamp.tst is missing") } }, "\(checks)")
    }
}
