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
        let rows = result.caseFiles.enumerated().map { offset, caseFile in
            QueueView.Row(href: Desk.caseHref(caseFile.id, query: query, position: firstIndex + offset),
                          created: DeskWords.localTime(caseFile.createdAt), who: DeskWords.who(caseFile),
                          shortID: String(caseFile.id.prefix(12)),
                          acts: DeskWords.acts(caseFile.acts), severity: LabelledValue(caseFile.severity), candidates: caseFile.candidates,
                          status: LabelledValue(caseFile.reviewStatus))
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
            nextHref: query.page < pageCount ? "/?" + query.queryString(page: query.page + 1) : nil)
        return desk.pages.page("queue", title: "Antrean", kind: "antrean", content: content, context: context,
                               notice: request.own.pesan.flatMap { DeskWords.notices[$0] })
    }
}
