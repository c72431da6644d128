internal import CZlib
import Foundation

/// One zlib inflate stream.
///
/// Owns the `z_stream`: it is allocated here, never moved (zlib's internal state points back at
/// it), ended with `inflateEnd` and deallocated in `deinit`. Input and output pointers are only
/// lent to zlib for the length of one `inflate` call, so no Swift buffer is ever held by C.
///
/// - SeeAlso: https://zlib.net/manual.html#Advanced
final class Inflater {
    enum Format {
        /// gzip only (RFC 1952), as in a `.warc.gz` file.
        case gzip
        /// gzip or zlib, detected from the header, as `Content-Encoding: gzip` and `deflate` need.
        case gzipOrZlib
        /// Raw deflate without a header, which some servers send as `Content-Encoding: deflate`.
        case rawDeflate

        var windowBits: Int32 {
            switch self {
            case .gzip: MAX_WBITS + 16
            case .gzipOrZlib: MAX_WBITS + 32
            case .rawDeflate: -MAX_WBITS
            }
        }
    }

    /// What one call to `inflate` did.
    struct Step {
        var consumed: Int
        var produced: Int
        var code: Int32
    }

    private let stream: UnsafeMutablePointer<z_stream>

    /// - Throws: `InflateFailure.corrupt` when zlib cannot set up the stream (out of memory).
    init(format: Format) throws(InflateFailure) {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // `inflateInit2` is a macro; the shim expands it with the header's version and struct size.
        let code = czlib_inflate_init2(stream, format.windowBits)
        guard code == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw InflateFailure.corrupt("zlib cannot start an inflate stream (code \(code))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Runs `inflate(Z_NO_FLUSH)` once over `input` into `output`.
    ///
    /// - SeeAlso: https://zlib.net/manual.html#Basic (inflate)
    func inflate(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) -> Step {
        let inputBase = input.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
        stream.pointee.next_in = inputBase
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        let code = CZlib.inflate(stream, Z_NO_FLUSH)
        let step = Step(
            consumed: input.count - Int(stream.pointee.avail_in),
            produced: output.count - Int(stream.pointee.avail_out),
            code: code
        )
        // The buffers are only borrowed for this call; leave no pointer to them behind.
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        stream.pointee.next_out = nil
        stream.pointee.avail_out = 0
        return step
    }

    /// Prepares for the next gzip member, keeping the allocated state.
    ///
    /// - SeeAlso: https://zlib.net/manual.html#Advanced (inflateReset)
    func reset() {
        inflateReset(stream)
    }

    /// zlib's message for the last error, if it left one.
    var message: String? {
        stream.pointee.msg.map { String(cString: $0) }
    }
}

// A z_stream is mutable C state used by one caller at a time.
@available(*, unavailable)
extension Inflater: Sendable {}

/// Why a compressed body could not be inflated.
enum InflateFailure: Error, Equatable {
    case corrupt(String)
    case truncated
    case tooLarge(limit: Int)

    var reason: String {
        switch self {
        case let .corrupt(message): message
        case .truncated: "the compressed data is cut short"
        case let .tooLarge(limit): "it inflates to more than \(limit) bytes"
        }
    }
}

/// Inflates a whole in-memory body (`Content-Encoding: gzip` or `deflate`), never producing more
/// than `limit` bytes, so a small "zip bomb" cannot exhaust memory. Concatenated gzip members are
/// all read, as `gzip -d` does.
func inflateBody(_ data: Data, format: Inflater.Format, limit: Int) throws(InflateFailure) -> Data {
    let inflater = try Inflater(format: format)
    var output = Data()
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    var index = 0
    var memberOpen = true
    // Copy once into a contiguous array so the pointer arithmetic below is plain.
    let bytes = [UInt8](data)
    while true {
        if !memberOpen {
            // Another gzip member may follow; anything else after the end is ignored, as browsers do.
            guard format != .rawDeflate, bytes.count - index >= 2, bytes[index] == 0x1F, bytes[index + 1] == 0x8B else { break }
            inflater.reset()
            memberOpen = true
        }
        let start = index
        let step = bytes.withUnsafeBytes { input in
            chunk.withUnsafeMutableBytes { out in
                inflater.inflate(input: UnsafeRawBufferPointer(rebasing: input[start...]), output: out)
            }
        }
        index += step.consumed
        if step.produced > 0 {
            guard output.count + step.produced <= limit else { throw .tooLarge(limit: limit) }
            output.append(contentsOf: chunk[0..<step.produced])
        }
        switch step.code {
        case Z_STREAM_END:
            memberOpen = false
        case Z_OK, Z_BUF_ERROR:
            // No output and nothing left to read: the member never ended.
            if step.produced == 0 && index == bytes.count { throw .truncated }
        default:
            throw .corrupt(inflater.message ?? "zlib error \(step.code)")
        }
    }
    return output
}

/// The bytes of a WARC file, read in fixed-size chunks and inflated on the fly when the file is
/// gzipped (one gzip member per record, or one for the whole file).
///
/// Memory stays bounded by the chunk size whatever the file size. For a gzipped file it remembers
/// where each gzip member started, so errors and records can name their offset in the file.
final class WARCInput {
    static let chunkSize = 64 * 1024

    let source: String
    let isGzipped: Bool
    private var raw: RawSource
    private let inflater: Inflater?
    /// Bytes read from the file that are not yet consumed by zlib (or handed out, if plain).
    private var input = Data()
    private var inputIndex = 0
    private var bytesRead: Int64 = 0
    /// Decompressed bytes handed out so far.
    private(set) var produced: Int64 = 0
    private var memberOpen = false
    private var memberStart: Int64 = 0
    /// (decompressed position, file offset) of each gzip member not yet forgotten.
    private var memberStarts: [(uncompressed: Int64, compressed: Int64)] = []
    private var output = [UInt8](repeating: 0, count: chunkSize)

    init(raw: RawSource, source: String) throws {
        var raw = raw
        self.source = source
        // Read the first chunk now to see whether the file is gzipped.
        do {
            if let first = try raw.read(maximum: Self.chunkSize) {
                input = first
                bytesRead = Int64(first.count)
            }
        } catch {
            throw SourceError.unreadableFile(path: source, reason: "\(error)")
        }
        self.raw = raw
        isGzipped = input.count >= 2 && input[input.startIndex] == 0x1F && input[input.startIndex + 1] == 0x8B
        if isGzipped {
            do {
                inflater = try Inflater(format: .gzip)
            } catch {
                throw SourceError.corruptGzip(source: source, offset: 0, reason: error.reason)
            }
        } else {
            inflater = nil
        }
    }

    deinit {
        if case let .file(handle) = raw { try? handle.close() }
    }

    /// Where the data not yet consumed from the file starts.
    private var filePosition: Int64 { bytesRead - Int64(input.count - inputIndex) }

    private func refill() throws -> Bool {
        let chunk: Data?
        do {
            chunk = try raw.read(maximum: Self.chunkSize)
        } catch {
            throw SourceError.unreadableFile(path: source, reason: "\(error)")
        }
        guard let chunk else { return false }
        input = chunk
        inputIndex = 0
        bytesRead += Int64(chunk.count)
        return true
    }

    /// The next decompressed bytes, or nil at the end of the file.
    func nextChunk() throws -> [UInt8]? {
        guard let inflater else {
            if inputIndex == input.count, try !refill() { return nil }
            let bytes = [UInt8](input[(input.startIndex + inputIndex)...])
            inputIndex = input.count
            produced += Int64(bytes.count)
            return bytes
        }
        while true {
            if !memberOpen {
                if inputIndex == input.count, try !refill() { return nil }
                memberOpen = true
                memberStart = filePosition
                memberStarts.append((produced, memberStart))
            }
            // Inflate even with no input left: zlib may still hold output from earlier input.
            let start = inputIndex
            let step = input.withUnsafeBytes { bytes in
                output.withUnsafeMutableBytes { out in
                    inflater.inflate(input: UnsafeRawBufferPointer(rebasing: bytes[start...]), output: out)
                }
            }
            inputIndex += step.consumed
            switch step.code {
            case Z_STREAM_END:
                inflater.reset()
                memberOpen = false
            case Z_OK, Z_BUF_ERROR:
                if step.produced == 0 && step.consumed == 0 {
                    // zlib needs more input than it has.
                    if inputIndex < input.count {
                        throw SourceError.corruptGzip(source: source, offset: memberStart, reason: "zlib makes no progress")
                    }
                    if try !refill() { throw SourceError.truncatedGzip(source: source, offset: memberStart) }
                }
            default:
                let reason = inflater.message ?? "zlib error \(step.code)"
                throw SourceError.corruptGzip(source: source, offset: memberStart, reason: reason)
            }
            if step.produced > 0 {
                produced += Int64(step.produced)
                return Array(output[0..<step.produced])
            }
        }
    }

    /// The file offset of decompressed position `position`: for a gzipped file the start of the gzip
    /// member holding it (what `warcio index` calls the offset), else the position itself.
    func fileOffset(of position: Int64) -> Int64 {
        guard isGzipped else { return position }
        var found: Int64 = 0
        for member in memberStarts {
            if member.uncompressed <= position { found = member.compressed } else { break }
        }
        return found
    }

    /// Drops member positions before `position`, which the reader will never ask about again.
    func forget(before position: Int64) {
        guard isGzipped, memberStarts.count > 1 else { return }
        var keepFrom = 0
        for (index, member) in memberStarts.enumerated() where member.uncompressed <= position {
            keepFrom = index
        }
        if keepFrom > 0 { memberStarts.removeFirst(keepFrom) }
    }
}

// Holds a file handle and a zlib stream; read from one task at a time.
@available(*, unavailable)
extension WARCInput: Sendable {}

/// Where WARC bytes come from: a file read chunk by chunk, or bytes already in memory.
enum RawSource {
    case file(FileHandle)
    case memory(Data, position: Int)

    /// At most `maximum` bytes, or nil at the end.
    mutating func read(maximum: Int) throws -> Data? {
        switch self {
        case let .file(handle):
            let chunk = try handle.read(upToCount: maximum)
            guard let chunk, !chunk.isEmpty else { return nil }
            return chunk
        case let .memory(data, position):
            guard position < data.count else { return nil }
            let end = min(data.count, position + maximum)
            let start = data.startIndex + position
            self = .memory(data, position: end)
            return Data(data[start..<(data.startIndex + end)])
        }
    }
}
