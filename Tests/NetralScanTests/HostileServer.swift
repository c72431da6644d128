import Foundation
import NIOCore
import NIOPosix

/// A loopback TCP server that misbehaves on purpose, one way per path, speaking raw HTTP/1.1
/// bytes so it can lie (Content-Length, chunking), stall, drip and reset. Each connection gets
/// one answer and is closed; stalled connections end when the server stops.
final class HostileServer: Sendable {
    let group: MultiThreadedEventLoopGroup
    let channel: any Channel
    let port: Int
    let hits: HitCounter

    var base: String { "http://127.0.0.1:\(port)" }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, port: Int, hits: HitCounter) {
        self.group = group
        self.channel = channel
        self.port = port
        self.hits = hits
    }

    static let fixtures: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/http").path
    }()

    static func withServer<T>(_ body: (HostileServer) async throws -> T) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let hits = HitCounter()
        let bomb = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/zeros-8mib.gz"))
        let flaggedGzip = try gzip(flaggedPage)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HostileHandler(hits: hits, bomb: bomb, flaggedGzip: flaggedGzip))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = HostileServer(group: group, channel: channel, port: channel.localAddress?.port ?? 0, hits: hits)
        do {
            let result = try await body(server)
            try await server.stop()
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }

    /// A demo page the rule packs flag (a camat campaigning), served gzip-compressed at /kampanye-gzip.
    static let flaggedPage: String = {
        var url = URL(fileURLWithPath: fixtures)
        url.deleteLastPathComponent()
        return url.appendingPathComponent("demo-site/camat-sungai-jernih.html").path
    }()

    /// The file compressed by the system's gzip, so the bytes on the wire come from another encoder.
    static func gzip(_ path: String) throws -> Data {
        try runGzip(["-c", "-n", path])
    }

    /// What the system's gzip writes to standard output with these arguments.
    static func runGzip(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    func stop() async throws {
        try? await channel.close()
        try await group.shutdownGracefully()
    }
}

/// Requests seen per path, across connections (for "fail first, then succeed").
final class HitCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func hit(_ path: String) -> Int {
        lock.withLock {
            counts[path, default: 0] += 1
            return counts[path, default: 0]
        }
    }
}

final class HostileHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let hits: HitCounter
    private let bomb: Data
    private let flaggedGzip: Data
    private var received = ""
    private var answered = false

    init(hits: HitCounter, bomb: Data, flaggedGzip: Data) {
        self.flaggedGzip = flaggedGzip
        self.hits = hits
        self.bomb = bomb
    }

    static let page =
        "<html lang=\"id\"><head><title>Kabar warga</title></head><body><article><p>Warga bergotong royong membersihkan saluran "
        + "air.</p></article></body></html>"

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received += buffer.readString(length: buffer.readableBytes) ?? ""
        guard !answered, received.contains("\r\n\r\n") else { return }
        answered = true
        let requestLine = received.prefix { $0 != "\r" }
        let parts = requestLine.split(separator: " ")
        let target = parts.count > 1 ? String(parts[1]) : "/"
        let path = String(target.prefix { $0 != "?" })
        respond(to: path, channel: context.channel)
    }

    private func head(_ status: String, _ headers: [String]) -> String {
        "HTTP/1.1 \(status)\r\n" + headers.map { $0 + "\r\n" }.joined() + "Connection: close\r\n\r\n"
    }

    private func send(_ text: String, on channel: any Channel, close: Bool = true) {
        send(Data(text.utf8), on: channel, close: close)
    }

    private func send(_ data: Data, on channel: any Channel, close: Bool = true) {
        let future = channel.writeAndFlush(ByteBuffer(bytes: data))
        if close { future.whenComplete { _ in channel.close(promise: nil) } }
    }

    /// Writes one byte every `interval` until the peer goes away or the server stops.
    private func drip(on channel: any Channel, every interval: TimeAmount) {
        channel.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { task in
            guard channel.isActive else {
                task.cancel()
                return
            }
            channel.writeAndFlush(ByteBuffer(string: "a"), promise: nil)
        }
    }

    private func respond(to path: String, channel: any Channel) {
        let html = "Content-Type: text/html; charset=utf-8"
        switch path {
        case "/robots.txt":
            let body = "User-agent: *\nDisallow: /rahasia/\n"
            send(head("200 OK", ["Content-Type: text/plain", "Content-Length: \(body.utf8.count)"]) + body, on: channel)
        case "/ok", "/rahasia/halaman":
            send(head("200 OK", [html, "Content-Length: \(Self.page.utf8.count)"]) + Self.page, on: channel)
        case "/slow-headers":
            // The status line, then the headers one byte at a time, never finishing.
            send("HTTP/1.1 200 OK\r\n", on: channel, close: false)
            drip(on: channel, every: .milliseconds(400))
        case "/drip":
            send(head("200 OK", [html, "Content-Length: 100000"]), on: channel, close: false)
            drip(on: channel, every: .milliseconds(400))
        case "/never":
            // Accept, read the request, never answer.
            break
        case "/reset":
            let partial = head("200 OK", [html, "Content-Length: 100000"]) + String(repeating: "<p>isi</p>", count: 50)
            channel.writeAndFlush(ByteBuffer(string: partial)).whenComplete { _ in
                // SO_LINGER 0: close with a TCP reset mid-body.
                guard let provider = channel as? any SocketOptionProvider else {
                    channel.close(promise: nil)
                    return
                }
                provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in
                    channel.close(promise: nil)
                }
            }
        case "/rate-limited":
            if hits.hit(path) == 1 {
                send(head("429 Too Many Requests", ["Retry-After: 1", "Content-Length: 0"]), on: channel)
            } else {
                send(head("200 OK", [html, "Content-Length: \(Self.page.utf8.count)"]) + Self.page, on: channel)
            }
        case "/unavailable-then-ok":
            if hits.hit(path) == 1 {
                send(head("503 Service Unavailable", ["Content-Length: 0"]), on: channel)
            } else {
                send(head("200 OK", [html, "Content-Length: \(Self.page.utf8.count)"]) + Self.page, on: channel)
            }
        case "/always-503":
            send(head("503 Service Unavailable", ["Content-Length: 0"]), on: channel)
        case "/loop":
            send(head("302 Found", ["Location: /loop", "Content-Length: 0"]), on: channel)
        case "/to-file":
            send(head("302 Found", ["Location: file:///etc/passwd", "Content-Length: 0"]), on: channel)
        case "/to-private":
            // Another loopback address, where nothing listens: the refusal must come first.
            let port = channel.localAddress?.port ?? 80
            send(head("302 Found", ["Location: http://127.0.0.2:\(port)/ok", "Content-Length: 0"]), on: channel)
        case "/bomb":
            send(Data(head("200 OK", [html, "Content-Encoding: gzip", "Content-Length: \(bomb.count)"]).utf8) + bomb, on: channel)
        case "/kampanye-gzip":
            send(
                Data(head("200 OK", [html, "Content-Encoding: gzip", "Content-Length: \(flaggedGzip.count)"]).utf8) + flaggedGzip,
                on: channel)
        case "/too-big":
            let body = String(repeating: "a", count: 1_500_000)
            send(head("200 OK", ["Content-Type: text/plain", "Content-Length: \(body.utf8.count)"]) + body, on: channel)
        case "/lying-length":
            send(head("200 OK", [html, "Content-Length: 50000"]) + Self.page, on: channel)
        case "/truncated-chunked":
            let chunk = String(Self.page.prefix(60))
            send(
                head("200 OK", [html, "Transfer-Encoding: chunked"]) + String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n",
                on: channel)
        case "/bad-utf8":
            var body = Data("<html><head><title>Rusak</title></head><body><p>Camat mengajak warga ".utf8)
            body += Data([0xC3, 0x28, 0xFF, 0xFE, 0x80])
            body += Data(" memilih.</p></body></html>".utf8)
            send(Data(head("200 OK", [html, "Content-Length: \(body.count)"]).utf8) + body, on: channel)
        case "/huge-header":
            let value = String(repeating: "x", count: 1_000_000)
            send(head("200 OK", [html, "X-Besar: \(value)", "Content-Length: 0"]), on: channel)
        default:
            send(head("404 Not Found", ["Content-Length: 0"]), on: channel)
        }
    }
}
