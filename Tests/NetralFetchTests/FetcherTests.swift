import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralFetch

@Suite(.serialized) struct FetcherTests {
    /// One attempt through a fresh engine; the test servers are on loopback, so private
    /// addresses are allowed here (the refusal has its own test).
    func fetch(_ url: String, _ options: FetchOptions = FetchOptions(perHostDelay: 0)) async throws -> Capture {
        try await FetchEngine(options: options).perform(FetchRequest(url: url, allowPrivate: true))
    }

    @Test func fetchesAPageWithHeadersAndTimings() async throws {
        _ = try await LoopbackServer.withServer { base in
            let capture = try await fetch(base + "/ok")
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
            let capture = try await fetch(
                base + "/echo-headers", FetchOptions(userAgent: "NetralUji/1 (+https://contoh.test)", perHostDelay: 0))
            let text = String(decoding: capture.body, as: UTF8.self).lowercased()
            #expect(text.contains("user-agent: netraluji/1 (+https://contoh.test)"))
            #expect(text.contains("accept-encoding:"))
            #expect(text.contains("gzip"))
        }
    }

    @Test func aMissingPageIsACaptureNotAnError() async throws {
        _ = try await LoopbackServer.withServer { base in
            let capture = try await fetch(base + "/missing")
            #expect(capture.status == 404)
        }
    }

    @Test func followsRedirectsAndRecordsTheChain() async throws {
        _ = try await LoopbackServer.withServer { base in
            let capture = try await fetch(base + "/redirect/3")
            #expect(capture.status == 200)
            #expect(capture.finalURL == base + "/ok")
            #expect(capture.redirectChain == [base + "/redirect/3", base + "/redirect/2", base + "/redirect/1", base + "/ok"])
        }
    }

    @Test func stopsAfterFiveRedirects() async throws {
        _ = try await LoopbackServer.withServer { base in
            await #expect(throws: FetchError.tooManyRedirects(url: base + "/redirect/7", limit: 5)) {
                try await fetch(base + "/redirect/7")
            }
        }
    }

    @Test func refusesRedirectsToOtherSchemes() async throws {
        _ = try await LoopbackServer.withServer { base in
            do {
                _ = try await fetch(base + "/to-file")
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
            try await fetch("ftp://contoh.test/a")
        }
        await #expect(throws: FetchError.invalidURL("bukan url")) {
            try await fetch("bukan url")
        }
    }

    @Test func capsTheBodyWhileReceiving() async throws {
        _ = try await LoopbackServer.withServer { base in
            await #expect(throws: FetchError.tooLarge(url: base + "/big", limit: 100_000)) {
                try await fetch(base + "/big", FetchOptions(maxBodyBytes: 100_000, perHostDelay: 0))
            }
        }
    }

    @Test func capsTheBodyAfterDecompression() async throws {
        _ = try await LoopbackServer.withServer { base in
            // 8 MiB of zeros compress to a few KiB: the cap must apply to what comes out.
            await #expect(throws: FetchError.tooLarge(url: base + "/bomb", limit: 1_000_000)) {
                try await fetch(base + "/bomb", FetchOptions(maxBodyBytes: 1_000_000, perHostDelay: 0))
            }
        }
    }

    func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: LoopbackServer.fixtures + "/" + name))
    }

    @Test func decodesGzipAndKeepsTheBytesAsReceived() async throws {
        _ = try await LoopbackServer.withServer { base in
            let capture = try await fetch(base + "/gzip")
            #expect(String(decoding: capture.body, as: UTF8.self) == "<html><body><p>Halaman terkompresi untuk uji.</p></body></html>")
            #expect(capture.encodedBody == (try fixture("halaman.html.gz")))
            #expect(capture.header("Content-Encoding") == "gzip")
        }
    }

    @Test func decodesDeflateZlibWrappedOrRaw() async throws {
        _ = try await LoopbackServer.withServer { base in
            let expected = "<html><body><p>Berita desa dikirim dengan deflate: jalan baru diresmikan pak kades.</p></body></html>"
            let wrapped = try await fetch(base + "/deflate")
            #expect(String(decoding: wrapped.body, as: UTF8.self) == expected)
            #expect(wrapped.encodedBody == (try fixture("berita.html.zlib")))
            let raw = try await fetch(base + "/deflate-raw")
            #expect(String(decoding: raw.body, as: UTF8.self) == expected)
            #expect(raw.encodedBody == (try fixture("berita.html.deflate")))
        }
    }

    @Test func decodesEveryGzipMember() async throws {
        _ = try await LoopbackServer.withServer { base in
            let capture = try await fetch(base + "/gzip-twice")
            #expect(String(decoding: capture.body, as: UTF8.self).components(separatedBy: "Halaman terkompresi").count == 3)
            #expect(capture.encodedBody?.count == (try fixture("halaman.html.gz")).count * 2)
        }
    }

    @Test func anIdentityBodyHasNoSeparateEncodedCopy() async throws {
        _ = try await LoopbackServer.withServer { base in
            let capture = try await fetch(base + "/ok")
            #expect(capture.encodedBody == nil)
        }
    }

    @Test func corruptOrCutCompressedDataFailsWithAReason() async throws {
        _ = try await LoopbackServer.withServer { base in
            await #expect(
                throws: FetchError.badContentEncoding(url: base + "/gzip-corrupt", coding: "gzip", reason: "incorrect data check")
            ) {
                try await fetch(base + "/gzip-corrupt")
            }
            await #expect(
                throws: FetchError.badContentEncoding(
                    url: base + "/gzip-cut", coding: "gzip", reason: "the compressed data ends before its end marker")
            ) {
                try await fetch(base + "/gzip-cut")
            }
            let message = FetchError.badContentEncoding(url: base + "/gzip-cut", coding: "gzip", reason: "x").description
            #expect(message.contains("Content-Encoding 'gzip'") && message.contains("cannot be decoded"))
        }
    }

    @Test func anUnknownCodingKeepsTheBytesAsReceivedAndItsHeader() async throws {
        _ = try await LoopbackServer.withServer { base in
            let capture = try await fetch(base + "/brotli")
            let sent = try fixture("halaman.html.gz")
            #expect(capture.body == sent)
            #expect(capture.encodedBody == sent)
            #expect(capture.header("Content-Encoding") == "br")
        }
    }

    @Test func timesOut() async throws {
        _ = try await LoopbackServer.withServer { base in
            await #expect(throws: FetchError.timedOut(url: base + "/slow", seconds: 0.5)) {
                try await fetch(base + "/slow", FetchOptions(totalTimeout: 0.5, perHostDelay: 0))
            }
        }
    }

    @Test func refusesLoopbackUnlessTheTargetAllowsIt() async throws {
        _ = try await LoopbackServer.withServer { base in
            do {
                _ = try await FetchEngine(options: FetchOptions(perHostDelay: 0)).perform(FetchRequest(url: base + "/ok"))
                Issue.record("a loopback address must be refused without allowPrivate")
            } catch let error as FetchError {
                #expect(error == .privateAddress(url: base + "/ok", address: "127.0.0.1"))
            }
        }
    }

    @Test func sendsConditionalHeadersAndRecordsThem() async throws {
        _ = try await LoopbackServer.withServer { base in
            let request = FetchRequest(
                url: base + "/echo-headers", etag: "\"v1\"", lastModified: "Tue, 01 Dec 2026 10:00:00 GMT", allowPrivate: true)
            let capture = try await FetchEngine(options: FetchOptions(perHostDelay: 0)).perform(request)
            let text = String(decoding: capture.body, as: UTF8.self).lowercased()
            #expect(text.contains("if-none-match: \"v1\""))
            #expect(text.contains("if-modified-since: tue, 01 dec 2026 10:00:00 gmt"))
            #expect(capture.requestHeaders.contains(HTTPHeader(name: "If-None-Match", value: "\"v1\"")))
            #expect(capture.httpVersion == "HTTP/1.1")
        }
    }

    @Test func postsAJSONBodyWithABearerTokenThatTheCaptureNeverKeeps() async throws {
        _ = try await LoopbackServer.withServer { base in
            let body = Data(#"{"identifier":"pengawas.bsky.social","password":"abcd-efgh"}"#.utf8)
            let request = FetchRequest.postJSON(url: base + "/echo-request", body: body, allowPrivate: true, bearerToken: "token-rahasia")
            let capture = try await FetchEngine(options: FetchOptions(perHostDelay: 0)).perform(request)
            let text = String(decoding: capture.body, as: UTF8.self)
            #expect(text.hasPrefix("POST\n"))
            #expect(text.lowercased().contains("authorization: bearer token-rahasia"))
            #expect(text.lowercased().contains("content-type: application/json"))
            #expect(text.hasSuffix("\n\n" + String(decoding: body, as: UTF8.self)))
            // What a case file's WARC request record is made of holds neither token nor password.
            #expect(!capture.requestHeaders.contains { $0.value.contains("token-rahasia") || $0.name.lowercased() == "authorization" })
        }
    }

    @Test func neverRunsMoreThanThePerHostLimitAtOnce() async throws {
        _ = try await LoopbackServer.withServer { base in
            let engine = FetchEngine(options: FetchOptions(maxConcurrency: 16, perHostConcurrency: 2, perHostDelay: 0))
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await engine.perform(FetchRequest(url: base + "/concurrent", allowPrivate: true)).status }
                }
                for try await status in group { #expect(status == 200) }
            }
            let peak = try await engine.perform(FetchRequest(url: base + "/concurrent-peak", allowPrivate: true))
            #expect(String(decoding: peak.body, as: UTF8.self) == "2")
        }
    }

    @Test func aCancelledTaskStopsItsTransfer() async throws {
        _ = try await LoopbackServer.withServer { base in
            let engine = FetchEngine(options: FetchOptions(totalTimeout: 20, perHostDelay: 0))
            let task = Task { try await engine.perform(FetchRequest(url: base + "/slow", allowPrivate: true)) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
            // The engine still works after a cancellation.
            #expect(try await engine.perform(FetchRequest(url: base + "/ok", allowPrivate: true)).status == 200)
        }
    }

    @Test func retriesA503AndHonoursRetryAfter() async throws {
        _ = try await LoopbackServer.withServer { base in
            let engine = FetchEngine(options: FetchOptions(perHostDelay: 0, maxAttempts: 3, retryBaseDelay: 0.05, retryAfterCap: 1))
            let result = try await engine.fetch(FetchRequest(url: base + "/flaky", allowPrivate: true))
            #expect(result.capture.status == 200)
            #expect(result.attempts == 2)
        }
    }

    @Test func reportsConnectionFailures() async throws {
        // Port 9 (discard) on loopback is closed here; the error names the URL and curl's reason.
        do {
            _ = try await fetch("http://127.0.0.1:9/", FetchOptions(connectTimeout: 2, perHostDelay: 0))
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

@Suite struct FetchPolicyTests {
    @Test func nonPublicAddressesAreRecognised() {
        for address: [UInt8] in [
            [127, 0, 0, 2], [10, 1, 2, 3], [172, 20, 0, 1], [192, 168, 1, 1], [169, 254, 169, 254],
            [100, 64, 0, 1], [0, 0, 0, 0], [224, 0, 0, 1], [255, 255, 255, 255],
        ] {
            #expect(AddressPolicy.isNonPublic(address), "\(address)")
        }
        var loopback6 = [UInt8](repeating: 0, count: 16)
        loopback6[15] = 1
        #expect(AddressPolicy.isNonPublic(loopback6))
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 10, 0, 0, 1]
        #expect(AddressPolicy.isNonPublic(mapped))
        #expect(AddressPolicy.isNonPublic([0xFE, 0x80] + [UInt8](repeating: 0, count: 14)))
        #expect(AddressPolicy.isNonPublic([0xFD, 0x00] + [UInt8](repeating: 1, count: 14)))
        #expect(!AddressPolicy.isNonPublic([93, 184, 216, 34]))
        #expect(!AddressPolicy.isNonPublic([172, 32, 0, 1]))
        #expect(!AddressPolicy.isNonPublic([0x24, 0x04, 0x68, 0x00] + [UInt8](repeating: 0, count: 11) + [1]))
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RetryDelay.retryAfter("7", now: now) == 7)
        #expect(RetryDelay.retryAfter("-3", now: now) == 0)
        let later = now.addingTimeInterval(90)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        #expect(RetryDelay.retryAfter(formatter.string(from: later), now: now) == 90)
        #expect(RetryDelay.retryAfter("besok", now: now) == nil)
        // A server asking for a day is cut to the cap.
        #expect(RetryDelay.seconds(afterAttempt: 1, base: 1, retryAfter: "86400", cap: 30, now: now) == 30)
        let backoff = RetryDelay.seconds(afterAttempt: 3, base: 1, retryAfter: nil, cap: 100, now: now)
        #expect(backoff >= 2 && backoff < 6)
    }
}
