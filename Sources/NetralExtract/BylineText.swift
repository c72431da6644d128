import Foundation

/// Cleans a byline into a name, and finds credit lines in printed text.
enum BylineText {
    /// Words before a name, longest first, compared in lowercase: prepositions ("By Dan
    /// Goodin", "Oleh Maya") with a space or a colon, nouns ("Pewarta: Nur") only with a colon,
    /// so a name such as "Penulis Meta" stays whole.
    static let prepositions = ["written by", "posted by", "reported by", "oleh", "par", "von", "by"]
    static let nouns = ["laporan", "kontributor", "fotografer", "reporter", "penulis", "pewarta", "author"]

    /// Labels that may stand alone, or before a colon, on a credit line.
    static let creditLabels = ["penulis", "pewarta", "reporter", "fotografer", "kontributor", "oleh", "by", "written by"]

    /// The name in a byline: the label ("By", "Oleh :", "Pewarta:") and anything after the
    /// first separator (" - detikinet", " | 5 Maret 2024", " » Senin, 5 Februari 2024") removed; a contributor's place
    /// ("Kontributor Lhokseumawe, Masriadi") dropped. Nil when nothing like a name is left: empty,
    /// longer than 80 characters, a handle, a URL, or mostly not letters.
    static func clean(_ raw: String) -> String? {
        var text = collapseWhitespace(raw)
        text = stripLabel(text)
        for separator in [" - ", " | ", " – ", " — ", " · ", " » ", "\u{2022}"] {
            if let range = text.range(of: separator) { text = String(text[..<range.lowerBound]) }
        }
        if text.lowercased().hasPrefix("kontributor"), let comma = text.lastIndex(of: ",") {
            text = String(text[text.index(after: comma)...])
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: " ,;:|-"))
        guard !text.isEmpty, text.count <= 80, !text.hasPrefix("@"), !text.hasPrefix("http://"), !text.hasPrefix("https://"),
              text.filter(\.isLetter).count * 2 > text.count
        else { return nil }
        return text
    }

    static func stripLabel(_ text: String) -> String {
        let lower = text.lowercased()
        for label in prepositions + nouns where lower.hasPrefix(label) {
            var rest = Substring(text.dropFirst(label.count))
            guard let first = rest.first, first == " " || first == ":" else { continue }
            rest = rest.drop { $0 == " " }
            if nouns.contains(label), rest.first != ":" { continue }
            return String(rest).trimmingCharacters(in: CharacterSet(charactersIn: " :"))
        }
        return text
    }

    /// First letters of the credit and editor labels, lowercase ASCII.
    static let labelInitials: Set<UInt8> = Set("perofkbw".utf8)

    /// The byte-level screen for `isCreditLine`: short, and starting with the first letter of a
    /// label.
    static func mayBeCreditLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count <= 200, let first = bytes.first, labelInitials.contains(first | 0x20) else { return false }
        // The first word (up to a space or a colon) must be a label.
        return BoilerplateLines.startsWithWord(bytes, firstWords)
    }

    /// First words of every label (`written by` starts with `written`), lowercase bytes.
    static let firstWords: [[UInt8]] = Array(Set((prepositions + nouns + creditLabels + ["editor", "redaktur", "penyunting"]).map {
        String($0.split(separator: " ")[0])
    })).sorted().map { Array($0.utf8) }

    /// Whether a line of the body is a credit line (author, editor, photographer): it moves to
    /// `Item.author` and stays out of the main text.
    static func isCreditLine(_ line: Substring) -> Bool {
        guard line.count <= 80 else { return false }
        let lower = line.lowercased()
        for label in ["editor", "redaktur", "penyunting"] where lower.hasPrefix(label) {
            let rest = lower.dropFirst(label.count).drop { $0 == " " }
            if rest.first == ":" { return true }
        }
        return credit(in: String(line), next: nil) != nil
    }

    /// How many lines a credit line takes from the body, starting at `line`: 1 for a credit
    /// line, 2 for a label alone on its line ("Penulis", "Editor") followed by ": name" (a
    /// two-column table of credits), 0 for anything else.
    static func creditLineCount(_ line: Substring, next: Substring?) -> Int {
        if isCreditLine(line) { return 1 }
        // The cheap tests first: most lines that pass the screen are not alone on their line.
        guard line.utf8.count <= 24, let next, next.utf8.count <= 320, next.drop(while: { $0 == " " }).first == ":" else { return 0 }
        let label = line.lowercased().drop { $0 == " " }.reversed().drop { $0 == " " || $0 == ":" }.reversed()
        guard standaloneLabels.contains(String(label)), next.count <= 80,
              clean(String(next.drop { $0 == " " }.dropFirst())) != nil
        else { return 0 }
        return 2
    }

    /// Labels that stand alone on their line in a two-column credit table.
    static let standaloneLabels: Set<String> = Set(creditLabels + ["editor", "redaktur", "penyunting"])

    /// The name on a printed credit line ("Oleh : Maya Sofia", "Pewarta: Nur Imansyah",
    /// "Fotografer: Grandyos Zafna"), or on the next line when the label stands alone
    /// ("Penulis" then ": Nabilla Tashandra" in a table). "Oleh" needs a colon or a short line
    /// with a capitalised name, because "Oleh karena itu" starts sentences.
    static func credit(in line: String, next: String?) -> String? {
        guard line.count <= 80 else { return nil }
        let lower = line.lowercased()
        for label in creditLabels where lower.hasPrefix(label) {
            var rest = Substring(line.dropFirst(label.count))
            guard rest.isEmpty || rest.first == " " || rest.first == ":" else { continue }
            rest = rest.drop { $0 == " " }
            let hadColon = rest.first == ":"
            rest = rest.drop { $0 == " " || $0 == ":" }
            if rest.isEmpty {
                guard let next, next.count <= 80 else { return nil }
                let name = next.drop { $0 == " " || $0 == ":" }
                return name.isEmpty ? nil : clean(label + ": " + name)
            }
            guard let name = clean(label + ": " + rest) else { return nil }
            // "oleh warga_loa » Senin, 5 Februari 2024 19:02": a name followed by a date is a
            // byline whatever its case (a forum's user name).
            let datedAfterName = rest.count > name.count + 3 && VisibleDate.parse(String(rest.dropFirst(name.count))) != nil
            if label == "oleh" || label == "by", !hadColon, !datedAfterName {
                // One name or a few ("By Lisa Mascaro, Mary Clare Jalonick and Eric Tucker"),
                // each of capitalised words.
                let names = name.replacingOccurrences(of: " and ", with: ",").replacingOccurrences(of: " dan ", with: ",")
                    .replacingOccurrences(of: " & ", with: ",").split(separator: ",")
                guard names.count <= 6, names.allSatisfy({ part in
                    let words = part.split(separator: " ")
                    guard words.count <= 5, let first = words.first?.first, first.isUppercase else { return false }
                    return words.allSatisfy { $0.first?.isUppercase == true || $0.count <= 3 }
                }) else { return nil }
            }
            return name
        }
        return nil
    }

    /// The body without the byline printed with no label near its top: one of its first six
    /// lines that starts with the author's name and is not much longer ("Tom Krisher, AP Auto
    /// Writer", "Meg Kinnard and Errin Haines, Associated Press"). `Item.author` has the name.
    static func removingNameLines(from body: String, name: String) -> String {
        let lowerName = name.lowercased()
        let nameLength = lowerName.count
        guard nameLength >= 5 else { return body }
        // Only the first six lines are read: the body may be long.
        let bytes = body.utf8
        var removed: [Range<String.Index>] = []
        var lineStart = bytes.startIndex
        for _ in 0..<6 {
            guard lineStart < bytes.endIndex else { break }
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.endIndex
            let next = lineEnd < bytes.endIndex ? bytes.index(after: lineEnd) : lineEnd
            let line = body[lineStart..<lineEnd]
            if line.utf8.count <= (nameLength + 48) * 4, line.count <= nameLength + 48, line.last != ".",
               line.lowercased().hasPrefix(lowerName) {
                removed.append(lineStart..<next)
            }
            lineStart = next
        }
        guard !removed.isEmpty else { return body }
        var result = body
        for range in removed.reversed() { result.removeSubrange(range) }
        while result.last == "\n" { result.removeLast() }
        return result
    }
}
