internal import CSystemZlib

/// One zlib inflate stream, shared by the WARC reader (NetralWARC) and the fetcher's
/// content decoding (NetralFetch), so the one piece of code that owns a `z_stream` for reading
/// is written once.
///
/// Owns the `z_stream`: it is allocated here, never moved (zlib's internal state points back at
/// it), ended with `inflateEnd` and deallocated in `deinit`. Input and output pointers are only
/// lent to zlib for the length of one `inflate` call, so no Swift buffer is ever held by C.
///
/// - SeeAlso: https://zlib.net/manual.html#Advanced
public final class Inflater {
    public enum Format: Sendable {
        /// gzip only (RFC 1952), as in a `.warc.gz` file.
        case gzip
        /// gzip or zlib, detected from the header.
        case gzipOrZlib
        /// zlib-wrapped deflate (RFC 1950), as `Content-Encoding: deflate` means.
        case zlib
        /// Raw deflate without a header, which some servers send as `Content-Encoding: deflate`.
        case rawDeflate

        var windowBits: Int32 {
            switch self {
            case .gzip: MAX_WBITS + 16
            case .gzipOrZlib: MAX_WBITS + 32
            case .zlib: MAX_WBITS
            case .rawDeflate: -MAX_WBITS
            }
        }
    }

    /// How one call to `inflate` ended.
    public enum Status: Equatable, Sendable {
        /// Progress made (`Z_OK`); call again with the rest.
        case progress
        /// The end of the compressed stream (`Z_STREAM_END`); `reset` starts another member.
        case streamEnd
        /// No progress possible without more input or output room (`Z_BUF_ERROR`).
        case needsMore
        /// The data is not valid for the format (any other code); `message` says why.
        case failed(code: Int32)
    }

    /// What one call to `inflate` did.
    public struct Step: Sendable {
        public var consumed: Int
        public var produced: Int
        public var status: Status
    }

    /// zlib could not set up a stream (out of memory).
    public struct SetupError: Error, Sendable, CustomStringConvertible {
        public var code: Int32
        public var description: String { "zlib cannot start an inflate stream (code \(code))" }
    }

    private let stream: UnsafeMutablePointer<z_stream>

    public init(format: Format) throws(SetupError) {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // `inflateInit2` is a macro; the shim expands it with the header's version and struct size.
        let code = czlib_inflate_init2(stream, format.windowBits)
        guard code == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw SetupError(code: code)
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
    public func inflate(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) -> Step {
        stream.pointee.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        let code = CSystemZlib.inflate(stream, Z_NO_FLUSH)
        let consumed = input.count - Int(stream.pointee.avail_in)
        let produced = output.count - Int(stream.pointee.avail_out)
        // The buffers are only borrowed for this call; leave no pointer to them behind.
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        stream.pointee.next_out = nil
        stream.pointee.avail_out = 0
        let status: Status = switch code {
        case Z_OK: .progress
        case Z_STREAM_END: .streamEnd
        case Z_BUF_ERROR: .needsMore
        default: .failed(code: code)
        }
        return Step(consumed: consumed, produced: produced, status: status)
    }

    /// Prepares for the next gzip member, keeping the allocated state.
    ///
    /// - SeeAlso: https://zlib.net/manual.html#Advanced (inflateReset)
    public func reset() {
        inflateReset(stream)
    }

    /// zlib's message for the last error, if it left one.
    public var message: String? {
        stream.pointee.msg.map { String(cString: $0) }
    }
}

// A z_stream is mutable C state used by one caller at a time.
@available(*, unavailable)
extension Inflater: Sendable {}
