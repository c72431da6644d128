internal import CSystemZlib
import Foundation

/// Why bytes could not be compressed.
public struct WARCWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { "WARC writer: \(message)" }
}

/// Compresses one buffer into one complete gzip member, as WARC's "gzip per record" asks: a
/// reader can then seek to any record's offset and inflate from there.
enum GzipMember {
    static func compress(_ input: Data) throws(WARCWriteError) -> Data {
        var stream = z_stream()
        // windowBits 15 + 16 = gzip header and trailer.
        guard czlib_deflate_init2(&stream, Z_DEFAULT_COMPRESSION, 31) == Z_OK else {
            throw WARCWriteError(message: "zlib deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = Data(count: bound)
        let result: Int32 = input.withUnsafeBytes { (source: UnsafeRawBufferPointer) -> Int32 in
            output.withUnsafeMutableBytes { (target: UnsafeMutableRawBufferPointer) -> Int32 in
                // zlib does not write through next_in; the cast only satisfies its C signature.
                stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(source.count)
                stream.next_out = target.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else {
            throw WARCWriteError(message: "zlib deflate did not finish (code \(result))")
        }
        output.count = Int(stream.total_out)
        return output
    }
}
