import Foundation
import Hummingbird
import NetralEvidence
import NetralStore

/// Decisions (`POST /kasus/:id/keputusan`): confirm, dismiss or reopen with a note, written to
/// the review log as `netral review` writes it; then on to the next case file of the same queue.
struct DecisionController {
    let desk: Desk

    func addRoutes(to router: Router<DeskContext>) {
        router.postForm("/kasus/:id/keputusan", DecisionForm.self, pages: desk.pages) { form, _, context in try decide(form, context) }
        router.postForm("/tolak-massal", BulkDismissForm.self, pages: desk.pages) { form, _, context in try dismissAll(form, context) }
    }

    func decide(_ posted: DeskFields<DecisionForm>, _ context: DeskContext) throws -> Response {
        let form = posted.own
        guard let caseFile = try desk.storedCaseFile(context) else { return desk.pages.notFound() }
        guard let decision = form.keputusan.flatMap(ReviewDecision.init(rawValue:)) else {
            return desk.pages.message(status: .badRequest, title: "Keputusan tidak dikenal",
                                      message: "Pilih konfirmasi, tolak, atau buka kembali.")
        }
        let note = form.catatan ?? ""
        let query = QueueQuery(fields: posted.queue)
        let position = form.posisi.flatMap(Int.init).map { max(0, $0) }
        let reviewer = context.session?.reviewer ?? desk.settings.reviewer
        do {
            try desk.store.recordReview(caseID: caseFile.id, decision: decision, note: note, reviewer: reviewer)
            desk.claims.release(caseFile.id, reviewer: reviewer)
        } catch let error as ReviewError {
            let problem = switch error {
            case .emptyNote: "Tulis catatan: mengapa berkas ini dikonfirmasi, ditolak, atau dibuka kembali."
            case .alreadyInStatus(_, let status): "Berkas ini sudah berstatus \(status.label); tidak ada yang dicatat."
            case .emptyReviewer: "Nama peninjau kosong; jalankan netral desk dengan --by NAMA."
            default: error.description
            }
            return try CaseController(desk: desk).page(context, query: query, position: position, problem: problem, note: note,
                                                       status: .conflict)
        }
        // On to the next case of the same queue: the one now at this position if the decided
        // case left the filtered list, else the one after it.
        if let position {
            let ids = try desk.store.caseFiles(matching: query.filter, limit: 2, offset: position).caseFiles.map(\.id)
            let nextPosition = ids.first == caseFile.id ? position + 1 : position
            let nextID = ids.first == caseFile.id ? ids.dropFirst().first : ids.first
            if let nextID {
                let next = Desk.caseHref(nextID, query: query, position: nextPosition) + "&pesan=tersimpan"
                return Response(status: .seeOther, headers: [.location: next])
            }
            return Response(status: .seeOther, headers: [.location: "/?" + query.queryString(extra: [("pesan", "habis")])])
        }
        return Response(status: .seeOther, headers: [.location: "/kasus/\(caseFile.id)?pesan=tersimpan"])
    }

    /// Most case files one bulk dismissal decides (a queue page is 50).
    static let maxBulk = 200

    /// The ticked case files dismissed with one note (all reports from one news site, say):
    /// each decision written to the review log as a single one is; a case file already
    /// dismissed is left as it is, and one another reviewer has taken is not touched.
    func dismissAll(_ posted: DeskFields<BulkDismissForm>, _ context: DeskContext) throws -> Response {
        let query = QueueQuery(fields: posted.queue)
        func back(_ notice: String, count: Int? = nil) -> Response {
            var extra = [("pesan", notice)]
            if let count { extra.append(("jumlah", String(count))) }
            return Response(status: .seeOther, headers: [.location: "/?" + query.queryString(page: query.page, extra: extra)])
        }
        let ids = Array(Set(posted.own.pilih ?? [])).sorted().prefix(Self.maxBulk)
        guard !ids.isEmpty else { return back("pilih-kosong") }
        let note = (posted.own.catatan ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { return back("catatan-kosong") }
        let reviewer = context.session?.reviewer ?? desk.settings.reviewer
        var dismissed = 0
        for id in ids {
            guard id.count <= 128, let caseFile = try desk.store.caseFile(id: id), caseFile.reviewStatus != .dismissed else { continue }
            if let held = desk.claims.holder(of: id), held.reviewer != reviewer { continue }
            do {
                try desk.store.recordReview(caseID: caseFile.id, decision: .dismiss, note: note, reviewer: reviewer)
                desk.claims.release(caseFile.id, reviewer: reviewer)
                dismissed += 1
            } catch is ReviewError {
                continue
            }
        }
        return back("ditolak-massal", count: dismissed)
    }
}
