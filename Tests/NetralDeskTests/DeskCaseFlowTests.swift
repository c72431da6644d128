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

/// The case page puts the post first and names the terlapor; the queue sorts by deadline, takes
/// claims and dismisses many with one note; the report form and the case ZIP download.
@Suite struct DeskCaseFlowTests {
    static func signIn(_ client: DeskClient, _ desk: Desk, as reviewer: String? = nil) async throws {
        let answer = try await client.send("/masuk?token=\(desk.newLoginToken(reviewer: reviewer))")
        client.cookie = answer.header("Set-Cookie").map { String($0.split(separator: ";")[0]) }
    }

    @Test func theCasePageShowsThePostWithItsHitsFirstThenWhoAndTheDeadlineThenTheDecision() async throws {
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1)])
        let id = fixture.ids[0]
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            try await Self.signIn(client, fixture.desk)
            let page = try await client.send("/kasus/\(id)").body
            let order = ["id=\"unggahan\"", "id=\"fakta\"", "id=\"sinyal\"", "id=\"form-keputusan\"", "id=\"salinan\""]
            let positions = try order.map { try #require(page.range(of: $0)?.lowerBound, "\($0) missing") }
            #expect(positions == positions.sorted(), "post, facts, signals, decision, archived copy")
            // The post's words with the hit marked by kind, and its link.
            #expect(page.contains("Camat ajak <mark class=\"k-support\" title=\"Ajakan memilih\">coblos</mark> Prabowo 1")
                || page.contains("Camat ajak <mark class=\"k-support\" title=\"ajakan-memilih\">coblos</mark> Prabowo 1"))
            #expect(page.contains("id=\"tautan-sumber\">https://contoh.test/pos/1</a>"))
            // Who, with where it came from; times in Indonesian; the deadline seven days on.
            #expect(page.contains("<dt>Terlapor</dt><dd>Budi <span class=\"sumber\">(data analis (target di netral.yaml))</span>"))
            #expect(page.contains("<dt>Jabatan</dt><dd>Camat"))
            #expect(page.contains("<dt>Instansi</dt><dd>Kecamatan Sungai Jernih"))
            #expect(page.contains("<dt>Direkam</dt><dd>20 Jan 2024 18.26 WIB"))
            #expect(page.contains("<dt>Batas lapor</dt><dd>28 Jan 2024 08.20 WIB (lewat)"))
            // One row per signal, not one per hit and act.
            #expect(page.components(separatedBy: "<td data-label=\"Sinyal\">").count == 2)
            #expect(page.contains("href=\"/kasus/\(id)/formulir.docx\""))
        }
    }

    @Test func theQueueSortsByDeadlineAndShowsWhereAndWhen() async throws {
        let fixture = try DeskFixture(caseFiles: (1...3).map { DeskSample.caseFile(number: $0) })
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            try await Self.signIn(client, fixture.desk)
            func order(_ page: String) -> [String] {
                fixture.ids.sorted { page.range(of: "/kasus/\($0)?")!.lowerBound < page.range(of: "/kasus/\($1)?")!.lowerBound }
            }
            let newest = try await client.send("/").body
            #expect(order(newest) == fixture.ids.reversed())
            let byDeadline = try await client.send("/?urut=tenggat").body
            #expect(order(byDeadline) == fixture.ids, "the oldest find has the nearest deadline")
            #expect(byDeadline.contains("<option value=\"tenggat\" selected>"))
            // The order travels with the case links, so next/previous follow it.
            #expect(byDeadline.contains("/kasus/\(fixture.ids[0])?status=new&amp;urut=tenggat&amp;posisi=0"))
            #expect(byDeadline.contains("class=\"tenggat tenggat-lewat\">28 Jan 2024 08.20 WIB (lewat)"))
            #expect(byDeadline.contains("<td data-label=\"Tempat\" class=\"tempat\">contoh.test</td>"))
        }
    }

    @Test func aClaimedCaseIsShownAsTakenAndAnotherReviewerCannotTakeIt() async throws {
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1)])
        let id = fixture.ids[0]
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let rina = DeskClient(base: base), budi = DeskClient(base: base)
            try await Self.signIn(rina, fixture.desk, as: "Rina")
            try await Self.signIn(budi, fixture.desk, as: "Budi Santoso")
            let csrf = try #require(DeskClient.csrf(in: try await rina.send("/kasus/\(id)").body))
            let taken = try await rina.send("/kasus/\(id)/ambil", method: "POST", form: [("csrf", csrf)])
            #expect(taken.status == 303)
            #expect(try await rina.send("/?status=semua").body.contains("diambil Rina"))
            let page = try await budi.send("/kasus/\(id)").body
            #expect(page.contains("sedang ditinjau oleh Rina"))
            let budiCSRF = try #require(DeskClient.csrf(in: page))
            let refused = try await budi.send("/kasus/\(id)/ambil", method: "POST", form: [("csrf", budiCSRF)])
            #expect(refused.status == 409)
            #expect(refused.body.contains("Rina sudah mengambil kasus ini"))
            // Released, the case is free for the other reviewer.
            #expect(try await rina.send("/kasus/\(id)/lepas", method: "POST", form: [("csrf", csrf)]).status == 303)
            #expect(try await budi.send("/kasus/\(id)/ambil", method: "POST", form: [("csrf", budiCSRF)]).status == 303)
            #expect(try await budi.send("/?status=semua").body.contains("diambil Budi Santoso"))
        }
    }

    @Test func tickedCaseFilesAreDismissedWithOneNoteAndNothingWithoutANote() async throws {
        let fixture = try DeskFixture(caseFiles: (1...3).map { DeskSample.caseFile(number: $0) })
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            try await Self.signIn(client, fixture.desk)
            let queue = try await client.send("/").body
            #expect(queue.contains("id=\"tombol-tolak-massal\""))
            let csrf = try #require(DeskClient.csrf(in: queue))
            let ticked = [("pilih[]", fixture.ids[0]), ("pilih[]", fixture.ids[2])]
            let noNote = try await client.send("/tolak-massal", method: "POST", form: [("csrf", csrf), ("status", "new"), ("catatan", " ")] + ticked)
            #expect(noNote.header("Location")?.contains("pesan=catatan-kosong") == true)
            #expect(try fixture.store.reviews(caseID: fixture.ids[0]).isEmpty)
            let done = try await client.send("/tolak-massal", method: "POST",
                                             form: [("csrf", csrf), ("status", "new"), ("catatan", "berita portal, bukan unggahan ASN")] + ticked)
            #expect(done.status == 303)
            #expect(done.header("Location")?.contains("jumlah=2") == true)
            #expect(try fixture.store.caseFile(id: fixture.ids[0])?.reviewStatus == .dismissed)
            #expect(try fixture.store.caseFile(id: fixture.ids[1])?.reviewStatus == .new)
            #expect(try fixture.store.caseFile(id: fixture.ids[2])?.reviewStatus == .dismissed)
            #expect(try fixture.store.reviews(caseID: fixture.ids[2]).map(\.note) == ["berita portal, bukan unggahan ASN"])
            #expect(try await client.send(done.header("Location")!).body.contains("2 berkas ditolak dengan satu catatan"))
            let forged = try await client.send("/tolak-massal", method: "POST", form: [("catatan", "x"), ("pilih[]", fixture.ids[1])])
            #expect(forged.status == 403)
            #expect(try fixture.store.caseFile(id: fixture.ids[1])?.reviewStatus == .new)
        }
    }

    @Test func theFilledFormAndTheCaseZipDownload() async throws {
        let fixture = try DeskFixture(caseFiles: [DeskSample.caseFile(number: 1)])
        let id = fixture.ids[0]
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let client = DeskClient(base: base)
            try await Self.signIn(client, fixture.desk)
            let form = try await client.send("/kasus/\(id)/formulir")
            #expect(form.status == 200)
            #expect(form.header("Content-Security-Policy")?.hasPrefix("sandbox;") == true)
            #expect(form.body.contains("FORMULIR LAPORAN"))
            #expect(form.body.contains("Budi (sumber: data analis (target di netral.yaml))"))
            #expect(form.body.contains("«coblos»"), "the chronology quotes the post's words")
            let docx = try await client.send("/kasus/\(id)/formulir.docx")
            #expect(docx.status == 200)
            #expect(docx.header("Content-Disposition") == "attachment; filename=\"formulir-kasus-\(id.prefix(12)).docx\"")
            let zip = try await client.send("/kasus/\(id)/berkas.zip")
            #expect(zip.header("Content-Type") == "application/zip")
            #expect(zip.body.hasPrefix("PK"))
        }
    }
}
