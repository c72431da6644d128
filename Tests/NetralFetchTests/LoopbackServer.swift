import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

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
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .eTag: "\"v1\""],
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
            Response(status: .ok, headers: [.contentType: "text/plain"],
                     body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "a"), count: 300_000)))
        }
        router.get("bomb") { _, _ in
            let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/zeros-8mib.gz"))
            return Response(status: .ok, headers: [.contentType: "text/html", .contentEncoding: "gzip"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("gzip") { _, _ in
            let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/halaman.html.gz"))
            return Response(status: .ok, headers: [.contentType: "text/html", .contentEncoding: "gzip"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("slow") { _, _ in
            try await Task.sleep(for: .seconds(2))
            return Response(status: .ok)
        }
        router.get("echo-headers") { request, _ in
            let lines = request.headers.map { "\($0.name.rawName): \($0.value)" }.joined(separator: "\n")
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: lines)))
        }
        var logger = Logger(label: "fetch-tests")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        let services = ServiceGroup(services: [app], logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await services.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            let outcome: Result<T, any Error>
            do {
                outcome = .success(try await body("http://127.0.0.1:\(port)"))
            } catch {
                outcome = .failure(error)
            }
            await services.triggerGracefulShutdown()
            while let _ = try await group.next() {}
            return try outcome.get()
        }
    }
}
