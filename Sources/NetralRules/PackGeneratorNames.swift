import Foundation

/// A candidate's name as KPU writes it (`Dr. Ir. PRAMONO ANUNG WIBOWO, M.M.`), reduced to the
/// words people write (`pramono anung wibowo`), with the nicknames KPU lists in parentheses or
/// after `ALIAS` (`H. RANO KARNO, S.IP. (SI DOEL)`).
struct CandidateName: Equatable, Sendable {
    /// Name words, lowercased, without titles, degrees and initials.
    var words: [String]
    /// Nicknames, each as its words.
    var nicknames: [[String]]

    /// The name as a label shows it: `Pramono Anung Wibowo`.
    var display: String { words.map(Self.titleCased).joined(separator: " ") }

    static func titleCased(_ word: String) -> String {
        var result = ""
        var startOfWord = true
        for character in word {
            result += startOfWord ? character.uppercased() : String(character)
            startOfWord = character == "-"
        }
        return result
    }
}

/// Words the generator needs to read names: titles and degrees to drop, leading names that
/// are not what people call someone (`Muhammad`, `Siti`, `I Wayan`), and words too common to
/// tell one person from another. Read from the overlay (`kosakata.yaml`, `names:`).
struct NameVocabulary: Sendable {
    /// Titles, ranks and honorifics written before a name (`h`, `dr`, `brigjen`), without dots.
    var honorifics: Set<String> = []
    /// Degrees sometimes written after a name without a comma (`sh`, `mm`).
    var degrees: Set<String> = []
    /// Leading names dropped for the short forms (`muhammad`, `siti`, `wayan`).
    var prefixes: Set<String> = []
    /// Ordinary words that are also names (`bulan`, `bintang`): never distinctive.
    var ordinaryWords: Set<String> = []
    /// Names of famous people who are not these candidates, as normalized forms: never a term alone.
    var famous: Set<String> = []
    /// A name word in at least this many candidates' names is common.
    var commonThreshold = 5
}

enum NameReader {
    /// Parenthesised notes that are not nicknames: `(Purn.)`, `(K)`, `(H.C.)`.
    static let ignoredNotes: Set<String> = ["purn", "k", "hc", "c", "purnawirawan", "alm"]

    /// Reads one person's name as KPU writes it.
    static func read(_ raw: String, vocabulary: NameVocabulary) -> CandidateName {
        var text = raw
        var nicknames: [[String]] = []
        // Parenthesised notes: a nickname, unless it is a title note such as (Purn.).
        while let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") {
            let inner = String(text[text.index(after: open)..<close])
            let words = nameWords(inner, vocabulary: vocabulary, dropInitials: false)
            let compact = inner.lowercased().filter(\.isLetter)
            if !words.isEmpty, !ignoredNotes.contains(compact) { nicknames.append(words) }
            var after = text.index(after: close)
            if after < text.endIndex, text[after] == "." { after = text.index(after: after) }
            text.replaceSubrange(open..<after, with: " ")
        }
        // Degrees follow the name's comma; titles may come before one of their own
        // (`Dr., Drs. DEDING ISHAK, S.H.`): the name is the first part with a name word.
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var main = parts.first { !nameWords($0, vocabulary: vocabulary, dropInitials: true).isEmpty } ?? parts.first ?? ""
        // "A ALIAS B": B is a nickname (unless A is empty: `H. ALIAS WELLO` is a name).
        let pieces = main.components(separatedBy: " ALIAS ")
        if pieces.count == 2 {
            let before = nameWords(pieces[0], vocabulary: vocabulary, dropInitials: true)
            let after = nameWords(pieces[1], vocabulary: vocabulary, dropInitials: false)
            if !before.isEmpty {
                main = pieces[0]
                if !after.isEmpty { nicknames.append(after) }
            }
        }
        var words = nameWords(main, vocabulary: vocabulary, dropInitials: true)
        // Degrees written without a comma at the end (`KOMANDO TARIGAN SP`).
        while words.count > 2, let last = words.last, vocabulary.degrees.contains(last) { words.removeLast() }
        return CandidateName(words: words, nicknames: nicknames)
    }

    /// The name words of a piece of a name: titles, degrees (words with inner dots), single
    /// letters and abbreviations (`MUH.`) dropped.
    static func nameWords(_ text: String, vocabulary: NameVocabulary, dropInitials: Bool) -> [String] {
        var words: [String] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "/" }) {
            var token = String(token)
            let endsWithDot = token.hasSuffix(".")
            while token.hasSuffix(".") || token.hasSuffix(",") || token.hasSuffix(";") { token.removeLast() }
            while token.hasPrefix(".") || token.hasPrefix("\"") { token.removeFirst() }
            // An inner dot: a degree or initials (`S.H`, `H.M`), or a name written against an
            // initial or title (`MUSLEM.D`, `H.RUSLAN`): its parts of three letters or more that
            // are no title or degree.
            if token.contains(".") {
                for part in token.lowercased().split(separator: ".") {
                    let letters = part.filter(\.isLetter)
                    if letters.count >= 3, !vocabulary.honorifics.contains(letters), !vocabulary.degrees.contains(letters) {
                        words.append(String(part.filter { $0.isLetter || $0 == "'" || $0 == "-" }))
                    }
                }
                continue
            }
            let word = token.lowercased()
            let letters = word.filter { $0.isLetter }
            if letters.isEmpty { continue }
            if vocabulary.honorifics.contains(letters) { continue }
            if dropInitials && letters.count == 1 { continue }
            // An abbreviated name (`MUH.`, `ABD.`, `MOCH.`): people write the name without it.
            if endsWithDot && (letters.count <= 4 && (vocabulary.prefixes.contains(letters) || vocabulary.honorifics.contains(letters) || letters.count <= 2)) {
                continue
            }
            words.append(word.filter { $0.isLetter || $0 == "'" || $0 == "-" || $0 == "’" })
        }
        return words.filter { !$0.isEmpty }
    }

    /// The key a name word is counted and compared by: letters only (`mas'ud` → `masud`).
    static func key(_ word: String) -> String {
        String(word.unicodeScalars.filter { CharacterSet.letters.contains($0) }.map(Character.init)).lowercased()
    }
}

/// The forms of a name people write, and which of them tell the person apart.
struct NameForms {
    let vocabulary: NameVocabulary
    /// Per name word key: in how many candidates' names it occurs.
    let frequency: [String: Int]

    init(vocabulary: NameVocabulary, names: [CandidateName]) {
        self.vocabulary = vocabulary
        var frequency: [String: Int] = [:]
        for name in names {
            for key in Set(name.words.map(NameReader.key)) { frequency[key, default: 0] += 1 }
        }
        self.frequency = frequency
    }

    /// A word too common to tell one person from another: frequent in the lists, an ordinary
    /// word, or two letters or fewer.
    func isCommon(_ word: String) -> Bool {
        let key = NameReader.key(word)
        return key.count <= 2 || frequency[key, default: 0] >= vocabulary.commonThreshold || vocabulary.ordinaryWords.contains(key)
    }

    /// The words without the leading names people leave out (`muhammad ridwan kamil` →
    /// `ridwan kamil`), keeping at least one word.
    func withoutPrefixes(_ words: [String]) -> [String] {
        var rest = words[...]
        while rest.count > 1, let first = rest.first, vocabulary.prefixes.contains(NameReader.key(first)) { rest = rest.dropFirst() }
        return Array(rest)
    }

    /// The word people call the person by: the first after leading names.
    func shortName(_ name: CandidateName) -> String? { withoutPrefixes(name.words).first }

    /// Multi-word forms: the full name, its first two words, first and last word, the same
    /// without leading names, and multi-word nicknames. In a stable order, without repeats.
    func multiWordForms(_ name: CandidateName) -> [[String]] {
        var forms: [[String]] = []
        func add(_ words: [String]) {
            if words.count >= 2, !forms.contains(words) { forms.append(words) }
        }
        for words in [name.words, withoutPrefixes(name.words)] {
            add(words)
            if words.count >= 3 {
                add(Array(words.prefix(2)))
                add([words[0], words[words.count - 1]])
            }
        }
        for nickname in name.nicknames { add(nickname) }
        return forms
    }

    /// One-word forms worth a term that needs context: a single-word name or nickname that
    /// is rare in the lists, five letters or more, and not an ordinary word.
    func singleWordForms(_ name: CandidateName) -> [String] {
        var singles: [String] = []
        for words in [name.words, withoutPrefixes(name.words)] + name.nicknames where words.count == 1 {
            let key = NameReader.key(words[0])
            if key.count >= 5, frequency[key, default: 0] <= 1, !vocabulary.ordinaryWords.contains(key), !singles.contains(words[0]) {
                singles.append(words[0])
            }
        }
        return singles
    }

    /// Whether a multi-word form tells the person apart on its own: not every word is common,
    /// and it is not the name of a famous person.
    func isDistinctive(_ words: [String]) -> Bool {
        !words.allSatisfy(isCommon) && !vocabulary.famous.contains(Self.text(GeneratorOverlay.normalized(Self.text(words))))
    }

    static func text(_ words: [String]) -> String { words.joined(separator: " ") }
}
