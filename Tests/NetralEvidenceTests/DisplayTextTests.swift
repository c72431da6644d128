import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralEvidence

/// A name or title that carries bidirectional or invisible characters: shown for what it is in
/// what people read, kept exactly (as JSON escapes) in the evidence.
@Suite struct DisplayTextTests {
    /// "Budi" then a right-to-left override: a viewer would show the rest reversed.
    static let spoofedName = "Budi \u{202E}irtsiS\u{202C} Santoso"
    static let hiddenCharacters: [Unicode.Scalar] = [
        "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
        "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{200E}", "\u{200F}",
    ]

    @Test func everyHiddenCharacterIsShownAsItsCodePoint() {
        for scalar in Self.hiddenCharacters {
            let text = "Camat\(Character(scalar))Budi"
            let shown = DisplayText.neutralised(text)
            #expect(shown == "Camat[U+\(String(format: "%04X", scalar.value))]Budi")
            #expect(DisplayText.isPlain(shown))
        }
        #expect(DisplayText.neutralised("Dukung 02 🇮🇩, salam dari Kutai") == "Dukung 02 🇮🇩, salam dari Kutai")
        // A joiner between two pictures makes one emoji (a family): it is no hidden letter.
        #expect(DisplayText.neutralised("Keluarga 👨‍👩‍👧 mendukung") == "Keluarga 👨‍👩‍👧 mendukung")
        #expect(DisplayText.neutralised("ab\u{200D}cd") == "ab[U+200D]cd")
    }

    @Test func jsonKeepsTheTextAsEscapes() throws {
        let data = DisplayText.escapingHidden(inJSON: try NetralJSON.encoder().encode(["nama": Self.spoofedName]))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#"Budi \u202eirtsiS\u202c Santoso"#))
        #expect(DisplayText.isPlain(text))
        #expect(try JSONDecoder().decode([String: String].self, from: data)["nama"] == Self.spoofedName)
    }

    @Test func theReportAndIndexShowTheCharactersAndTheEvidenceKeepsThem() throws {
        let folder = try TemporaryFolder()
        var caseFile = Sample.caseFile()
        caseFile.item.subject?.name = Self.spoofedName
        caseFile.item.title = "Judul\u{2067} terbalik\u{2069}"
        let outcome = try CaseFileWriter(root: folder.path).write(caseFile)
        let report = try String(contentsOfFile: outcome.path + "/report.html", encoding: .utf8)
        #expect(report.contains("Budi [U+202E]irtsiS[U+202C] Santoso"))
        #expect(report.contains("Judul[U+2067] terbalik[U+2069]"))
        #expect(DisplayText.isPlain(report))
        let itemData = try Data(contentsOf: URL(fileURLWithPath: outcome.path + "/item.json"))
        #expect(DisplayText.isPlain(String(decoding: itemData, as: UTF8.self)))
        let item = try NetralJSON.decoder().decode(Item.self, from: itemData)
        #expect(item.subject?.name == Self.spoofedName)
        #expect(item.title == "Judul\u{2067} terbalik\u{2069}")
        #expect(try EvidenceVerifier().verify(path: folder.path).allSatisfy(\.isIntact))
    }
}
