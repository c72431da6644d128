import Foundation
import NetralModel
import Testing
@testable import NetralPlatforms

@Suite struct XTests {
    let parser = XParser()

    @Test func anASNsTweetRetweetAndQuoteFromUserTweets() throws {
        let page = try parser.parse(answer("x/user_tweets_rina.json", url: "https://x.com/i/api/graphql/abc/UserTweets?variables=%7B%7D"))
        #expect(page.posts.map(\.postID) == ["1750000000000000101", "1749000000000000202", "1750000000000000505"])
        let tweet = page.posts[0]
        #expect(tweet.item.author?.accountID == "1500000000000000001")
        #expect(tweet.item.author?.handle == "@dr_rina_dinkes")
        #expect(tweet.item.author?.bio == "ASN Dinas Kesehatan Kab. Sukamaju. Tulisan pribadi.")
        // Entities decoded, t.co expanded, the media link removed.
        #expect(
            tweet.item.body
                == "Saya sebagai ASN di Dinkes ikut mendukung nomor 2 & ajak keluarga coblos 02 tgl 14! #PrabowoGibran2024"
                    + " https://kampanye02.example/ayo"
        )
        #expect(tweet.item.links == [Link(url: "https://kampanye02.example/ayo", text: "kampanye02.example/ayo")])
        #expect(tweet.item.hashtags == ["#PrabowoGibran2024"])
        #expect(tweet.item.publishedAt == utc("2024-01-25T02:15:00Z"))
        #expect(tweet.item.imageAlts == ["Bingkai twibbon: Saya ASN dukung 02"])
        #expect(
            tweet.media == [
                MediaRef(url: "https://pbs.twimg.example/media/GEtwibbon02.jpg", kind: .image, alt: "Bingkai twibbon: Saya ASN dukung 02")
            ])
        // The pinned copy of the same tweet is not a second post.
        #expect(page.posts.filter { $0.postID == "1750000000000000101" }.count == 1)
        // A retweet is the original post by its author, shared by the ASN.
        let retweet = page.posts[1]
        #expect(retweet.item.author?.handle == "@relawan02_skm")
        #expect(retweet.sharedBy?.accountID == "1500000000000000001")
        #expect(retweet.item.sharedBy == "@dr_rina_dinkes")
        // A quote inside TweetWithVisibilityResults keeps the quoted post.
        let quote = page.posts[2]
        #expect(quote.item.body == "Setuju! Yang nomor dua sudah terbukti.")
        #expect(quote.quoted?.postID == "1749000000000000202")
        #expect(quote.quoted?.accountHandle == "@relawan02_skm")
        #expect(quote.item.description == "Relawan 02 siap door to door di 12 desa minggu ini.")
        #expect(quote.replyTo?.postID == "1749000000000000202")
        #expect(page.next == PageCursor(token: "DAABCgABGbottom0001"))
        // The tombstone is named, not silently dropped.
        #expect(page.notes.contains { $0.contains("unavailable") })
        let rina = try #require(page.profiles.first { $0.handle == "@dr_rina_dinkes" })
        #expect(rina.links == ["https://dinkes.sukamaju.go.id"])
    }

    @Test func longTextFromNoteTweetAndRepliesInModules() throws {
        let page = try parser.parse(answer("x/tweet_detail_bawaslu.json", url: "https://x.com/i/api/graphql/abc/TweetDetail"))
        let agency = try #require(page.posts.first)
        #expect(agency.item.author?.handle == "@bawaslu_sukamaju")
        // The newer user shape: `core` and `profile_bio` instead of `legacy`.
        #expect(agency.item.author?.bio == "Akun resmi Badan Pengawas Pemilu Kabupaten Sukamaju")
        #expect(agency.item.body.contains("Laporkan dugaan pelanggaran ke posko pengaduan. Bawaslu"))
        #expect(!agency.item.body.hasSuffix("…"))
        #expect(agency.item.hashtags == ["#Pemilu2024"])
        let reply = try #require(page.posts.last)
        #expect(reply.kind == "reply")
        #expect(reply.item.author?.handle == "@budi_warga")
        #expect(reply.replyTo?.postID == "1750000000000000404")
    }

    @Test func userByScreenNameGivesTheProfile() throws {
        let page = try parser.parse(answer("x/user_by_screen_name_bawaslu.json", url: "https://x.com/i/api/graphql/abc/UserByScreenName"))
        let profile = try #require(page.profiles.first)
        #expect(profile.accountID == "1400000000000000002")
        #expect(profile.handle == "@bawaslu_sukamaju")
        #expect(profile.displayName == "Bawaslu Kab. Sukamaju")
        #expect(profile.category == "Government Organization")
        #expect(profile.fields["location"] == "Sukamaju")
    }

    @Test func theEmbedAnswerForOnePost() throws {
        let page = try parser.parse(
            answer(
                "x/syndication_tweet_result.json", url: "https://cdn.syndication.twimg.com/tweet-result?id=1750000000000000101&token=4abc"))
        let post = try #require(page.posts.first)
        #expect(post.item.author?.accountID == "1500000000000000001")
        #expect(post.item.body == "Saya sebagai ASN di Dinkes ikut mendukung nomor 2 & ajak keluarga coblos 02! #PrabowoGibran2024")
        #expect(post.item.publishedAt == utc("2024-01-25T02:15:00Z"))
        #expect(post.item.imageAlts == ["Bingkai twibbon: Saya ASN dukung 02"])
        #expect(post.item.sourceURL == "https://x.com/dr_rina_dinkes/status/1750000000000000101")
    }

    @Test func walls() throws {
        let url = "https://x.com/i/api/graphql/abc/UserByScreenName"
        #expect(try parser.parse(answer("x/user_by_screen_name_empty.json", url: url)).wall?.kind == .notFound)
        #expect(try parser.parse(answer("x/user_suspended.json", url: url)).wall?.kind == .notFound)
        #expect(try parser.parse(answer("x/rate_limited.json", url: url)).wall?.kind == .rateLimited)
        #expect(
            try parser.parse(answer("x/syndication_tombstone.json", url: "https://cdn.syndication.twimg.com/tweet-result?id=1")).wall?.kind
                == .notFound)
        let locked = PlatformInput(body: Data(#"{"errors":[{"code":326,"message":"To protect our users from spam..."}]}"#.utf8), url: url)
        #expect(try parser.parse(locked).wall?.kind == .challenge)
        let authentication = PlatformInput(body: Data(#"{"errors":[{"code":239,"message":"Bad guest token"}]}"#.utf8), url: url)
        #expect(try parser.parse(authentication).wall?.kind == .loginRequired)
        let protected = PlatformInput(
            body: Data(
                (#"{"data":{"user":{"result":{"__typename":"User","rest_id":"9","core":{"screen_name":"guru_sdn4","name":"Sri"},"#
                + #""privacy":{"protected":true}}}}}"#).utf8), url: url)
        let page = try parser.parse(protected)
        #expect(page.wall?.kind == .privateContent)
        #expect(page.profiles.first?.handle == "@guru_sdn4")
        #expect(
            try parser.parse(answer("x/rate_limited.json", url: "https://cdn.syndication.twimg.com/tweet-result?id=1", status: 404)).wall?
                .kind == .notFound)
    }
}
