import Foundation
import NetralModel
import Testing
@testable import NetralPlatforms

@Suite struct YouTubeTests {
    let parser = YouTubeParser()

    @Test func aVillageHeadsWatchPageWithCaptionTracksAndNoKey() throws {
        let page = try parser.parse(answer("youtube/watch_lurah.html", url: "https://www.youtube.com/watch?v=lurahVlog024"))
        let post = try #require(page.posts.first)
        #expect(post.postID == "lurahVlog024")
        #expect(post.item.title == "Vlog Pak Lurah: Jalan Sehat Bersama Warga Mekarjaya")
        #expect(post.item.body.contains("kita semua tahu pilihan terbaik: nomor 3!"))
        #expect(post.item.author?.accountID == "UClurahMekarjaya0000000b")
        #expect(post.item.author?.handle == "@lurahmekarjaya")
        #expect(post.item.author?.name == "Lurah Mekarjaya Official")
        #expect(post.item.publishedAt == utc("2024-01-28T14:00:08Z"))
        // Hashtags from the description and the ones shown above the title (ytInitialData).
        #expect(post.item.hashtags == ["#GanjarMahfud", "#JalanSehat", "#Mekarjaya"])
        #expect(post.media == [MediaRef(url: "https://i.ytimg.com/vi/lurahVlog024/maxresdefault.jpg", kind: .videoCover)])
        #expect(post.transcriptTracks.map(\.language) == ["id", "en"])
        #expect(post.transcriptTracks[0].kind == "auto-caption")
        #expect(post.transcriptTracks[0].format == .timedTextXML)
        #expect(!post.transcriptTracks[1].isOriginalLanguage)
        for track in post.transcriptTracks {
            #expect(!track.url.contains("key="))
            #expect(track.url.contains("signature="))
        }
        #expect(page.profiles.first?.key == "youtube:UClurahMekarjaya0000000b")
    }

    @Test func captionTracksInBothFormatsBecomeTheSameTranscript() throws {
        let xmlTrack = TranscriptTrack(
            url: "https://www.youtube.com/api/timedtext?v=lurahVlog024&lang=id", language: "id", kind: "auto-caption",
            format: .timedTextXML, isOriginalLanguage: true)
        let xml = try TranscriptParser.read(fixture("youtube/timedtext_lurah.xml"), track: xmlTrack, platform: .youtube)
        #expect(
            xml.transcript.cues.map(\.text) == [
                "selamat pagi warga Mekarjaya", "jangan lupa tanggal 14 kita pilih nomor 3 ya", "Ganjar & Mahfud 'menang'",
            ])
        #expect(xml.transcript.cues[1].start == 2.78)
        #expect(abs(xml.transcript.cues[1].end - 5.88) < 0.0001)
        let jsonTrack = TranscriptTrack(
            url: xmlTrack.url + "&fmt=json3", language: "id", kind: "auto-caption", format: .json3, isOriginalLanguage: true)
        let json = try TranscriptParser.read(fixture("youtube/timedtext_lurah.json3"), track: jsonTrack, platform: .youtube)
        #expect(json.transcript.cues.map(\.text) == ["selamat pagi warga", "pilih nomor 3 ya"])
        #expect(json.transcript.cues[0].start == 0.48)
    }

    @Test func commentsAreItemsOfTheirCommentersAnsweringTheVideoAndItsChannel() throws {
        let url = "https://www.googleapis.com/youtube/v3/commentThreads?part=snippet,replies&videoId=kampanye02vd&key=AIzaSySECRETKEY"
        let page = try parser.parse(answer("youtube/comment_threads_kampanye.json", url: url))
        #expect(page.posts.map(\.kind) == ["comment", "reply", "comment"])
        let kades = page.posts[0]
        #expect(kades.item.author?.accountID == "UCkadesSukamaju000000000d")
        #expect(kades.item.author?.handle == "@kades.sukamaju")
        #expect(kades.item.body == "Kami perangkat desa Sukamaju siap all in nomor 2, Pak! 💪")
        #expect(kades.item.publishedAt == utc("2024-01-30T12:00:00Z"))
        #expect(
            kades.replyTo
                == PostReference(
                    postID: "kampanye02vd", url: "https://www.youtube.com/watch?v=kampanye02vd",
                    accountID: "UCcapresVideo00000000000c"))
        #expect(kades.item.sourceURL == "https://www.youtube.com/watch?v=kampanye02vd&lc=UgzKadesKomentar01")
        #expect(page.posts[2].item.body == "Semoga pemilunya jujur, adil & damai.")
        #expect(page.next == PageCursor(token: "QURTSl9pMnNlY29uZF9wYWdl"))
        // No output carries the API key.
        let encoded = String(decoding: try JSONEncoder().encode(page), as: UTF8.self)
        #expect(!encoded.contains("AIzaSySECRETKEY"))
        let quota = try parser.parse(answer("youtube/api_quota_exceeded.json", url: url, status: 403))
        #expect(quota.wall?.kind == .rateLimited)
        #expect(!String(describing: quota).contains("AIzaSySECRETKEY"))
    }

    @Test func theChannelFeed() throws {
        let page = try parser.parse(
            answer("youtube/feed_diskominfo.xml", url: "https://www.youtube.com/feeds/videos.xml?channel_id=UCdiskominfoSkmj0000000a"))
        let post = try #require(page.posts.first)
        #expect(page.posts.count == 1)
        #expect(post.item.title == "Sosialisasi Netralitas ASN pada Pemilu 2024")
        #expect(post.item.body.hasPrefix("Bupati Sukamaju mengingatkan ASN & kepala desa wajib netral."))
        #expect(post.item.author?.accountID == "UCdiskominfoSkmj0000000a")
        #expect(post.item.publishedAt == utc("2024-01-10T03:00:00Z"))
        #expect(post.counts?.views == 1532)
        #expect(page.notes.count == 1)
        #expect(page.profiles.first?.displayName == "Diskominfo Kabupaten Sukamaju")
    }

    @Test func walls() throws {
        let player = "https://www.youtube.com/youtubei/v1/player"
        #expect(try parser.parse(answer("youtube/player_private.json", url: player)).wall?.kind == .privateContent)
        #expect(try parser.parse(answer("youtube/player_bot_check.json", url: player)).wall?.kind == .challenge)
        #expect(
            try parser.parse(
                answer("youtube/api_comments_disabled.json", url: "https://www.googleapis.com/youtube/v3/commentThreads", status: 403)
            )
            .wall?.kind == .privateContent)
        let consent = PlatformInput(
            body: Data("<html><form action=\"https://consent.youtube.com/save\"></form></html>".utf8),
            url: "https://consent.youtube.com/m?continue=x", requestURL: "https://www.youtube.com/watch?v=x")
        #expect(try parser.parse(consent).wall?.kind == .challenge)
        let keyRefused = PlatformInput(
            body: Data(#"{"error":{"code":400,"message":"API key not valid.","errors":[{"reason":"keyInvalid"}]}}"#.utf8),
            url: "https://www.googleapis.com/youtube/v3/commentThreads", status: 400)
        #expect(try parser.parse(keyRefused).wall?.kind == .loginRequired)
    }
}
