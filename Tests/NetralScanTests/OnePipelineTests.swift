import Foundation
import Hummingbird
import NetralTestServer
import NetralExtract
import NetralFetch
import NetralRules
import NetralStore
import NetralTestSupport
import Testing
@testable import NetralScan

/// `scan` and `explain` judge the same URL the same way: the site profile whose `match:`
/// covers the URL splits the page in both, without being named.
@Suite(.serialized) struct OnePipelineTests {
    let rules = (repositoryRoot as NSString).appendingPathComponent("Rules")
    let sites = (repositoryRoot as NSString).appendingPathComponent("Rules/sites")
    let thread = (repositoryRoot as NSString).appendingPathComponent("Fixtures/html/forum-warga.html")

    @Test func scanAndExplainResolveTheProfileByItsMatch() async throws {
        let folder = try TemporaryFolder()
        let ruleSet = try PackLoader.load(paths: [rules])
        let profiles = try SiteProfileLoader.load(paths: [sites])
        let page = try Data(contentsOf: URL(fileURLWithPath: thread))
        let router = Router()
        router.get("utas/42") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: page)))
        }
        try await TestServer.withServer(router: router, logger: quietLogger) { base in
            let port = try #require(URLComponents(string: base)?.port)
            // The profile matches forum.sungaijernih.example; curl is told where that name lives.
            let options = FetchOptions(perHostDelay: 0, resolve: ["forum.sungaijernih.example:\(port):127.0.0.1"])
            let url = "http://forum.sungaijernih.example:\(port)/utas/42"

            let explanation = try await Explainer(ruleSet: ruleSet, profiles: profiles, fetchOptions: options).explain(
                url, allowPrivate: true)
            #expect(explanation.items.count > 1)

            let config = ScanConfig(
                statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence", fetch: options,
                targets: [Target(id: "utas", url: url, allowPrivate: true)])
            let summary = try await Scanner(config: config, ruleSet: ruleSet, profiles: profiles).run(logger: quietLogger)
            #expect(summary.items == explanation.items.count)
            let explained = explanation.items.flatMap { $0.findings.map(\.id) }
            #expect(Set(summary.findings.map(\.id)) == Set(explained))
        }
    }
}
