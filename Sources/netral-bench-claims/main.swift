// Times the state's claim cycle alone, without fetching: TARGETS due targets, WORKERS threads
// (each with its own connection, as separate machines would have) claiming BATCH at a time and
// finishing each claimed target at once, in one transaction per batch, until none is due.
// Used by Benchmarks/workers/run.sh beside the pages-per-second figures of real scans.
//
//     netral-bench-claims STATE [--workers N] [--targets N] [--batch N]
//
// STATE is a SQLite file path (made anew) or a postgres:// URL of an empty database (password
// from NETRAL_BENCH_PASSWORD when set). Prints one line: workers, targets, seconds, claims/s.
import Foundation
import NetralStore

func option(_ name: String, default value: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let number = Int(arguments[index + 1]), number > 0 else { return value }
    return number
}

guard CommandLine.arguments.count > 1, !CommandLine.arguments[1].hasPrefix("--") else {
    FileHandle.standardError.write(Data("usage: netral-bench-claims STATE [--workers N] [--targets N] [--batch N]\n".utf8))
    exit(64)
}
let state = CommandLine.arguments[1]
let workers = option("--workers", default: 1)
let targetCount = option("--targets", default: 5000)
let batch = option("--batch", default: 32)
let passwordVariable = ProcessInfo.processInfo.environment["NETRAL_BENCH_PASSWORD"] == nil ? nil : "NETRAL_BENCH_PASSWORD"

do {
    let location = try StateLocation.parse(state, passwordEnvironment: passwordVariable)
    if case .sqlite(let path) = location {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    let start = Date(timeIntervalSinceNow: -1)
    let setup = try StateStore(location: location)
    try setup.syncTargets((0..<targetCount).map {
        TargetDefinition(id: String(format: "t%06d", $0), kind: "page", url: "https://contoh.test/\($0)", every: 3600)
    }, at: start)
    let began = Date()
    let claimed = try await withThrowingTaskGroup(of: Int.self) { group in
        for index in 0..<workers {
            group.addTask {
                let store = try StateStore(location: location)
                let name = "w\(index)"
                var count = 0
                while true {
                    let ids = try store.claimDueTargets(worker: name, at: Date(), lease: 600, limit: batch, runStartedAt: start)
                    if ids.isEmpty { break }
                    let now = Date()
                    _ = try store.complete(ids.map {
                        TargetCompletion(target: $0, outcome: .scanned, at: now, nextDue: now.addingTimeInterval(3600))
                    })
                    count += ids.count
                }
                return count
            }
        }
        var total = 0
        for try await count in group { total += count }
        return total
    }
    let seconds = Date().timeIntervalSince(began)
    guard claimed == targetCount else {
        FileHandle.standardError.write(Data("claimed \(claimed) of \(targetCount) targets: claims overlapped or were lost\n".utf8))
        exit(1)
    }
    print(String(format: "workers %d targets %d batch %d seconds %.2f claims/s %.0f", workers, targetCount, batch, seconds, Double(claimed) / seconds))
} catch {
    FileHandle.standardError.write(Data("netral-bench-claims: \(error)\n".utf8))
    exit(1)
}
