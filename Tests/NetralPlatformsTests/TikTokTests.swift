import Foundation
import NetralModel
import Testing
@testable import NetralPlatforms

@Suite struct TikTokTests {
    let parser = TikTokParser()

    @Test func anASNAccountsCampaignVideoBecomesOnePostWithItsAuthorAndSubtitles() throws {
        let page = try parser.parse(
            answer("tiktok/video_camat.html", url: "https://www.tiktok.com/@camat_sukamaju/video/7329876543210987654"))
        #expect(page.wall == nil)
        #expect(page.posts.count == 1)
        let post = try #require(page.posts.first)
        let item = post.item
        #expect(item.platform == "tiktok")
        #expect(item.sourceURL == "https://www.tiktok.com/@camat_sukamaju/video/7329876543210987654")
        #expect(item.author?.accountID == "7301234567890123456")
        #expect(item.author?.handle == "@camat_sukamaju")
        #expect(item.author?.name == "Bambang Sutrisno")
        #expect(item.author?.bio == "Camat Sukamaju, Pemkab Sukamaju. PNS sejak 2004.")
        #expect(item.body.hasPrefix("Ayo warga Sukamaju, 14 Februari jangan lupa coblos nomor 2!"))
        #expect(item.publishedAt == utc("2024-01-23T07:30:00Z"))
        #expect(item.hashtags == ["#PrabowoGibran2024", "#Pemilu2024"])
        #expect(item.links.map(\.text) == ["@relawan_sukamaju"])
        #expect(item.language == "id")
        #expect(post.media == [MediaRef(url: "https://p16-sign.tiktokcdn.example/obj/cover-7329876543210987654.jpeg", kind: .videoCover)])
        #expect(post.counts == EngagementCounts(likes: 1520, comments: 64, shares: 88, views: 23100, saves: 41))
        // The Indonesian speech-recognition track first; the machine translation after it.
        #expect(post.transcriptTracks.map(\.language) == ["ind-ID", "eng-US"])
        #expect(post.transcriptTracks[0].kind == "auto-caption")
        #expect(post.transcriptTracks[0].isOriginalLanguage)
        #expect(post.transcriptTracks[0].url == "https://v16-webapp.tiktokcdn.example/subtitle/7329876543210987654-ind.vtt")
        #expect(post.transcriptTracks[1].kind == "auto-translation")
        #expect(!post.transcriptTracks[1].isOriginalLanguage)
        #expect(page.profiles.map(\.key) == ["tiktok:7301234567890123456"])
    }

    @Test func theSubtitleTrackBecomesTheTranscriptWithTimes() throws {
        let track = TranscriptTrack(
            url: "https://v16-webapp.tiktokcdn.example/subtitle/7329876543210987654-ind.vtt", language: "ind-ID",
            kind: "auto-caption", format: .webVTT, isOriginalLanguage: true)
        let reading = try TranscriptParser.read(fixture("tiktok/subtitle_ind.vtt"), track: track, platform: .tiktok)
        let cues = reading.transcript.cues
        #expect(
            cues.map(\.text) == [
                "Assalamualaikum warga Sukamaju.",
                "Saya selaku camat mengajak bapak ibu semua ke TPS tanggal 14.",
                "Coblos nomor 2, Prabowo & Gibran!",
                "Terima kasih.",
            ])
        #expect(cues[0].start == 0.12)
        #expect(cues[0].end == 2.48)
        // The repeated cue is merged into the one before it.
        #expect(cues[2].end == 8.4)
        // `mm:ss.ttt` times without hours.
        #expect(cues[3].start == 9.0)
        #expect(reading.transcript.kind == "auto-caption")
        #expect(reading.transcript.language == "ind-ID")
        #expect(reading.transcript.text.contains("Coblos nomor 2"))
    }

    @Test func theProfilePageGivesTheAccountProfile() throws {
        let page = try parser.parse(answer("tiktok/profile_camat.html", url: "https://www.tiktok.com/@camat_sukamaju"))
        #expect(page.wall == nil)
        #expect(page.posts.isEmpty)
        let profile = try #require(page.profiles.first)
        #expect(profile.platform == "tiktok")
        #expect(profile.accountID == "7301234567890123456")
        #expect(profile.handle == "@camat_sukamaju")
        #expect(profile.displayName == "Bambang Sutrisno")
        #expect(profile.bio == "Camat Sukamaju, Pemkab Sukamaju. PNS sejak 2004.")
        #expect(profile.links == ["https://sukamaju.go.id"])
        #expect(profile.fields["followers"] == "4120")
        #expect(profile.observedAt == Date(timeIntervalSince1970: 1_706_200_000))
    }

    @Test func theWebAPIListPagesWithItsCursorAndKeepsEachAuthor() throws {
        let page = try parser.parse(answer("tiktok/item_list.json", url: "https://www.tiktok.com/api/post/item_list/?secUid=x&count=30"))
        #expect(page.posts.map(\.postID) == ["7329876543210987654", "7329999999999999999"])
        #expect(page.posts[1].item.author?.handle == "@ani.warga")
        #expect(page.posts[1].item.body.contains("pilih sesuai hati nurani"))
        #expect(page.next == PageCursor(token: "1705990000000"))
        #expect(Set(page.profiles.compactMap(\.key)) == ["tiktok:7301234567890123456", "tiktok:7311111111111111111"])
    }

    @Test func wallsAreNamedNotEmpty() throws {
        let privateAccount = try parser.parse(answer("tiktok/profile_private.html", url: "https://www.tiktok.com/@guru_sdn4"))
        #expect(privateAccount.wall?.kind == .privateContent)
        // A private account still shows its bio: the identity is kept.
        #expect(privateAccount.profiles.first?.bio == "Guru SDN 4 Sukamaju")
        #expect(try parser.parse(answer("tiktok/video_removed.html", url: "https://www.tiktok.com/@x/video/1")).wall?.kind == .notFound)
        #expect(try parser.parse(answer("tiktok/captcha.html", url: "https://www.tiktok.com/@x")).wall?.kind == .challenge)
        let limited = try parser.parse(answer("tiktok/captcha.html", url: "https://www.tiktok.com/@x", status: 429, retryAfter: "120"))
        #expect(limited.wall == PlatformWall(.rateLimited, "HTTP 429 Too Many Requests", retryAfter: "120"))
        let login = try parser.parse(
            PlatformInput(
                body: Data("<html></html>".utf8), url: "https://www.tiktok.com/login?redirect_url=x",
                requestURL: "https://www.tiktok.com/@camat_sukamaju"))
        #expect(login.wall?.kind == .loginRequired)
        let empty = try parser.parse(PlatformInput(body: Data(), url: "https://www.tiktok.com/api/post/item_list/"))
        #expect(empty.wall?.kind == .challenge)
    }

    @Test func aPageWithoutTheDataScriptIsAnErrorNotAnEmptyAccount() throws {
        let input = PlatformInput(body: Data("<html><body><p>Halo</p></body></html>".utf8), url: "https://www.tiktok.com/@camat_sukamaju")
        #expect(throws: PlatformParseError.self) { try parser.parse(input) }
    }
}
