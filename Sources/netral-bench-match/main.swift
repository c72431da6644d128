// Times Netral's matching: normalize + match + evaluate every line of a corpus as one item,
// with the given rule packs. Used by Benchmarks/matching/run.sh beside pyahocorasick and rg.
//
//     netral-bench-match CORPUS PACK_OR_FOLDER... [--repeat N] [--stage STAGE] [--dump]
//
// --stage times one stage alone, to see where time goes: `tokens` (tokenizing), `matches`
// (tokenizing and the term trie), `detect` (NIP and address detectors), `hits` (all hits of
// an item, without conditions). Without it, the whole judgement is timed: hits, conditions and
// findings, as a scan does it.
// --dump prints every line's hits and findings instead of timing, to diff before and after an
// optimization.
// --load times loading the packs (read, check, compile) instead, --repeat times, and prints the
// median: CORPUS is not read.
import Foundation
import NetralModel
@_spi(Benchmarking) import NetralRules

var arguments = Array(CommandLine.arguments.dropFirst())
var repeats = 5
var stage: String?
let dump = arguments.contains("--dump")
arguments.removeAll { $0 == "--dump" }
if let flag = arguments.firstIndex(of: "--repeat"), flag + 1 < arguments.count, let value = Int(arguments[flag + 1]) {
    repeats = max(1, value)
    arguments.removeSubrange(flag...(flag + 1))
}
if let flag = arguments.firstIndex(of: "--stage"), flag + 1 < arguments.count {
    stage = arguments[flag + 1]
    arguments.removeSubrange(flag...(flag + 1))
    guard ["tokens", "matches", "detect", "hits"].contains(stage!) else {
        FileHandle.standardError.write(Data("unknown stage '\(stage!)': tokens, matches, detect or hits\n".utf8))
        exit(64)
    }
}
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: netral-bench-match CORPUS PACK_OR_FOLDER... [--repeat N] [--stage STAGE] [--dump]\n".utf8))
    exit(64)
}

if arguments.contains("--load") {
    arguments.removeAll { $0 == "--load" }
    var loads: [Double] = []
    var loaded: RuleSet?
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            loaded = try PackLoader.load(paths: Array(arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
        loads.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    let signals = loaded.map { $0.packs.reduce(0) { $0 + $1.signals.count } } ?? 0
    print("load: \(Int(loads.sorted()[loads.count / 2].rounded())) ms (median of \(repeats); \(loaded?.packs.count ?? 0) packs, \(signals) signals, \(loaded?.termCount ?? 0) terms)")
    exit(0)
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

if dump {
    var workspace = RuleSet.Workspace()
    for item in items {
        let evaluation = ruleSet.evaluate(item, workspace: &workspace)
        print(evaluation.hits.map { "\($0.signal)|\($0.term)|\($0.field.rawValue)|\($0.start)-\($0.end)|\($0.quote)" }.joined(separator: ";"))
        print(evaluation.findings.map { "\($0.id) \($0.rule) \($0.score) \($0.fired) \($0.hits.map { "\($0.signal)@\($0.start)" }) \($0.scoreNotes)" }.joined(separator: ";"))
    }
    exit(0)
}

let bytes = corpus.utf8.count
// One workspace for the whole run, as a scan keeps one.
var workspace = RuleSet.Workspace()
var timings: [Double] = []
var hits = 0
var findings = 0
for _ in 0..<repeats {
    hits = 0
    findings = 0
    let start = DispatchTime.now().uptimeNanoseconds
    // By index: a scan judges the items it holds, it does not copy them.
    for index in items.indices {
        switch stage {
        case "tokens": hits += ruleSet.tokenCount(items[index].body)
        case "matches": hits += ruleSet.matchCount(items[index].body, workspace: &workspace)
        case "detect": hits += ruleSet.detectionCount(items[index].body)
        case "hits": hits += ruleSet.hits(in: items[index]).count
        default:
            // What a scan does: judge the item and keep its findings.
            let evaluation = ruleSet.evaluate(items[index], workspace: &workspace)
            hits += evaluation.hitCount
            findings += evaluation.findings.count
        }
    }
    timings.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
let median = timings.sorted()[timings.count / 2]
let counted = stage.map { "\($0)" } ?? "hits"
print(String(format: "netral: %.1f MB/s (%d terms, %d items, %d %@, %d findings, %.3f s)",
             Double(bytes) / median / 1e6, ruleSet.termCount, items.count, hits, counted, findings, median))
