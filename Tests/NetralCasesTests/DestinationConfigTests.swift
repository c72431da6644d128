import Foundation
import NetralScan
import NetralStore
import NetralTestSupport
import NetralYAML
import Testing
@testable import NetralCases

@Suite struct DestinationConfigTests {
    @Test func destinationsAreReadFromTheConfiguration() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("netral.yaml", """
        format: 1
        targets: []
        destinations:
          - name: pelacak
            kind: webhook
            url: https://pelacak-contoh.example/api/netral
            token_env: NETRAL_PELACAK_TOKEN
          - name: thehive
            kind: thehive
            url: https://thehive-contoh.example/
            token_env: NETRAL_THEHIVE_KEY
            organisation: bawaslu-kaltim
            status: [confirmed, dismissed]
            attempts: 3
            timeout: 12
        """)
        let config = try ScanConfig.load(path: path)
        #expect(config.destinations.map(\.name) == ["pelacak", "thehive"])
        #expect(config.destinations[0].statuses == [.confirmed] && config.destinations[0].endpoint == "https://pelacak-contoh.example/api/netral")
        let hive = config.destinations[1]
        #expect(hive.endpoint == "https://thehive-contoh.example/api/v1/alert")
        #expect(hive.statuses == [.confirmed, .dismissed] && hive.attempts == 3 && hive.timeout == 12 && hive.organisation == "bawaslu-kaltim")
    }

    @Test func badDestinationsAreReportedWithTheirPlaceAndNoSecretIsEchoed() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("netral.yaml", """
        format: 1
        targets: []
        destinations:
          - {name: a, kind: email, url: "https://x.example/"}
          - {name: b, kind: webhook, url: "https://pengguna:sandi-rahasia@x.example/"}
          - {name: c, kind: webhook, url: "ftp://x.example/"}
          - {name: c, kind: webhook, url: "https://x.example/", token_env: "token-kecil"}
          - {name: "../d", kind: webhook, url: "https://x.example/"}
          - {name: e, kind: webhook, url: "https://x.example/", attempts: 0, status: ditunda, tokn_env: X}
        """)
        #expect(throws: DiagnosticsError.self) { try ScanConfig.load(path: path) }
        do {
            _ = try ScanConfig.load(path: path)
        } catch {
            let text = error.description
            #expect(text.contains("netral.yaml:4:") && text.contains("destination kind must be webhook or thehive, found 'email'"))
            #expect(text.contains("netral.yaml:5:") && text.contains("a secret in a destination URL is refused"))
            #expect(!text.contains("sandi-rahasia"))
            #expect(text.contains("netral.yaml:6:") && text.contains("url must be an absolute http or https URL"))
            #expect(text.contains("duplicate destination name 'c'") && text.contains("token_env names an environment variable"))
            #expect(text.contains("destination name '../d'"))
            #expect(text.contains("attempts must be between 1 and 20") && text.contains("status must be new, confirmed or dismissed"))
            #expect(text.contains("unknown key 'tokn_env'"))
        }
    }
}
