public import Foundation
import Hummingbird
public import Logging
import NIOCore

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
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw Failure.didNotStart
            }
            let result: T
            do {
                result = try await body("http://127.0.0.1:\(port)/")
            } catch {
                group.cancelAll()
                throw error
            }
            // Cancelling the server task shuts the server down gracefully.
            group.cancelAll()
            while let _ = try await group.next() {}
            return result
        }
    }
}
