// Times Netral's matching: normalize + match + evaluate every line of a corpus as one item,
// with the given rule packs. Used by Benchmarks/matching/run.sh beside pyahocorasick and rg.
//
//     netral-bench-match CORPUS PACK_OR_FOLDER... [--repeat N]
import Foundation
import NetralModel
import NetralRules

var arguments = Array(CommandLine.arguments.dropFirst())
var repeats = 5
// --hits-only times matching (normalize + match + detectors) without evaluating conditions.
let hitsOnly = arguments.contains("--hits-only")
arguments.removeAll { $0 == "--hits-only" }
if let flag = arguments.firstIndex(of: "--repeat"), flag + 1 < arguments.count, let value = Int(arguments[flag + 1]) {
    repeats = value
    arguments.removeSubrange(flag...(flag + 1))
}
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: netral-bench-match CORPUS PACK_OR_FOLDER... [--repeat N]\n".utf8))
    exit(64)
}

let corpus: String
do {
    corpus = try String(contentsOfFile: arguments[0], encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("cannot read \(arguments[0]): \(error)\n".utf8))
    exit(3)
}
let ruleSet: RuleSet
do {
    ruleSet = try PackLoader.load(paths: Array(arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}

// Items are built before timing: the benchmark measures judging, not reading.
let items = corpus.split(separator: "\n").map { Item(sourceURL: "bench", body: String($0)) }
let bytes = corpus.utf8.count
var timings: [Double] = []
var hits = 0
var findings = 0
for _ in 0..<repeats {
    hits = 0
    findings = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for item in items {
        if hitsOnly {
            hits += ruleSet.hits(in: item).count
        } else {
            let evaluation = ruleSet.evaluate(item)
            hits += evaluation.hits.count
            findings += evaluation.findings.count
        }
    }
    timings.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
let median = timings.sorted()[timings.count / 2]
print(String(format: "netral: %.1f MB/s (%d terms, %d items, %d hits, %d findings, %.3f s)",
             Double(bytes) / median / 1e6, ruleSet.termCount, items.count, hits, findings, median))
