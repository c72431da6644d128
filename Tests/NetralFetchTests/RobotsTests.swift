import Testing
@testable import NetralFetch

@Suite struct RobotsTests {
    let text = """
        # Situs warga
        User-agent: *
        Disallow: /admin/
        Crawl-delay: 3

        User-agent: Netral
        User-agent: PerayapLain
        Disallow: /arsip/
        Allow: /arsip/publik/
        Disallow: /*.pdf$
        Crawl-delay: 5
        """

    @Test func theGroupNamingOurAgentWinsOverTheGeneralOne() {
        let policy = RobotsPolicy(text: text, agent: RobotsPolicy.agentToken(of: "Netral/0.1 (+https://contoh.test/kontak)"))
        #expect(policy.crawlDelay == 5)
        #expect(!policy.allows("https://contoh.test/arsip/2024/ajakan.html"))
        // The longer Allow beats the shorter Disallow.
        #expect(policy.allows("https://contoh.test/arsip/publik/berita.html"))
        #expect(!policy.allows("https://contoh.test/dokumen/surat.pdf"))
        #expect(policy.allows("https://contoh.test/dokumen/surat.pdf?unduh=1"))
        // Our group replaces the general one: /admin/ is not ours to avoid here.
        #expect(policy.allows("https://contoh.test/admin/"))
    }

    @Test func anotherAgentGetsTheGeneralGroup() {
        let policy = RobotsPolicy(text: text, agent: "bot-lain")
        #expect(policy.crawlDelay == 3)
        #expect(!policy.allows("https://contoh.test/admin/masuk"))
        #expect(policy.allows("https://contoh.test/arsip/2024/"))
    }

    @Test func emptyOrOddFilesAllowEverything() {
        #expect(RobotsPolicy(text: "", agent: "netral").allows("https://contoh.test/apa-saja"))
        #expect(RobotsPolicy(text: "User-agent: *\nDisallow:\n", agent: "netral").allows("https://contoh.test/x"))
        #expect(RobotsPolicy(text: "bukan robots\n\u{0}\u{1}", agent: "netral").allows("https://contoh.test/x"))
        #expect(!RobotsPolicy.disallowAll.allows("https://contoh.test/"))
    }
}
