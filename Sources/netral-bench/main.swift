// netral-bench: measures Netral's stages on local data, for Benchmarks/.
//
//   netral-bench extract DIR [--repetitions N]
//   netral-bench parse DIR [--repetitions N]
//   netral-bench items FILE...
//
// Reads every *.html file in DIR into memory first, then times HTMLExtractor over all of them,
// N times (default 7) after one warm-up pass, and prints the median pass as pages/s and MB/s.
// `extract` runs the whole extraction; `parse` only the encoding decision and libxml2's parse
// (HTMLExtractor.parseOnly), the in-process floor. The last line is machine-readable for
// Benchmarks/extract/run.sh:
//   RESULT pages=1200 bytes=42123456 seconds=1.234567
//
// `items` is for Benchmarks/extract/quality.sh: it extracts each file (kind guessed from the
// bytes, not the name: the id-news `*-mainpage.html` files are RSS) and prints one JSON object a
// line, `{"path": ..., "items": [...]}` or `{"path": ..., "error": ...}`, dates in milliseconds
// since 1970. The fetch time is the file's modification time, or NETRAL_BENCH_FETCHED_AT (ISO 8601).
// An argument `FILE::URL` reads FILE as if fetched from URL (the page's host matters to
// extraction: a byline naming the host is the publisher, not the author).

import Foundation
import NetralExtract
import NetralModel

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("netral-bench: \(message)\n".utf8))
    exit(64)
}

func usage() -> Never {
    fail("usage: netral-bench extract|parse DIR [--repetitions N] | netral-bench items FILE...")
}

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "items" {
    printItems(Array(arguments.dropFirst()))
    exit(0)
}
guard let mode = arguments.first, mode == "extract" || mode == "parse" else { usage() }
let parseOnly = mode == "parse"
arguments.removeFirst()
var directory: String?
var repetitions = 7
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    if argument == "--repetitions" {
        guard let value = arguments.first.flatMap(Int.init), value > 0 else { usage() }
        repetitions = value
        arguments.removeFirst()
    } else if directory == nil, !argument.hasPrefix("-") {
        directory = argument
    } else {
        usage()
    }
}
guard let directory else { usage() }

let names: [String]
do {
    names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".html") }.sorted()
} catch {
    fail("cannot list \(directory): \(error.localizedDescription)")
}
guard !names.isEmpty else { fail("no *.html files in \(directory)") }

let fetchedAt = Date()
var captures: [Capture] = []
captures.reserveCapacity(names.count)
var totalBytes = 0
for name in names {
    let path = (directory as NSString).appendingPathComponent(name)
    guard let body = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    totalBytes += body.count
    // No Content-Type header: the charset comes from the page itself, as for xmllint.
    let url = "https://bench.example/\(name)"
    captures.append(Capture(requestURL: url, finalURL: url, status: 200, body: body, fetchedAt: fetchedAt))
}

/// One pass over every page. The checksum keeps the optimizer from dropping the work.
func pass(_ captures: [Capture]) -> (seconds: Double, checksum: Int, errors: Int) {
    let extractor = HTMLExtractor()
    var checksum = 0
    var errors = 0
    let start = ContinuousClock.now
    for capture in captures {
        do {
            if parseOnly {
                try extractor.parseOnly(capture)
                checksum &+= 1
            } else {
                let item = try extractor.extract(capture)
                checksum &+= item.body.utf8.count &+ item.links.count &+ item.imageAlts.count
            }
        } catch {
            errors += 1
        }
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (seconds, checksum, errors)
}

let warmUp = pass(captures)
var times: [Double] = []
for _ in 0..<repetitions {
    let result = pass(captures)
    precondition(result.checksum == warmUp.checksum, "extraction is not deterministic")
    times.append(result.seconds)
}
times.sort()
let median = times[times.count / 2]
let megabytes = Double(totalBytes) / 1_000_000
print(String(format: "netral %@: %d pages, %.1f MB, median of %d passes (min %.3f s, max %.3f s)",
             mode, captures.count, megabytes, repetitions, times.first!, times.last!))
print(String(format: "netral %@: %.3f s  %.0f pages/s  %.1f MB/s  (%d errors, checksum %d)",
             mode, median, Double(captures.count) / median, megabytes / median, warmUp.errors, warmUp.checksum))
print(String(format: "RESULT pages=%d bytes=%d seconds=%.6f", captures.count, totalBytes, median))

/// One JSON line per file with the items Netral reads from it.
func printItems(_ paths: [String]) {
    guard !paths.isEmpty else { usage() }
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .millisecondsSince1970
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let fixedFetchTime = ProcessInfo.processInfo.environment["NETRAL_BENCH_FETCHED_AT"].map { value -> Date in
        guard let date = ISO8601DateFormatter().date(from: value) else { fail("NETRAL_BENCH_FETCHED_AT is not ISO 8601: \(value)") }
        return date
    }
    struct Line: Encodable {
        var path: String
        var items: [Item]?
        var error: String?
    }
    for argument in paths {
        let parts = argument.components(separatedBy: "::")
        let path = parts[0]
        var line = Line(path: path)
        do {
            var capture = try Extractor.captureFile(atPath: path)
            if parts.count == 2 {
                capture.requestURL = parts[1]
                capture.finalURL = parts[1]
            }
            if let fixedFetchTime {
                capture.fetchedAt = fixedFetchTime
            } else if let modified = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date {
                capture.fetchedAt = modified
            }
            let kind = SourceKind.guess(mediaType: nil, path: nil, body: capture.body)
            line.items = try Extractor().extract(capture, kind: kind).items
        } catch {
            line.error = "\(error)"
        }
        do {
            print(String(decoding: try encoder.encode(line), as: UTF8.self))
        } catch {
            fail("cannot encode the items of \(path): \(error)")
        }
    }
}
