import Foundation
import NetralTestSupport
import Testing

/// A password or token planted in every place a URL is taken (the command line, the
/// configuration's targets, state and destinations, a watchlist) never reaches any output of
/// any command: stdout and stderr, text and JSON, success or refusal.
@Suite(.serialized) struct SecretEchoTests {
    static let password = "RahasiaSekali77"
    static let token = "tokenRahasia99"

    @Test func noCommandEchoesAPlantedPassword() async throws {
        let folder = try TemporaryFolder()
        try folder.write("halaman.html", "<html><body><p>Camat ajak coblos paslon 02 di TPS.</p></body></html>")
        let site = try StaticServer(folder: folder.path)
        defer { site.stop() }
        let secretURL =
            site.base.replacingOccurrences(of: "://", with: "://budi:\(Self.password)@") + "/halaman.html?access_token=\(Self.token)"
        let targetConfig = try folder.write(
            "target.yaml",
            """
            format: 1
            rules: [\(repositoryRoot)/Rules]
            state: state.sqlite
            evidence: evidence
            fetch: {user_agent: "Netral-uji (+https://netral-uji.example/kontak)"}
            targets:
              - {id: rahasia, url: "\(secretURL)", allow_private: true}
            """)
        let stateConfig = try folder.write(
            "state.yaml",
            "format: 1\nrules: [\(repositoryRoot)/Rules]\nstate: \"postgres://budi:\(Self.password)@127.0.0.1:1/netral\"\nevidence: evidence\ntargets: []\n"
        )
        let destinationConfig = try folder.write(
            "tujuan.yaml",
            """
            format: 1
            rules: [\(repositoryRoot)/Rules]
            state: state.sqlite
            evidence: evidence
            targets: []
            destinations:
              - {name: pelacak, kind: webhook, url: "https://budi:\(Self.password)@pelacak.example/kasus?token=\(Self.token)"}
            """)
        let watchlist = try folder.write(
            "daftar.csv", "name,nip,role,agency,region,accounts\nBudi,,Camat,,,\(secretURL)\n")
        let runs: [[String]] = [
            ["explain", secretURL, "--allow-private"],
            ["explain", secretURL, "--allow-private", "--format", "json"],
            ["explain", secretURL.replacingOccurrences(of: "halaman", with: "tidak-ada"), "--allow-private"],
            ["explain", "https://budi:\(Self.password)@nama-yang-tidak-ada.invalid/?token=\(Self.token)"],
            ["scan", "--config", targetConfig],
            ["scan", "--config", targetConfig, "--format", "json"],
            ["status", "--config", targetConfig],
            ["status", "--config", stateConfig],
            ["scan", "--config", stateConfig],
            ["findings", "--config", stateConfig],
            ["verify", "--config", stateConfig],
            ["verify", "--reviews", "--config", stateConfig],
            ["review", "abcd", "--confirm", "--note", "x", "--config", stateConfig],
            ["export", "--to", "x", "--format", "csv", "--config", destinationConfig],
            ["push", "--to", "pelacak", "--config", destinationConfig],
            ["desk", "--config", stateConfig],
            ["targets", "import", watchlist, "--into", targetConfig],
        ]
        var outputs = 0
        for arguments in runs {
            let ended = try await NetralProcess.run(arguments + ["--log-level", "trace"])
            outputs += 1
            for (stream, text) in [("stdout", ended.output), ("stderr", ended.errors)] {
                #expect(!text.contains(Self.password), "\(arguments.joined(separator: " ")) \(stream): \(text.prefix(400))")
                #expect(!text.contains(Self.token), "\(arguments.joined(separator: " ")) \(stream): \(text.prefix(400))")
            }
        }
        #expect(outputs == runs.count)
        // The explained page itself was read: masking hid the secret, not the answer.
        let explained = try await NetralProcess.run(["explain", secretURL, "--allow-private", "--format", "json"])
        #expect(explained.status == 0, "\(explained.errors)")
        #expect(explained.output.contains("budi:***@"))
    }
}
