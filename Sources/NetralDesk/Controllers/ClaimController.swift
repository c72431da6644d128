import Hummingbird
import NetralEvidence

/// Taking a case (`POST /kasus/:id/ambil`) so two reviewers do not review the same one, and
/// letting it go (`POST /kasus/:id/lepas`). A case another reviewer holds is not taken.
struct ClaimController {
    let desk: Desk

    func addRoutes(to router: Router<DeskContext>) {
        router.postForm("/kasus/:id/ambil", ClaimForm.self, pages: desk.pages) { form, _, context in try claim(form, context, take: true) }
        router.postForm("/kasus/:id/lepas", ClaimForm.self, pages: desk.pages) { form, _, context in try claim(form, context, take: false) }
    }

    func claim(_ posted: DeskFields<ClaimForm>, _ context: DeskContext, take: Bool) throws -> Response {
        guard let caseFile = try desk.storedCaseFile(context) else { return desk.pages.notFound() }
        let reviewer = context.session?.reviewer ?? desk.settings.reviewer
        let query = QueueQuery(fields: posted.queue)
        let position = posted.own.posisi.flatMap(Int.init).map { max(0, $0) }
        if take, case .heldBy(let held) = desk.claims.claim(caseFile.id, reviewer: reviewer) {
            return try CaseController(desk: desk).page(
                context, query: query, position: position,
                problem: "Tidak diambil: \(held.reviewer) sudah mengambil kasus ini sejak \(DeskWords.shortTime(held.since)).",
                status: .conflict)
        }
        if !take { desk.claims.release(caseFile.id, reviewer: reviewer) }
        let href = position.map { Desk.caseHref(caseFile.id, query: query, position: $0) + "&" } ?? "/kasus/\(caseFile.id)?"
        return Response(status: .seeOther, headers: [.location: href + "pesan=" + (take ? "diambil" : "dilepas")])
    }
}
