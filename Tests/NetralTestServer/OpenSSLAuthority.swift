import Foundation
public import Hummingbird
import NetralTestSupport
import NIOCore

/// A real RFC 3161 authority: `openssl ts -reply` with a throw-away EC key and a certificate with
/// the critical timeStamping usage; `withServer` puts it behind a loopback HTTP endpoint.
public final class OpenSSLAuthority: Sendable {
    let folder: TemporaryFolder
    public var certificatePath: String { folder.path + "/tsa.crt" }

    public init() throws {
        folder = try TemporaryFolder()
        let dir = folder.path
        try Self.run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", dir + "/tsa.key", "-out", dir + "/tsa.crt", "-days", "30",
            "-subj", "/CN=Netral Uji TSA", "-addext", "extendedKeyUsage=critical,timeStamping",
        ])
        try folder.write("serial", "01\n")
        try folder.write(
            "tsa.cnf",
            """
            [ tsa ]
            default_tsa = uji
            [ uji ]
            dir = \(dir)
            serial = $dir/serial
            crypto_device = builtin
            signer_cert = $dir/tsa.crt
            signer_key = $dir/tsa.key
            signer_digest = sha256
            default_policy = 1.2.3.4.1
            digests = sha256
            accuracy = secs:1
            ordering = no
            tsa_name = no
            ess_cert_id_chain = no
            ess_cert_id_alg = sha256

            """)
    }

    /// Answers one query, as a TSA's HTTP endpoint does.
    public func reply(to query: [UInt8]) throws -> [UInt8] {
        let name = UUID().uuidString
        let queryPath = folder.path + "/\(name).tsq", replyPath = folder.path + "/\(name).tsr"
        try Data(query).write(to: URL(fileURLWithPath: queryPath))
        try Self.run(["ts", "-reply", "-queryfile", queryPath, "-config", folder.path + "/tsa.cnf", "-out", replyPath])
        return Array(try Data(contentsOf: URL(fileURLWithPath: replyPath)))
    }

    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OpenSSLFailed(description: "openssl \(arguments.prefix(2).joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }

    /// Serves `POST /tsa` (this authority) and `POST /mati` (an authority that fails).
    public func withServer<T: Sendable>(_ body: @Sendable (_ base: String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("tsa") { request, _ in
            let query = try await request.body.collect(upTo: 1 << 16)
            let answer = try self.reply(to: Array(query.readableBytesView))
            return Response(
                status: .ok, headers: [.contentType: "application/timestamp-reply"], body: .init(byteBuffer: ByteBuffer(bytes: answer)))
        }
        router.post("mati") { _, _ in Response(status: .serviceUnavailable) }
        return try await TestServer.withServer(router: router) { base in try await body(base) }
    }
}

/// An `openssl` command the authority runs failed.
public struct OpenSSLFailed: Error, CustomStringConvertible {
    public var description: String
}
