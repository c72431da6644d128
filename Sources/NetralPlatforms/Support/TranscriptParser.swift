public import Foundation
public import NetralModel

/// A transcript read from a subtitle or caption track, and what was skipped or cut.
public struct TranscriptReading: Sendable, Equatable {
    public var transcript: Transcript
    public var notes: [String]
}

/// Reads the subtitle and caption tracks the platforms publish into a `Transcript`: WebVTT
/// (TikTok), YouTube's timedtext XML (both the `<transcript><text start dur>` and the
/// `<timedtext format="3"><body><p t d>` layouts) and its `fmt=json3`.
public enum TranscriptParser {
    /// Reads `data`, the answer to `track.url`, in the track's format.
    public static func read(
        _ data: Data, track: TranscriptTrack, platform: Platform,
        limits: PlatformLimits = .default
    ) throws(PlatformParseError) -> TranscriptReading {
        var book = NoteBook(limits: limits)
        let cues: [Transcript.Cue]
        switch track.format {
        case .webVTT:
            cues = try webVTTCues(data, platform: platform, url: track.url, book: &book)
        case .timedTextXML:
            cues = try timedTextCues(data, platform: platform, url: track.url, book: &book)
        case .json3:
            cues = try json3Cues(data, platform: platform, url: track.url, book: &book)
        }
        let transcript = Transcript(sourceURL: track.url, language: track.language, kind: track.kind, cues: cues)
        return TranscriptReading(transcript: transcript, notes: book.notes)
    }

    // MARK: WebVTT

    /// WebVTT cues: a `WEBVTT` header, blocks separated by blank lines, `NOTE`, `STYLE` and
    /// `REGION` blocks skipped, cue settings ignored, tags (`<c>`, `<v Name>`, `<00:00:01.000>`)
    /// removed, a cue repeating the one before (rolling captions) kept once.
    static func webVTTCues(
        _ data: Data, platform: Platform, url: String, book: inout NoteBook
    ) throws(PlatformParseError) -> [Transcript.Cue] {
        guard data.count <= book.limits.maxBodyBytes else {
            throw PlatformParseError(platform: platform, url: url, reason: "a subtitle track of \(data.count) bytes is over the limit")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        guard let first = lines.first, first.hasPrefix("WEBVTT") else {
            throw PlatformParseError(platform: platform, url: url, location: "line 1", reason: "not a WebVTT file (no WEBVTT header)")
        }
        var cues: [Transcript.Cue] = []
        var index = 1
        var dropped = 0
        while index < lines.count {
            // One block: lines up to the next blank line.
            while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).isEmpty { index += 1 }
            let start = index
            while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).isEmpty { index += 1 }
            guard start < index else { break }
            let block = lines[start..<index]
            let head = block.first!
            if head.hasPrefix("NOTE") || head.hasPrefix("STYLE") || head.hasPrefix("REGION") { continue }
            guard let timingOffset = block.firstIndex(where: { $0.contains("-->") }) else {
                book.add("\(url): line \(start + 1): a block without a cue timing line; skipped")
                continue
            }
            let timing = block[timingOffset].components(separatedBy: "-->")
            guard timing.count == 2, let from = vttTime(timing[0]),
                let to = vttTime(timing[1].trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? "")
            else {
                book.add("\(url): line \(start + timingOffset - block.startIndex + 1): unreadable cue timing; cue skipped")
                continue
            }
            let words = block[(timingOffset + 1)...].map { stripCueMarkup(String($0)) }.filter { !$0.isEmpty }.joined(separator: " ")
            guard !words.isEmpty else { continue }
            if let last = cues.last, last.text == words, from <= last.end + 0.5 {
                cues[cues.count - 1].end = max(last.end, to)
                continue
            }
            if cues.count >= book.limits.maxCues {
                dropped += 1
                continue
            }
            cues.append(Transcript.Cue(start: from, end: max(from, to), text: book.cap(words, "\(url): cue at \(from) s")))
        }
        if dropped > 0 { book.add("\(url): \(dropped) cues past the first \(book.limits.maxCues) left out") }
        return cues
    }

    /// `hh:mm:ss.ttt` or `mm:ss.ttt` (a comma accepted for the dot) in seconds.
    static func vttTime(_ text: String) -> Double? {
        let parts = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".").split(separator: ":")
        guard parts.count == 2 || parts.count == 3 else { return nil }
        var seconds = 0.0
        for (position, part) in parts.enumerated() {
            guard part.utf8.count <= 12, let value = Double(part), value >= 0, value.isFinite else { return nil }
            if position < parts.count - 1, value != value.rounded() { return nil }
            seconds = seconds * 60 + value
        }
        return seconds
    }

    /// Cue text without tags, with the entities WebVTT allows decoded.
    static func stripCueMarkup(_ line: String) -> String {
        var output = ""
        var inTag = false
        for character in line {
            if inTag {
                if character == ">" { inTag = false }
            } else if character == "<" {
                inTag = true
            } else {
                output.append(character)
            }
        }
        return tidy(decodeEntities(output), keepLines: false)
    }

    // MARK: YouTube timedtext

    static func timedTextCues(
        _ data: Data, platform: Platform, url: String, book: inout NoteBook
    ) throws(PlatformParseError) -> [Transcript.Cue] {
        let tree: MarkupTree
        do {
            tree = try MarkupTree(data: data, mode: .xml, url: url)
        } catch {
            throw PlatformParseError(platform: platform, url: url, reason: "caption track is not XML: \(error.reason)")
        }
        guard let root = tree.root else { throw PlatformParseError(platform: platform, url: url, reason: "caption track is empty") }
        var cues: [Transcript.Cue] = []
        var dropped = 0
        func add(start: Double?, duration: Double?, text: String) {
            guard let start, start.isFinite, start >= 0 else { return }
            let words = tidy(decodeEntities(text), keepLines: false)
            guard !words.isEmpty else { return }
            guard cues.count < book.limits.maxCues else {
                dropped += 1
                return
            }
            let end = start + max(0, (duration ?? 0).isFinite ? (duration ?? 0) : 0)
            cues.append(Transcript.Cue(start: start, end: end, text: book.cap(words, "\(url): cue at \(start) s")))
        }
        switch tree.name(root) {
        case "transcript":
            for node in tree.children(of: root, named: "text") {
                add(
                    start: tree.attribute("start", of: node).flatMap(Double.init),
                    duration: tree.attribute("dur", of: node).flatMap(Double.init), text: tree.rawText(of: node))
            }
        case "timedtext":
            let body = tree.child(of: root, named: "body") ?? root
            for node in tree.children(of: body, named: "p") {
                let start = tree.attribute("t", of: node).flatMap(Double.init).map { $0 / 1000 }
                let duration = tree.attribute("d", of: node).flatMap(Double.init).map { $0 / 1000 }
                add(start: start, duration: duration, text: tree.rawText(of: node))
            }
        default:
            throw PlatformParseError(
                platform: platform, url: url, location: "<\(tree.name(root))>",
                reason: "not a timedtext caption track (expected <transcript> or <timedtext>)")
        }
        if dropped > 0 { book.add("\(url): \(dropped) cues past the first \(book.limits.maxCues) left out") }
        return cues
    }

    static func json3Cues(
        _ data: Data, platform: Platform, url: String, book: inout NoteBook
    ) throws(PlatformParseError) -> [Transcript.Cue] {
        let document = try JSONDocument(bytes: data, platform: platform, url: url, location: "the caption track", limits: book.limits)
        if let note = document.repairNote { book.add("\(url): \(note)") }
        let events = document.root["events"]
        guard events.isArray else {
            throw PlatformParseError(
                platform: platform, url: url, location: "$.events", reason: "a json3 caption track needs an events array")
        }
        var cues: [Transcript.Cue] = []
        var dropped = 0
        for event in events.array {
            guard let startMs = event["tStartMs"].double else { continue }
            let words = tidy(event["segs"].array.compactMap { $0["utf8"].string }.joined(), keepLines: false)
            guard !words.isEmpty else { continue }
            guard cues.count < book.limits.maxCues else {
                dropped += 1
                continue
            }
            let start = startMs / 1000
            let end = start + max(0, (event["dDurationMs"].double ?? 0) / 1000)
            cues.append(Transcript.Cue(start: start, end: end, text: book.cap(words, "\(url): cue at \(start) s")))
        }
        if dropped > 0 { book.add("\(url): \(dropped) cues past the first \(book.limits.maxCues) left out") }
        return cues
    }
}

/// The HTML entities caption and subtitle text carries (named ones of WebVTT and YouTube,
/// decimal and hex character references).
func decodeEntities(_ text: String) -> String {
    guard text.contains("&") else { return text }
    var output = ""
    var rest = Substring(text)
    while let amp = rest.firstIndex(of: "&") {
        output += rest[..<amp]
        let after = rest[rest.index(after: amp)...]
        guard let semicolon = after.prefix(12).firstIndex(of: ";") else {
            output.append("&")
            rest = after
            continue
        }
        let name = String(after[..<semicolon])
        var replacement: String?
        switch name {
        case "amp": replacement = "&"
        case "lt": replacement = "<"
        case "gt": replacement = ">"
        case "quot": replacement = "\""
        case "apos": replacement = "'"
        case "nbsp": replacement = " "
        case "lrm", "rlm": replacement = ""
        default:
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else if name.hasPrefix("#") {
                replacement = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            }
        }
        if let replacement {
            output += replacement
            rest = after[after.index(after: semicolon)...]
        } else {
            output.append("&")
            rest = after
        }
    }
    output += rest
    return output
}
