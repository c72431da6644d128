import Foundation
import NetralFetch
import NetralRules
import NetralStore
import NetralTestSupport
import NetralWARC
import Testing
@testable import NetralScan

/// One scan against a server that misbehaves in every way at once. Each target must end with
/// its own outcome and reason, stored and printed; the good targets must not notice; nothing
/// may take longer than the limits set here (a few seconds).
@Suite(.serialized) struct HostileServerTests {
    let rules = (repositoryRoot as NSString).appendingPathComponent("Rules")

    static let options = FetchOptions(
        userAgent: "NetralUji/1 (+https://contoh.test/kontak)",
        connectTimeout: 2, totalTimeout: 5, maxBodyBytes: 1_000_000, maxHeaderBytes: 64 * 1024,
        maxConcurrency: 32, perHostConcurrency: 32, perHostDelay: 0, lowSpeedLimit: 100, lowSpeedTime: 1,
        maxAttempts: 2, retryBaseDelay: 0.05, retryAfterCap: 1
    )

    @Test func everyHostileAnswerEndsItsTargetAloneWithAReason() async throws {
        let folder = try TemporaryFolder()
        let ruleSet = try PackLoader.load(paths: [rules])
        try await HostileServer.withServer { server in
            let paths = ["ok", "slow-headers", "drip", "never", "reset", "rate-limited", "unavailable-then-ok", "always-503",
                         "loop", "to-file", "to-private", "bomb", "too-big", "lying-length", "truncated-chunked",
                         "bad-utf8", "huge-header", "rahasia/halaman", "hilang"]
            var targets = paths.map { Target(id: $0.replacingOccurrences(of: "/", with: "-"), url: server.base + "/" + $0, allowPrivate: true) }
            // The same good page again at the end: a failure before it must not stop it.
            targets.append(Target(id: "ok-lagi", url: server.base + "/ok?lagi", allowPrivate: true))
            let config = ScanConfig(statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence",
                                    fetch: Self.options, targets: targets)
            let summary = try await Scanner(config: config, ruleSet: ruleSet).run(logger: quietLogger)

            func outcome(_ id: String) -> TargetResult? { summary.results.first { $0.target == id } }
            func error(_ id: String) -> String { outcome(id)?.error ?? "" }
            #expect(summary.results.count == targets.count)

            for good in ["ok", "ok-lagi", "bad-utf8"] {
                #expect(outcome(good)?.outcome == .scanned, "\(good): \(error(good))")
            }
            #expect(outcome("rate-limited")?.outcome == .scanned, "\(error("rate-limited"))")
            #expect(outcome("rate-limited")?.attempts == 2)
            #expect(outcome("unavailable-then-ok")?.outcome == .scanned)
            #expect(outcome("unavailable-then-ok")?.attempts == 2)
            #expect(error("always-503") == "HTTP status 503 (after 2 attempts)")

            #expect(error("slow-headers").contains("fewer than 100 bytes/s for 1 s"), "\(error("slow-headers"))")
            #expect(error("drip").contains("fewer than 100 bytes/s for 1 s"), "\(error("drip"))")
            #expect(error("never").contains("fewer than 100 bytes/s for 1 s"), "\(error("never"))")
            #expect(error("reset").contains("after 2 attempts"), "\(error("reset"))")
            #expect(error("loop").contains("more than 5 redirects"))
            #expect(error("to-file").contains("scheme 'file' is not allowed"))
            #expect(error("to-private").contains("refused to connect to 127.0.0.2"), "\(error("to-private"))")
            #expect(error("bomb").contains("body larger than the limit of 1000000 bytes"))
            #expect(error("too-big").contains("body larger than the limit"))
            #expect(error("lying-length").contains("after 2 attempts"), "\(error("lying-length"))")
            #expect(outcome("truncated-chunked")?.outcome == .failed, "\(error("truncated-chunked"))")
            #expect(error("huge-header").contains("response headers larger than the limit"), "\(error("huge-header"))")
            #expect(outcome("rahasia-halaman")?.outcome == .disallowed)
            #expect(error("rahasia-halaman").contains("robots.txt disallows"))
            #expect(outcome("hilang")?.outcome == .gone)

            // Stored: each target's last result and reason, for `netral status`.
            let statuses = try StateStore(path: folder.path + "/state.sqlite").targetStatuses()
            let byID = Dictionary(uniqueKeysWithValues: statuses.map { ($0.id, $0) })
            #expect(byID["ok"]?.lastResult == .scanned)
            #expect(byID["to-private"]?.lastResult == .failed)
            #expect(byID["to-private"]?.lastError == error("to-private"))
            #expect(byID["to-private"]?.consecutiveFailures == 1)
            #expect(byID["rahasia-halaman"]?.lastResult == .disallowed)
            #expect(byID["hilang"]?.lastResult == .gone)

            // Printed: every failure with its reason.
            let text = TextFormatter.summary(summary)
            for failure in summary.failures { #expect(text.contains("FAILED \(failure.target): \(failure.error)")) }
            #expect(summary.failures.count == targets.count - 5)
        }
    }

    /// A page sent gzip-compressed is judged on its decoded text, and its case file's WARC keeps
    /// the bytes as they came over the wire: Content-Encoding intact, the payload digest over
    /// those bytes, as `warcio check` recomputes it.
    @Test func aGzipPageIsFiledWithTheBytesAsReceived() async throws {
        let folder = try TemporaryFolder()
        let ruleSet = try PackLoader.load(paths: [rules])
        try await HostileServer.withServer { server in
            let config = ScanConfig(statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence", fetch: Self.options, targets: [
                Target(id: "kampanye", url: server.base + "/kampanye-gzip", allowPrivate: true),
            ])
            let summary = try await Scanner(config: config, ruleSet: ruleSet).run(logger: quietLogger)
            #expect(summary.results.first?.outcome == .scanned, "\(summary.results.first?.error ?? "")")
            let bundle = try #require(summary.findings.first?.bundle)
            let sent = try HostileServer.gzip(HostileServer.flaggedPage)

            let warc = [UInt8](try HostileServer.runGzip(["-dc", bundle + "/capture.warc.gz"]))

            // The response record: its WARC headers, then a block of Content-Length bytes.
            let start = try #require(warc.firstRange(of: Array("WARC-Type: response\r\n".utf8))).lowerBound
            let headEnd = try #require(warc[start...].firstRange(of: Array("\r\n\r\n".utf8))).upperBound
            let warcHead = String(decoding: warc[start..<headEnd], as: UTF8.self)
            func field(_ name: String) -> String? {
                warcHead.components(separatedBy: "\r\n").first { $0.hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) }
            }
            let length = try #require(field("Content-Length").flatMap { Int($0) })
            let block = Array(warc[headEnd..<(headEnd + length)])
            let httpEnd = try #require(block.firstRange(of: Array("\r\n\r\n".utf8))).upperBound
            let httpHead = String(decoding: block[..<httpEnd], as: UTF8.self)
            let payload = Data(block[httpEnd...])

            #expect(payload == sent)
            #expect(httpHead.contains("\r\nContent-Encoding: gzip\r\n"))
            #expect(!httpHead.contains("X-Netral-Original-Content-Encoding"))
            #expect(httpHead.contains("\r\nContent-Length: \(sent.count)\r\n"))
            #expect(field("WARC-Payload-Digest") == WARCWriter.digest(sent))
            #expect(field("WARC-Block-Digest") == WARCWriter.digest(block))
        }
    }

    @Test func robotsCanBeIgnoredOnlyWithAReasonThatIsKept() async throws {
        let folder = try TemporaryFolder()
        let ruleSet = try PackLoader.load(paths: [rules])
        try await HostileServer.withServer { server in
            let config = ScanConfig(statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence", fetch: Self.options, targets: [
                Target(id: "rahasia", url: server.base + "/rahasia/halaman", allowPrivate: true, robotsIgnoredBecause: "izin tertulis pemilik situs"),
            ])
            let summary = try await Scanner(config: config, ruleSet: ruleSet).run(logger: quietLogger)
            #expect(summary.results.first?.outcome == .scanned)
            #expect(summary.results.first?.robotsIgnored == "izin tertulis pemilik situs")
            #expect(TextFormatter.summary(summary).contains("robots.txt ignored for rahasia: izin tertulis pemilik situs"))
            #expect(try StateStore(path: folder.path + "/state.sqlite").targetStatuses().first?.robotsOverride == "izin tertulis pemilik situs")
        }
    }
}
