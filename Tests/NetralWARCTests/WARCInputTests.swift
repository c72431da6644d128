import Foundation
import NetralModel
import NetralTestSupport
import NetralZlib
import Testing
@testable import NetralWARC

/// Gzip without a compressor: deflate "stored" blocks, so tests can write gzip members of any
/// size (and cut or damage them) without zlib or Python.
enum StoredGzip {
    static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }

    /// One gzip member holding `data` uncompressed.
    static func member(_ data: Data) -> Data {
        var out = Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
        var offset = 0
        repeat {
            let count = min(65_535, data.count - offset)
            let final: UInt8 = offset + count >= data.count ? 1 : 0
            out.append(final)
            out.append(contentsOf: [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)])
            out.append(data[(data.startIndex + offset)..<(data.startIndex + offset + count)])
            offset += count
        } while offset < data.count
        out.append(contentsOf: littleEndian(crc32(data)))
        out.append(contentsOf: littleEndian(UInt32(truncatingIfNeeded: data.count)))
        return out
    }
}

@Suite struct WARCInputTests {
    func httpFixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Fixtures/http/" + name))
    }

    @Test func inflatesABodyAndEveryConcatenatedMember() throws {
        let page = try httpFixture("halaman.html.gz")
        let text = String(decoding: try inflateBody(page, format: .gzipOrZlib, limit: 1 << 20), as: UTF8.self)
        #expect(text.contains("Halaman terkompresi untuk uji."))
        let twice = try inflateBody(page + page, format: .gzipOrZlib, limit: 1 << 20)
        #expect(String(decoding: twice, as: UTF8.self) == text + text)
        let stored = try inflateBody(StoredGzip.member(Data("coblos".utf8)), format: .gzip, limit: 100)
        #expect(String(decoding: stored, as: UTF8.self) == "coblos")
    }

    @Test func aBombStopsAtTheLimit() throws {
        let bomb = try httpFixture("zeros-8mib.gz")
        #expect(throws: InflateFailure.tooLarge(limit: 1 << 20)) { try inflateBody(bomb, format: .gzipOrZlib, limit: 1 << 20) }
    }

    @Test func truncatedAndCorruptBodiesAreErrors() throws {
        let page = try httpFixture("halaman.html.gz")
        #expect(throws: InflateFailure.truncated) { try inflateBody(page.prefix(page.count - 12), format: .gzipOrZlib, limit: 1 << 20) }
        #expect(throws: InflateFailure.truncated) { try inflateBody(Data([0x1F, 0x8B]), format: .gzipOrZlib, limit: 1 << 20) }
        var broken = page
        broken[broken.startIndex + 12] ^= 0xFF
        broken[broken.startIndex + 14] ^= 0xFF
        #expect(throws: InflateFailure.self) { try inflateBody(broken, format: .gzipOrZlib, limit: 1 << 20) }
        #expect(throws: InflateFailure.self) { try inflateBody(Data("bukan gzip sama sekali".utf8), format: .gzip, limit: 1 << 20) }
    }

    @Test func streamsMembersAndKnowsWhereEachStarted() throws {
        let first = StoredGzip.member(Data(repeating: 0x61, count: 100_000))
        let second = StoredGzip.member(Data("kedua".utf8))
        let input = try WARCInput(raw: .memory(first + second, position: 0), source: "uji.gz")
        #expect(input.isGzipped)
        var output = Data()
        while let chunk = try input.nextChunk() {
            #expect(chunk.count <= WARCInput.chunkSize)
            output.append(contentsOf: chunk)
        }
        #expect(output.count == 100_005)
        #expect(output.suffix(5) == Data("kedua".utf8))
        #expect(input.fileOffset(of: 0) == 0)
        #expect(input.fileOffset(of: 99_999) == 0)
        #expect(input.fileOffset(of: 100_000) == Int64(first.count))
    }

    @Test func aStreamCutInsideAMemberNamesTheMember() throws {
        let first = StoredGzip.member(Data("satu".utf8))
        let second = StoredGzip.member(Data(repeating: 0x62, count: 1000))
        let input = try WARCInput(raw: .memory(first + second.prefix(500), position: 0), source: "putus.gz")
        #expect(throws: WARCReadError.truncatedGzip(source: "putus.gz", offset: Int64(first.count))) {
            while try input.nextChunk() != nil {}
        }
    }
}
