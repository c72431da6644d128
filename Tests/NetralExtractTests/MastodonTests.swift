import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

@Suite struct MastodonAPITests {
    @Test func buildsLookupAndStatusesURLs() throws {
        let api = try MastodonAPI(instance: "sosial.example")
        #expect(api.baseURL == "https://sosial.example")
        #expect(api.accountLookupURL(acct: "@camat.sungaijernih") == "https://sosial.example/api/v1/accounts/lookup?acct=camat.sungaijernih")
        #expect(api.accountLookupURL(acct: "lurah@mastodon.loapermai.example") == "https://sosial.example/api/v1/accounts/lookup?acct=lurah%40mastodon.loapermai.example")
        #expect(api.accountStatusesURL(accountID: "109876543210") == "https://sosial.example/api/v1/accounts/109876543210/statuses?limit=40&exclude_replies=false")
        #expect(api.accountStatusesURL(accountID: "1", limit: 500, excludeReplies: true, maxID: "77") == "https://sosial.example/api/v1/accounts/1/statuses?limit=40&exclude_replies=true&max_id=77")
        #expect(api.statusURL(id: "111800000000000001") == "https://sosial.example/api/v1/statuses/111800000000000001")
        // An id can never break out of its path segment or add query parameters.
        #expect(api.accountStatusesURL(accountID: "../admin?x=1") == "https://sosial.example/api/v1/accounts/..%2Fadmin%3Fx%3D1/statuses?limit=40&exclude_replies=false")
        #expect(try MastodonAPI(instance: "http://127.0.0.1:3000/").baseURL == "http://127.0.0.1:3000")
    }

    @Test(arguments: ["", "ftp://sosial.example", "javascript:alert(1)", "https://"])
    func refusesBadInstances(instance: String) {
        #expect(throws: SourceError.invalidBaseURL(instance)) { try MastodonAPI(instance: instance) }
    }

    @Test func findsTheInstanceOfAHandleOrProfileURL() throws {
        let fromHandle = try MastodonAPI.forAccount("@camat.sungaijernih@sosial.example")
        #expect(fromHandle.api.baseURL == "https://sosial.example")
        #expect(fromHandle.acct == "camat.sungaijernih@sosial.example")
        let fromURL = try MastodonAPI.forAccount("https://sosial.example/@budi.santoso")
        #expect(fromURL.api.baseURL == "https://sosial.example")
        #expect(fromURL.acct == "budi.santoso")
        #expect(throws: SourceError.self) { try MastodonAPI.forAccount("budi") }
    }

    @Test func readsTheNextPageFromTheLinkHeader() {
        let header = #"<https://sosial.example/api/v1/accounts/1/statuses?limit=40&max_id=111800000000000001>; rel="next", <https://sosial.example/api/v1/accounts/1/statuses?limit=40&min_id=111900000000000009>; rel="prev""#
        #expect(MastodonAPI.nextPageURL(linkHeader: header) == "https://sosial.example/api/v1/accounts/1/statuses?limit=40&max_id=111800000000000001")
        #expect(MastodonAPI.links(in: header)["prev"] == "https://sosial.example/api/v1/accounts/1/statuses?limit=40&min_id=111900000000000009")
        // The last page has only `prev`; no header means no more pages.
        #expect(MastodonAPI.nextPageURL(linkHeader: #"<https://sosial.example/x?min_id=2>; rel="prev""#) == nil)
        #expect(MastodonAPI.nextPageURL(linkHeader: nil) == nil)
        #expect(MastodonAPI.nextPageURL(linkHeader: "sampah tanpa bentuk") == nil)
        // Unquoted and multi-valued relations are read too.
        #expect(MastodonAPI.nextPageURL(linkHeader: "<https://sosial.example/p2>; rel=next") == "https://sosial.example/p2")
        #expect(MastodonAPI.nextPageURL(linkHeader: #"<https://sosial.example/p3>; title="a, b"; rel="last next""#) == "https://sosial.example/p3")
    }

    @Test func nextPageMustStayOnTheSameServer() {
        let request = "https://sosial.example/api/v1/accounts/1/statuses?limit=40"
        #expect(MastodonAPI.nextPageURL(linkHeader: #"<https://sosial.example/api/v1/accounts/1/statuses?max_id=5>; rel="next""#, requestURL: request)
            == "https://sosial.example/api/v1/accounts/1/statuses?max_id=5")
        #expect(MastodonAPI.nextPageURL(linkHeader: #"</api/v1/accounts/1/statuses?max_id=5>; rel="next""#, requestURL: request)
            == "https://sosial.example/api/v1/accounts/1/statuses?max_id=5")
        #expect(MastodonAPI.nextPageURL(linkHeader: #"<http://169.254.169.254/latest>; rel="next""#, requestURL: request) == nil)
        #expect(MastodonAPI.nextPageURL(linkHeader: #"<file:///etc/passwd>; rel="next""#) == nil)
    }
}

@Suite struct MastodonExtractorTests {
    let apiURL = "https://sosial.example/api/v1/accounts/109876543210/statuses?limit=40&exclude_replies=false"

    func capture(_ body: Data, url: String? = nil, link: String? = nil) -> Capture {
        var headers = [HTTPHeader(name: "Content-Type", value: "application/json; charset=utf-8")]
        if let link { headers.append(HTTPHeader(name: "Link", value: link)) }
        let url = url ?? apiURL
        return Capture(requestURL: url, finalURL: url, status: 200, headers: headers, body: body, fetchedAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    func capture(_ json: String) -> Capture { capture(Data(json.utf8)) }

    @Test func readsAnAccountWithBioAndProfileFields() throws {
        let account = try MastodonExtractor().account(from: sourceFixture("mastodon/account-lookup.json"), sourceURL: "https://sosial.example/api/v1/accounts/lookup?acct=camat.sungaijernih")
        #expect(account.id == "109876543210")
        #expect(account.acct == "camat.sungaijernih")
        #expect(account.displayName == "Bambang Sutejo")
        #expect(account.url == "https://sosial.example/@camat.sungaijernih")
        #expect(account.bio == "Camat Sungai Jernih. Melayani warga sepenuh hati.\nAkun pribadi.\nJabatan: Camat Sungai Jernih (PNS)\nWeb: https://kecamatan.sungaijernih.example/")
        #expect(account.author == Author(
            name: "Bambang Sutejo", handle: "@camat.sungaijernih@sosial.example",
            profileURL: "https://sosial.example/@camat.sungaijernih", bio: account.bio
        ))
    }

    @Test func readsAStatusesPageWithBoostsAndTheNextLink() throws {
        let next = "https://sosial.example/api/v1/accounts/109876543210/statuses?limit=40&max_id=111820000000000003"
        let page = try MastodonExtractor().page(from: capture(sourceFixture("mastodon/statuses.json"), link: "<\(next)>; rel=\"next\""))
        #expect(page.warnings.isEmpty)
        #expect(page.nextURL == next)
        #expect(page.items.count == 3)

        let first = page.items[0]
        #expect(first.platform == "mastodon")
        #expect(first.sourceURL == "https://sosial.example/@camat.sungaijernih/111800000000000001")
        #expect(first.canonicalURL == first.sourceURL)
        #expect(first.author?.handle == "@camat.sungaijernih@sosial.example")
        #expect(first.author?.bio?.contains("Jabatan: Camat Sungai Jernih (PNS)") == true)
        #expect(first.publishedAt == utc("2024-01-20T12:30:00Z"))
        #expect(first.language == "id")
        #expect(first.body == "Ngopi sore bersama para ketua RT @budi.santoso 😊\nAyo coblos nomor 2 tanggal 14 Februari! #PrabowoGibran2024\nInfo: https://kecamatan.sungaijernih.example/2024/01/ngopi-sore/")
        #expect(first.hashtags == ["#PrabowoGibran2024"])
        #expect(first.imageAlts == ["Camat berpose salam dua jari bersama warga"])
        // Mentions and hashtag links are not links to other content; the card is.
        #expect(first.links.map(\.url) == ["https://kecamatan.sungaijernih.example/2024/01/ngopi-sore/"])
        #expect(first.description == "Catatan kegiatan kecamatan")
        #expect(first.metadata["mentions"] == "@budi.santoso")
        #expect(first.metadata["id"] == "111800000000000001")
        #expect(first.metadata["read_from"] == apiURL)
        #expect(first.metadata["boosted_by"] == nil)

        // A boost is the original post by its original author; the booster is recorded.
        let boost = page.items[1]
        #expect(boost.sourceURL == "https://mastodon.loapermai.example/@lurah.loapermai/111810000000000007")
        #expect(boost.author?.name == "Syamsul Bahri")
        #expect(boost.author?.handle == "@lurah.loapermai@mastodon.loapermai.example")
        #expect(boost.body == "Mari dukung Rudy–Seno di Pilgub Kaltim! #rudyseno")
        #expect(boost.publishedAt == utc("2024-10-12T08:45:00Z"))
        #expect(boost.metadata["boosted_by"] == "@budi.santoso@sosial.example")
        #expect(boost.metadata["boosted_by_url"] == "https://sosial.example/@budi.santoso")
        #expect(boost.metadata["boosted_at"] == "2024-10-12T10:00:00Z")

        // A content warning is the title; poll options are text.
        let poll = page.items[2]
        #expect(poll.title == "Politik")
        #expect(poll.body == "Menurut Bapak/Ibu, program mana yang paling penting?\nMakan siang gratis\nJalan desa")
    }

    @Test func readsOneStatusOrAnAccountFromASavedAnswer() throws {
        let status = try MastodonExtractor().items(from: capture(sourceFixture("mastodon/status.json"), url: "https://sosial.example/api/v1/statuses/111800000000000001")).items
        #expect(status.count == 1)
        #expect(status[0].sourceURL == "https://sosial.example/@camat.sungaijernih/111800000000000001")

        let profile = try MastodonExtractor().items(from: capture(sourceFixture("mastodon/account-lookup.json"))).items
        #expect(profile.count == 1)
        #expect(profile[0].body.isEmpty)
        #expect(profile[0].author?.bio?.contains("PNS") == true)
        #expect(profile[0].metadata["kind"] == "profile")
        #expect(profile[0].sourceURL == "https://sosial.example/@camat.sungaijernih")
    }

    @Test func anObjectWhereAnArrayIsExpectedIsAClearError() {
        #expect(throws: SourceError.unexpectedJSON(source: apiURL, path: "$", reason: "expected a status or an array of statuses, found an object with keys halaman, isi")) {
            try MastodonExtractor().page(from: capture(#"{"halaman": 1, "isi": []}"#))
        }
    }

    @Test func anErrorAnswerSaysWhatTheServerSaid() {
        #expect(throws: SourceError.apiError(source: apiURL, message: "Record not found")) {
            try MastodonExtractor().page(from: capture(#"{"error": "Record not found"}"#))
        }
    }

    @Test func numbersWhereStringsAreStillRead() throws {
        let json = #"[{"id": 123, "content": "<p>Dukung 02</p>", "url": "https://sosial.example/@a/123", "created_at": "2024-01-20T12:30:00Z", "account": {"id": 9, "username": "a", "acct": "a", "url": "https://sosial.example/@a"}}]"#
        let page = try MastodonExtractor().page(from: capture(json))
        #expect(page.items.count == 1)
        #expect(page.items[0].metadata["id"] == "123")
        #expect(page.items[0].body == "Dukung 02")
    }

    @Test func oneMalformedStatusIsSkippedWithItsPath() throws {
        let json = #"[{"id": "1", "content": "<p>rusak</p>", "url": "https://sosial.example/@a/1", "account": "bukan objek"}, {"id": "2", "content": "<p>baik</p>", "url": "https://sosial.example/@a/2"}]"#
        let page = try MastodonExtractor().page(from: capture(json))
        #expect(page.items.map(\.body) == ["baik"])
        #expect(page.warnings.count == 1)
        #expect(page.warnings[0].contains("$[0].account"))
    }

    @Test func onlyMalformedStatusesIsAnErrorNamingThePath() throws {
        let json = #"[{"id": "1", "content": "<p>rusak</p>", "url": "https://sosial.example/@a/1", "tags": "bukan daftar"}]"#
        let error = try #require(throws: SourceError.self) { try MastodonExtractor().page(from: capture(json)) }
        guard case let .unexpectedJSON(_, path, _) = error else {
            Issue.record("expected unexpectedJSON, got \(error)")
            return
        }
        #expect(path == "$[0].tags")
    }

    @Test func emptyPageIsNoItemsAndNoNextPage() throws {
        let page = try MastodonExtractor().page(from: capture("[]"))
        #expect(page.items.isEmpty)
        #expect(page.nextURL == nil)
    }

    @Test func invalidUTF8IsReplacedWithAWarning() throws {
        var bytes = Data(#"[{"id": "1", "content": "<p>Camat "#.utf8)
        bytes.append(contentsOf: [0xC3, 0x28])
        bytes.append(contentsOf: Data(#" nomor 2</p>", "url": "https://sosial.example/@a/1"}]"#.utf8))
        let page = try MastodonExtractor().page(from: capture(bytes))
        #expect(page.items.count == 1)
        #expect(page.items[0].body.hasPrefix("Camat "))
        #expect(page.warnings.contains { $0.contains("UTF-8") })
    }

    @Test func truncatedGarbageAndDeeplyNestedJSONAreClearErrors() {
        let truncated = try? sourceFixture("mastodon/statuses.json").prefix(500)
        #expect(throws: SourceError.self) { try MastodonExtractor().page(from: capture(Data(truncated ?? Data()))) }
        var generator = SystemRandomNumberGenerator()
        let garbage = Data((0..<2048).map { _ in UInt8.random(in: 0...255, using: &generator) })
        #expect(throws: SourceError.self) { try MastodonExtractor().page(from: capture(garbage)) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: SourceError.self) { try MastodonExtractor().page(from: capture(deep)) }
        #expect(throws: SourceError.emptySource(source: apiURL)) { try MastodonExtractor().page(from: capture("  \n")) }
    }
}
