import Foundation
import NetralTestSupport
import Testing
@testable import NetralOCR

/// Hand-made headers: what a hostile or broken file declares, without any pixels behind it.
enum Headers {
    static func bigEndian32(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
    static func littleEndian16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func littleEndian24(_ value: UInt32) -> [UInt8] { [0, 8, 16].map { UInt8(truncatingIfNeeded: value >> $0) } }

    /// A PNG signature and IHDR declaring `width` x `height` RGB, then `tail` (no real pixels).
    static func png(width: UInt32, height: UInt32, tail: [UInt8] = Array(repeating: 0x41, count: 64)) -> Data {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        bytes += bigEndian32(13) + Array("IHDR".utf8) + bigEndian32(width) + bigEndian32(height) + [8, 2, 0, 0, 0]
        bytes += [0, 0, 0, 0]  // CRC, never checked
        return Data(bytes + tail + bigEndian32(0) + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82])
    }

    /// SOI, an APP0 segment, then a baseline frame header declaring `width` x `height`.
    static func jpeg(width: UInt16, height: UInt16) -> Data {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        bytes += [0xFF, 0xC0, 0x00, 0x11, 8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 3]
        bytes += [1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
        return Data(bytes + Array(repeating: 0, count: 32))
    }

    /// A GIF whose logical screen and one image declare `width` x `height`, with a tiny image body.
    static func gif(width: UInt16, height: UInt16) -> Data {
        var bytes = Array("GIF89a".utf8) + littleEndian16(width) + littleEndian16(height) + [0x80, 0, 0]
        bytes += [0, 0, 0, 255, 255, 255]  // global colour table, 2 entries
        bytes += [0x2C, 0, 0, 0, 0] + littleEndian16(width) + littleEndian16(height) + [0]
        bytes += [2, 2, 0x4C, 0x01, 0]  // LZW minimum code size, one sub-block, terminator
        return Data(bytes + [0x3B])
    }

    /// A RIFF/WEBP file whose VP8X chunk declares a `width` x `height` canvas.
    static func webpExtended(width: UInt32, height: UInt32, animated: Bool = false) -> Data {
        var bytes = Array("RIFF".utf8) + [30, 0, 0, 0] + Array("WEBP".utf8) + Array("VP8X".utf8) + [10, 0, 0, 0]
        bytes += [animated ? 0x02 : 0x00, 0, 0, 0] + littleEndian24(width - 1) + littleEndian24(height - 1)
        return Data(bytes + Array(repeating: 0, count: 16))
    }
}

@Suite struct ImageHeaderTests {
    let limits = OCRLimits()

    func header(_ data: Data) throws(OCRError.Kind) -> ImageHeader {
        try data.withUnsafeBytes { buffer in Result { () throws(OCRError.Kind) in try ImageHeader.read(buffer, limits: limits) } }.get()
    }

    func fixture(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Fixtures/ocr/" + path))
    }

    @Test func readsTheDeclaredSizeOfEachFormat() throws {
        #expect(try header(fixture("rendered/poster-01.jpg")) == ImageHeader(format: .jpeg, width: 1080, height: 1350))
        #expect(try header(fixture("rendered/screenshot-light-01.png")).format == .png)
        #expect(try header(fixture("rendered/screenshot-light-01.png")).width == 1080)
        let webp = try header(fixture("formats/poster.webp"))
        #expect(webp.format == .webp && webp.width == 640 && webp.height == 640)
        let gif = try header(fixture("formats/poster-animated.gif"))
        #expect(gif.format == .gif && gif.width == 640 && gif.height == 640)
        // Only the first frame is handed to the decoder: the cut ends before the second frame.
        #expect(try gif.gifFirstFrameLength.map { $0 < (try fixture("formats/poster-animated.gif")).count - 100 } == true)
    }

    @Test func refusesImageBombsByTheirHeader() {
        #expect(throws: OCRError.Kind.tooManyPixels(width: 100_000, height: 100_000, limit: 25_000_000)) {
            try header(Headers.png(width: 100_000, height: 100_000))
        }
        #expect(throws: OCRError.Kind.tooManyPixels(width: 65_000, height: 65_000, limit: 25_000_000)) {
            try header(Headers.jpeg(width: 65_000, height: 65_000))
        }
        #expect(throws: OCRError.Kind.tooManyPixels(width: 65_535, height: 65_535, limit: 25_000_000)) {
            try header(Headers.gif(width: 65_535, height: 65_535))
        }
        #expect(throws: OCRError.Kind.tooManyPixels(width: 16_384, height: 16_384, limit: 25_000_000)) {
            try header(Headers.webpExtended(width: 16_384, height: 16_384))
        }
        // Sides of four billion pixels must not overflow the check.
        #expect(throws: OCRError.Kind.tooManyPixels(width: 0xFFFF_FFFF, height: 0xFFFF_FFFF, limit: 25_000_000)) {
            try header(Headers.png(width: 0xFFFF_FFFF, height: 0xFFFF_FFFF))
        }
    }

    @Test func refusesAJPEGOfThousandsOfScans() throws {
        // Small in pixels, but every scan is another pass of the decoder over the whole picture.
        var bomb = Headers.jpeg(width: 640, height: 640)
        for _ in 0..<500 { bomb.append(contentsOf: [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34]) }
        bomb.append(contentsOf: [0xFF, 0xD9])
        #expect(throws: OCRError.Kind.unsupportedFormat("JPEG with more than 100 scans")) { try header(bomb) }
        // An ordinary JPEG (one scan) passes.
        #expect(try header(fixture("rendered/poster-02.jpg")).format == .jpeg)
    }

    @Test func refusesStripsAndSpecks() {
        #expect(throws: OCRError.Kind.self) { try header(Headers.png(width: 1, height: 50_000)) }
        #expect(throws: OCRError.Kind.badShape(width: 4_000, height: 90, reason: "is a strip longer than 40:1")) {
            try header(Headers.png(width: 4_000, height: 90))
        }
        #expect(throws: OCRError.Kind.badShape(width: 5, height: 5, reason: "has a side under 8 px, too small to hold text")) {
            try header(Headers.png(width: 5, height: 5))
        }
        #expect(throws: OCRError.Kind.badHeader(format: "PNG", reason: "declares a size of 0 x 600")) {
            try header(Headers.png(width: 0, height: 600))
        }
    }

    @Test func refusesWhatIsNotAPicture() {
        #expect(throws: OCRError.Kind.empty) { try header(Data()) }
        #expect(throws: OCRError.Kind.notAnImage(found: "it starts like HTML or XML")) { try header(Data("<!DOCTYPE html><html>".utf8)) }
        #expect(throws: OCRError.Kind.notAnImage(found: "it starts like JSON")) { try header(Data("{\"data\": 1}".utf8)) }
        #expect(throws: OCRError.Kind.notAnImage(found: "a TIFF picture")) { try header(Data([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0])) }
        #expect(throws: OCRError.Kind.unsupportedFormat("animated WebP")) {
            try header(Headers.webpExtended(width: 500, height: 500, animated: true))
        }
    }

    @Test func refusesHeadersThatEndEarly() throws {
        let png = Headers.png(width: 800, height: 600)
        #expect(throws: OCRError.Kind.badHeader(format: "PNG", reason: "ends before its IHDR chunk")) { try header(png.prefix(10)) }
        #expect(throws: OCRError.Kind.badHeader(format: "PNG", reason: "ends inside its IHDR chunk")) { try header(png.prefix(20)) }
        let screenshot = try fixture("rendered/screenshot-light-01.png")
        let cut = screenshot.prefix(screenshot.count * 6 / 10)
        do {
            _ = try header(cut)
            Issue.record("a truncated PNG passed the header check")
        } catch {
            var reason = ""
            if case .truncated(format: "PNG", let why) = error { reason = why }
            #expect(reason.hasPrefix("it ends inside its IDAT chunk at byte \(cut.count) of "), "a truncated PNG gave \(error)")
        }
        let jpeg = try fixture("rendered/poster-01.jpg")
        // Cut inside the segments before the frame header.
        #expect(throws: OCRError.Kind.self) { try header(jpeg.prefix(30)) }
        // A frame header missing altogether: SOI, then straight to the scan.
        #expect(throws: OCRError.Kind.badHeader(format: "JPEG", reason: "image data (SOS) before a frame header")) {
            try header(Data([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 0, 0, 0, 0, 0, 0]))
        }
        // A segment length pointing past the end, then nothing.
        #expect(throws: OCRError.Kind.badHeader(format: "JPEG", reason: "ends before its frame header")) {
            try header(Data([0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xF0, 1, 2, 3]))
        }
        let gif = Headers.gif(width: 300, height: 300)
        #expect(throws: OCRError.Kind.badHeader(format: "GIF", reason: "ends inside a data block")) {
            try header(gif.prefix(gif.count - 3))
        }
    }

    @Test func refusesMoreBytesThanTheCap() {
        var limits = OCRLimits()
        limits.maxBytes = 100
        let data = Headers.png(width: 800, height: 600, tail: Array(repeating: 0, count: 200))
        #expect(throws: OCRError.Kind.tooManyBytes(count: data.count, limit: 100)) {
            try data.withUnsafeBytes { buffer in Result { () throws(OCRError.Kind) in try ImageHeader.read(buffer, limits: limits) } }.get()
        }
    }

    @Test func scalesToTheCaps() {
        let limits = OCRLimits()
        // A 1080 px poster is read as it is; a 4000 x 3000 photo at 2000 x 1500.
        #expect(PictureReader.scale(width: 1080, height: 1350, limits: limits, upscaleBelow: 0) == 1)
        #expect(PictureReader.scale(width: 4000, height: 3000, limits: limits, upscaleBelow: 0) == 0.5)
        // A tall screenshot keeps a readable width: scaled by area, not to 2000 px tall.
        let tall = PictureReader.scale(width: 1080, height: 6000, limits: limits, upscaleBelow: 0)
        #expect(tall > 0.7)
        #expect((1080 * tall).rounded() * (6000 * tall).rounded() <= 4_000_000 * 1.001)
        #expect(PictureReader.jpegReduction(for: 0.5) == 2)
        #expect(PictureReader.jpegReduction(for: 0.3) == 2)
        #expect(PictureReader.jpegReduction(for: 0.2) == 4)
        #expect(PictureReader.jpegReduction(for: 1) == 1)
    }
}
