import Foundation

/// A word, hashtag or emoji of a text, normalized for matching, with its place in the original.
struct Token: Equatable {
    /// Lowercased, accents stripped; hashtags keep their `#`; emoji lose variation selectors.
    var normalized: String
    /// For a hashtag, the normalized text without `#`, so a plain term can match `#Gibran`.
    var bare: String?
    /// Start in the original text, in UTF-8 bytes.
    var start: Int
    /// End (exclusive) in the original text, in UTF-8 bytes.
    var end: Int
    /// The token as written (for exact-case terms).
    var original: Substring

    var isHashtag: Bool { bare != nil }
}

/// Splits text into tokens. Words are runs of letters, digits and combining marks; a `#` that
/// starts a word makes a hashtag; each emoji (with its modifiers) is a token of its own;
/// everything else separates tokens. Terms are tokenized the same way, so whole-word matching
/// is token equality.
enum Tokenizer {
    static func tokens(of text: String) -> [Token] {
        var tokens: [Token] = []
        let utf8 = text.utf8
        var index = text.unicodeScalars.startIndex
        let end = text.unicodeScalars.endIndex
        let scalars = text.unicodeScalars

        func offset(_ i: String.Index) -> Int { utf8.distance(from: utf8.startIndex, to: i) }

        while index < end {
            let scalar = scalars[index]
            if isWord(scalar) || (scalar == "#" && isHashtagStart(scalars, index, end)) {
                let start = index
                var cursor = scalars.index(after: index)
                while cursor < end, isWord(scalars[cursor]) { cursor = scalars.index(after: cursor) }
                let original = text[start..<cursor]
                let normalized = normalizeWord(original)
                if scalar == "#" {
                    tokens.append(Token(normalized: normalized, bare: String(normalized.dropFirst()), start: offset(start), end: offset(cursor), original: original))
                } else {
                    tokens.append(Token(normalized: normalized, bare: nil, start: offset(start), end: offset(cursor), original: original))
                }
                index = cursor
            } else if isEmojiStart(scalar, scalars, index, end) {
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
                tokens.append(Token(normalized: normalizeEmoji(original), bare: nil, start: offset(start), end: offset(cursor), original: original))
                index = cursor
            } else {
                index = scalars.index(after: index)
            }
        }
        return tokens
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

    private static func isEmojiStart(_ scalar: Unicode.Scalar, _ scalars: String.UnicodeScalarView, _ index: String.Index, _ end: String.Index) -> Bool {
        if scalar.isASCII { return false }
        let properties = scalar.properties
        if properties.isEmojiPresentation || properties.isEmojiModifier { return true }
        // Text-default emoji such as ✌ or ☝ count when followed by the emoji variation selector,
        // or standing alone (people often drop the selector).
        if properties.isEmoji { return true }
        return false
    }

    /// Lowercase with accents stripped. ASCII, the common case, takes a fast path.
    static func normalizeWord<S: StringProtocol>(_ word: S) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) {
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
}
