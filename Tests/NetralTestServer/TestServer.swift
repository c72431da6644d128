import Foundation
public import Hummingbird
public import Logging
import NetralTestSupport
import NIOCore
import ServiceLifecycle

/// A Hummingbird server on a free loopback port for the tests: routes that misbehave on purpose
/// (redirect loops, slow or oversized answers, fake APIs, a time-stamping authority) or a folder
/// of fixtures. The port is chosen by the system, so tests running at once never collide. Shared
/// by the test targets so none of them has to build the demo for a server.
public enum TestServer {
    public struct DidNotStart: Error, CustomStringConvertible {
        public var description: String { "the loopback test server did not start" }
    }

    /// Serves `router` while `body` runs with the base URL (`http://127.0.0.1:PORT/`), then stops.
    public static func withServer<T: Sendable>(
        router: Router<BasicRequestContext>,
        logger: Logger = quietLogger,
        _ body: @Sendable (_ baseURL: String) async throws -> T
    ) async throws -> T {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "netral-test"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        // A service group shuts the server down gracefully (open connections finish).
        let services = ServiceGroup(services: [app], logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await services.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw DidNotStart()
            }
            let outcome: Result<T, any Error>
            do {
                outcome = .success(try await body("http://127.0.0.1:\(port)/"))
            } catch {
                outcome = .failure(error)
            }
            await services.triggerGracefulShutdown()
            while let _ = try await group.next() {}
            return try outcome.get()
        }
    }

    /// Serves the files of `folder` (an `index.html` for a folder's URL).
    public static func withServer<T: Sendable>(
        serving folder: String,
        logger: Logger = quietLogger,
        _ body: @Sendable (_ baseURL: String) async throws -> T
    ) async throws -> T {
        let router = Router()
        router.add(middleware: FileMiddleware(folder, searchForIndexHtml: true, logger: logger))
        return try await withServer(router: router, logger: logger, body)
    }
}
