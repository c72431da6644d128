import Foundation
import NetralModel
import NetralPlatforms

// Benchmarks/platforms/run.sh: the platform parsers over saved answers.
//
//   netral-bench-platforms dump PLATFORM FILE URL     one answer, parsed, printed as JSON
//   netral-bench-platforms bench MANIFEST N           every answer of a manifest N times
//
// A manifest line is `PLATFORM<TAB>FILE<TAB>URL`. `bench` prints one line per platform:
// platform, answers, items per pass, seconds, answers/s, items/s.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func parse(_ platform: Platform, _ data: Data, url: String) throws -> PlatformPage {
    try PlatformParsers.parse(PlatformInput(body: data, url: url, status: 200, receivedAt: Date(timeIntervalSince1970: 0)), as: platform)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: netral-bench-platforms dump PLATFORM FILE URL | bench MANIFEST N") }

switch arguments[1] {
case "dump":
    guard arguments.count == 5, let platform = Platform(rawValue: arguments[2]) else { fail("usage: dump PLATFORM FILE URL") }
    guard let data = FileManager.default.contents(atPath: arguments[3]) else { fail("cannot read \(arguments[3])") }
    do {
        let page = try parse(platform, data, url: arguments[4])
        let encoder = NetralJSON.encoder()
        print(String(decoding: try encoder.encode(page), as: UTF8.self))
    } catch {
        fail("\(error)")
    }
case "bench":
    guard arguments.count == 4, let passes = Int(arguments[3]), passes > 0 else { fail("usage: bench MANIFEST N") }
    guard let manifest = try? String(contentsOfFile: arguments[2], encoding: .utf8) else { fail("cannot read \(arguments[2])") }
    var answers: [(Platform, Data, String)] = []
    for line in manifest.split(separator: "\n") where !line.hasPrefix("#") {
        let fields = line.split(separator: "\t").map(String.init)
        guard fields.count == 3, let platform = Platform(rawValue: fields[0]) else { fail("bad manifest line: \(line)") }
        guard let data = FileManager.default.contents(atPath: fields[1]) else { fail("cannot read \(fields[1])") }
        answers.append((platform, data, fields[2]))
    }
    for platform in Platform.allCases {
        let mine = answers.filter { $0.0 == platform }
        guard !mine.isEmpty else { continue }
        var items = 0
        for (_, data, url) in mine {
            do { items += try parse(platform, data, url: url).posts.count } catch { fail("\(error)") }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        var total = 0
        for _ in 0..<passes {
            for (_, data, url) in mine {
                total += (try? parse(platform, data, url: url).posts.count) ?? 0
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let answerCount = mine.count * passes
        print(
            String(
                format: "%@\t%d\t%d\t%.4f\t%.1f\t%.1f", platform.rawValue, mine.count, items, seconds,
                Double(answerCount) / seconds, Double(total) / seconds))
    }
default:
    fail("unknown mode \(arguments[1])")
}
