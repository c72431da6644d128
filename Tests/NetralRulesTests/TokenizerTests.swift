import NetralTestSupport
import Testing
@testable import NetralRules

@Suite struct TokenizerTests {
    @Test func foldsCaseAndAccentsAndKeepsOffsets() {
        let text = "Camat SUNGAI Jérnih"
        let tokens = Tokenizer.tokens(of: text)
        #expect(tokens.map(\.normalized) == ["camat", "sungai", "jernih"])
        let bytes = Array(text.utf8)
        let last = tokens[2]
        #expect(String(decoding: bytes[last.start..<last.end], as: UTF8.self) == "Jérnih")
    }

    @Test func appliesCompatibilityNormalization() {
        // Full-width and mathematical bold letters are the same word.
        #expect(Tokenizer.tokens(of: "ｐｒａｂｏｗｏ").map(\.normalized) == ["prabowo"])
        #expect(Tokenizer.tokens(of: "𝐏𝐫𝐚𝐛𝐨𝐰𝐨").map(\.normalized) == ["prabowo"])
    }

    @Test func hashtagsAreTokensWithABareFormAndWords() {
        let tokens = Tokenizer.tokens(of: "ayo #PrabowoGibran2024! a#b")
        #expect(tokens.map(\.normalized) == ["ayo", "#prabowogibran2024", "a", "b"])
        #expect(tokens[1].isHashtag)
        #expect(tokens[1].keys.contains("prabowogibran2024"))
        #expect(tokens[1].parts.map(\.normalized) == ["prabowo", "gibran", "2024"])
        let text = "ayo #PrabowoGibran2024! a#b"
        let gibran = tokens[1].parts[1]
        #expect(String(decoding: Array(text.utf8)[gibran.start..<gibran.end], as: UTF8.self) == "Gibran")
        #expect(!tokens[2].isHashtag)
    }

    @Test func readsDigitsInsideWordsAsLetters() {
        #expect(Tokenizer.substituteDigits("pr4bowo") == "prabowo")
        #expect(Tokenizer.substituteDigits("g4njar") == "ganjar")
        #expect(Tokenizer.substituteDigits("an1es") == "anies")
        #expect(Tokenizer.substituteDigits("prabowo2024") == "prabowo2024")
        #expect(Tokenizer.substituteDigits("02") == "02")
        #expect(Tokenizer.substituteDigits("rt02") == "rt02")
    }

    @Test func squeezedKeysOnlyForRepeatedLetters() {
        #expect(Tokenizer.tokens(of: "prabowooo")[0].keys.contains(Tokenizer.squeezedPrefix + "prabowo"))
        #expect(Tokenizer.tokens(of: "pk")[0].keys == ["pk"])
    }

    @Test func emojiAreTokensWithoutVariationSelectors() {
        let tokens = Tokenizer.tokens(of: "salam ✌️ dan ✌🏽!")
        #expect(tokens.map(\.normalized) == ["salam", "\u{270C}", "dan", "\u{270C}"])
    }

    @Test func punctuationSplitsWords() {
        #expect(Tokenizer.tokens(of: "Rudy Mas'ud–Seno, 02/03").map(\.normalized) == ["rudy", "mas", "ud", "seno", "02", "03"])
    }

    @Test func generatesVerbForms() {
        let pilih = Set(Affixes.verbForms(of: "pilih"))
        #expect(pilih.isSuperset(of: ["memilih", "dipilih", "pilihlah", "pilihkan", "milih"]))
        #expect(!pilih.contains("pilihan"))
        let coblos = Set(Affixes.verbForms(of: "coblos"))
        #expect(coblos.isSuperset(of: ["mencoblos", "dicoblos", "nyoblos", "coblosin"]))
        let dukung = Set(Affixes.verbForms(of: "dukung"))
        #expect(dukung.isSuperset(of: ["mendukung", "didukung", "ndukung", "ngedukung", "dukunglah"]))
        let menang = Set(Affixes.verbForms(of: "menangkan"))
        #expect(menang.contains("memenangkan"))
    }

    @Test func oneEditAway() {
        #expect(FuzzyIndex.withinOneEdit("prabowo", "prabowi"))
        #expect(FuzzyIndex.withinOneEdit("prabowo", "prbowo"))
        #expect(FuzzyIndex.withinOneEdit("prabowo", "parbowo"))
        #expect(!FuzzyIndex.withinOneEdit("prabowo", "prabu"))
    }
}
