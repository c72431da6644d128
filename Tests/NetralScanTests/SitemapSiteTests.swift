import Foundation
import Hummingbird
import NetralTestServer
import NetralFetch
import NetralModel
import NetralRules
import NetralTestSupport
import Testing
@testable import NetralScan

/// `kind: sitemap` with `follow:` against a kecamatan news site on loopback
/// (Fixtures/sources/sitemap-site): three levels of sitemap files, one gzipped, robots.txt,
/// another host, caps, and `lastmod` for the next scan.
@Suite(.serialized) struct SitemapSiteTests {
    let site = (repositoryRoot as NSString).appendingPathComponent("Fixtures/sources/sitemap-site")
    let rules = (repositoryRoot as NSString).appendingPathComponent("Rules")

    /// Serves the fixture folder, counting requests by path.
    func router(counting requests: RequestLog) -> Router<BasicRequestContext> {
        let router = Router()
        let root = site
        router.get("**") { request, _ in
            let path = request.uri.path
            requests.add(path)
            let file = root + path
            guard !path.contains(".."), let data = FileManager.default.contents(atPath: file) else { return Response(status: .notFound) }
            let type =
                path.hasSuffix(".gz")
                ? "application/gzip"
                : path.hasSuffix(".xml")
                    ? "application/xml"
                    : path.hasSuffix(".txt") ? "text/plain" : "text/html; charset=utf-8"
            return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return router
    }

    @Test func aSitemapSiteIsScannedWithinItsLimitsAndLastmodSparesTheNextScan() async throws {
        let folder = try TemporaryFolder()
        let requests = RequestLog()
        let ruleSet = try PackLoader.load(paths: [rules])
        let (first, second) = try await TestServer.withServer(router: router(counting: requests), logger: quietLogger) { base in
            var target = Target(id: "warta-kecamatan", kind: .sitemap, url: base + "sitemap.xml", maxPages: 3, allowPrivate: true)
            target.follow = FollowRule(depth: 1, maxPages: 1, include: ["*/berita/*"], exclude: ["*/tag/*"])
            let config = ScanConfig(
                statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence",
                fetch: FetchOptions(perHostDelay: 0), targets: [target])
            let scanner = Scanner(config: config, ruleSet: ruleSet)
            return (try await scanner.run(logger: quietLogger), try await scanner.run(logger: quietLogger))
        }
        #expect(first.failures.isEmpty, "\(first.failures)")
        // (Requests are counted over both scans.) Three levels of sitemap files; what a level-3
        // index lists would be a fourth: never asked for.
        for file in ["/sitemaps/berita.xml.gz", "/sitemaps/arsip-index.xml", "/sitemaps/arsip-2024.xml", "/sitemaps/terlalu-dalam.xml"] {
            #expect(requests.count(file) == 1, "\(file)")
        }
        #expect(requests.count("/sitemaps/halaman-dalam.xml") == 0)
        // max_pages 3, newest lastmod first: the camat's page, the disallowed page (not
        // fetched), the market page; the archive is older. One link followed within the patterns.
        #expect(requests.count("/berita/camat-ajak.html") == 1 && requests.count("/berita/pasar.html") == 1)
        #expect(requests.count("/privat/rahasia.html") == 0)
        #expect(requests.count("/arsip/1.html") == 0 && requests.count("/arsip/3.html") == 0)
        #expect(requests.count("/berita/terkait.html") == 1 && requests.count("/tag/kampanye") == 0 && requests.count("/") == 0)
        #expect(requests.count("/robots.txt") == 1)
        #expect(first.results.first?.pages == 3 + 5)
        #expect(!first.findings.isEmpty && first.findings.allSatisfy { $0.url.hasSuffix("/berita/camat-ajak.html") }, "\(first.findings)")

        // The next scan reads the index again, but no sitemap file or page whose lastmod is
        // older than its last fetch.
        #expect(second.failures.isEmpty, "\(second.failures)")
        #expect(requests.count("/sitemap.xml") == 2)
        #expect(requests.count("/sitemaps/berita.xml.gz") == 1 && requests.count("/sitemaps/arsip-index.xml") == 1)
        #expect(requests.count("/berita/camat-ajak.html") == 1)
    }

    @Test func aBrokenSitemapFailsTheTargetWithWhereAndWhy() async throws {
        let folder = try TemporaryFolder()
        let router = Router()
        router.get("sitemap.xml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/xml"],
                body: .init(byteBuffer: ByteBuffer(string: "<rss><channel/></rss>")))
        }
        let summary = try await TestServer.withServer(router: router, logger: quietLogger) { base in
            let config = ScanConfig(
                statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence",
                fetch: FetchOptions(perHostDelay: 0),
                targets: [Target(id: "peta", kind: .sitemap, url: base + "sitemap.xml", allowPrivate: true)])
            return try await Scanner(config: config, ruleSet: try PackLoader.load(paths: [rules])).run(logger: quietLogger)
        }
        #expect(summary.failures.count == 1)
        #expect(summary.failures.first?.error.contains("not a sitemap (root element is 'rss'") == true, "\(summary.failures)")
    }

    @Test func sitemapAndFollowKeysAreCheckedWithPositions() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write(
            "netral.yaml",
            """
            format: 1
            fetch: {user_agent: "Netral/0.1 (+https://bawaslu-contoh.example/kontak)"}
            targets:
              - {id: a, kind: sitemap, url: "https://contoh.example/sitemap.xml", max_pages: 20000}
              - {id: b, kind: feed, url: "https://contoh.example/feed.xml", follow: {depth: 1}}
              - {id: c, kind: page, url: "https://contoh.example/", follow: {depth: 11, max_pages: 0, lewati: 1}}
            """)
        do {
            _ = try ScanConfig.load(path: path)
            Issue.record("must not load")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains("\(path):4:82: max_pages must be between 1 and 10000"), "\(lines)")
            #expect(lines.contains("\(path):5:73: 'follow' belongs to a page or sitemap target"), "\(lines)")
            #expect(lines.contains("\(path):6:73: follow.depth must be between 0 and 10"), "\(lines)")
            #expect(lines.contains("\(path):6:88: follow.max_pages must be between 1 and 10000"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):6:91: unknown key 'lewati' in follow") }, "\(lines)")
        }
    }
}
