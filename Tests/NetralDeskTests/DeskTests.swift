import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NetralEvidence
import NetralModel
import NetralStore
import NetralTestSupport
import Testing
@testable import NetralDesk

/// Case files written by the real writer, with hostile text where a reviewer's browser would
/// be hurt if the desk did not escape it.
enum DeskSample {
    static let hostileAuthor = "Budi <script>document.title='diretas'</script>"
    static let hostileTitle = "Ajak coblos <img src=x onerror=alert(1)> nomor 2"

    static func caseFile(number: Int, text: String = "Camat ajak coblos Prabowo", author: String = "Budi", title: String = "Ajakan",
                         images: [Capture] = []) -> CaseFile {
        let url = "https://contoh.test/pos/\(number)"
        let body = "\(text) \(number)"
        let capture = Capture(
            requestURL: url, finalURL: url, status: 200, headers: [HTTPHeader(name: "Content-Type", value: "text/html")],
            body: Data("<html><body><p id=\"isi\">\(body)</p><script>document.body.setAttribute('data-skrip','berjalan')</script></body></html>".utf8),
            fetchedAt: Date(timeIntervalSince1970: 1_705_750_000), peerIP: "192.0.2.7"
        )
        let item = Item(sourceURL: url, author: Author(name: author, handle: "@budi"), title: title, body: body,
                        subject: Subject(name: author, role: "Camat", agency: "Kecamatan Sungai Jernih"))
        let pack = PackReference(name: "asn", version: "1", sha256: String(repeating: "0", count: 64))
        let start = Array(body.utf8).firstRange(of: Array("coblos".utf8))!.lowerBound
        let finding = Finding(
            id: "f-\(number)", rule: "asn-kampanye-paslon", pack: pack, act: "A2", severity: .high, score: 1,
            description: "ASN mengajak memilih <b>pasangan</b> calon",
            hits: [Hit(signal: "ajakan-memilih", kind: "support", term: "coblos", field: .body, fieldIndex: 0, start: start, end: start + 6, quote: "coblos")],
            fired: ["asn", "ajakan-memilih"], condition: "asn and ajakan-memilih", unless: nil
        )
        var caseFile = CaseFile(capture: capture, item: item, findings: [finding], packs: [pack], contentDigest: "digest-\(number)-\(text.count)",
                                signalLabels: ["ajakan-memilih": "Ajakan memilih"], target: "camat")
        caseFile.images = images
        return caseFile
    }
}

/// A loopback HTTP client that shows redirects instead of following them and keeps no cookies
/// of its own, so each test says exactly what it sends.
final class DeskClient: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    let base: String
    var cookie: String?
    lazy var session = URLSession(configuration: {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return configuration
    }(), delegate: self, delegateQueue: nil)

    init(base: String) {
        self.base = base
    }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func send(_ path: String, method: String = "GET", form: [(String, String)]? = nil, headers: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let form {
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(form.map { "\(QueueQuery.encode($0.0))=\(QueueQuery.encode($0.1))" }.joined(separator: "&").utf8)
        }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields["\(key)"] = "\(value)" }
        return Answer(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
    }

    /// Signs in with the desk's one-time token and keeps the session cookie.
    func signIn(_ desk: Desk) async throws -> Answer {
        let answer = try await send("/masuk?token=\(desk.newLoginToken())")
        if let setCookie = answer.header("Set-Cookie") { cookie = String(setCookie.split(separator: ";")[0]) }
        return answer
    }

    /// The CSRF token of the forms on a page.
    static func csrf(in page: String) -> String? {
        guard let range = page.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression) else { return nil }
        return page[range].split(separator: "\"")[3].description
    }
}

struct DeskFixture {
    let folder: TemporaryFolder
    let store: StateStore
    let desk: Desk
    let ids: [String]

    /// `state`: a `postgres://` URL of an empty database (password in `statePasswordEnvironment`),
    /// else a SQLite file in the fixture's folder.
    init(caseFiles: [CaseFile], pageSize: Int = 50, state: String? = nil, statePasswordEnvironment: String? = nil) throws {
        folder = try TemporaryFolder()
        let statePath = state ?? folder.path + "/state.sqlite"
        store = try StateStore(location: .parse(statePath, passwordEnvironment: statePasswordEnvironment))
        let recorder = CaseFileRecorder(writer: CaseFileWriter(root: folder.path + "/evidence"), store: store)
        var ids: [String] = []
        for (index, caseFile) in caseFiles.enumerated() {
            ids.append(try recorder.file(caseFile, now: Date(timeIntervalSince1970: 1_705_800_000 + Double(index) * 60)).caseID)
        }
        self.ids = ids
        desk = try Desk(settings: DeskSettings(statePath: statePath, evidenceRoot: folder.path + "/evidence", reviewer: "Peninjau Uji", pageSize: pageSize,
                                               statePasswordEnvironment: statePasswordEnvironment))
    }
}

@Suite struct DeskAccessTests {
    @Test func everyPageButTheSignInRefusesARequestWithoutASession() async throws {
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1)])
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            for path in ["/", "/kasus/\(fixture.ids[0])", "/kasus/\(fixture.ids[0])/salinan", "/kasus/\(fixture.ids[0])/laporan"] {
                let answer = try await client.send(path)
                #expect(answer.status == 401, "\(path)")
                #expect(!answer.body.contains("Budi"), "\(path) leaks case data")
            }
            client.cookie = "netral_desk=" + String(repeating: "a", count: 64)
            #expect(try await client.send("/").status == 401)
            let post = try await client.send("/kasus/\(fixture.ids[0])/keputusan", method: "POST", form: [("keputusan", "confirm"), ("catatan", "ok")])
            #expect(post.status == 401)
        }
        #expect(try fixture.store.reviews(caseID: fixture.ids[0]).isEmpty)
    }

    @Test func theLoginLinkWorksOnceAndGivesAStrictHttpOnlyCookie() async throws {
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1)])
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            #expect(try await client.send("/masuk?token=" + String(repeating: "0", count: 64)).status == 403)
            let token = fixture.desk.newLoginToken()
            let first = try await client.send("/masuk?token=\(token)")
            #expect(first.status == 303)
            #expect(first.header("Location") == "/")
            let cookie = try #require(first.header("Set-Cookie"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            client.cookie = String(cookie.split(separator: ";")[0])
            #expect(try await client.send("/").status == 200)
            let again = DeskClient(base: base)
            #expect(try await again.send("/masuk?token=\(token)").status == 403)
            #expect(try await again.send("/").status == 401)
        }
    }

    @Test func aFormWithoutTheSessionsCSRFTokenIsRefusedAndRecordsNothing() async throws {
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1)])
        let id = fixture.ids[0]
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            _ = try await client.signIn(fixture.desk)
            let page = try await client.send("/kasus/\(id)")
            let csrf = try #require(DeskClient.csrf(in: page.body))
            let missing = try await client.send("/kasus/\(id)/keputusan", method: "POST", form: [("keputusan", "confirm"), ("catatan", "jelas kampanye")])
            #expect(missing.status == 403)
            let wrong = try await client.send("/kasus/\(id)/keputusan", method: "POST",
                                              form: [("csrf", String(repeating: "f", count: 64)), ("keputusan", "confirm"), ("catatan", "jelas kampanye")])
            #expect(wrong.status == 403)
            #expect(try fixture.store.reviews(caseID: id).isEmpty)
            let logout = try await client.send("/keluar", method: "POST", form: [])
            #expect(logout.status == 403)

            let right = try await client.send("/kasus/\(id)/keputusan", method: "POST",
                                              form: [("csrf", csrf), ("keputusan", "confirm"), ("catatan", "jelas kampanye")])
            #expect(right.status == 303)
            let entries = try fixture.store.reviews(caseID: id)
            #expect(entries.map(\.decision) == [.confirm])
            #expect(entries.first?.reviewer == "Peninjau Uji")
            #expect(entries.first?.note == "jelas kampanye")
            #expect(try fixture.store.caseFile(id: id)?.reviewStatus == .confirmed)
        }
    }

    @Test func aRequestForAnotherHostNameIsRefused() async throws {
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1)])
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            _ = try await client.signIn(fixture.desk)
            // A page elsewhere whose name was rebound to 127.0.0.1 sends its own name as Host.
            let answer = try await client.send("/", headers: ["Host": "penyerang.example"])
            #expect(answer.status == 421)
            #expect(!answer.body.contains("Budi"))
        }
    }
}

@Suite struct DeskPageTests {
    @Test func caseTextIsEscapedAndTheCaptureIsServedSandboxed() async throws {
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1, author: DeskSample.hostileAuthor, title: DeskSample.hostileTitle)])
        let id = fixture.ids[0]
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            _ = try await client.signIn(fixture.desk)
            for path in ["/?status=semua", "/kasus/\(id)"] {
                let page = try await client.send(path)
                #expect(page.status == 200)
                #expect(!page.body.contains("<script>document.title"), "\(path)")
                #expect(page.body.contains("&lt;script&gt;document.title="), "\(path)")
                let policy = try #require(page.header("Content-Security-Policy"))
                #expect(policy.contains("default-src 'none'"))
                #expect(!policy.contains("http:") && !policy.contains("https:") && !policy.contains("unsafe-inline"))
            }
            let casePage = try await client.send("/kasus/\(id)")
            #expect(!casePage.body.contains("<img src=x"))
            #expect(casePage.body.contains("&lt;b&gt;pasangan&lt;/b&gt;"))
            #expect(casePage.body.contains("<iframe class=\"salinan\" id=\"salinan\" src=\"/kasus/\(id)/salinan\" sandbox "))

            let capture = try await client.send("/kasus/\(id)/salinan")
            #expect(capture.status == 200)
            #expect(capture.body.contains("<script>"))
            let policy = try #require(capture.header("Content-Security-Policy"))
            #expect(policy.hasPrefix("sandbox;"))
            #expect(!policy.contains("allow-scripts"))
            #expect(policy.contains("default-src 'none'"))
            let report = try await client.send("/kasus/\(id)/laporan")
            #expect(report.status == 200)
            #expect(report.header("Content-Security-Policy")?.hasPrefix("sandbox;") == true)
            #expect(!casePage.body.contains("manifest.json berubah"))

            // A manifest edited after the state recorded it is pointed out on the page.
            let manifestPath = fixture.folder.path + "/evidence/\(id.prefix(2))/\(id)/manifest.json"
            var manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
            manifest = manifest.replacingOccurrences(of: "\"severity\" : \"high\"", with: "\"severity\" : \"low\"")
            try manifest.write(toFile: manifestPath, atomically: false, encoding: .utf8)
            #expect(try await client.send("/kasus/\(id)").body.contains("manifest.json berubah sejak berkas ini dicatat"))
        }
    }

    @Test func photosFromTheCaptureAreShownAndServedAsImagesOnly() async throws {
        func image(_ url: String, _ type: String) -> Capture {
            Capture(requestURL: url, finalURL: url, status: 200, headers: [HTTPHeader(name: "Content-Type", value: type)],
                    body: Data(repeating: 0x89, count: 32), fetchedAt: Date(timeIntervalSince1970: 1_705_750_100))
        }
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1, images: [image("https://contoh.test/foto.png", "image/png")])])
        let id = fixture.ids[0]
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            _ = try await client.signIn(fixture.desk)
            let page = try await client.send("/kasus/\(id)")
            #expect(page.body.contains("<img src=\"/kasus/\(id)/foto/0\""))
            let photo = try await client.send("/kasus/\(id)/foto/0")
            #expect(photo.status == 200)
            #expect(photo.header("Content-Type") == "image/png")
            #expect(try await client.send("/kasus/\(id)/foto/1").status == 404)
        }
    }

    @Test func decisionsNeedANoteAndARepeatedStatusIsRefusedOnThePage() async throws {
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1), DeskSample.caseFile(number: 2)])
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            _ = try await client.signIn(fixture.desk)
            // Newest first: the second case file is at position 0 of the queue of new ones.
            let newest = fixture.ids[1], older = fixture.ids[0]
            let csrf = try #require(DeskClient.csrf(in: try await client.send("/kasus/\(newest)").body))
            let empty = try await client.send("/kasus/\(newest)/keputusan", method: "POST",
                                              form: [("csrf", csrf), ("keputusan", "dismiss"), ("catatan", "  "), ("status", "new"), ("posisi", "0")])
            #expect(empty.status == 409)
            #expect(empty.body.contains("Tulis catatan"))
            #expect(try fixture.store.reviews(caseID: newest).isEmpty)

            // Dismissing from the queue of new ones goes on to the next new case file.
            let dismissed = try await client.send("/kasus/\(newest)/keputusan", method: "POST",
                                                  form: [("csrf", csrf), ("keputusan", "dismiss"), ("catatan", "bukan ASN"), ("status", "new"), ("posisi", "0")])
            #expect(dismissed.status == 303)
            #expect(dismissed.header("Location")?.hasPrefix("/kasus/\(older)?") == true)
            let again = try await client.send("/kasus/\(newest)/keputusan", method: "POST",
                                              form: [("csrf", csrf), ("keputusan", "dismiss"), ("catatan", "dua kali")])
            #expect(again.status == 409)
            #expect(try fixture.store.reviews(caseID: newest).map(\.note) == ["bukan ASN"])

            let history = try await client.send("/kasus/\(newest)")
            #expect(history.body.contains("bukan ASN"))
            #expect(history.body.contains("Peninjau Uji"))
            #expect(history.body.contains("id=\"tombol-buka\""))
        }
    }
}

@Suite struct DeskQueueTests {
    /// Rows straight into the state (no folders): the queue reads only the state.
    static func storeWithCaseFiles(_ count: Int, in folder: TemporaryFolder) throws -> StateStore {
        let store = try StateStore(path: folder.path + "/state.sqlite")
        for index in 0..<count {
            let id = String(format: "%024x", index + 1)
            try store.recordCaseFile(StoredCaseFile(
                id: id, itemID: "https://contoh.test/pos/\(index)", contentDigest: "d\(index)", path: "\(id.prefix(2))/\(id)",
                manifestSHA256: String(repeating: "0", count: 64), supersedes: nil, createdAt: Date(timeIntervalSince1970: 1_705_000_000 + Double(index)),
                acts: index % 2 == 0 ? "A2" : "A6", severity: index % 10 == 0 ? .high : .medium, author: "Penulis \(index)",
                candidates: index % 3 == 0 ? "02 Prabowo Subianto - Gibran Rakabuming Raka" : "01 Anies Baswedan - Muhaimin Iskandar"))
        }
        return store
    }

    @Test func theQueueStaysPagedNewestFirstWithTenThousandCaseFiles() async throws {
        let folder = try TemporaryFolder()
        _ = try Self.storeWithCaseFiles(10_000, in: folder)
        try FileManager.default.createDirectory(atPath: folder.path + "/evidence", withIntermediateDirectories: true)
        let desk = try Desk(settings: DeskSettings(statePath: folder.path + "/state.sqlite", evidenceRoot: folder.path + "/evidence", reviewer: "uji"))
        try await DeskServer.withDesk(desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            _ = try await client.signIn(desk)
            let first = try await client.send("/")
            #expect(first.body.components(separatedBy: "<tr class=\"baris\"").count - 1 == 50)
            #expect(first.body.contains("10000 berkas cocok; halaman 1 dari 200"))
            #expect(first.body.contains("Penulis 9999"))
            #expect(!first.body.contains("Penulis 9949<"))
            #expect(first.body.contains("href=\"/?status=new&amp;halaman=2\" rel=\"next\""))

            let last = try await client.send("/?status=new&halaman=200")
            #expect(last.body.components(separatedBy: "<tr class=\"baris\"").count - 1 == 50)
            #expect(last.body.contains("Penulis 0<"))
            #expect(!last.body.contains("rel=\"next\""))

            let filtered = try await client.send("/?status=semua&tingkat=high&tindakan=A2&calon=Prabowo+Subianto")
            // high: every 10th; A2: even; Prabowo: every 3rd -> index divisible by 30.
            #expect(filtered.body.contains("334 berkas cocok; halaman 1 dari 7"))
            #expect(filtered.body.contains("Penulis 9990<"))
            #expect(!filtered.body.contains("Penulis 9999<"))
            #expect(filtered.body.contains("Semua <b>334</b>"))

            let beyond = try await client.send("/?halaman=999")
            #expect(beyond.body.contains("Tidak ada berkas yang cocok"))
        }
    }

    @Test func queueQueriesRoundTripThroughTheirURL() {
        let query = QueueQuery(query: "status=confirmed&tingkat=high&tindakan=A10&calon=Rudy%20%26%20Seno%2B&target=blog-camat"
                                   + "&sejak=2024-01-31&sampai=2024-02-30&halaman=3")
        #expect(query.status == .confirmed)
        #expect(query.severity == .high)
        #expect(query.candidate == "Rudy & Seno+")
        #expect(query.until == nil)
        #expect(query.page == 3)
        #expect(QueueQuery(query: query.queryString(page: 3)) == query)
        let hostile = QueueQuery(query: "tindakan=A2%27%20OR%201%3D1&tingkat=parah")
        #expect(hostile.act == nil && hostile.severity == nil)
        #expect(QueueQuery(query: "").status == .new)
        #expect(QueueQuery(query: "status=semua").status == nil)
        // A name given twice is not a query the desk can read: the start of the queue.
        #expect(QueueQuery(query: "status=semua&status=confirmed") == QueueQuery.start)
        // Days are WIB: 31 January 2024 starts at 17:00 UTC on the 30th.
        #expect(query.filter.since == Date(timeIntervalSince1970: 1_706_634_000))
    }
}

@Suite struct DeskExportTests {
    @Test func theExportButtonGivesTheFilteredListOnceForEachDestination() async throws {
        let fixture = try DeskFixture(caseFiles: (1...3).map { DeskSample.caseFile(number: $0) })
        try fixture.store.recordReview(caseID: fixture.ids[0], decision: .confirm, note: "jelas kampanye", reviewer: "uji")
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            _ = try await client.signIn(fixture.desk)
            let queue = try await client.send("/?status=confirmed")
            #expect(queue.body.contains("id=\"tombol-ekspor\""))
            let csrf = try #require(DeskClient.csrf(in: queue.body))
            let confirmed = [("status", "confirmed"), ("format", "jsonl")]

            #expect(try await client.send("/ekspor", method: "POST", form: confirmed).status == 403)
            let file = try await client.send("/ekspor", method: "POST", form: [("csrf", csrf)] + confirmed)
            #expect(file.status == 200)
            #expect(file.header("Content-Disposition")?.hasPrefix("attachment; filename=\"netral-meja-peninjau-") == true)
            let lines = file.body.split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.contains(fixture.ids[0]) == true)

            // The destination has had it: a second export gives nothing, unless asked again.
            let again = try await client.send("/ekspor", method: "POST", form: [("csrf", csrf)] + confirmed)
            #expect(again.status == 303)
            #expect(again.header("Location")?.contains("pesan=ekspor-kosong") == true)
            let repeated = try await client.send("/ekspor", method: "POST", form: [("csrf", csrf), ("ulang", "ya")] + confirmed)
            #expect(repeated.status == 200)
            #expect(repeated.body.split(separator: "\n").count == 1)

            // Another destination, every status, as CSV: a header and one row per case file.
            let csv = try await client.send("/ekspor", method: "POST", form: [("csrf", csrf), ("status", "semua"), ("format", "csv"), ("tujuan", "lembar-kerja")])
            #expect(csv.status == 200)
            #expect(csv.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(csv.body.split(separator: "\r\n").count == 4)

            let badName = try await client.send("/ekspor", method: "POST", form: [("csrf", csrf), ("status", "semua"), ("format", "csv"), ("tujuan", "../x")])
            #expect(badName.status == 400)
        }
    }
}

@Suite struct DeskVersionTests {
    @Test func anEditedPostLinksItsEarlierVersionAndTheQueueShowsOnlyTheNewest() async throws {
        // The same post (same URL) read twice with different text: the second case file
        // supersedes the first.
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1),
                                                  DeskSample.caseFile(number: 1, text: "Camat sekali lagi ajak coblos Prabowo")])
        let (earlier, newer) = (fixture.ids[0], fixture.ids[1])
        #expect(earlier != newer)
        #expect(try fixture.store.caseFile(id: newer)?.supersedes == earlier)
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            _ = try await client.signIn(fixture.desk)
            let queue = try await client.send("/")
            #expect(queue.body.contains("/kasus/\(newer)?"))
            #expect(!queue.body.contains("/kasus/\(earlier)?"))
            let newest = try await client.send("/kasus/\(newer)")
            #expect(newest.body.contains("Versi sebelumnya dari unggahan ini"))
            #expect(newest.body.contains("<a href=\"/kasus/\(earlier)\">"))
            let old = try await client.send("/kasus/\(earlier)")
            #expect(old.body.contains("<a href=\"/kasus/\(newer)\">buka versi terbaru</a>"))
            #expect(!old.body.contains("Versi sebelumnya dari unggahan ini"))
        }
    }
}

@Suite struct DeskBadInputTests {
    @Test func unknownIDsAndStatePathsOutsideTheEvidenceFolderAreRefused() async throws {
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1)])
        // A state row whose path climbs out of the evidence folder.
        try fixture.store.recordCaseFile(StoredCaseFile(
            id: "ffff0000ffff0000ffff0000", itemID: "https://contoh.test/lain", contentDigest: "x", path: "../../etc",
            manifestSHA256: String(repeating: "0", count: 64), supersedes: nil, createdAt: Date(), acts: "A2", severity: .high))
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            _ = try await client.signIn(fixture.desk)
            #expect(try await client.send("/kasus/0000000000000000000000ab").status == 404)
            #expect(try await client.send("/kasus/..%2F..%2Fetc").status == 404)
            let outside = try await client.send("/kasus/ffff0000ffff0000ffff0000")
            #expect(outside.status == 500)
            #expect(outside.body.contains("di luar folder bukti"))
            #expect(try await client.send("/kasus/ffff0000ffff0000ffff0000/salinan").status == 500)
            // The queue still lists it (the state is read as it is); only its folder is refused.
            #expect(try await client.send("/?status=semua").body.contains("ffff0000ffff"))
        }
    }
}

@Suite struct DeskReviewerTests {
    @Test func eachLoginLinkSignsInItsOwnReviewerAndDecisionsCarryThatName() async throws {
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1), DeskSample.caseFile(number: 2)])
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            // Two links outstanding at once; each works once.
            let rinaToken = fixture.desk.newLoginToken(reviewer: "Rina")
            let defaultToken = fixture.desk.newLoginToken()
            for (token, id, note) in [(rinaToken, fixture.ids[0], "oleh Rina"), (defaultToken, fixture.ids[1], "oleh operator")] {
                let client = DeskClient(base: base)
                let signIn = try await client.send("/masuk?token=\(token)")
                #expect(signIn.status == 303)
                client.cookie = signIn.header("Set-Cookie").map { String($0.split(separator: ";")[0]) }
                let page = try await client.send("/kasus/\(id)")
                let csrf = try #require(DeskClient.csrf(in: page.body))
                let answer = try await client.send("/kasus/\(id)/keputusan", method: "POST", form: [("csrf", csrf), ("keputusan", "confirm"), ("catatan", note)])
                #expect(answer.status == 303)
                #expect(try await DeskClient(base: base).send("/masuk?token=\(token)").status == 403)
            }
        }
        #expect(try fixture.store.reviews(caseID: fixture.ids[0]).map(\.reviewer) == ["Rina"])
        #expect(try fixture.store.reviews(caseID: fixture.ids[1]).map(\.reviewer) == ["Peninjau Uji"])
    }
}
