import Foundation
import NetralModel
import Testing
@testable import NetralPlatforms

/// Answers no platform should send, and some do: each gives a reason for the item or the
/// answer, never a crash.
@Suite struct HostileInputTests {
    func tiktokPage(_ json: String) -> PlatformInput {
        let page =
            #"<html><body><script id="__UNIVERSAL_DATA_FOR_REHYDRATION__" type="application/json">"# + json + "</script></body></html>"
        return PlatformInput(body: Data(page.utf8), url: "https://www.tiktok.com/@camat_sukamaju/video/1")
    }

    func videoDetail(_ item: String) -> String {
        #"{"__DEFAULT_SCOPE__":{"webapp.video-detail":{"statusCode":0,"itemInfo":{"itemStruct":"# + item + "}}}}"
    }

    @Test func truncatedJSONSaysWhere() throws {
        let full = String(decoding: try fixture("tiktok/video_camat.html"), as: UTF8.self)
        let cut = String(full.prefix(full.count / 2)) + "</script></html>"
        let error = #expect(throws: PlatformParseError.self) {
            try TikTokParser().parse(PlatformInput(body: Data(cut.utf8), url: "https://www.tiktok.com/@camat_sukamaju/video/1"))
        }
        #expect(error?.reason.contains("cut off") == true)
        #expect(error?.location?.contains("__UNIVERSAL_DATA_FOR_REHYDRATION__") == true)
        // A YouTube page cut inside its player response.
        let watch = String(decoding: try fixture("youtube/watch_lurah.html"), as: UTF8.self)
        let cutWatch = String(watch.prefix(watch.count / 3))
        #expect(throws: PlatformParseError.self) {
            try YouTubeParser().parse(PlatformInput(body: Data(cutWatch.utf8), url: "https://www.youtube.com/watch?v=x"))
        }
    }

    @Test func missingAndChangedFieldsCostTheFieldOrTheItemOnly() throws {
        // No author, the caption a number, counts as objects, a time that is text.
        let odd = #"{"id":"42","desc":12345,"createTime":"kemarin","stats":{"diggCount":{"x":1}},"video":{"cover":7}}"#
        let page = try TikTokParser().parse(tiktokPage(videoDetail(odd)))
        let post = try #require(page.posts.first)
        #expect(post.item.author == nil)
        #expect(post.item.body == "12345")
        #expect(post.item.publishedAt == nil)
        #expect(post.counts == nil)
        #expect(page.notes.contains { $0.contains("createTime") })
        // An item without an id is skipped with a note; its neighbours are kept.
        let list = #"{"statusCode":0,"itemList":[{"desc":"tanpa id"},{"id":"7","desc":"ada id"}],"hasMore":false}"#
        let listed = try TikTokParser().parse(PlatformInput(body: Data(list.utf8), url: "https://www.tiktok.com/api/post/item_list/"))
        #expect(listed.posts.map(\.postID) == ["7"])
        #expect(listed.notes.contains { $0.contains("$.itemList[0]") && $0.contains("without an id") })
        // X: a timeline entry whose tweet lost `legacy`.
        let x =
            #"{"data":{"user":{"result":{"timeline":{"timeline":{"instructions":[{"type":"TimelineAddEntries","entries":"#
            + #"[{"entryId":"tweet-1","content":{"itemContent":{"tweet_results":"#
            + #"{"result":{"__typename":"Tweet","rest_id":"1"}}}}}]}]}}}}}}"#
        let xPage = try XParser().parse(PlatformInput(body: Data(x.utf8), url: "https://x.com/i/api/graphql/q/UserTweets"))
        #expect(xPage.posts.isEmpty)
        #expect(xPage.wall == nil)
        #expect(xPage.notes.contains { $0.contains("without rest_id or legacy") })
    }

    @Test func aFiveMegabyteCaptionIsCutAndSaysSo() throws {
        let caption = String(repeating: "coblos nomor 2 ", count: 350_000)
        let item = #"{"id":"9","desc":"\#(caption)","author":{"id":"1","uniqueId":"camat_sukamaju"}}"#
        let page = try TikTokParser().parse(tiktokPage(videoDetail(item)))
        let post = try #require(page.posts.first)
        #expect(post.item.body.count <= PlatformLimits.default.maxTextCharacters)
        #expect(post.item.body.hasPrefix("coblos nomor 2"))
        #expect(page.notes.contains { $0.contains("desc") && $0.contains("cut to its first 100000 characters") })
    }

    @Test func twentyThousandCommentsAreCappedPerAnswer() throws {
        var items: [String] = []
        for index in 0..<20_000 {
            items.append(
                #"{"kind":"youtube#commentThread","id":"c\#(index)","snippet":{"videoId":"v1","channelId":"UCx","topLevelComment":"#
                    + #"{"kind":"youtube#comment","id":"c\#(index)","snippet":{"textOriginal":"komentar \#(index)","#
                    + #""authorDisplayName":"@warga\#(index)","authorChannelId":{"value":"UC\#(index)"},"#
                    + #""publishedAt":"2024-01-30T12:00:00Z"}}}}"#
            )
        }
        let body = #"{"kind":"youtube#commentThreadListResponse","items":["# + items.joined(separator: ",") + "]}"
        let page = try YouTubeParser().parse(
            PlatformInput(body: Data(body.utf8), url: "https://www.googleapis.com/youtube/v3/commentThreads"))
        #expect(page.posts.count == PlatformLimits.default.maxPostsPerAnswer)
        #expect(page.notes.contains { $0.contains("19000 entries past the first 1000 left out") })
        #expect(page.profiles.count == PlatformLimits.default.maxPostsPerAnswer)
    }

    @Test func deeplyNestedJSONIsRefusedBeforeParsing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: PlatformParseError.self) {
            try XParser().parse(
                PlatformInput(body: Data((#"{"data":"# + deep + "}").utf8), url: "https://x.com/i/api/graphql/q/UserTweets"))
        }
        #expect(error?.reason.contains("nested deeper than 256 levels") == true)
    }

    @Test func deeplyNestedHTMLIsWalkedWithoutRecursion() throws {
        let nested = String(repeating: "<div>", count: 200_000) + "teks" + String(repeating: "</div>", count: 200_000)
        let page =
            #"<html><body><div class="tgme_widget_message" data-post="kanal/1"><div class="tgme_widget_message_text">"# + nested
            + "</div></div></body></html>"
        let result = try TelegramParser().parse(PlatformInput(body: Data(page.utf8), url: "https://t.me/s/kanal"))
        #expect(result.posts.first?.item.body == "teks")
    }

    @Test func invalidUTF8LoneSurrogatesAndHugeNumbersAreMended() throws {
        var bytes = Data(
            #"{"__DEFAULT_SCOPE__":{"webapp.video-detail":{"statusCode":0,"itemInfo":{"itemStruct":{"id":"5","desc":"ayo "#.utf8)
        bytes.append(contentsOf: [0xFF, 0xFE])
        bytes.append(
            contentsOf: Data(
                (#" coblos \ud83d nomor 2","createTime":1e400,"stats":{"diggCount":123456789012345678901234567890,"playCount":-1e999},"#
                    + #""author":{"id":99999999999999999999999999,"uniqueId":"camat_sukamaju"}}}}}}"#).utf8))
        let page = try TikTokParser().parse(tiktokPage(String(decoding: bytes, as: UTF8.self)))
        let post = try #require(page.posts.first)
        #expect(post.item.body.contains("coblos"))
        #expect(post.item.body.contains("\u{FFFD}"))
        #expect(post.item.publishedAt == nil)
        #expect(post.counts?.likes == nil)
        #expect(post.item.author?.handle == "@camat_sukamaju")
        #expect(page.notes.contains { $0.contains("mended") })
        // Raw invalid bytes in a whole JSON answer.
        var raw = Data(#"{"statusCode":0,"itemList":[{"id":"1","desc":"x"#.utf8)
        raw.append(0xC3)
        raw.append(contentsOf: Data(#""}],"hasMore":false}"#.utf8))
        let listed = try TikTokParser().parse(PlatformInput(body: raw, url: "https://www.tiktok.com/api/post/item_list/"))
        #expect(listed.posts.count == 1)
        #expect(listed.notes.contains { $0.contains("invalid UTF-8 replaced") })
    }

    @Test func notJSONAtAllIsAClearError() {
        let error = #expect(throws: PlatformParseError.self) {
            try XParser().parse(PlatformInput(body: Data("{ini bukan json}".utf8), url: "https://x.com/i/api/graphql/q/UserTweets"))
        }
        #expect(error?.description.contains("not valid JSON") == true)
    }

    @Test func aChatOfManyMessagesIsCapped() throws {
        var lines = ""
        for index in 0..<3_000 { lines += "12/01/24 19.\(String(format: "%02d", index % 60)) - Warga \(index % 7): pesan nomor \(index)\n" }
        let capped = WhatsAppChat(limits: PlatformLimits(maxPostsPerAnswer: 500))
        let page = try capped.parse(PlatformInput(body: Data(lines.utf8), url: "file:///besar.txt"))
        #expect(page.posts.count == 500)
        #expect(page.notes.contains { $0.contains("2500 messages past the first 500 left out") })
    }

    @Test func aSubtitleTrackThatIsNotWebVTT() {
        let track = TranscriptTrack(
            url: "https://v16.example/sub.vtt", language: "id", kind: "auto-caption", format: .webVTT, isOriginalLanguage: true)
        #expect(throws: PlatformParseError.self) {
            try TranscriptParser.read(Data("<html>403</html>".utf8), track: track, platform: .tiktok)
        }
        let bad = "WEBVTT\n\n00:00:xx --> 00:00:02.000\nrusak\n\n00:00:02.000 --> 00:00:03.000\nbaik\n"
        let reading = try? TranscriptParser.read(Data(bad.utf8), track: track, platform: .tiktok)
        #expect(reading?.transcript.cues.map(\.text) == ["baik"])
        #expect(reading?.notes.count == 1)
    }

    @Test func theRouterNamesEachPlatformByURL() {
        #expect(PlatformParsers.platform(for: "https://www.tiktok.com/@camat_sukamaju") == .tiktok)
        #expect(PlatformParsers.platform(for: "https://www.instagram.com/kades.mekarjaya/") == .instagram)
        #expect(PlatformParsers.platform(for: "https://m.facebook.com/story.php?story_fbid=1") == .facebook)
        #expect(PlatformParsers.platform(for: "https://x.com/dr_rina_dinkes") == .x)
        #expect(PlatformParsers.platform(for: "https://cdn.syndication.twimg.com/tweet-result?id=1") == .x)
        #expect(PlatformParsers.platform(for: "https://www.youtube.com/watch?v=x") == .youtube)
        #expect(PlatformParsers.platform(for: "https://www.googleapis.com/youtube/v3/commentThreads") == .youtube)
        #expect(PlatformParsers.platform(for: "https://t.me/s/infodesamekarjaya") == .telegram)
        #expect(PlatformParsers.platform(for: "https://sukamaju.go.id/berita") == nil)
        #expect(throws: PlatformParseError.self) {
            try PlatformParsers.parse(PlatformInput(body: Data("x".utf8), url: "https://sukamaju.go.id/"))
        }
    }
}

@Suite struct ZipExportTests {
    @Test func aChatWhoseChecksumDoesNotMatchIsRefused() {
        let error = #expect(throws: PlatformParseError.self) {
            try WhatsAppChat().parse(answer("whatsapp/bad_crc.zip", url: "file:///tips/bad_crc.zip"))
        }
        #expect(error?.reason.contains("CRC-32 does not match") == true)
    }

    @Test func aChatThatInflatesPastTheLimitStopsThere() {
        // 65 MiB of one letter whose headers claim 100 bytes: the bytes are counted as they inflate.
        let error = #expect(throws: PlatformParseError.self) {
            try WhatsAppChat().parse(answer("whatsapp/bomb.zip", url: "file:///tips/bomb.zip"))
        }
        #expect(error?.reason.contains("inflates past") == true)
    }

    @Test func aNameOutsideTheArchiveIsNoChat() throws {
        let page = try WhatsAppChat().parse(answer("whatsapp/traversal.zip", url: "file:///tips/traversal.zip"))
        #expect(page.posts.map { $0.item.author?.name } == ["Budi", "Kades Sukamaju"])
    }
}
