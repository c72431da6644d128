import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralFetch

@Suite(.serialized) struct FetcherTests {
    @Test func fetchesAPageWithHeadersAndTimings() async throws {
        _ = try await LoopbackServer.withServer { base in
            let capture = try await Fetcher().fetch(base + "/ok")
            #expect(capture.status == 200)
            #expect(capture.finalURL == base + "/ok")
            #expect(String(decoding: capture.body, as: UTF8.self).contains("halo"))
            #expect(capture.mediaType == "text/html")
            #expect(capture.declaredCharset == "utf-8")
            #expect(capture.header("etag") == "\"v1\"")
            #expect(capture.peerIP == "127.0.0.1")
            #expect(capture.timings.total > 0)
        }
    }

    @Test func sendsUserAgentAndAcceptEncoding() async throws {
        _ = try await LoopbackServer.withServer { base in
            let capture = try await Fetcher(options: FetchOptions(userAgent: "NetralUji/1 (+https://contoh.test)")).fetch(base + "/echo-headers")
            let text = String(decoding: capture.body, as: UTF8.self).lowercased()
            #expect(text.contains("user-agent: netraluji/1 (+https://contoh.test)"))
            #expect(text.contains("accept-encoding:"))
            #expect(text.contains("gzip"))
        }
    }

    @Test func aMissingPageIsACaptureNotAnError() async throws {
        _ = try await LoopbackServer.withServer { base in
            let capture = try await Fetcher().fetch(base + "/missing")
            #expect(capture.status == 404)
        }
    }

    @Test func followsRedirectsAndRecordsTheChain() async throws {
        _ = try await LoopbackServer.withServer { base in
            let capture = try await Fetcher().fetch(base + "/redirect/3")
            #expect(capture.status == 200)
            #expect(capture.finalURL == base + "/ok")
            #expect(capture.redirectChain == [base + "/redirect/3", base + "/redirect/2", base + "/redirect/1", base + "/ok"])
        }
    }

    @Test func stopsAfterFiveRedirects() async throws {
        _ = try await LoopbackServer.withServer { base in
            await #expect(throws: FetchError.tooManyRedirects(url: base + "/redirect/7", limit: 5)) {
                try await Fetcher().fetch(base + "/redirect/7")
            }
        }
    }

    @Test func refusesRedirectsToOtherSchemes() async throws {
        _ = try await LoopbackServer.withServer { base in
            do {
                _ = try await Fetcher().fetch(base + "/to-file")
                Issue.record("a redirect to file:// must fail")
            } catch let error as FetchError {
                guard case .unsupportedScheme(let url, let scheme) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(scheme == "file")
                #expect(url == "file:///etc/passwd")
            }
        }
    }

    @Test func refusesNonHTTPURLs() async throws {
        await #expect(throws: FetchError.unsupportedScheme(url: "ftp://contoh.test/a", scheme: "ftp")) {
            try await Fetcher().fetch("ftp://contoh.test/a")
        }
        await #expect(throws: FetchError.invalidURL("bukan url")) {
            try await Fetcher().fetch("bukan url")
        }
    }

    @Test func capsTheBodyWhileReceiving() async throws {
        _ = try await LoopbackServer.withServer { base in
            await #expect(throws: FetchError.tooLarge(url: base + "/big", limit: 100_000)) {
                try await Fetcher(options: FetchOptions(maxBodyBytes: 100_000)).fetch(base + "/big")
            }
        }
    }

    @Test func capsTheBodyAfterDecompression() async throws {
        _ = try await LoopbackServer.withServer { base in
            // 8 MiB of zeros compress to a few KiB: the cap must apply to what comes out.
            await #expect(throws: FetchError.tooLarge(url: base + "/bomb", limit: 1_000_000)) {
                try await Fetcher(options: FetchOptions(maxBodyBytes: 1_000_000)).fetch(base + "/bomb")
            }
        }
    }

    @Test func decodesGzip() async throws {
        _ = try await LoopbackServer.withServer { base in
            let capture = try await Fetcher().fetch(base + "/gzip")
            #expect(String(decoding: capture.body, as: UTF8.self).contains("Halaman terkompresi"))
        }
    }

    @Test func timesOut() async throws {
        _ = try await LoopbackServer.withServer { base in
            await #expect(throws: FetchError.timedOut(url: base + "/slow", seconds: 0.5)) {
                try await Fetcher(options: FetchOptions(totalTimeout: 0.5)).fetch(base + "/slow")
            }
        }
    }

    @Test func reportsConnectionFailures() async throws {
        // Port 9 (discard) on loopback is closed here; the error names the URL and curl's reason.
        do {
            _ = try await Fetcher(options: FetchOptions(connectTimeout: 2)).fetch("http://127.0.0.1:9/")
            Issue.record("expected a connection failure")
        } catch let error as FetchError {
            guard case .transfer(let url, let code, let message) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(url == "http://127.0.0.1:9/")
            #expect(code == 7)
            #expect(!message.isEmpty)
        }
    }
}
