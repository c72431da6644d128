import Foundation
import Testing
@testable import NetralFetch

/// The streaming decoder on its own: bodies arrive in pieces of any size, so every split must
/// give the same bytes, and a caller that stops taking output stops the decoding.
struct ContentDecoderTests {
    func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: LoopbackServer.fixtures + "/" + name)))
    }

    /// Feeds `bytes` in pieces of `piece` bytes and returns everything decoded.
    func decode(_ bytes: [UInt8], _ coding: ContentDecoder.Coding, piece: Int) throws -> String {
        let decoder = try ContentDecoder(coding: coding)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + piece)
            let complete = try bytes[index..<end].withUnsafeBytes { chunk in
                try decoder.decode(chunk) { decoded in
                    output.append(contentsOf: decoded)
                    return true
                }
            }
            #expect(complete)
            index = end
        }
        try decoder.finish()
        return String(decoding: output, as: UTF8.self)
    }

    @Test func anySplitOfTheInputGivesTheSameBody() throws {
        let berita = "<html><body><p>Berita desa dikirim dengan deflate: jalan baru diresmikan pak kades.</p></body></html>"
        for piece in [1, 2, 3, 7, 4096] {
            #expect(
                try decode(fixture("halaman.html.gz"), .gzip, piece: piece)
                    == "<html><body><p>Halaman terkompresi untuk uji.</p></body></html>")
            #expect(try decode(fixture("berita.html.zlib"), .deflate, piece: piece) == berita)
            #expect(try decode(fixture("berita.html.deflate"), .deflate, piece: piece) == berita)
        }
    }

    @Test func aBombStopsAsSoonAsTheCallerStopsTakingOutput() throws {
        let bomb = try fixture("zeros-8mib.gz")
        let decoder = try ContentDecoder(coding: .gzip)
        var produced = 0
        let complete = try bomb.withUnsafeBytes { input in
            try decoder.decode(input) { decoded in
                produced += decoded.count
                return produced <= 100_000
            }
        }
        #expect(!complete)
        // One output buffer past the limit at most, far from the 8 MiB inside.
        #expect(produced < 200_000)
    }

    @Test func codingsAreReadFromTheHeader() throws {
        #expect(try ContentDecoder.coding(forHeader: nil) == nil)
        #expect(try ContentDecoder.coding(forHeader: "identity") == nil)
        #expect(try ContentDecoder.coding(forHeader: "GZIP") == .gzip)
        #expect(try ContentDecoder.coding(forHeader: "x-gzip") == .gzip)
        #expect(try ContentDecoder.coding(forHeader: "deflate") == .deflate)
        #expect(throws: ContentDecoder.UnsupportedCoding.self) { try ContentDecoder.coding(forHeader: "br") }
        #expect(throws: ContentDecoder.UnsupportedCoding.self) { try ContentDecoder.coding(forHeader: "gzip, br") }
    }

    @Test func anEmptyBodyIsNotACutStream() throws {
        try ContentDecoder(coding: .gzip).finish()
        let decoder = try ContentDecoder(coding: .gzip)
        let half = try fixture("halaman.html.gz").prefix(30)
        _ = try half.withUnsafeBytes { chunk in try decoder.decode(chunk) { _ in true } }
        #expect(throws: ContentDecodingFailure.truncated) { try decoder.finish() }
    }
}
