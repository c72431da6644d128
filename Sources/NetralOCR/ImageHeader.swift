import Foundation

/// The picture formats NetralOCR reads. Anything else Leptonica could decode (TIFF, BMP, PNM,
/// JPEG 2000...) is refused: post images come in these four, and fewer decoders means fewer
/// decoder bugs within reach of a hostile file.
enum ImageFormat: String, Sendable, Codable {
    case png = "PNG"
    case jpeg = "JPEG"
    case gif = "GIF"
    case webp = "WebP"
}

/// What a picture's header declares, read from its first bytes without decoding anything.
struct ImageHeader: Equatable {
    var format: ImageFormat
    var width: Int
    var height: Int
    /// For a GIF, the byte count of its first frame rewritten as a whole GIF (header, colour
    /// tables, the frame, the trailer): Leptonica's GIF reader decodes every frame, so only the
    /// first is handed to it. Nil for the other formats.
    var gifFirstFrameLength: Int?

    /// Reads the header and checks the declared size against `limits`: a picture that fails here
    /// is never decoded.
    static func read(_ bytes: UnsafeRawBufferPointer, limits: OCRLimits) throws(OCRError.Kind) -> ImageHeader {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= limits.maxBytes else { throw .tooManyBytes(count: bytes.count, limit: limits.maxBytes) }
        let reader = ByteReader(bytes)
        let header: ImageHeader
        if reader.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            header = try png(reader)
        } else if reader.starts(with: [0xFF, 0xD8, 0xFF]) {
            header = try jpeg(reader)
        } else if reader.starts(with: Array("GIF87a".utf8)) || reader.starts(with: Array("GIF89a".utf8)) {
            header = try gif(reader)
        } else if reader.starts(with: Array("RIFF".utf8)) && reader.byte(at: 8...11) == Array("WEBP".utf8) {
            header = try webp(reader)
        } else {
            throw .notAnImage(found: describe(bytes))
        }
        try header.check(limits)
        // Only once the size is accepted: an image bomb is refused for its size, whatever follows.
        if header.format == .png { try pngChunksComplete(reader) }
        if header.format == .jpeg {
            try jpegEnds(reader)
            try jpegScansBounded(reader)
        }
        return header
    }

    private func check(_ limits: OCRLimits) throws(OCRError.Kind) {
        guard width > 0, height > 0 else {
            throw .badHeader(format: format.rawValue, reason: "declares a size of \(width) x \(height)")
        }
        // Each side first, so the product of two 32-bit sides can never overflow.
        guard width <= limits.maxDecodedPixels, height <= limits.maxDecodedPixels, width * height <= limits.maxDecodedPixels else {
            throw .tooManyPixels(width: width, height: height, limit: limits.maxDecodedPixels)
        }
        guard min(width, height) >= limits.minSide else {
            throw .badShape(width: width, height: height, reason: "has a side under \(limits.minSide) px, too small to hold text")
        }
        guard max(width, height) <= min(width, height) * limits.maxAspectRatio else {
            throw .badShape(width: width, height: height, reason: "is a strip longer than \(limits.maxAspectRatio):1")
        }
    }

    // MARK: PNG

    /// The IHDR chunk must come first (PNG spec, 5.6): length 13, "IHDR", width, height (big-endian).
    private static func png(_ reader: ByteReader) throws(OCRError.Kind) -> ImageHeader {
        guard let length = reader.uint32BE(at: 8), let type = reader.byte(at: 12...15) else {
            throw .badHeader(format: "PNG", reason: "ends before its IHDR chunk")
        }
        guard type == Array("IHDR".utf8), length == 13 else {
            throw .badHeader(format: "PNG", reason: "the first chunk is not IHDR")
        }
        guard let width = reader.uint32BE(at: 16), let height = reader.uint32BE(at: 20) else {
            throw .badHeader(format: "PNG", reason: "ends inside its IHDR chunk")
        }
        return ImageHeader(format: .png, width: Int(width), height: Int(height))
    }

    /// Walks the chunk lengths from IHDR to IEND (no CRCs, no data read): a PNG cut short is
    /// refused here with where it ends, before libpng (which reports it on stderr) sees it.
    /// Linear in the number of chunks.
    private static func pngChunksComplete(_ reader: ByteReader) throws(OCRError.Kind) {
        var offset = 8
        while true {
            guard let length = reader.uint32BE(at: offset), let type = reader.byte(at: offset + 4...offset + 7) else {
                throw .truncated(format: "PNG", reason: "it ends at byte \(reader.bytes.count) before its IEND chunk")
            }
            let name = String(decoding: type, as: UTF8.self)
            guard length <= 0x7FFF_FFFF else { throw .badHeader(format: "PNG", reason: "the \(name) chunk declares \(length) bytes") }
            let next = offset + 12 + Int(length)
            guard next <= reader.bytes.count else {
                throw .truncated(format: "PNG", reason: "it ends inside its \(name) chunk at byte \(reader.bytes.count) of \(next)")
            }
            if name == "IEND" { return }
            offset = next
        }
    }

    // MARK: JPEG

    /// Walks the marker segments from SOI to the first frame header (SOF0-SOF15 but DHT, JPG and
    /// DAC), which holds the height and width. Linear in the header's bytes; every length is
    /// bounds-checked.
    private static func jpeg(_ reader: ByteReader) throws(OCRError.Kind) -> ImageHeader {
        var offset = 2
        while true {
            guard let first = reader.byte(offset) else { throw .badHeader(format: "JPEG", reason: "ends before its frame header") }
            guard first == 0xFF else {
                throw .badHeader(format: "JPEG", reason: "no marker at byte \(offset)")
            }
            // Any number of 0xFF fill bytes may precede a marker.
            var markerOffset = offset + 1
            while reader.byte(markerOffset) == 0xFF { markerOffset += 1 }
            guard let marker = reader.byte(markerOffset) else { throw .badHeader(format: "JPEG", reason: "ends before its frame header") }
            offset = markerOffset + 1
            switch marker {
            case 0xD0...0xD7, 0x01:
                continue  // no length field
            case 0xD9:
                throw .badHeader(format: "JPEG", reason: "ends (EOI) before a frame header")
            case 0xDA:
                throw .badHeader(format: "JPEG", reason: "image data (SOS) before a frame header")
            default:
                break
            }
            guard let length = reader.uint16BE(at: offset), length >= 2 else {
                throw .badHeader(format: "JPEG", reason: "a segment at byte \(offset) has no valid length")
            }
            let isFrameHeader = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
            if isFrameHeader {
                guard let height = reader.uint16BE(at: offset + 3), let width = reader.uint16BE(at: offset + 5) else {
                    throw .badHeader(format: "JPEG", reason: "ends inside its frame header")
                }
                // Height 0 means "given later by a DNL marker", which no camera or platform writes.
                guard height > 0 else { throw .unsupportedFormat("JPEG with its height in a DNL marker") }
                return ImageHeader(format: .jpeg, width: Int(width), height: Int(height))
            }
            offset += Int(length)
        }
    }

    /// A JPEG ends with EOI (FF D9), perhaps followed by padding: a download cut short does not,
    /// and is refused here rather than by libjpeg, which would also print a warning on stderr.
    private static func jpegEnds(_ reader: ByteReader) throws(OCRError.Kind) {
        let bytes = reader.bytes
        var end = bytes.count
        // Padding some encoders and uploads leave after EOI: zero bytes, or a few stray ones.
        let window = max(2, bytes.count - 1024)
        while end > window, bytes[end - 1] == 0x00 { end -= 1 }
        var index = end - 2
        while index >= window - 2, index >= 0 {
            if bytes[index] == 0xFF, bytes[index + 1] == 0xD9 { return }
            index -= 1
        }
        throw .truncated(format: "JPEG", reason: "it has no end-of-image marker (a download cut short)")
    }

    /// Progressive JPEGs have about ten scans; a file of thousands of tiny scans keeps the decoder
    /// busy for minutes within any pixel cap. Scan headers (FF DA) are byte-aligned and an FF
    /// inside the compressed data is always followed by 00, so counting FF DA pairs counts scans.
    private static let maxJPEGScans = 100

    private static func jpegScansBounded(_ reader: ByteReader) throws(OCRError.Kind) {
        var scans = 0
        var index = 0
        let bytes = reader.bytes
        while index + 1 < bytes.count {
            if bytes[index] == 0xFF, bytes[index + 1] == 0xDA {
                scans += 1
                if scans > maxJPEGScans { throw .unsupportedFormat("JPEG with more than \(maxJPEGScans) scans") }
            }
            index += 1
        }
    }

    // MARK: GIF

    /// The logical screen size, then the blocks up to the end of the first image: its descriptor
    /// gives the frame's own size (which giflib allocates too), and where its data ends is where
    /// the one-frame copy is cut.
    private static func gif(_ reader: ByteReader) throws(OCRError.Kind) -> ImageHeader {
        guard let screenWidth = reader.uint16LE(at: 6), let screenHeight = reader.uint16LE(at: 8), let packed = reader.byte(10) else {
            throw .badHeader(format: "GIF", reason: "ends inside its logical screen descriptor")
        }
        var offset = 13
        if packed & 0x80 != 0 { offset += 3 << (Int(packed & 0x07) + 1) }
        while true {
            guard let block = reader.byte(offset) else { throw .badHeader(format: "GIF", reason: "ends before its first image") }
            switch block {
            case 0x21:  // extension: label, then data sub-blocks
                offset = try skipSubBlocks(reader, from: offset + 2)
            case 0x2C:  // image descriptor
                guard let frameWidth = reader.uint16LE(at: offset + 5), let frameHeight = reader.uint16LE(at: offset + 7),
                    let framePacked = reader.byte(offset + 9)
                else { throw .badHeader(format: "GIF", reason: "ends inside its first image descriptor") }
                offset += 10
                if framePacked & 0x80 != 0 { offset += 3 << (Int(framePacked & 0x07) + 1) }
                offset = try skipSubBlocks(reader, from: offset + 1)  // after the LZW minimum code size
                let width = max(Int(screenWidth), Int(frameWidth))
                let height = max(Int(screenHeight), Int(frameHeight))
                return ImageHeader(format: .gif, width: width, height: height, gifFirstFrameLength: offset)
            case 0x3B:
                throw .badHeader(format: "GIF", reason: "ends (trailer) before any image")
            default:
                throw .badHeader(format: "GIF", reason: "unknown block 0x\(String(block, radix: 16)) at byte \(offset)")
            }
        }
    }

    /// Data sub-blocks: a size byte, that many bytes, until a zero size. Returns the offset after
    /// the terminator.
    private static func skipSubBlocks(_ reader: ByteReader, from start: Int) throws(OCRError.Kind) -> Int {
        var offset = start
        while true {
            guard let size = reader.byte(offset) else { throw .badHeader(format: "GIF", reason: "ends inside a data block") }
            offset += 1
            if size == 0 { return offset }
            offset += Int(size)
        }
    }

    // MARK: WebP

    /// RIFF container, first chunk VP8 (lossy), VP8L (lossless) or VP8X (extended: canvas size
    /// and flags; an animation is refused, Leptonica decodes still pictures only).
    private static func webp(_ reader: ByteReader) throws(OCRError.Kind) -> ImageHeader {
        guard let chunk = reader.byte(at: 12...15) else { throw .badHeader(format: "WebP", reason: "ends before its first chunk") }
        switch String(decoding: chunk, as: UTF8.self) {
        case "VP8 ":
            // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
            guard reader.byte(at: 23...25) == [0x9D, 0x01, 0x2A], let width = reader.uint16LE(at: 26),
                let height = reader.uint16LE(at: 28)
            else {
                throw .badHeader(format: "WebP", reason: "no VP8 key frame header")
            }
            return ImageHeader(format: .webp, width: Int(width & 0x3FFF), height: Int(height & 0x3FFF))
        case "VP8L":
            guard reader.byte(20) == 0x2F, let bits = reader.uint32LE(at: 21) else {
                throw .badHeader(format: "WebP", reason: "no VP8L signature")
            }
            return ImageHeader(format: .webp, width: Int(bits & 0x3FFF) + 1, height: Int((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            guard let flags = reader.byte(20), let width = reader.uint24LE(at: 24), let height = reader.uint24LE(at: 27) else {
                throw .badHeader(format: "WebP", reason: "ends inside its VP8X chunk")
            }
            if flags & 0x02 != 0 { throw .unsupportedFormat("animated WebP") }
            return ImageHeader(format: .webp, width: Int(width) + 1, height: Int(height) + 1)
        default:
            throw .badHeader(format: "WebP", reason: "unknown first chunk")
        }
    }

    /// A few words on what non-picture bytes look like, for the error.
    private static func describe(_ bytes: UnsafeRawBufferPointer) -> String {
        let prefix = Array(bytes.prefix(16))
        if prefix.starts(with: Array("II*\0".utf8)) || prefix.starts(with: Array("MM\0*".utf8)) { return "a TIFF picture" }
        if prefix.starts(with: Array("BM".utf8)) { return "perhaps a BMP picture" }
        let text = String(decoding: prefix, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if text.hasPrefix("<!doctype html") || text.hasPrefix("<html") || text.hasPrefix("<") { return "it starts like HTML or XML" }
        if text.hasPrefix("{") || text.hasPrefix("[") { return "it starts like JSON" }
        let hex = prefix.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
        return "it starts with bytes \(hex)"
    }
}

/// Bounds-checked reads from a byte buffer: every accessor returns nil past the end.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func starts(with prefix: [UInt8]) -> Bool {
        bytes.count >= prefix.count && zip(bytes, prefix).allSatisfy { $0 == $1 }
    }

    func byte(_ offset: Int) -> UInt8? {
        offset >= 0 && offset < bytes.count ? bytes[offset] : nil
    }

    func byte(at range: ClosedRange<Int>) -> [UInt8]? {
        range.lowerBound >= 0 && range.upperBound < bytes.count ? Array(bytes[range]) : nil
    }

    func uint16BE(at offset: Int) -> UInt16? {
        guard let bytes = byte(at: offset...offset + 1) else { return nil }
        return UInt16(bytes[0]) << 8 | UInt16(bytes[1])
    }

    func uint16LE(at offset: Int) -> UInt16? {
        guard let bytes = byte(at: offset...offset + 1) else { return nil }
        return UInt16(bytes[1]) << 8 | UInt16(bytes[0])
    }

    func uint24LE(at offset: Int) -> UInt32? {
        guard let bytes = byte(at: offset...offset + 2) else { return nil }
        return UInt32(bytes[2]) << 16 | UInt32(bytes[1]) << 8 | UInt32(bytes[0])
    }

    func uint32BE(at offset: Int) -> UInt32? {
        guard let bytes = byte(at: offset...offset + 3) else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    func uint32LE(at offset: Int) -> UInt32? {
        guard let bytes = byte(at: offset...offset + 3) else { return nil }
        return bytes.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
}
