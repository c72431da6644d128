import Foundation

/// A word, hashtag or emoji of a text, normalized for matching, with its place in the original.
/// The string form of what `Tokenizer.scan` reports, for compiling terms, checking packs and
/// tests; matching text uses the scan directly and builds no strings.
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

/// What a token is.
enum TokenKind {
    case word
    case hashtag
    case emoji
    /// One word of a camel-case hashtag, reported right after the hashtag itself.
    case hashtagPart
}

/// The match keys of one token, as byte strings in one reused buffer (no allocation per token),
/// each with its `KeyHash`.
struct TokenKeys {
    private(set) var bytes: [UInt8] = []
    /// End of each key in `bytes`; key `i` starts where key `i - 1` ends.
    private var ends: [Int] = []
    private var hashes: [Int] = []

    var count: Int { ends.count }

    func range(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : ends[index - 1])..<ends[index]
    }

    func hash(_ index: Int) -> Int { hashes[index] }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
    }

    /// Adds `prefix` (if any) followed by `key`, unless that key is already there.
    mutating func append(prefix: UInt8? = nil, _ key: UnsafeBufferPointer<UInt8>) {
        var hash = KeyHash.start
        if let prefix { hash = KeyHash.add(prefix, to: hash) }
        for byte in key { hash = KeyHash.add(byte, to: hash) }
        append(prefix: prefix, key, hash: hash)
    }

    /// Adds a key whose hash is already known.
    mutating func append(prefix: UInt8? = nil, _ key: UnsafeBufferPointer<UInt8>, hash: Int) {
        let start = bytes.count
        if let prefix { bytes.append(prefix) }
        bytes.append(contentsOf: key)
        let new = start..<bytes.count
        for index in 0..<ends.count where hashes[index] == hash && bytes[range(index)].elementsEqual(bytes[new]) {
            bytes.removeSubrange(new)
            return
        }
        ends.append(bytes.count)
        hashes.append(hash)
    }

    func withKey<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let keyRange = range(index)
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[keyRange])) }
    }

    func string(_ index: Int) -> String {
        String(decoding: bytes[range(index)], as: UTF8.self)
    }
}

/// The hash of a match key, computed byte by byte while a word is normalized: a rotate and an
/// exclusive or per byte (one cycle, no multiply on the per-byte path), then one
/// multiply-and-shift to spread the bits when the word ends. Keys are short, and a lookup
/// compares the bytes anyway.
enum KeyHash {
    static let start = 0

    @inline(__always)
    static func add(_ byte: UInt8, to hash: Int) -> Int {
        let rotated = UInt(bitPattern: hash) << 5 | UInt(bitPattern: hash) >> 59
        return Int(bitPattern: rotated ^ UInt(byte))
    }

    @inline(__always)
    static func finish(_ hash: Int) -> Int {
        let mixed = UInt(bitPattern: hash) &* 0x9E37_79B9_7F4A_7C15
        return Int(bitPattern: mixed ^ mixed >> 32)
    }

    static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash = start
        for byte in bytes { hash = add(byte, to: hash) }
        return hash
    }
}

/// Receives the tokens of a text from `Tokenizer.scan`.
protocol TokenSink {
    /// A word of ASCII letters and digits with no digit and no repeated letter, spanning
    /// `start..<end`: its only key is the word lowercased, whose `KeyHash` is `hash`.
    mutating func plainWord(start: Int, end: Int, hash: Int, hasUppercase: Bool, text: UnsafeBufferPointer<UInt8>)

    /// A word of ASCII letters that repeats a letter (`prabowooo`, `PPPK`), spanning
    /// `start..<end`. Its keys are the word lowercased (`KeyHash` `hash`), its squeezed form
    /// (`marked` without its first byte, hashed `squeezedHash`), and the squeezed form marked
    /// with `Tokenizer.squeezedPrefix` (`marked`, hashed `markedHash`). Returns false to have
    /// the word reported through `token` instead.
    mutating func repeatedWord(start: Int, end: Int, hash: Int, marked: UnsafeBufferPointer<UInt8>, squeezedHash: Int, markedHash: Int,
                               hasUppercase: Bool, text: UnsafeBufferPointer<UInt8>) -> Bool

    /// A token spanning `start..<end` (UTF-8 bytes) of `text`; `keys` holds its match keys, the
    /// normalized form first.
    mutating func token(_ kind: TokenKind, start: Int, end: Int, keys: TokenKeys, text: UnsafeBufferPointer<UInt8>)
}

extension TokenSink {
    mutating func repeatedWord(start: Int, end: Int, hash: Int, marked: UnsafeBufferPointer<UInt8>, squeezedHash: Int, markedHash: Int,
                               hasUppercase: Bool, text: UnsafeBufferPointer<UInt8>) -> Bool {
        false
    }
}

/// Splits text into tokens and normalizes them, keeping each token's byte span in the original
/// text, so quotes and highlights always show what was published. Works on the UTF-8 bytes:
/// ASCII words, the common case, are lowercased and keyed without building strings; a word
/// with other letters goes through Foundation's NFKC and folding.
///
/// Words are runs of letters, digits and combining marks; a `#` that starts a word makes a
/// hashtag; each emoji (with its modifiers) is a token of its own; everything else separates
/// tokens. Terms are tokenized the same way, so whole-word matching is token equality.
///
/// Normalization (the token's keys, tried in order):
/// 1. NFKC, case folding, accents stripped: `Prábowo` and `ｐｒａｂｏｗｏ` give `prabowo`.
/// 2. Letter-digit substitutions inside words: a single digit between letters, or after
///    letters at the end of a word of three or more letters, is read as the letter it imitates
///    (`pr4bowo`, `g4njar`, `an1es`); numbers such as `2024` or `02` stay numbers.
/// 3. Letters repeated for emphasis (`prabowooo`, `ganjaaar`): runs of a repeated letter are
///    squeezed to one, and only when the text repeated a letter. The squeezed form is offered
///    twice: as it is, for term words that repeat no letter (`prabowo`), and in a key space
///    of its own (prefixed with `Tokenizer.squeezedPrefix`), for term words that do
///    (`aamiin`, `kasubbag`). A word without a vowel is an abbreviation, never squeezed:
///    `PKK`, `PPK` and `PP` are not `PPPK` or `PPP`, and `pk` (pukul) repeats nothing.
/// 4. A hashtag also matches as its bare word (`#Gibran` matches `gibran`); a hashtag term
///    matches only hashtags.
enum Tokenizer {
    /// Marks squeezed keys so they never collide with ordinary words.
    static let squeezedPrefix = "\u{1}"
    static let squeezedPrefixByte: UInt8 = 0x01

    /// The tokens of a text as strings (see `Token`).
    static func tokens(of text: String) -> [Token] {
        var sink = TokenCollector(text: text)
        scan(text, into: &sink)
        return sink.tokens
    }

    /// Reports every token of `text` to `sink`, in text order.
    static func scan<Sink: TokenSink>(_ text: String, into sink: inout Sink) {
        var text = text
        if text.utf8.withContiguousStorageIfAvailable({ scan(bytes: $0, into: &sink) }) == nil {
            text.makeContiguousUTF8()
            _ = text.utf8.withContiguousStorageIfAvailable { scan(bytes: $0, into: &sink) }
        }
    }

    /// Scratch space reused for every token of a scan (and, through `TermMatcher.Workspace`,
    /// from one text to the next).
    struct Scratch {
        var keys = TokenKeys()
        /// The normalized word, its hash, and its hash as a hashtag (`#` first).
        var word: [UInt8] = []
        var wordHash = KeyHash.start
        var hashtagHash = KeyHash.start
        var hasDigit = false
        var hasRepeat = false
        var variant: [UInt8] = []
        var parts: [Range<Int>] = []
    }

    static func scan<Sink: TokenSink>(bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        // Scratch arrays allocate only when a word needs the general path.
        var scratch = Scratch()
        scan(bytes: bytes, into: &sink, scratch: &scratch)
    }

    /// Per byte: the byte lowercased if it is an ASCII letter or digit, else 0. One load per
    /// byte in the word loop instead of range tests. Written once, then only read, so it is
    /// safe to share between threads.
    nonisolated(unsafe) private static let asciiWordFold: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for byte in 0..<256 {
            let value = UInt8(byte)
            table[byte] = isASCIIWordByte(value) ? (value >= 0x41 && value <= 0x5A ? value | 0x20 : value) : 0
        }
        return UnsafePointer(table)
    }()

    static func scan<Sink: TokenSink>(bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink, scratch: inout Scratch) {
        let count = bytes.count
        let fold = asciiWordFold
        var index = 0
        var previousIsWord = false
        while index < count {
            let byte = bytes[index]
            if fold[Int(byte)] != 0 {
                // The common case, a plain ASCII word (no digit, no repeated letter): hashed
                // while it is scanned, with no copy; anything else takes the general path.
                var end = index
                var hash = KeyHash.start
                var plain = true
                var upper: UInt8 = 0
                var previous: UInt8 = 0
                while end < count {
                    let next = bytes[end]
                    let lower = fold[Int(next)]
                    if lower == 0 { break }
                    upper |= next ^ lower
                    plain = plain && lower > 0x39 && lower != previous
                    hash = KeyHash.add(lower, to: hash)
                    previous = lower
                    end += 1
                }
                if end == count || bytes[end] < 0x80 || !isWord(decodeScalar(bytes, at: end).scalar) {
                    if plain {
                        sink.plainWord(start: index, end: end, hash: hash, hasUppercase: upper != 0, text: bytes)
                        previousIsWord = true
                        index = end
                        continue
                    }
                    // Letters only, one repeated (`prabowooo`): squeezed here, with no string.
                    if repeatedLetterWord(bytes, index..<end, hash: hash, hasUppercase: upper != 0, into: &sink, scratch: &scratch) {
                        previousIsWord = true
                        index = end
                        continue
                    }
                }
            }
            let scalar: Unicode.Scalar, length: Int
            if byte < 0x80 {
                scalar = Unicode.Scalar(byte)
                length = 1
            } else {
                (scalar, length) = decodeScalar(bytes, at: index)
            }
            if isWord(scalar) {
                let end = wordEnd(bytes, from: index)
                normalizeWord(bytes, index..<end, into: &scratch)
                scratch.keys.removeAll()
                wordKeys(&scratch)
                sink.token(.word, start: index, end: end, keys: scratch.keys, text: bytes)
                previousIsWord = true
                index = end
            } else if byte == UInt8(ascii: "#"), !previousIsWord, index + 1 < count, isWord(decodeScalar(bytes, at: index + 1).scalar) {
                let wordStart = index + 1
                let end = wordEnd(bytes, from: wordStart)
                normalizeWord(bytes, wordStart..<end, into: &scratch)
                scratch.keys.removeAll()
                scratch.word.withUnsafeBufferPointer { scratch.keys.append(prefix: UInt8(ascii: "#"), $0, hash: scratch.hashtagHash) }
                wordKeys(&scratch)
                sink.token(.hashtag, start: index, end: end, keys: scratch.keys, text: bytes)
                splitHashtag(bytes, wordStart..<end, into: &scratch.parts)
                if scratch.parts.count > 1 {
                    for part in scratch.parts {
                        normalizeWord(bytes, part, into: &scratch)
                        scratch.keys.removeAll()
                        wordKeys(&scratch)
                        sink.token(.hashtagPart, start: part.lowerBound, end: part.upperBound, keys: scratch.keys, text: bytes)
                    }
                }
                previousIsWord = true
                index = end
            } else if isEmojiStart(scalar) {
                // Modifiers, variation selectors, keycaps and zero-width-joined parts stay with the emoji.
                var end = index + length
                var last = scalar
                while end < count {
                    let (next, nextLength) = decodeScalar(bytes, at: end)
                    if next == "\u{FE0F}" || next == "\u{FE0E}" || next == "\u{20E3}" || next.properties.isEmojiModifier {
                        end += nextLength
                        last = next
                    } else if next == "\u{200D}", end + nextLength < count {
                        let joined = decodeScalar(bytes, at: end + nextLength)
                        end += nextLength + joined.length
                        last = joined.scalar
                    } else {
                        break
                    }
                }
                scratch.keys.removeAll()
                let normalized = normalizeEmoji(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self))
                var utf8 = Array(normalized.utf8)
                utf8.withUnsafeMutableBufferPointer { scratch.keys.append(UnsafeBufferPointer($0)) }
                sink.token(.emoji, start: index, end: end, keys: scratch.keys, text: bytes)
                previousIsWord = isWord(last)
                index = end
            } else {
                previousIsWord = false
                index += length
            }
        }
    }

    /// Reports an ASCII word with no digit through `sink.repeatedWord`, with its squeezed keys
    /// built in `scratch.variant`; false when it has a digit or the sink declines it.
    private static func repeatedLetterWord<Sink: TokenSink>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: Int, hasUppercase: Bool, into sink: inout Sink, scratch: inout Scratch
    ) -> Bool {
        let fold = asciiWordFold
        scratch.variant.removeAll(keepingCapacity: true)
        scratch.variant.append(squeezedPrefixByte)
        var squeezedHash = KeyHash.start
        var markedHash = KeyHash.add(squeezedPrefixByte, to: KeyHash.start)
        var previous: UInt8 = 0
        var vowels = false
        for index in range {
            let lower = fold[Int(bytes[index])]
            if lower <= 0x39 { return false }
            vowels = vowels || isVowel(lower)
            if lower != previous {
                scratch.variant.append(lower)
                squeezedHash = KeyHash.add(lower, to: squeezedHash)
                markedHash = KeyHash.add(lower, to: markedHash)
            }
            previous = lower
        }
        // A word without a vowel is an abbreviation (`PP`, `PKK`, `PPK`), not emphasis: it
        // is matched as written, so `PP 99 Tahun 2000` is no `PPP` and `PKK` no `PPPK`.
        guard vowels else {
            sink.plainWord(start: range.lowerBound, end: range.upperBound, hash: hash, hasUppercase: hasUppercase, text: bytes)
            return true
        }
        return scratch.variant.withUnsafeBufferPointer { marked in
            sink.repeatedWord(start: range.lowerBound, end: range.upperBound, hash: hash, marked: marked, squeezedHash: squeezedHash,
                              markedHash: markedHash, hasUppercase: hasUppercase, text: bytes)
        }
    }

    /// Decodes the scalar starting at `index` of valid UTF-8.
    @inline(__always)
    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard index + length <= bytes.count else { return ("\u{FFFD}", 1) }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// End of the run of word scalars starting at `start`.
    private static func wordEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte < 0x80 {
                guard isASCIIWordByte(byte) else { break }
                end += 1
            } else {
                let (scalar, length) = decodeScalar(bytes, at: end)
                guard isWord(scalar) else { break }
                end += length
            }
        }
        return end
    }

    @inline(__always)
    static func isASCIIWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    /// Normalizes the word at `range` into `scratch.word`, with its hashes and what it holds.
    /// An ASCII word is lowercased in one pass; another goes through `normalizeWord(_:)`.
    private static func normalizeWord(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into scratch: inout Scratch) {
        scratch.word.removeAll(keepingCapacity: true)
        var ascii = true
        for index in range where bytes[index] >= 0x80 {
            ascii = false
            break
        }
        if ascii {
            scratch.word.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
        } else {
            scratch.word.append(contentsOf: normalizeWord(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)).utf8)
        }
        var hash = KeyHash.start
        var hasDigit = false, hasRepeat = false
        var previous: UInt8 = 0
        scratch.word.withUnsafeMutableBufferPointer { word in
            for index in word.indices {
                var byte = word[index]
                if byte >= 0x41 && byte <= 0x5A {
                    byte |= 0x20
                    word[index] = byte
                }
                hash = KeyHash.add(byte, to: hash)
                if byte >= 0x30 && byte <= 0x39 { hasDigit = true }
                if byte == previous && byte >= 0x41 { hasRepeat = true }
                previous = byte
            }
        }
        scratch.wordHash = hash
        var hashtagHash = KeyHash.add(UInt8(ascii: "#"), to: KeyHash.start)
        for byte in scratch.word { hashtagHash = KeyHash.add(byte, to: hashtagHash) }
        scratch.hashtagHash = hashtagHash
        scratch.hasDigit = hasDigit
        scratch.hasRepeat = hasRepeat
    }

    /// Adds the keys of the normalized word in `scratch.word` to `scratch.keys`: itself, its
    /// letter-digit reading, and squeezed forms.
    private static func wordKeys(_ scratch: inout Scratch) {
        let first = scratch.keys.count
        scratch.word.withUnsafeBufferPointer { scratch.keys.append($0, hash: scratch.wordHash) }
        // The usual word has no digit and no repeated letter: one key.
        guard scratch.hasDigit || scratch.hasRepeat else { return }
        if scratch.hasDigit, substituteDigits(scratch.word, into: &scratch.variant) {
            scratch.variant.withUnsafeBufferPointer { scratch.keys.append($0) }
        }
        // The letter reading may repeat a letter the word did not (`g0od`): check each key.
        for index in first..<scratch.keys.count {
            let key = Array(scratch.keys.bytes[scratch.keys.range(index)])
            // Abbreviations (no vowel) are not squeezed; see `repeatedLetterWord`.
            guard key.contains(where: { isVowel($0) || $0 >= 0x80 }) else { continue }
            if squeeze(key, into: &scratch.variant) {
                // Plainly, for term words that repeat no letter (`prabowooo` is `prabowo`), and
                // marked, for those that do (`aamiin`, `pppk`: see `TermMatcherBuilder.insert`).
                scratch.variant.withUnsafeBufferPointer { scratch.keys.append($0) }
                scratch.variant.withUnsafeBufferPointer { scratch.keys.append(prefix: squeezedPrefixByte, $0) }
            }
        }
    }

    /// A lowercase ASCII vowel (`y` counts: `yyyy` is no abbreviation).
    @inline(__always)
    static func isVowel(_ byte: UInt8) -> Bool {
        byte == 0x61 || byte == 0x65 || byte == 0x69 || byte == 0x6F || byte == 0x75 || byte == 0x79
    }

    /// The key under which a term token is also reachable from squeezed text. A word that
    /// repeats no letter is its own squeezed form, and squeezed text offers that unmarked key
    /// too, so only words with repeated letters need a key of their own (half as many keys).
    static func squeezedKey(_ normalized: String) -> String {
        let squeezed = squeeze(normalized)
        return squeezed == normalized ? normalized : squeezedPrefix + squeezed
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

    /// Digits people type for letters, indexed by digit.
    private static let digitLetters: [UInt8] = Array("oi?easgtbg".utf8)

    /// Reads single digits inside a word as letters (`pr4bowo` → `prabowo`). A digit counts when
    /// it stands alone between two letters, or alone at the end of a word with at least three
    /// letters (`an1es`, `prabow0`); runs of digits (`2024`, `02`) are left alone.
    static func substituteDigits(_ word: String) -> String {
        var output: [UInt8] = []
        return substituteDigits(Array(word.utf8), into: &output) ? String(decoding: output, as: UTF8.self) : word
    }

    /// Writes the letter reading of `bytes` into `output`; false when it reads the same.
    private static func substituteDigits(_ bytes: [UInt8], into output: inout [UInt8]) -> Bool {
        guard bytes.count >= 3, bytes.contains(where: isLetter) else { return false }
        let letters = bytes.lazy.filter(isLetter).count
        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: bytes)
        var changed = false
        for index in bytes.indices where isDigit(bytes[index]) {
            let letterBefore = index > 0 && isLetter(bytes[index - 1])
            let letterAfter = index + 1 < bytes.count && isLetter(bytes[index + 1])
            let between = letterBefore && letterAfter
            let atEnd = index + 1 == bytes.count && letterBefore && letters >= 3
            let atStart = index == 0 && letterAfter && index + 2 < bytes.count && isLetter(bytes[index + 2]) && letters >= 3
            let letter = digitLetters[Int(bytes[index] - 0x30)]
            if (between || atEnd || atStart), letter != UInt8(ascii: "?") {
                output[index] = letter
                changed = true
            }
        }
        return changed
    }

    /// Squeezes runs of one repeated letter to a single letter (`ganjaaar` → `ganjar`).
    static func squeeze(_ word: String) -> String {
        var output: [UInt8] = []
        return squeeze(Array(word.utf8), into: &output) ? String(decoding: output, as: UTF8.self) : word
    }

    /// Writes the squeezed form of `bytes` into `output`; false when nothing repeats.
    private static func squeeze(_ bytes: [UInt8], into output: inout [UInt8]) -> Bool {
        output.removeAll(keepingCapacity: true)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            var previous: UInt8 = 0
            for byte in bytes {
                if byte == previous, isLetter(byte) { continue }
                output.append(byte)
                previous = byte
            }
        } else {
            var previous: Unicode.Scalar?
            for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
                if scalar == previous, scalar.properties.isAlphabetic { continue }
                output.append(contentsOf: String(scalar).utf8)
                previous = scalar
            }
        }
        return output.count != bytes.count
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80 }

    /// Splits a hashtag's word at lower-to-upper case changes and at letter-digit boundaries:
    /// `PrabowoGibran2024` → `Prabowo`, `Gibran`, `2024`; `AMINajaDulu` → `AMINaja`, `Dulu`.
    private static func splitHashtag(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into parts: inout [Range<Int>]) {
        parts.removeAll(keepingCapacity: true)
        var start = range.lowerBound
        var previous: Unicode.Scalar?
        var index = range.lowerBound
        while index < range.upperBound {
            let (scalar, length) = decodeScalar(bytes, at: index)
            if let previous {
                let lowerToUpper: Bool, letterDigit: Bool
                if previous.isASCII && scalar.isASCII {
                    let a = UInt8(previous.value), b = UInt8(scalar.value)
                    lowerToUpper = a >= 0x61 && a <= 0x7A && b >= 0x41 && b <= 0x5A
                    letterDigit = isDigit(a) != isDigit(b)
                } else {
                    lowerToUpper = previous.properties.isLowercase && scalar.properties.isUppercase
                    letterDigit = previous.properties.isAlphabetic != scalar.properties.isAlphabetic
                        && (previous.properties.numericType != nil || scalar.properties.numericType != nil)
                }
                if lowerToUpper || letterDigit {
                    parts.append(start..<index)
                    start = index
                }
            }
            previous = scalar
            index += length
        }
        if start < range.upperBound { parts.append(start..<range.upperBound) }
    }
}

/// Collects the tokens of a scan as `Token` values.
private struct TokenCollector: TokenSink {
    let text: String

    var tokens: [Token] = []

    mutating func plainWord(start: Int, end: Int, hash: Int, hasUppercase: Bool, text bytes: UnsafeBufferPointer<UInt8>) {
        var keys = TokenKeys()
        let lowered = bytes[start..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        lowered.withUnsafeBufferPointer { keys.append($0, hash: hash) }
        token(.word, start: start, end: end, keys: keys, text: bytes)
    }

    mutating func token(_ kind: TokenKind, start: Int, end: Int, keys: TokenKeys, text bytes: UnsafeBufferPointer<UInt8>) {
        let utf8 = text.utf8
        let original = text[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)]
        let token = Token(
            normalized: keys.string(0), keys: (0..<keys.count).map(keys.string), start: start, end: end,
            original: original, isHashtag: kind == .hashtag, parts: []
        )
        if kind == .hashtagPart {
            tokens[tokens.count - 1].parts.append(token)
        } else {
            tokens.append(token)
        }
    }
}
