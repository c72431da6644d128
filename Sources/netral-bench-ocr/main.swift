// OCRs every picture of a folder with NetralOCR, writes what it read beside the benchmark's
// other outputs, and times it. Used by Benchmarks/ocr/run.sh beside the `tesseract` command.
//
//     netral-bench-ocr FOLDER [--out DIR] [--jobs N] [--languages ind+eng] [--psm N]
//                      [--bright never|whenWeak|always] [--bright-psm N] [--weak-confidence X]
//                      [--bright-threshold N] [--invert-dark]
//                      [--no-retry-inverted] [--colour] [--upscale-below N] [--junk-confidence X]
//                      [--junk-letters N] [--resolution DPI]
//                      [--max-side N] [--passes]
//
// Pictures are the folder's *.png, *.jpg, *.jpeg, *.gif and *.webp files, in name order; each
// one's text goes to DIR/NAME.txt (NAME without its extension). The engine is made (languages
// loaded) before the clock starts, as a scan makes it once; the bytes are read before timing
// too, so the figure is OCR alone. No cache: every picture is recognised. The settings flags
// override `OCRPreprocessing.measuredBest` one by one, to measure each choice; `--passes`
// prints which pass each picture's words came from.
import Foundation
import NetralOCR

func fail(_ message: String, code: Int32 = 64) -> Never {
    FileHandle.standardError.write(Data("netral-bench-ocr: \(message)\n".utf8))
    exit(code)
}

/// The value, or the usage error `message`.
func required<Value>(_ value: Value?, _ message: String, code: Int32 = 64) -> Value {
    guard let value else { fail(message, code: code) }
    return value
}

@MainActor
func runBenchmark() async {
    var arguments = Array(CommandLine.arguments.dropFirst())
    func option(_ name: String) -> String? {
        guard let flag = arguments.firstIndex(of: name) else { return nil }
        guard flag + 1 < arguments.count else { fail("\(name) needs a value") }
        let value = arguments[flag + 1]
        arguments.removeSubrange(flag...(flag + 1))
        return value
    }
    func flag(_ name: String) -> Bool {
        guard let index = arguments.firstIndex(of: name) else { return false }
        arguments.remove(at: index)
        return true
    }

    var configuration = OCRConfiguration()
    let output = option("--out")
    if let jobs = option("--jobs") { configuration.maxConcurrentImages = required(Int(jobs), "--jobs takes a number") }
    if let languages = option("--languages") { configuration.languages = languages.split(separator: "+").map(String.init) }
    if let psm = option("--psm") {
        configuration.preprocessing.segmentation = required(
            Int(psm).flatMap(PageSegmentation.init(rawValue:)), "--psm takes 3, 6, 11 or 12")
    }
    if let bright = option("--bright") {
        configuration.preprocessing.brightTextPass = required(
            OCRPreprocessing.BrightTextPass(rawValue: bright), "--bright takes never, whenWeak or always")
    }
    if let psm = option("--bright-psm") {
        configuration.preprocessing.brightSegmentation = required(
            Int(psm).flatMap(PageSegmentation.init(rawValue:)), "--bright-psm takes 3, 6, 11 or 12")
    }
    if let confidence = option("--weak-confidence") {
        configuration.preprocessing.weakMeanConfidence = required(Double(confidence), "--weak-confidence takes a number")
    }
    if let threshold = option("--bright-threshold") {
        configuration.preprocessing.brightThreshold = required(Int(threshold), "--bright-threshold takes a number")
    }
    if flag("--invert-dark") { configuration.preprocessing.invertDarkPages = true }
    if flag("--no-invert-dark") { configuration.preprocessing.invertDarkPages = false }
    if flag("--no-retry-inverted") { configuration.preprocessing.tesseractRetriesInverted = false }
    if flag("--colour") { configuration.preprocessing.grey = false }
    if let below = option("--upscale-below") {
        configuration.preprocessing.upscaleBelow = required(Int(below), "--upscale-below takes a number")
    }
    if let junk = option("--junk-confidence") {
        configuration.preprocessing.junkWordConfidence = required(Double(junk), "--junk-confidence takes a number")
    }
    if let letters = option("--junk-letters") {
        configuration.preprocessing.junkLetters = required(Int(letters), "--junk-letters takes a number")
    }
    if let dpi = option("--resolution") { configuration.preprocessing.resolution = required(Int(dpi), "--resolution takes a number") }
    if let side = option("--max-side") {
        configuration.limits.maxOCRSide = required(Int(side), "--max-side takes a number")
        configuration.limits.minOCRShortSide = min(configuration.limits.minOCRShortSide, configuration.limits.maxOCRSide / 2)
    }
    let showPasses = flag("--passes")
    guard arguments.count == 1 else { fail("usage: netral-bench-ocr FOLDER [--out DIR] [--jobs N] [settings...]") }
    let folder = arguments[0]

    let extensions: Set<String> = ["png", "jpg", "jpeg", "gif", "webp"]
    let names = required(try? FileManager.default.contentsOfDirectory(atPath: folder), "cannot list \(folder)", code: 3)
        .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
        .sorted()
    guard !names.isEmpty else { fail("no pictures in \(folder)", code: 3) }
    let pictures: [(name: String, bytes: Data)] = names.map { name in
        guard let bytes = FileManager.default.contents(atPath: folder + "/" + name) else { fail("cannot read \(name)", code: 3) }
        return (name, bytes)
    }
    if let output { try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) }

    let engine: OCREngine
    do {
        engine = try OCREngine(configuration: configuration)
    } catch {
        fail("\(error)", code: 2)
    }

    /// Reads every picture, at most `maxConcurrentImages` at once; returns the failures.
    func readAll() async -> [String] {
        await withTaskGroup(of: String?.self) { group in
            var failures: [String] = []
            var next = 0
            func submit() {
                guard next < pictures.count else { return }
                let picture = pictures[next]
                next += 1
                group.addTask {
                    do {
                        let reading = try await engine.reading(of: picture.bytes, imageURL: picture.name)
                        if let output {
                            let stem = (picture.name as NSString).deletingPathExtension
                            try? Data((reading.text + "\n").utf8).write(to: URL(fileURLWithPath: output + "/" + stem + ".txt"))
                        }
                        if showPasses {
                            print("\(picture.name)\t\(reading.pass)\t\(reading.width)x\(reading.height)\t\(reading.confidence ?? 0)")
                        }
                        return nil
                    } catch {
                        return "\(error)"
                    }
                }
            }
            for _ in 0..<configuration.maxConcurrentImages { submit() }
            for await failure in group {
                if let failure { failures.append(failure) }
                submit()
            }
            return failures
        }
    }

    let clock = ContinuousClock()
    let started = clock.now
    let failures = await readAll()
    let elapsed = clock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    for failure in failures { FileHandle.standardError.write(Data("\(failure)\n".utf8)) }
    print(String(
        format: "netral-ocr: %d images in %.2f s, %.2f images/s (%d jobs, %@, %d failed)",
        pictures.count, seconds, Double(pictures.count) / seconds, configuration.maxConcurrentImages, engine.engineName,
        failures.count))

}

await runBenchmark()
