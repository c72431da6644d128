import Foundation

/// A site of many pages on loopback for the tests that run the `netral` executable: the demo
/// site's pages copied under many names (different URLs, so different items), served by Python's
/// HTTP server (the in-process debug-built server is several times slower, and these tests'
/// cost is the scans they run).
public enum LoopbackSite {
    /// Copies the demo site's pages into `folder` until there are `count`; returns their names.
    public static func copyDemoPages(count: Int, into folder: String) throws -> [String] {
        let demo = repositoryRoot + "/Fixtures/demo-site"
        let pages = try FileManager.default.contentsOfDirectory(atPath: demo).filter { $0.hasSuffix(".html") && $0 != "index.html" }.sorted()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var names: [String] = []
        var copy = 0
        while names.count < count {
            let page = pages[names.count % pages.count]
            let name = "salinan-\(copy)-\(page)"
            try FileManager.default.copyItem(atPath: demo + "/" + page, toPath: folder + "/" + name)
            names.append(name)
            if names.count % pages.count == 0 { copy += 1 }
        }
        return names
    }

    /// The case files of an evidence folder, by id.
    public static func caseIDs(_ evidence: String) throws -> Set<String> {
        var ids = Set<String>()
        for shard in try FileManager.default.contentsOfDirectory(atPath: evidence) where shard.count == 2 {
            ids.formUnion(try FileManager.default.contentsOfDirectory(atPath: evidence + "/" + shard))
        }
        return ids
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public var description: String
}

/// Python's static HTTP server on a free loopback port, stopped (by its pid) when the test
/// ends. With `requestLog`, every request line it answers is appended to that file (to count
/// fetches); with `delay`, each answer waits that long first (so a run can be killed mid-way).
public final class StaticServer: @unchecked Sendable {
    let process = Process()
    public let base: String
    public let requestLog: String?

    static let script = """
    import functools, http.server, sys, time
    folder, log, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            if delay > 0:
                time.sleep(delay)
            super().do_GET()
        def log_message(self, format, *args):
            if log:
                with open(log, "a") as f:
                    f.write(self.requestline + "\\n")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=folder))
    print("Serving HTTP on 127.0.0.1 port %d" % server.server_address[1], flush=True)
    server.serve_forever()
    """

    public init(folder: String, requestLog: String? = nil, delay: Double = 0) throws {
        self.requestLog = requestLog
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-c", Self.script, folder, requestLog ?? "", String(delay)]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "Serving HTTP on 127.0.0.1 port 41234"
        var line = Data()
        let deadline = Date().addingTimeInterval(10)
        while !line.contains(UInt8(ascii: "\n")), Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "port "), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
            kill(process.processIdentifier, SIGKILL)
            throw ServerError(description: "python3 http.server did not say its port: \(text)")
        }
        base = "http://127.0.0.1:\(port)/"
    }

    /// How many times each path was requested (from the request log).
    public func requestCounts() throws -> [String: Int] {
        guard let requestLog, let text = try? String(contentsOfFile: requestLog, encoding: .utf8) else { return [:] }
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, parts[0] == "GET" else { continue }
            counts[String(parts[1].dropFirst()), default: 0] += 1
        }
        return counts
    }

    /// SIGKILL: a test runner may leave SIGTERM ignored in its children.
    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Runs blocking work (waiting for a child process) on a Dispatch thread, so the cooperative
/// pool stays free for the tasks the test awaits meanwhile.
public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
