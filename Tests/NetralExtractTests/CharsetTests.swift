import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

@Suite struct CharsetTests {
    func capture(_ bytes: [UInt8], contentType: String? = "text/html") -> Capture {
        Capture(
            requestURL: "https://contoh.example/", finalURL: "https://contoh.example/", status: 200,
            headers: contentType.map { [HTTPHeader(name: "Content-Type", value: $0)] } ?? [],
            body: Data(bytes), fetchedAt: Date()
        )
    }

    func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: (repositoryRoot as NSString).appendingPathComponent("Fixtures/html/\(name)"))))
    }

    func html(_ body: String, head: String = "") -> [UInt8] {
        Array("<html><head>\(head)</head><body>".utf8) + Array(body.utf8) + Array("</body></html>".utf8)
    }

    @Test func windows1252MetaGivesSmartQuotesAndDashes() throws {
        let item = try HTMLExtractor().extract(capture(try fixture("windows-1252.html")))
        #expect(item.title == "Kecamatan Sungai Jernih – “Halo”")
        #expect(item.body.contains("Kecamatan Sungai Jernih – “Halo”, warga! Rapat RT dimulai pukul 19.30 … jangan lupa bawa KTP."))
        #expect(item.body.contains("‘kopi’ dan kue disediakan oleh ibu-ibu PKK • gratis."))
    }

    @Test func iso88591FromTheHeaderAndFromTheBytesAlone() throws {
        let bytes = try fixture("iso-8859-1.html")
        let labelled = try HTMLExtractor().extract(capture(bytes, contentType: "text/html; charset=ISO-8859-1"))
        #expect(labelled.title == "Café Pojok Loa Permai")
        #expect(labelled.body == "Menu baru di café kami: kopi déjà vu dan pisang goreng. Harga ½ porsi Rp7.500.")
        // No label anywhere and not UTF-8: read as windows-1252, the web's legacy default.
        let unlabelled = try HTMLExtractor().extract(capture(bytes, contentType: nil))
        #expect(unlabelled.body == labelled.body)
    }

    @Test func theHeaderWinsOverTheMeta() throws {
        let bytes = Array("<html><head><meta charset=\"utf-8\"></head><body><p>caf".utf8) + [0xE9] + Array("</p></body></html>".utf8)
        let item = try HTMLExtractor().extract(capture(bytes, contentType: "text/html; charset=windows-1252"))
        #expect(item.body == "café")
    }

    @Test func aByteOrderMarkWinsOverTheHeader() throws {
        let bytes = [0xEF, 0xBB, 0xBF] + html("<p>Desa “Watu Asri”</p>")
        let item = try HTMLExtractor().extract(capture(bytes, contentType: "text/html; charset=iso-8859-1"))
        #expect(item.body == "Desa “Watu Asri”")
    }

    @Test func utf16WithAByteOrderMark() throws {
        let text = "<html><body><p>Lurah “Loa Permai” – 2024</p></body></html>"
        let little: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { unit -> [UInt8] in [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        #expect(try HTMLExtractor().extract(capture(little)).body == "Lurah “Loa Permai” – 2024")
        #expect(try HTMLExtractor().extract(capture(big)).body == "Lurah “Loa Permai” – 2024")
    }

    @Test func httpEquivContentTypeIsRead() throws {
        let bytes = Array("<html><head><!-- <meta charset=utf-8> --><meta http-equiv='Content-Type' content='text/html; charset=\"windows-1252\"'></head><body><p>".utf8)
            + [0x93, 0x41, 0x94] + Array("</p></body></html>".utf8)
        #expect(try HTMLExtractor().extract(capture(bytes)).body == "“A”")
    }

    @Test func aMetaThatClaimsUTF8OnLegacyBytesIsOverruled() throws {
        // The page says UTF-8 but every non-ASCII byte is windows-1252.
        let bytes = Array("<html><head><meta charset=\"UTF-8\"></head><body><p>Kecamatan Sungai Jernih ".utf8)
            + [0x96] + Array(" ".utf8) + [0x93] + Array("Halo".utf8) + [0x94] + Array("</p></body></html>".utf8)
        #expect(try HTMLExtractor().extract(capture(bytes)).body == "Kecamatan Sungai Jernih – “Halo”")
    }

    @Test func aLatin1LabelOnUTF8BytesIsOverruled() throws {
        let bytes = html("<p>Café “Sungai Jernih”</p>", head: "<meta charset=\"iso-8859-1\">")
        #expect(try HTMLExtractor().extract(capture(bytes, contentType: "text/html; charset=iso-8859-1")).body == "Café “Sungai Jernih”")
    }

    @Test func invalidUTF8BecomesReplacementCharactersAndKeepsTheRest() throws {
        // Valid multi-byte text with a few broken sequences in the middle: repaired, not truncated.
        let bytes = Array("<html><body><p>Desa “Watu Asri” ".utf8) + [0xFF, 0xC3] + Array(" lalu jalan tani".utf8)
            + [0xE2, 0x80] + Array(" sampai akhir.</p><p>Paragraf terakhir tetap ada.</p></body></html>".utf8)
        let item = try HTMLExtractor().extract(capture(bytes, contentType: "text/html; charset=utf-8"))
        #expect(item.body == "Desa “Watu Asri” \u{FFFD}\u{FFFD} lalu jalan tani\u{FFFD} sampai akhir.\nParagraf terakhir tetap ada.")
    }

    @Test func undefinedWindows1252BytesDoNotCutThePage() throws {
        // 0x81 is undefined in windows-1252; iconv (and so libxml2) stops there. Netral keeps going.
        let bytes = Array("<html><body><p>awal ".utf8) + [0x81, 0x8D] + Array(" tengah</p><p>akhir</p></body></html>".utf8)
        let item = try HTMLExtractor().extract(capture(bytes, contentType: "text/html; charset=windows-1252"))
        #expect(item.body.hasPrefix("awal"))
        #expect(item.body.hasSuffix("tengah\nakhir"))
    }

    @Test func otherEncodingsGoThroughIconvAndBadBytesAreReplaced() throws {
        // "日本" in Shift_JIS, then a lone lead byte, then more text.
        let bytes = Array("<html><body><p>".utf8) + [0x93, 0xFA, 0x96, 0x7B] + Array(" lalu ".utf8) + [0x82]
            + Array("</p><p>selesai</p></body></html>".utf8)
        let item = try HTMLExtractor().extract(capture(bytes, contentType: "text/html; charset=Shift_JIS"))
        #expect(item.body.hasPrefix("日本 lalu"))
        #expect(item.body.hasSuffix("selesai"))
    }

    @Test func aCJKLabelOnLongValidUTF8IsALie() throws {
        // A site that moved to UTF-8 and kept its gb2312 <meta>.
        let text = "这是一个用统一码写成的中文页面，但它的头部仍然声明旧的国标编码。"
        let bytes = html("<p>\(text)</p>", head: "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">")
        let item = try HTMLExtractor().extract(capture(bytes, contentType: "text/html"))
        #expect(item.body == text)
        // Two characters of valid UTF-8 could be chance in Shift_JIS: the label stands.
        let short = Array("<meta charset='shift_jis'><p>".utf8) + Array("日本".utf8)
        let decision = short.withUnsafeBytes { CharsetSniffer.decide(headerCharset: nil, bytes: $0) }
        #expect(decision.encoding == .other("SHIFT_JIS"))
    }

    @Test func unknownLabelsFallThroughToTheNextSource() throws {
        let bytes = html("<p>Café</p>", head: "<meta charset=\"x-tidak-dikenal\">")
        let item = try HTMLExtractor().extract(capture(bytes, contentType: "text/html; charset=bukan-charset"))
        #expect(item.body == "Café")
    }

    @Test func sniffingDecisions() {
        func decide(_ header: String?, _ bytes: [UInt8]) -> CharsetSniffer.Decision {
            bytes.withUnsafeBytes { CharsetSniffer.decide(headerCharset: header, bytes: $0) }
        }
        #expect(decide(nil, Array("<p>ascii</p>".utf8)).source == .defaulted)
        #expect(decide("latin1", Array("<p>ascii</p>".utf8)) .encoding == .windows1252)
        #expect(decide(nil, Array("<meta charset='koi8-r'><p>x</p>".utf8)).encoding == .other("KOI8-R"))
        #expect(decide(nil, Array("<meta charset='utf-16'><p>x</p>".utf8)).encoding == .utf8, "a readable <meta> cannot be UTF-16")
        #expect(decide(nil, Array("<meta charset='gb2312'>".utf8)).encoding == .other("GBK"))
        #expect(CharsetSniffer.charsetParameter(in: "text/html; charset = 'Windows-1252'") == "windows-1252")
        #expect(CharsetSniffer.charsetParameter(in: "text/html") == nil)
    }
}
