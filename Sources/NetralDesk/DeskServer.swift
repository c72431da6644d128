import Foundation
import Hummingbird
public import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// Runs the desk on an address with Hummingbird.
public enum DeskServer {
    /// True for addresses that only this machine can reach.
    public static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered == "::1" || lowered == "[::1]" || lowered.hasPrefix("127.")
    }

    /// Serves until SIGINT or SIGTERM (or until the task is cancelled). `onReady` gets the
    /// port actually bound (the system's choice when `port` is 0), once the server accepts
    /// connections.
    public static func run(_ desk: Desk, host: String, port: Int, logger: Logger, stopOnSignals: Bool = true,
                           onReady: @escaping @Sendable (Int) -> Void) async throws {
        let app = application(desk, host: host, port: port, logger: logger, onPort: onReady)
        let signals: [UnixSignal] = stopOnSignals ? [.sigterm, .sigint] : []
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: signals, logger: logger))
        try await services.run()
    }

    /// Serves on a free loopback port while `body` runs with the base URL, then stops
    /// (for tests): the server runs in a child task that is cancelled when `body` is done.
    public static func withDesk<T: Sendable>(_ desk: Desk, logger: Logger, _ body: @Sendable (_ baseURL: String) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let server = Task {
            // A server that fails to start ends the stream, so the wait below ends too.
            defer { continuation.finish() }
            try await run(desk, host: "127.0.0.1", port: 0, logger: logger, stopOnSignals: false) { port in
                continuation.yield(port)
                continuation.finish()
            }
        }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            throw DeskError("the desk's web server did not start")
        }
        let value = try await body("http://127.0.0.1:\(port)")
        server.cancel()
        _ = await server.result
        return value
    }

    static func application(_ desk: Desk, host: String, port: Int, logger: Logger,
                            onPort: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let bindHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return Application(
            router: desk.router(),
            configuration: .init(address: .hostname(bindHost, port: port), serverName: "netral-desk"),
            onServerRunning: { channel in onPort(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
