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

    @Test func hashtagsAreTokensWithABareForm() {
        let tokens = Tokenizer.tokens(of: "ayo #PrabowoGibran2024! a#b")
        #expect(tokens.map(\.normalized) == ["ayo", "#prabowogibran2024", "a", "b"])
        #expect(tokens[1].bare == "prabowogibran2024")
        #expect(tokens[2].bare == nil)
    }

    @Test func emojiAreTokensWithoutVariationSelectors() {
        let tokens = Tokenizer.tokens(of: "salam ✌️ dan ✌🏽!")
        #expect(tokens.map(\.normalized) == ["salam", "\u{270C}", "dan", "\u{270C}"])
    }

    @Test func punctuationSplitsWords() {
        #expect(Tokenizer.tokens(of: "Rudy Mas'ud–Seno, 02/03").map(\.normalized) == ["rudy", "mas", "ud", "seno", "02", "03"])
    }
}
