import Foundation
import Hummingbird
import Logging
import NetralTestServer

/// A Hummingbird server on a free loopback port with the routes the fetch tests need.
enum LoopbackServer {
    static let fixtures: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/http").path
    }()

    static func withServer<T: Sendable>(_ body: @Sendable (_ base: String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("ok") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .eTag: "\"v1\""],
                body: .init(byteBuffer: ByteBuffer(string: "<html><body><p>halo</p></body></html>")))
        }
        router.get("missing") { _, _ in Response(status: .notFound) }
        router.get("redirect/:count") { _, context in
            let count = try context.parameters.require("count", as: Int.self)
            let target = count <= 1 ? "/ok" : "/redirect/\(count - 1)"
            return Response(status: .found, headers: [.location: target])
        }
        router.get("to-file") { _, _ in Response(status: .found, headers: [.location: "file:///etc/passwd"]) }
        router.get("big") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "a"), count: 300_000)))
        }
        router.get("bomb") { _, _ in
            let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/zeros-8mib.gz"))
            return Response(
                status: .ok, headers: [.contentType: "text/html", .contentEncoding: "gzip"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("gzip") { _, _ in
            let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/halaman.html.gz"))
            return Response(
                status: .ok, headers: [.contentType: "text/html", .contentEncoding: "gzip"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        // Content-Encoding cases: the file's bytes, changed by `alter`, sent with `coding`.
        func encoded(_ path: String, _ file: String, _ coding: String, alter: @escaping @Sendable (Data) -> Data = { $0 }) {
            router.get(RouterPath(path)) { _, _ in
                let data = alter(try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + file)))
                return Response(
                    status: .ok, headers: [.contentType: "text/html", .contentEncoding: coding],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
        encoded("deflate", "berita.html.zlib", "deflate")
        encoded("deflate-raw", "berita.html.deflate", "deflate")
        encoded("gzip-twice", "halaman.html.gz", "gzip") { $0 + $0 }
        // One byte of the compressed data flipped: the gzip trailer's CRC no longer matches.
        encoded("gzip-corrupt", "halaman.html.gz", "gzip") { data in
            var bytes = [UInt8](data)
            bytes[20] ^= 0xFF
            return Data(bytes)
        }
        // The first half only, with a Content-Length that matches it: the stream never ends.
        encoded("gzip-cut", "halaman.html.gz", "gzip") { $0.prefix($0.count / 2) }
        encoded("brotli", "halaman.html.gz", "br")
        router.get("slow") { _, _ in
            try await Task.sleep(for: .seconds(2))
            return Response(status: .ok)
        }
        router.get("echo-headers") { request, _ in
            let lines = request.headers.map { "\($0.name.rawName): \($0.value)" }.joined(separator: "\n")
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: lines)))
        }
        // The method, the headers and the body as received, for API calls (POST, bearer token).
        router.post("echo-request") { request, _ in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let lines =
                ["\(request.method.rawValue)"] + request.headers.map { "\($0.name.rawName): \($0.value)" } + ["", String(buffer: body)]
            return Response(
                status: .ok, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n"))))
        }
        // Counts requests in flight, so a test can see the most the engine ever ran at once.
        let gauge = ConcurrencyGauge()
        router.get("concurrent") { _, _ in
            gauge.enter()
            try await Task.sleep(for: .milliseconds(150))
            gauge.leave()
            return Response(status: .ok)
        }
        router.get("concurrent-peak") { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "\(gauge.peak)")))
        }
        // 503 with Retry-After: 0 on the first request, 200 afterwards.
        let flaky = ConcurrencyGauge()
        router.get("flaky") { _, _ in
            flaky.enter()
            if flaky.peak == 1 && flaky.total == 1 {
                return Response(status: .serviceUnavailable, headers: [.retryAfter: "0"])
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "pulih")))
        }
        var logger = Logger(label: "fetch-tests")
        logger.logLevel = .critical
        // The demo's server runner, with these routes; the base URL ends in "/".
        return try await TestServer.withServer(router: router, logger: logger) { base in
            try await body(String(base.dropLast()))
        }
    }
}

/// Requests in flight now, the most ever, and the total seen.
final class ConcurrencyGauge: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var peak = 0
    private(set) var total = 0

    func enter() {
        lock.withLock {
            current += 1
            total += 1
            peak = max(peak, current)
        }
    }

    func leave() {
        lock.withLock { current -= 1 }
    }
}
