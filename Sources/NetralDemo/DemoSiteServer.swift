import Foundation
import Hummingbird
public import Logging
import NIOCore
import ServiceLifecycle

/// Serves a folder of static files on a loopback port with Hummingbird, for `netral demo` and
/// the end-to-end tests. The port is chosen by the system, so runs never collide.
public enum DemoSiteServer {
    public enum Failure: Error, CustomStringConvertible {
        case didNotStart
        case missingFolder(String)

        public var description: String {
            switch self {
            case .didNotStart: "the demo web server did not start"
            case .missingFolder(let path): "\(path): no such folder to serve"
            }
        }
    }

    /// Starts the server, runs `body` with its base URL (`http://127.0.0.1:PORT/`), then stops it.
    public static func withServer<T: Sendable>(
        serving folder: String,
        logger: Logger,
        _ body: @Sendable (_ baseURL: String) async throws -> T
    ) async throws -> T {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure.missingFolder(folder)
        }
        let router = Router()
        router.add(middleware: FileMiddleware(folder, searchForIndexHtml: true, logger: logger))
        return try await withServer(router: router, logger: logger, body)
    }

    /// Serves a router on a free loopback port while `body` runs.
    static func withServer<T: Sendable>(
        router: Router<BasicRequestContext>,
        logger: Logger,
        _ body: @Sendable (_ baseURL: String) async throws -> T
    ) async throws -> T {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "netral-demo"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        // A service group lets the server shut down gracefully (finishing open connections)
        // instead of being cancelled mid-request.
        let services = ServiceGroup(services: [app], logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await services.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw Failure.didNotStart
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
}
