import Foundation
import Hummingbird
import NetralCases
import NetralEvidence
import NetralModel
import NetralStore

/// The queue (`/`): case files newest first, a page at a time, with counts per status, the
/// filters and the export form.
struct QueueController {
    let desk: Desk

    func addRoutes(to router: Router<DeskContext>) {
        router.get("/") { request, context in try queue(request.deskQuery(DeskFields<PageFields>.self), context) }
    }

    func queue(_ request: DeskFields<PageFields>, _ context: DeskContext) throws -> Response {
        let query = QueueQuery(fields: request.queue)
        let pageSize = max(1, desk.settings.pageSize)
        let result = try desk.store.caseFiles(matching: query.filter, limit: pageSize, offset: (query.page - 1) * pageSize)
        let counts = try desk.store.statusCounts(matching: query.filter)
        let pageCount = max(1, (result.total + pageSize - 1) / pageSize)
        let firstIndex = (query.page - 1) * pageSize

        var all = query
        all.status = nil
        all.page = 1
        var countLinks = [QueueView.Count(status: "semua", label: "Semua", count: counts.values.reduce(0, +),
                                          href: "/?" + all.queryString(), current: query.status == nil)]
        for status in ReviewStatus.allCases {
            var one = all
            one.status = status
            countLinks.append(QueueView.Count(status: status.rawValue, label: status.label, count: counts[status] ?? 0,
                                              href: "/?" + one.queryString(), current: query.status == status))
        }
        let reviewer = context.session?.reviewer ?? desk.settings.reviewer
        let claims = desk.claims.holders(of: result.caseFiles.map(\.id))
        let now = Date()
        let rows = result.caseFiles.enumerated().map { offset, caseFile in
            // What the row says of the post comes from its case file (one manifest and one item
            // per row of this page); a folder that cannot be read leaves those cells empty.
            let folder = try? desk.caseFolder(caseFile).get()
            let item = try? folder?.item()
            let zone = item.map(CaseFileFacts.zone(of:)) ?? .wib
            let (deadline, deadlineClass) = DeskWords.deadline(createdAt: caseFile.createdAt, zone: zone, now: now)
            let host = folder.flatMap { URL(string: $0.manifest.sourceURL)?.host }
            let platform = item?.platform
            let place = [platform == "web" ? nil : platform, host].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
            return QueueView.Row(
                id: caseFile.id, href: Desk.caseHref(caseFile.id, query: query, position: firstIndex + offset),
                created: DeskWords.shortTime(caseFile.createdAt), who: DeskWords.who(caseFile),
                shortID: String(caseFile.id.prefix(12)),
                acts: DeskWords.acts(caseFile.acts), severity: LabelledValue(caseFile.severity), candidates: caseFile.candidates,
                status: LabelledValue(caseFile.reviewStatus),
                posted: item?.publishedAt.map { CaseFileFacts.shortLocalTime($0, zone: zone) }, place: place.isEmpty ? nil : place,
                region: folder?.manifest.region, deadline: caseFile.reviewStatus == .new ? deadline : "—",
                deadlineClass: caseFile.reviewStatus == .new ? deadlineClass : "selesai",
                claimedBy: claims[caseFile.id]?.reviewer, claimedByMe: claims[caseFile.id]?.reviewer == reviewer,
                canDismiss: caseFile.reviewStatus != .dismissed)
        }
        func options(_ values: [(String, String)], selected: String?) -> [OptionView] {
            values.map { OptionView(value: $0.0, label: $0.1, selected: $0.0 == (selected ?? "")) }
        }
        let actCodes = ProhibitedAct.titles.keys.sorted { Int($0.dropFirst()) ?? 0 < Int($1.dropFirst()) ?? 0 }
        let content = QueueView(
            counts: countLinks,
            statusOptions: options([("semua", "Semua")] + ReviewStatus.allCases.map { ($0.rawValue, $0.label) },
                                   selected: query.status?.rawValue ?? "semua"),
            severityOptions: options([("", "Semua")] + Severity.allCases.reversed().map { ($0.rawValue, $0.label) },
                                     selected: query.severity?.rawValue),
            actOptions: options([("", "Semua")] + actCodes.map { ($0, "\($0) · \(ProhibitedAct.title(of: $0))") }, selected: query.act),
            hasTargets: !desk.settings.targets.isEmpty,
            targetOptions: options([("", "Semua")] + desk.settings.targets.map { ($0, $0) }, selected: query.target),
            total: result.total, page: query.page, pageCount: pageCount, hasPages: pageCount > 1,
            rows: rows, hasRows: !rows.isEmpty,
            csrf: context.session?.csrfToken ?? "",
            filterFields: query.filterFields.map { FieldView(name: $0.0, value: $0.1) },
            exportFormats: ExportFormat.allCases.map { OptionView(value: $0.rawValue, label: DeskWords.exportFormat($0)) },
            exportDestination: ExportController.defaultDestination,
            filter: query.fields,
            previousHref: query.page > 1 ? "/?" + query.queryString(page: query.page - 1) : nil,
            nextHref: query.page < pageCount ? "/?" + query.queryString(page: query.page + 1) : nil,
            orderOptions: options([("", "Terbaru di atas"), (QueueQuery.deadlineOrder, "Batas lapor terdekat di atas")],
                                  selected: query.order == .deadlineFirst ? QueueQuery.deadlineOrder : ""),
            bulkFields: (query.filterFields + (query.page > 1 ? [("halaman", String(query.page))] : [])).map { FieldView(name: $0.0, value: $0.1) })
        var notice = request.own.pesan.flatMap { DeskWords.notices[$0] }
        if request.own.pesan == "ditolak-massal", let count = request.own.jumlah.flatMap(Int.init) {
            notice = "\(count) berkas ditolak dengan satu catatan (tercatat di log peninjauan)."
        }
        return desk.pages.page("queue", title: "Antrean", kind: "antrean", content: content, context: context, notice: notice)
    }
}
