import Foundation
import NetralModel
import Testing
@testable import NetralPlatforms

@Suite struct TelegramTests {
    let parser = TelegramParser()

    @Test func aVillageChannelsPreviewWithACampaignPostAForwardAndPaging() throws {
        let page = try parser.parse(answer("telegram/s_infodesamekarjaya.html", url: "https://t.me/s/infodesamekarjaya"))
        #expect(page.posts.map(\.postID) == ["infodesamekarjaya/418", "infodesamekarjaya/419", "infodesamekarjaya/420"])
        let campaign = page.posts[1]
        #expect(campaign.item.sourceURL == "https://t.me/infodesamekarjaya/419")
        #expect(campaign.item.author?.accountID == "-1987654321")
        #expect(campaign.item.author?.handle == "@infodesamekarjaya")
        #expect(campaign.item.author?.name == "Info Desa Mekarjaya")
        #expect(
            campaign.item.body
                == "Pesan Pak Kades: warga Mekarjaya wajib kompak, coblos nomor 1 tanggal 14 ya! #AMIN2024\n\nMateri: unduh di sini")
        #expect(campaign.item.publishedAt == utc("2024-01-24T03:30:00Z"))
        #expect(campaign.item.hashtags == ["#AMIN2024"])
        #expect(campaign.item.links == [Link(url: "https://drive.example/materi-amin", text: "unduh di sini")])
        #expect(campaign.media == [MediaRef(url: "https://cdn4.telegram-cdn.example/file/poster-amin-mekarjaya.jpg", kind: .image)])
        #expect(campaign.counts?.views == 3400)
        // A forward: the original channel wrote it, the village channel shared it.
        let forward = page.posts[2]
        #expect(forward.item.author?.handle == "@relawanaminskm")
        #expect(forward.sharedBy?.handle == "@infodesamekarjaya")
        #expect(forward.item.description == "Materi Relawan AMIN\nKumpulan materi sosialisasi untuk relawan.")
        #expect(page.next == PageCursor(url: "https://t.me/s/infodesamekarjaya?before=418"))
        let channel = try #require(page.profiles.first)
        #expect(channel.key == "telegram:-1987654321")
        #expect(channel.displayName == "Info Desa Mekarjaya")
        #expect(channel.bio == "Kanal resmi Pemerintah Desa Mekarjaya, Kec. Sukamaju.\nAdmin: @sekdes_mkj")
    }

    @Test func theChannelCardAndWalls() throws {
        let card = try parser.parse(answer("telegram/card_grupwargamkj.html", url: "https://t.me/grupwargamkj"))
        #expect(card.wall == nil)
        #expect(card.profiles.first?.displayName == "Grup Warga Mekarjaya")
        #expect(card.profiles.first?.bio == "Grup diskusi warga. Dilarang SARA.")
        // t.me/s/ that lands on the card: there is no public preview.
        let redirected = try parser.parse(
            answer(
                "telegram/card_grupwargamkj.html", url: "https://t.me/grupwargamkj",
                requestURL: "https://t.me/s/grupwargamkj"))
        #expect(redirected.wall?.kind == .privateContent)
        #expect(redirected.profiles.count == 1)
        #expect(try parser.parse(answer("telegram/nobody.html", url: "https://t.me/tidakada")).wall?.kind == .notFound)
        #expect(try parser.parse(answer("telegram/nobody.html", url: "https://t.me/s/x", status: 429)).wall?.kind == .rateLimited)
    }
}

@Suite struct WhatsAppTests {
    let chat = WhatsAppChat()

    @Test func anAndroidIndonesianExport() throws {
        let page = try chat.parse(answer("whatsapp/chat_android_id.txt", url: "file:///tips/chat_android_id.txt"))
        // The encryption notice, the group creation and the "added" line are no messages.
        #expect(page.posts.map { $0.item.author?.name } == ["Pak RT 05", "Bu Lurah Mekarjaya", "+62 812-3456-7890", "Pak RT 05"])
        let lurah = page.posts[1]
        #expect(
            lurah.item.body
                == "Bapak ibu, dari kelurahan kami minta dukungannya untuk paslon 02 ya.\n"
                    + "Nanti ada pembagian sembako di balai warga.\nJangan lupa coblos 02 tgl 14!"
        )
        // 13/01/24 20.02 on a phone in WIB.
        #expect(lurah.item.publishedAt == utc("2024-01-13T13:02:00Z"))
        #expect(lurah.item.sourceURL == "file:///tips/chat_android_id.txt#line-4")
        // A picture the export left out is named, not fetched.
        #expect(page.notes == ["file:///tips/chat_android_id.txt: line 7: Bu Lurah Mekarjaya sent a picture or video the export left out"])
        #expect(page.posts[3].media == [MediaRef(url: "IMG-20240113-WA0004.jpg", kind: .image)])
        #expect(page.posts[3].item.body == "Foto spanduk di pos ronda")
    }

    @Test func anIOSEnglishExportWithMarksAndAttachments() throws {
        let page = try chat.parse(answer("whatsapp/chat_ios_en.txt", url: "file:///tips/chat_ios_en.txt"))
        #expect(page.posts.map { $0.item.author?.name } == ["Joko (Guru SDN 4)", "Joko (Guru SDN 4)", "Joko (Guru SDN 4)", "Rina"])
        // 1/13/24 8:02:40 AM, month first (13 cannot be a month), in WIB.
        #expect(page.posts[1].item.publishedAt == utc("2024-01-13T01:02:40Z"))
        #expect(page.posts[2].media == [MediaRef(url: "00000004-PHOTO-2024-01-13-08-02-41.jpg", kind: .image)])
        #expect(page.posts[3].item.body == "Teachers should stay neutral.\nPlease read the SKB.")
        #expect(page.posts[3].item.publishedAt == utc("2024-01-13T14:15:00Z"))
    }

    @Test func theDayMonthOrderIsDecidedPerFileNotPerLine() throws {
        // Every date here could be either order on its own; one line settles it for all.
        let dayFirst = "03/04/24 10.00 - Ani: satu\n13/04/24 10.00 - Ani: dua\n"
        let monthFirst = "03/04/24, 10:00 AM - Ani: one\n04/13/24, 10:00 AM - Ani: two\n"
        let first = try chat.parse(PlatformInput(body: Data(dayFirst.utf8), url: "file:///a.txt"))
        #expect(first.posts[0].item.publishedAt == utc("2024-04-03T03:00:00Z"))
        let second = try chat.parse(PlatformInput(body: Data(monthFirst.utf8), url: "file:///b.txt"))
        #expect(second.posts[0].item.publishedAt == utc("2024-03-04T03:00:00Z"))
        // Another time zone when the tip says the phone was in WITA.
        let wita = WhatsAppChat(timeZone: TimeZone(identifier: "Asia/Makassar")!)
        #expect(
            try wita.parse(PlatformInput(body: Data(dayFirst.utf8), url: "file:///a.txt")).posts[0].item.publishedAt
                == utc("2024-04-03T02:00:00Z"))
    }

    @Test func theZipExportReadsTheChatAndFindsItsMedia() throws {
        let page = try chat.parse(answer("whatsapp/WhatsApp Chat - Grup Perangkat Desa.zip", url: "file:///tips/grup.zip"))
        #expect(page.posts.map { $0.item.author?.name } == ["Budi", "Budi", "Kades Sukamaju"])
        #expect(page.posts[1].media == [MediaRef(url: "file:///tips/grup.zip#00000002-PHOTO-2024-01-12-19-31-00.jpg", kind: .image)])
        #expect(page.posts[2].item.body == "Mohon semua perangkat desa hadir di posko pemenangan nomor 1 jam 9.")
        #expect(page.posts[2].item.publishedAt == utc("2024-01-13T00:05:10Z"))
        #expect(page.notes.isEmpty)
    }

    @Test func notAChat() {
        #expect(throws: PlatformParseError.self) {
            try chat.parse(PlatformInput(body: Data("halo apa kabar\nini bukan ekspor".utf8), url: "file:///x.txt"))
        }
        #expect(throws: PlatformParseError.self) {
            try chat.parse(PlatformInput(body: Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x01]), url: "file:///rusak.zip"))
        }
    }
}
