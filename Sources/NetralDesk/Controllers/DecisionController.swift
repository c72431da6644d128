import Hummingbird
import NetralEvidence
import NetralStore

/// Decisions (`POST /kasus/:id/keputusan`): confirm, dismiss or reopen with a note, written to
/// the review log as `netral review` writes it; then on to the next case file of the same queue.
struct DecisionController {
    let desk: Desk

    func addRoutes(to router: Router<DeskContext>) {
        router.postForm("/kasus/:id/keputusan", DecisionForm.self, pages: desk.pages) { form, _, context in try decide(form, context) }
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
        do {
            try desk.store.recordReview(caseID: caseFile.id, decision: decision, note: note,
                                        reviewer: context.session?.reviewer ?? desk.settings.reviewer)
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
}
