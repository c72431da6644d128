import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

/// Real pages of the kinds ASN publish on (a WordPress blog, a Blogspot blog, a government
/// agency, a city, a small association, a university), captured by others
/// (Fixtures/extract/real/SOURCES.md): the main text keeps the page's own sentences and leaves
/// out its menus, sidebars, share bars and comments, as `expected.json` lists them.
@Suite struct RealPageTests {
    struct Expected: Decodable {
        struct Page: Decodable, CustomTestStringConvertible {
            var file: String
            var kind: String
            var url: String
            var title: String?
            var author: String?
            var keep: [String]
            var leave: [String]

            var testDescription: String { "\(kind) (\(file))" }
        }

        var pages: [Page]
    }

    static let folder = (repositoryRoot as NSString).appendingPathComponent("Fixtures/extract/real")

    static let pages: [Expected.Page] = {
        let path = (folder as NSString).appendingPathComponent("expected.json")
        guard let data = FileManager.default.contents(atPath: path),
              let expected = try? JSONDecoder().decode(Expected.self, from: data) else { return [] }
        return expected.pages
    }()

    @Test func theExpectationsAreThere() {
        #expect(RealPageTests.pages.count == 6, "Fixtures/extract/real/expected.json lists the six pages")
    }

    @Test(arguments: RealPageTests.pages)
    func mainTextKeepsThePageAndLeavesTheChrome(_ page: Expected.Page) throws {
        let path = (RealPageTests.folder as NSString).appendingPathComponent(page.file)
        let body = try #require(FileManager.default.contents(atPath: path), "\(page.file) is missing")
        let capture = Capture(
            requestURL: page.url, finalURL: page.url, status: 200, headers: [], body: body,
            fetchedAt: ISO8601DateFormatter().date(from: "2024-10-01T00:00:00Z")!
        )
        let item = try HTMLExtractor().extract(capture)
        for sentence in page.keep {
            #expect(item.body.contains(sentence), "kept: \(sentence)")
        }
        for boilerplate in page.leave {
            #expect(!item.body.contains(boilerplate), "left out: \(boilerplate)")
        }
        if let title = page.title { #expect(item.title == title) }
        if let author = page.author { #expect(item.author?.name == author) }
    }
}
