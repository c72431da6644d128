import Foundation

/// A word, hashtag or emoji of a text, normalized for matching, with its place in the original.
struct Token: Equatable {
    /// Lowercased, NFKC, accents stripped; hashtags keep their `#`; emoji lose variation selectors.
    var normalized: String
    /// Every key this token may match in the term trie, `normalized` first. See `Tokenizer`.
    var keys: [String]
    /// Start in the original text, in UTF-8 bytes.
    var start: Int
    /// End (exclusive) in the original text, in UTF-8 bytes.
    var end: Int
    /// The token as written (for exact-case terms).
    var original: Substring
    var isHashtag: Bool
    /// For a hashtag written in camel case or with digits (`#PrabowoGibran2024`), its words
    /// (`prabowo`, `gibran`, `2024`), each with its own span inside the hashtag.
    var parts: [Token]
}

/// Splits text into tokens and normalizes them, keeping each token's byte span in the original
/// text, so quotes and highlights always show what was published.
///
/// Words are runs of letters, digits and combining marks; a `#` that starts a word makes a
/// hashtag; each emoji (with its modifiers) is a token of its own; everything else separates
/// tokens. Terms are tokenized the same way, so whole-word matching is token equality.
///
/// Normalization (the token's `keys`, tried in order):
/// 1. NFKC, case folding, accents stripped: `Prábowo` and `ｐｒａｂｏｗｏ` give `prabowo`.
/// 2. Letter-digit substitutions inside words: a single digit between letters, or after
///    letters at the end of a word of three or more letters, is read as the letter it imitates
///    (`pr4bowo`, `g4njar`, `an1es`); numbers such as `2024` or `02` stay numbers.
/// 3. Letters repeated for emphasis (`prabowooo`, `ganjaaar`): runs of a repeated letter are
///    squeezed to one. The squeezed key lives in its own key space (prefixed with
///    `Tokenizer.squeezedPrefix`) and is tried only when the text repeated a letter, so `pk`
///    (pukul) never matches a term `pppk`.
/// 4. A hashtag also matches as its bare word (`#Gibran` matches `gibran`); a hashtag term
///    matches only hashtags.
enum Tokenizer {
    /// Marks squeezed keys so they never collide with ordinary words.
    static let squeezedPrefix = "\u{1}"

    static func tokens(of text: String) -> [Token] {
        var tokens: [Token] = []
        let utf8 = text.utf8
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        let end = scalars.endIndex

        func offset(_ i: String.Index) -> Int { utf8.distance(from: utf8.startIndex, to: i) }

        while index < end {
            let scalar = scalars[index]
            if isWord(scalar) || (scalar == "#" && isHashtagStart(scalars, index, end)) {
                let start = index
                var cursor = scalars.index(after: index)
                while cursor < end, isWord(scalars[cursor]) { cursor = scalars.index(after: cursor) }
                let original = text[start..<cursor]
                if scalar == "#" {
                    let word = text[scalars.index(after: start)..<cursor]
                    let bare = normalizeWord(word)
                    var keys = ["#" + bare]
                    keys.append(contentsOf: wordKeys(bare, original: word))
                    let wordStart = offset(scalars.index(after: start))
                    let parts = splitHashtag(word).map { range -> Token in
                        let piece = word[range]
                        let normalized = normalizeWord(piece)
                        return Token(
                            normalized: normalized, keys: wordKeys(normalized, original: piece),
                            start: wordStart + word.utf8.distance(from: word.startIndex, to: range.lowerBound),
                            end: wordStart + word.utf8.distance(from: word.startIndex, to: range.upperBound),
                            original: piece, isHashtag: false, parts: []
                        )
                    }
                    tokens.append(Token(
                        normalized: "#" + bare, keys: unique(keys), start: offset(start), end: offset(cursor),
                        original: original, isHashtag: true, parts: parts.count > 1 ? parts : []
                    ))
                } else {
                    let normalized = normalizeWord(original)
                    tokens.append(Token(
                        normalized: normalized, keys: wordKeys(normalized, original: original),
                        start: offset(start), end: offset(cursor), original: original, isHashtag: false, parts: []
                    ))
                }
                index = cursor
            } else if isEmojiStart(scalar) {
                let start = index
                var cursor = scalars.index(after: index)
                // Modifiers, variation selectors, keycaps and zero-width-joined parts stay with the emoji.
                while cursor < end {
                    let next = scalars[cursor]
                    if next == "\u{FE0F}" || next == "\u{FE0E}" || next == "\u{20E3}" || next.properties.isEmojiModifier {
                        cursor = scalars.index(after: cursor)
                    } else if next == "\u{200D}", scalars.index(after: cursor) < end {
                        cursor = scalars.index(after: scalars.index(after: cursor))
                    } else {
                        break
                    }
                }
                let original = text[start..<cursor]
                let normalized = normalizeEmoji(original)
                tokens.append(Token(normalized: normalized, keys: [normalized], start: offset(start), end: offset(cursor),
                                    original: original, isHashtag: false, parts: []))
                index = cursor
            } else {
                index = scalars.index(after: index)
            }
        }
        return tokens
    }

    /// The keys of a normalized word: itself, its letter-digit reading, and squeezed forms.
    static func wordKeys<S: StringProtocol>(_ normalized: String, original: S) -> [String] {
        var keys = [normalized]
        // Fast path: no digit and no repeated letter, the usual word, has one key.
        if !normalized.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) && squeeze(normalized) == normalized {
            return keys
        }
        let deleeted = substituteDigits(normalized)
        if deleeted != normalized { keys.append(deleeted) }
        for key in keys {
            let squeezed = squeeze(key)
            if squeezed != key { keys.append(squeezedPrefix + squeezed) }
        }
        return unique(keys)
    }

    /// The key under which a term token is also reachable from squeezed text.
    static func squeezedKey(_ normalized: String) -> String {
        squeezedPrefix + squeeze(normalized)
    }

    private static func unique(_ keys: [String]) -> [String] {
        // A token has at most four keys: a linear check beats hashing into a set.
        guard keys.count > 1 else { return keys }
        var result: [String] = []
        result.reserveCapacity(keys.count)
        for key in keys where !result.contains(key) { result.append(key) }
        return result
    }

    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
        }
        let properties = scalar.properties
        if properties.isEmojiPresentation { return false }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    private static func isHashtagStart(_ scalars: String.UnicodeScalarView, _ index: String.Index, _ end: String.Index) -> Bool {
        if index > scalars.startIndex, isWord(scalars[scalars.index(before: index)]) { return false }
        let next = scalars.index(after: index)
        return next < end && isWord(scalars[next])
    }

    private static func isEmojiStart(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return false }
        let properties = scalar.properties
        // Text-default emoji such as ✌ or ☝ count too: people often drop the variation selector.
        return properties.isEmojiPresentation || properties.isEmojiModifier || properties.isEmoji
    }

    /// NFKC, lowercase, accents stripped. ASCII, the common case, takes a fast path.
    static func normalizeWord<S: StringProtocol>(_ word: S) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) {
            if !word.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) { return String(word) }
            return String(decoding: word.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        let compatible = String(word).precomposedStringWithCompatibilityMapping
        return compatible.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    static func normalizeEmoji<S: StringProtocol>(_ emoji: S) -> String {
        var result = String.UnicodeScalarView()
        for scalar in emoji.unicodeScalars where scalar != "\u{FE0F}" && scalar != "\u{FE0E}" && !scalar.properties.isEmojiModifier {
            result.append(scalar)
        }
        return String(result)
    }

    /// Digits people type for letters.
    private static let digitLetters: [UInt8: UInt8] = [
        UInt8(ascii: "0"): UInt8(ascii: "o"), UInt8(ascii: "1"): UInt8(ascii: "i"), UInt8(ascii: "3"): UInt8(ascii: "e"),
        UInt8(ascii: "4"): UInt8(ascii: "a"), UInt8(ascii: "5"): UInt8(ascii: "s"), UInt8(ascii: "6"): UInt8(ascii: "g"),
        UInt8(ascii: "7"): UInt8(ascii: "t"), UInt8(ascii: "8"): UInt8(ascii: "b"), UInt8(ascii: "9"): UInt8(ascii: "g"),
    ]

    /// Reads single digits inside a word as letters (`pr4bowo` → `prabowo`). A digit counts when
    /// it stands alone between two letters, or alone at the end of a word with at least three
    /// letters (`an1es`, `prabow0`); runs of digits (`2024`, `02`) are left alone.
    static func substituteDigits(_ word: String) -> String {
        // Most words have no digit: decide that without allocating.
        guard word.utf8.count >= 3, word.utf8.contains(where: isDigit), word.utf8.contains(where: isLetter) else { return word }
        let bytes = Array(word.utf8)
        var output = bytes
        var changed = false
        for index in bytes.indices where isDigit(bytes[index]) {
            let before = index > 0 ? bytes[index - 1] : nil
            let after = index + 1 < bytes.count ? bytes[index + 1] : nil
            let letterBefore = before.map(isLetter) ?? false
            let letterAfter = after.map(isLetter) ?? false
            let between = letterBefore && letterAfter
            let atEnd = after == nil && letterBefore && bytes.filter(isLetter).count >= 3
            let atStart = before == nil && letterAfter && index + 2 < bytes.count && isLetter(bytes[index + 2]) && bytes.filter(isLetter).count >= 3
            if (between || atEnd || atStart), let letter = digitLetters[bytes[index]] {
                output[index] = letter
                changed = true
            }
        }
        return changed ? String(decoding: output, as: UTF8.self) : word
    }

    /// Squeezes runs of one repeated letter to a single letter (`ganjaaar` → `ganjar`).
    static func squeeze(_ word: String) -> String {
        // Most words repeat no letter: decide that without allocating.
        var previousByte: UInt8 = 0
        var repeats = false
        for byte in word.utf8 {
            if byte == previousByte && byte >= 0x41 {
                repeats = true
                break
            }
            previousByte = byte
        }
        guard repeats else { return word }
        var result = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in word.unicodeScalars {
            if scalar == previous, scalar.properties.isAlphabetic { continue }
            result.append(scalar)
            previous = scalar
        }
        return String(result)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80 }

    /// Splits a hashtag's word at lower-to-upper case changes and at letter-digit boundaries:
    /// `PrabowoGibran2024` → `Prabowo`, `Gibran`, `2024`; `AMINajaDulu` → `AMINaja`, `Dulu`.
    static func splitHashtag(_ word: Substring) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var start = word.startIndex
        var previous: Unicode.Scalar?
        var index = word.unicodeScalars.startIndex
        while index < word.unicodeScalars.endIndex {
            let scalar = word.unicodeScalars[index]
            if let previous {
                let lowerToUpper = previous.properties.isLowercase && scalar.properties.isUppercase
                let letterDigit = previous.properties.isAlphabetic != scalar.properties.isAlphabetic
                    && (previous.properties.numericType != nil || scalar.properties.numericType != nil)
                if lowerToUpper || letterDigit {
                    ranges.append(start..<index)
                    start = index
                }
            }
            previous = scalar
            index = word.unicodeScalars.index(after: index)
        }
        if start < word.endIndex { ranges.append(start..<word.endIndex) }
        return ranges
    }
}
