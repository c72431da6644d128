import Foundation
import NetralModel
import Testing
@testable import NetralPlatforms

@Suite struct FacebookTests {
    let parser = FacebookParser()

    @Test func aCamatsCampaignStoryWithItsSharedPostPictureAndComments() throws {
        let page = try parser.parse(answer("facebook/m_timeline_camat.html", url: "https://m.facebook.com/bambang.sutrisno.camat/"))
        #expect(page.wall == nil)
        #expect(page.posts.map(\.kind) == ["post", "comment", "comment", "post"])
        let story = page.posts[0]
        #expect(story.postID == "880000000000001")
        #expect(story.item.sourceURL == "https://m.facebook.com/story.php?story_fbid=880000000000001&id=100050000000001")
        #expect(
            story.item.author
                == Author(
                    name: "Bambang Sutrisno", handle: "bambang.sutrisno.camat",
                    profileURL: "https://www.facebook.com/bambang.sutrisno.camat", accountID: "100050000000001"))
        #expect(story.item.body.hasPrefix("Alhamdulillah, bersama para kades se-Kecamatan Sukamaju kami siap memenangkan nomor 2."))
        // The shared post's words stay out of the author's own text.
        #expect(!story.item.body.contains("Konsolidasi relawan"))
        #expect(story.item.publishedAt == Date(timeIntervalSince1970: 1_706_148_720))
        #expect(story.item.hashtags == ["#PrabowoGibran2024"])
        #expect(story.item.links.map(\.url) == ["https://kampanye02.example/sukamaju"])
        #expect(story.media.map(\.url) == ["https://scontent.fbcdn.example/v/t1/poster-02.jpg"])
        #expect(story.item.imageAlts == ["Mungkin gambar 3 orang dan teks yang berbunyi 'SIAP MENANGKAN 02'"])
        let shared = try #require(story.quoted)
        #expect(shared.postID == "880000000000002")
        #expect(shared.accountName == "Relawan Sukamaju Bersatu")
        #expect(shared.text?.contains("target 70% suara untuk paslon 02") == true)
        // Comments are posts by their commenters, replying to the story.
        let comment = page.posts[1]
        #expect(comment.item.author?.accountID == "100070000000003")
        #expect(comment.item.author?.name == "Dewi Kartika")
        #expect(comment.item.body == "Siap pak camat, kami sekeluarga coblos 02 👍")
        #expect(comment.replyTo?.postID == "880000000000001")
        #expect(page.posts[2].item.author?.accountID == "100070000000004")
        // The office's own neutral post.
        #expect(page.posts[3].item.author?.name == "Kecamatan Sukamaju")
        #expect(page.next?.url?.contains("cursor=AQHRkecamatan02") == true)
        #expect(page.profiles.contains { $0.key == "facebook:100050000000001" && $0.displayName == "Bambang Sutrisno" })
    }

    @Test func cometGraphQLStoriesWithPhotoCaptionsAndSharedStory() throws {
        let page = try parser.parse(answer("facebook/graphql_timeline_guru.ndjson", url: "https://www.facebook.com/api/graphql/"))
        #expect(page.posts.map(\.postID) == ["990000000000011", "990000000000012"])
        let first = page.posts[0]
        #expect(first.item.author?.accountID == "100090000000011")
        #expect(first.item.author?.handle == "sri.wahyuni.guru")
        #expect(first.item.body.hasPrefix("Sebagai guru honorer saya pribadi mendukung pasangan AMIN."))
        #expect(first.item.publishedAt == Date(timeIntervalSince1970: 1_706_270_400))
        #expect(first.item.imageAlts == ["Mungkin gambar 2 orang dan teks yang berbunyi 'GURU HONORER DUKUNG AMIN'"])
        #expect(first.media.first?.url == "https://scontent.fbcdn.example/v/spanduk-amin.jpg")
        let second = page.posts[1]
        #expect(second.quoted?.accountName == "Pemerintah Desa Mekarjaya")
        #expect(second.quoted?.text == "Desa Mekarjaya mengadakan kerja bakti Minggu pagi.")
        #expect(page.next == PageCursor(token: "AQHRsri02cursor"))
    }

    @Test func walls() throws {
        let url = "https://m.facebook.com/bambang.sutrisno.camat/"
        #expect(try parser.parse(answer("facebook/m_login.html", url: url)).wall?.kind == .loginRequired)
        #expect(try parser.parse(answer("facebook/m_unavailable.html", url: url)).wall?.kind == .notFound)
        #expect(
            try parser.parse(answer("facebook/graphql_rate_limited.json", url: "https://www.facebook.com/api/graphql/")).wall?.kind
                == .rateLimited)
        let redirected = PlatformInput(body: Data("<html></html>".utf8), url: "https://m.facebook.com/login.php?next=x", requestURL: url)
        #expect(try parser.parse(redirected).wall?.kind == .loginRequired)
        let checkpoint = PlatformInput(body: Data("<html></html>".utf8), url: "https://m.facebook.com/checkpoint/?next", requestURL: url)
        #expect(try parser.parse(checkpoint).wall?.kind == .challenge)
        let loginJSON = PlatformInput(
            body: Data(#"for (;;);{"error":1357001,"errorSummary":"You must log in to continue","errorDescription":"Log in"}"#.utf8),
            url: "https://www.facebook.com/ajax/x")
        #expect(try parser.parse(loginJSON).wall?.kind == .loginRequired)
    }
}
