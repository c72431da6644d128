import Foundation
import NetralModel
import Testing
@testable import NetralPlatforms

@Suite struct InstagramTests {
    let parser = InstagramParser()

    @Test func aVillageHeadsCampaignPostFromTodaysPageShape() throws {
        let page = try parser.parse(answer("instagram/post_kades.html", url: "https://www.instagram.com/p/C2kAdesMkj1/"))
        #expect(page.wall == nil)
        let post = try #require(page.posts.first)
        #expect(page.posts.count == 1)
        #expect(post.postID == "C2kAdesMkj1")
        #expect(post.item.sourceURL == "https://www.instagram.com/p/C2kAdesMkj1/")
        #expect(post.item.author?.accountID == "48123456789")
        #expect(post.item.author?.handle == "@kades.mekarjaya")
        #expect(post.item.author?.name == "Kepala Desa Mekarjaya")
        #expect(post.item.body.contains("Kami siap memenangkan paslon nomor 1 AMIN"))
        #expect(post.item.publishedAt == utc("2024-01-25T11:30:00Z"))
        #expect(post.item.hashtags == ["#AMIN2024", "#DesaMekarjaya"])
        // Instagram's generated description of the picture is the alt text rules read.
        #expect(post.item.imageAlts.count == 1)
        #expect(post.item.imageAlts[0].contains("SALAM 1 JARI AMIN"))
        #expect(
            post.media.map(\.url) == [
                "https://scontent.cdninstagram.example/v/apel-1.jpg", "https://scontent.cdninstagram.example/v/apel-2.jpg",
            ])
        #expect(post.location == "Balai Desa Mekarjaya")
        #expect(post.counts?.likes == 231)
        // The collaborator published it too.
        #expect(post.coAuthors.map(\.handle) == ["@bpd.mekarjaya"])
        #expect(Set(page.profiles.compactMap(\.key)) == ["instagram:48123456789", "instagram:48100000001"])
    }

    @Test func theProfileAnswerGivesBiographyCategoryLinksPostsAndCursor() throws {
        let page = try parser.parse(
            answer(
                "instagram/web_profile_info_kades.json",
                url: "https://www.instagram.com/api/v1/users/web_profile_info/?username=kades.mekarjaya"))
        let profile = try #require(page.profiles.first)
        #expect(profile.accountID == "48123456789")
        #expect(profile.handle == "@kades.mekarjaya")
        #expect(profile.displayName == "Kepala Desa Mekarjaya")
        #expect(profile.bio == "Akun resmi Kepala Desa Mekarjaya, Kec. Sukamaju 🇮🇩\nMelayani dengan hati.")
        #expect(profile.category == "Government Organization")
        #expect(profile.links == ["https://mekarjaya.desa.id"])
        #expect(page.posts.map(\.postID) == ["C2kAdesMkj1", "C2jPosyndu7"])
        // The timeline's posts name their owner by id only; the profile fills in the rest.
        #expect(page.posts[0].item.author?.name == "Kepala Desa Mekarjaya")
        #expect(page.posts[0].item.author?.bio?.contains("Kepala Desa Mekarjaya") == true)
        #expect(page.next == PageCursor(token: "QVFDa2FkZXNfbWVrYXJqYXlhXzI="))
    }

    @Test func theOlderSharedDataPageOfACitizen() throws {
        let page = try parser.parse(answer("instagram/post_warga_2021.html", url: "https://www.instagram.com/p/B9wargaAni1/"))
        let post = try #require(page.posts.first)
        #expect(post.item.author?.handle == "@ani.lestari")
        #expect(post.item.author?.accountID == "5550001")
        #expect(post.item.body.hasPrefix("Antre di TPS 07 pagi ini"))
        #expect(post.item.imageAlts == ["Photo by Ani Lestari in TPS 07 Mekarjaya."])
        #expect(post.location == "TPS 07 Mekarjaya")
        #expect(post.item.publishedAt == utc("2024-02-14T05:00:00Z"))
    }

    @Test func walls() throws {
        let url = "https://www.instagram.com/api/v1/users/web_profile_info/?username=x"
        #expect(try parser.parse(answer("instagram/login_required.json", url: url)).wall?.kind == .rateLimited)
        #expect(try parser.parse(answer("instagram/user_not_found.json", url: url)).wall?.kind == .notFound)
        let login = PlatformInput(body: Data(#"{"message":"login_required","status":"fail","require_login":true}"#.utf8), url: url)
        #expect(try parser.parse(login).wall?.kind == .loginRequired)
        let checkpoint = PlatformInput(
            body: Data(#"{"message":"checkpoint_required","checkpoint_url":"/challenge/1/","status":"fail"}"#.utf8), url: url)
        #expect(try parser.parse(checkpoint).wall?.kind == .challenge)
        let redirected = PlatformInput(
            body: Data("<html><body>Masuk</body></html>".utf8), url: "https://www.instagram.com/accounts/login/?next=/kades.mekarjaya/",
            requestURL: "https://www.instagram.com/kades.mekarjaya/")
        #expect(try parser.parse(redirected).wall?.kind == .loginRequired)
        let privateProfile = PlatformInput(
            body: Data(
                (#"{"data":{"user":{"id":"9","username":"guru.sdn4","full_name":"Sri","biography":"Guru SDN 4","is_private":true,"#
                + #""edge_owner_to_timeline_media":{"count":40,"edges":[]}}},"status":"ok"}"#).utf8), url: url)
        let page = try parser.parse(privateProfile)
        #expect(page.wall?.kind == .privateContent)
        #expect(page.profiles.first?.bio == "Guru SDN 4")
    }
}
