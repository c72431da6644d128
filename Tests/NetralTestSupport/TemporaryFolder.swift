import Foundation
public import Logging

/// A temporary folder removed when the value is discarded at the end of a test.
public final class TemporaryFolder: Sendable {
    public let path: String

    public init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("netral-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes a file and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// The repository root, found from this file's path, so tests can read `Rules/` and `Fixtures/`.
public let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A logger that drops everything, so test output shows only test results.
public let quietLogger = Logger(label: "netral-tests", factory: { _ in SwiftLogNoOpLogHandler() })
