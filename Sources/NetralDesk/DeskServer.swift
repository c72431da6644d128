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

    /// Serves until SIGINT or SIGTERM. `onReady` gets the port actually bound (the system's
    /// choice when `port` is 0), once the server accepts connections.
    public static func run(_ desk: Desk, host: String, port: Int, logger: Logger, onReady: @escaping @Sendable (Int) -> Void) async throws {
        let app = application(desk, host: host, port: port, logger: logger) { port in onReady(port) }
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await services.run()
    }

    /// Serves on a free loopback port while `body` runs with the base URL, then stops
    /// (for tests).
    public static func withDesk<T: Sendable>(_ desk: Desk, logger: Logger, _ body: @Sendable (_ baseURL: String) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = application(desk, host: "127.0.0.1", port: 0, logger: logger) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let services = ServiceGroup(services: [app], logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await services.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw DeskError("the desk's web server did not start")
            }
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
