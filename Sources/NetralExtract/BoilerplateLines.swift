import Foundation

/// Short lines that widgets and comment forms print inside otherwise good regions: view
/// counters ("telah dilihat 1.204 kali", "dibaca 20.796 kali"), embedded timelines ("Tweets by
/// @…"), closed-comment notices and e-mail sign-up prompts, in Indonesian, English and German;
/// the labels of related-link lists ("Baca juga", "Jangan Lewatkan", "Berita Terkait", "You
/// may also like", and "Baca juga: <headline>" lines), share labels, a picture's credit line
/// ("Foto: Istimewa", "Photo: … / AP") and copyright lines.
/// They are recognised by what they say, not by where they sit, because their markup is
/// anonymous (`<p>`, `<span>`) on most sites. Only lines of at most 100 characters are tested,
/// so an article sentence that happens to contain such words is never dropped.
enum BoilerplateLines {
    static let maximumLength = 100

    /// View counters, anywhere in the line.
    private static let counterPatterns = [
        #"\b(telah |sudah )?(dilihat|dibaca)\s+\d[\d.,]*\s*kali\b"#,
        #"\b(viewed|read)\s+\d[\d.,]*\s+times\b"#,
    ]

    /// Lines known by how they start (each pattern is anchored at the line's start).
    private static let startPatterns = [
        #"tweets?\s+(by|from|oleh)\s+@"#,
        #"(komentar|comments?)\s+(ditutup|are closed|closed)\b"#,
        #"kommentare\s+geschlossen"#,
        #"(gib deine|enter your|masukkan( alamat)?)\s+e-?mail"#,
        // A related-list label alone on its line, or before a colon and a headline.
        #"(baca|simak|lihat|tonton) juga\b\s*([:!.]|$)"#,
        #"(jangan lewatkan|berita terkait|artikel terkait|berita lainnya|baca berita lainnya|related (articles?|stories|posts|news)|"#
            + #"read more|read also|more stories)\s*[:!.]*\s*$"#,
        #"(you (may|might) also like|more from\b.{0,40}|recommended (for you|stories|articles)|most (read|popular|viewed)|"#
            + #"trending( now)?|berita (populer|terpopuler|terbaru)|terpopuler|baca selengkapnya|selengkapnya|continue reading|"#
            + #"lanjutkan membaca)\s*[:!.»>]*\s*$"#,
        #"(share|bagikan)( this| ini)?( article| post| story| artikel( ini)?| berita( ini)?)?\s*[:!]?\s*$"#,
        // A picture's credit line ("Photo: Damian Dovarganes / AP", "Foto: Istimewa").
        #"(photo|photograph|image|picture|foto|gambar|ilustrasi|sumber foto|credit)s?\s*(:|by\b|credit\b)"#,
        #"(subscribe|sign up)\b.{0,60}\b(newsletters?|inbox|e-?mail)\b"#,
        #"(berlangganan|daftar)\b.{0,60}\b(newsletter|buletin|e-?mail|surel)\b"#,
        #"(copyright\b|hak cipta\b|©)"#,
    ]

    /// Two expressions, not one per pattern: a line costs at most two matches.
    private static let counters = try! NSRegularExpression(
        pattern: counterPatterns.map { "(?:\($0))" }.joined(separator: "|"), options: [.caseInsensitive]
    )
    private static let starts = try! NSRegularExpression(
        pattern: "^(?:" + startPatterns.map { "(?:\($0))" }.joined(separator: "|") + ")", options: [.caseInsensitive]
    )

    /// First words of the lines the anchored patterns match.
    private static let firstWordBytes: [[UInt8]] = [
        "tweet", "tweets", "komentar", "comment", "comments", "kommentare", "gib", "enter", "masukkan", "baca", "simak",
        "lihat", "tonton", "jangan", "berita", "artikel", "related", "read", "more", "copyright", "hak", "you", "recommended",
        "most", "trending", "terpopuler", "selengkapnya", "continue", "lanjutkan", "share", "bagikan", "photo", "photos",
        "photograph", "image", "images", "picture", "foto", "gambar", "ilustrasi", "sumber", "credit", "credits", "subscribe",
        "sign", "berlangganan", "daftar",
    ].map { Array($0.utf8) }

    /// Whether the first word of a line (up to a space, `:` or `.`), in lowercase, is one of
    /// `words` (lowercase ASCII). No allocation.
    @inline(__always)
    static func startsWithWord(_ bytes: some Collection<UInt8>, _ words: [[UInt8]]) -> Bool {
        var length = 0
        for byte in bytes {
            if byte == 0x20 || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".") { break }
            length += 1
            if length > 12 { return false }
        }
        for word in words where word.count == length {
            if zip(bytes, word).allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) == $1 }) { return true }
        }
        return false
    }

    /// Whether a line of visible text is one of those widget lines.
    static func isBoilerplate(_ line: Substring) -> Bool {
        guard line.utf8.count <= maximumLength * 4, line.count <= maximumLength else { return false }
        let text = String(line)
        let range = NSRange(text.startIndex..., in: text)
        return starts.firstMatch(in: text, range: range) != nil || counters.firstMatch(in: text, range: range) != nil
    }

    /// The byte-level screen, exact for the patterns: a view counter has a digit followed
    /// later by "kali" or "times"; every other pattern starts the line with "©" or one of
    /// `firstWords`. Most lines fail on the first word and one pass over their bytes.
    @inline(__always)
    static func mayBeBoilerplate(_ bytes: some Collection<UInt8>) -> Bool {
        if startsWithWord(bytes, firstWordBytes) { return true }
        if bytes.starts(with: [0xC2, 0xA9]) { return true } // the copyright sign
        var window: UInt64 = 0
        var sawDigit = false
        for byte in bytes {
            if byte >= 0x30 && byte <= 0x39 { sawDigit = true; continue }
            guard sawDigit else { continue }
            window = window << 8 | UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            if window & 0xFFFF_FFFF == 0x6B61_6C69 || window & 0xFF_FFFF_FFFF == 0x74_696D_6573 { return true } // "kali", "times"
        }
        return false
    }

    /// The text without such lines, nor lines `also` refuses (lines are separated by newlines).
    /// `also` sees a line and the next one (a label alone on its line, "Penulis", with ": name"
    /// on the next) and says how many lines to drop from this one: 0, 1, or 2 (both).
    /// `screen` tells, from the bytes alone, whether `also` could refuse a line; lines that
    /// pass neither screen are never turned into strings.
    static func removing(from text: String, also: (Substring, Substring?) -> Int = { _, _ in 0 },
                         screen: (UnsafeBufferPointer<UInt8>) -> Bool = { _ in false }) -> String {
        var copy = text
        let dropped: [Range<Int>] = copy.withUTF8 { bytes in
            var dropped: [Range<Int>] = []
            var lineStart = 0
            func lineEnd(from start: Int) -> Int {
                let base = bytes.baseAddress!
                guard let found = memchr(base + start, 0x0A, bytes.count - start) else { return bytes.count }
                return UnsafeRawPointer(found) - UnsafeRawPointer(base)
            }
            while lineStart < bytes.count {
                let end = lineEnd(from: lineStart)
                // A line of at most 100 characters of Latin script is at most about 200 bytes;
                // the patterns are all Latin.
                if end - lineStart <= maximumLength * 2 {
                    let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<end])
                    let widget = mayBeBoilerplate(line)
                    let credit = screen(line)
                    if widget || credit {
                        let string = Substring(String(decoding: line, as: UTF8.self))
                        if widget && isBoilerplate(string) {
                            dropped.append(lineStart..<end)
                        } else if credit {
                            let nextEnd = end < bytes.count ? lineEnd(from: end + 1) : end
                            let next = end < bytes.count && nextEnd - end - 1 <= maximumLength * 2
                                ? Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[(end + 1)..<nextEnd]), as: UTF8.self)) : nil
                            switch also(string, next) {
                            case 0: break
                            case 1: dropped.append(lineStart..<end)
                            default:
                                dropped.append(lineStart..<end)
                                if next != nil {
                                    dropped.append((end + 1)..<nextEnd)
                                    lineStart = nextEnd + 1
                                    continue
                                }
                            }
                        }
                    }
                }
                lineStart = end + 1
            }
            return dropped
        }
        guard !dropped.isEmpty else { return text }
        return copy.withUTF8 { bytes in
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count)
            var start = 0
            for range in dropped {
                if range.lowerBound > start { output.append(contentsOf: bytes[start..<range.lowerBound]) }
                start = range.upperBound + 1
            }
            if start < bytes.count { output.append(contentsOf: bytes[start...]) }
            while output.last == 0x0A { output.removeLast() }
            return String(decoding: output, as: UTF8.self)
        }
    }
}
