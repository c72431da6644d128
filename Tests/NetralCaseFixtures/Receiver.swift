public import Foundation
import NIOCore
import NIOPosix

/// A case tracker on loopback that misbehaves on purpose: it answers 5xx, 429 with
/// Retry-After, hangs, resets, answers slowly or refuses, as `plan` says for each request, and
/// records everything it received. Like a real idempotent receiver it keeps the first body of
/// each `Idempotency-Key` (TheHive: each sourceRef) and refuses or ignores a repeat.
public final class Receiver: Sendable {
    /// The bearer token the push tests give their destination.
    public static let token = "rahasia-uji-7f3a"

    public enum Answer: Sendable {
        /// Keeps the body, then answers `status` (2xx) after `delay`.
        case accept(status: Int = 201, delay: TimeAmount = .zero)
        /// Answers without keeping the body (a 5xx, 429, or 4xx); headers as given.
        case refuse(status: Int, headers: [String] = [], body: String = "")
        /// Keeps the body and never answers: the sender's timeout fires.
        case keepAndHang
        /// Keeps the body and resets the connection.
        case keepAndReset
        /// Like TheHive: 400 "already exists" when the sourceRef is kept, else accept.
        case theHive
    }

    public struct Request: Sendable {
        public var path: String
        public var headers: [String: String]
        public var body: Data
        public var key: String?
    }

    let group: MultiThreadedEventLoopGroup
    let channel: any Channel
    public let port: Int
    public let log: ReceivedLog

    public var base: String { "http://127.0.0.1:\(port)" }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, port: Int, log: ReceivedLog) {
        self.group = group
        self.channel = channel
        self.port = port
        self.log = log
    }

    /// `plan(n, key)`: how to answer the n-th request (from 1) carrying `key`.
    public static func start(plan: @escaping @Sendable (Int, String?) -> Answer) async throws -> Receiver {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = ReceivedLog()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReceiverHandler(log: log, plan: plan))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return Receiver(group: group, channel: channel, port: channel.localAddress?.port ?? 0, log: log)
    }

    public func stop() async throws {
        try? await channel.close()
        try await group.shutdownGracefully()
    }
}

/// Every request, and the first body kept per key.
public final class ReceivedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [Receiver.Request] = []
    private var kept: [String: Data] = [:]

    public func add(_ request: Receiver.Request) -> Int {
        lock.withLock {
            requests.append(request)
            return requests.count
        }
    }

    /// Keeps the body under `key` unless one is kept; false when it was already there.
    @discardableResult
    public func keep(_ key: String, _ body: Data) -> Bool {
        lock.withLock {
            guard kept[key] == nil else { return false }
            kept[key] = body
            return true
        }
    }

    public func has(_ key: String) -> Bool { lock.withLock { kept[key] != nil } }
    public var all: [Receiver.Request] { lock.withLock { requests } }
    public var keptBodies: [String: Data] { lock.withLock { kept } }
}

final class ReceiverHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let log: ReceivedLog
    private let plan: @Sendable (Int, String?) -> Receiver.Answer
    private var received = Data()

    init(log: ReceivedLog, plan: @escaping @Sendable (Int, String?) -> Receiver.Answer) {
        self.log = log
        self.plan = plan
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        // One request per connection is enough: the sender opens one per POST.
        guard let end = received.firstRange(of: Data("\r\n\r\n".utf8)) else { return }
        let head = String(decoding: received[..<end.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard received.count - end.upperBound >= length else { return }
        let body = Data(received[end.upperBound..<(end.upperBound + length)])
        received = Data()
        var key = headers["idempotency-key"]
        let path = requestLine.count > 1 ? String(requestLine[1]) : "/"
        if path.hasSuffix("/api/v1/alert"),
            let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        {
            key = object["sourceRef"] as? String
        }
        let number = log.add(Receiver.Request(path: path, headers: headers, body: body, key: key))
        answer(plan(number, key), key: key, body: body, channel: context.channel)
    }

    private func send(_ status: Int, _ headers: [String], _ body: String, on channel: any Channel) {
        let text =
            "HTTP/1.1 \(status) X\r\n"
            + (headers + ["Content-Length: \(body.utf8.count)", "Connection: close"]).map { $0 + "\r\n" }.joined() + "\r\n" + body
        channel.writeAndFlush(ByteBuffer(string: text)).whenComplete { _ in channel.close(promise: nil) }
    }

    private func answer(_ answer: Receiver.Answer, key: String?, body: Data, channel: any Channel) {
        switch answer {
        case .accept(let status, let delay):
            if let key { log.keep(key, body) }
            channel.eventLoop.scheduleTask(in: delay) {
                self.send(status, ["Content-Type: application/json"], "{\"ok\":true}", on: channel)
            }
        case .refuse(let status, let headers, let text):
            send(status, headers, text, on: channel)
        case .keepAndHang:
            if let key { log.keep(key, body) }
        case .keepAndReset:
            if let key { log.keep(key, body) }
            guard let provider = channel as? any SocketOptionProvider else {
                channel.close(promise: nil)
                return
            }
            provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
        case .theHive:
            if let key, !log.keep(key, body) {
                send(
                    400, ["Content-Type: application/json"], "{\"type\":\"CreateError\",\"message\":\"Alert already exists\"}", on: channel)
            } else {
                send(201, ["Content-Type: application/json"], "{\"_id\":\"~4096\"}", on: channel)
            }
        }
    }
}
