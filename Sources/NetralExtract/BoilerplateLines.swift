import Foundation

/// Short lines that widgets and comment forms print inside otherwise good regions: view
/// counters ("telah dilihat 1.204 kali", "dibaca 20.796 kali"), embedded timelines ("Tweets by
/// @…"), closed-comment notices and e-mail sign-up prompts, in Indonesian, English and German.
/// They are recognised by what they say, not by where they sit, because their markup is
/// anonymous (`<p>`, `<span>`) on most sites. Only lines of at most 100 characters are tested,
/// so an article sentence that happens to contain such words is never dropped.
enum BoilerplateLines {
    static let maximumLength = 100

    private static let patterns: [NSRegularExpression] = [
        #"\b(telah |sudah )?(dilihat|dibaca)\s+\d[\d.,]*\s*kali\b"#,
        #"\b(viewed|read)\s+\d[\d.,]*\s+times\b"#,
        #"^tweets?\s+(by|from|oleh)\s+@"#,
        #"^(komentar|comments?)\s+(ditutup|are closed|closed)\b"#,
        #"^kommentare\s+geschlossen"#,
        #"(gib deine|enter your|masukkan( alamat)?)\s+e-?mail"#,
    ].map { try! NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }

    /// Words one of the patterns needs, searched first in the raw bytes: the regular
    /// expressions run only on the few short lines that hold one.
    private static let keywords: [[UInt8]] = ["kali", "times", "tweet", "koment", "komment", "comment", "mail"].map { Array($0.utf8) }

    /// Whether a line of visible text is one of those widget lines.
    static func isBoilerplate(_ line: Substring) -> Bool {
        guard line.utf8.count <= maximumLength * 4, line.count <= maximumLength else { return false }
        let bytes = line.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        guard keywords.contains(where: { keyword in
            bytes.count >= keyword.count && (0...(bytes.count - keyword.count)).contains { start in
                bytes[start..<(start + keyword.count)].elementsEqual(keyword)
            }
        }) else { return false }
        let text = String(line)
        let range = NSRange(text.startIndex..., in: text)
        return patterns.contains { $0.firstMatch(in: text, range: range) != nil }
    }

    /// The text without such lines, nor lines `also` refuses (lines are separated by newlines).
    static func removing(from text: String, also: (Substring) -> Bool = { _ in false }) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func drop(_ line: Substring) -> Bool { isBoilerplate(line) || also(line) }
        guard lines.contains(where: drop) else { return text }
        return lines.filter { !drop($0) }.joined(separator: "\n")
    }
}
