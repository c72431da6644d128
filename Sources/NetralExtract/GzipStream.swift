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
