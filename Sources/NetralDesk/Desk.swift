import Foundation
public import Hummingbird
import HTTPTypes
import Logging
import Mustache
import NIOCore
import NetralCases
import NetralEvidence
import NetralModel
public import NetralStore

/// What the desk serves and how.
public struct DeskSettings: Sendable {
    /// The SQLite file, or a `postgres://` URL (the password from `statePasswordEnvironment` or ~/.pgpass).
    public var statePath: String
    /// With a PostgreSQL state: the environment variable that holds its password.
    public var statePasswordEnvironment: String?
    public var evidenceRoot: String
    /// Who decides in a session signed in with a link made without a name (the operator's
    /// `--by`); written into the review log.
    public var reviewer: String
    /// Target ids from the configuration, offered in the queue's target filter.
    public var targets: [String]
    /// Case files per queue page.
    public var pageSize: Int
    /// Host names the desk answers to (the Host header), so a page from another site that
    /// rebinds its name to this address cannot talk to the desk; nil answers to any (a desk
    /// exposed on a wildcard address is reached by names it cannot know).
    public var hostNames: Set<String>?

    public init(statePath: String, evidenceRoot: String, reviewer: String, targets: [String] = [], pageSize: Int = 50,
                hostNames: Set<String>? = ["127.0.0.1", "localhost", "[::1]"], statePasswordEnvironment: String? = nil) {
        self.statePath = statePath
        self.statePasswordEnvironment = statePasswordEnvironment
        self.evidenceRoot = evidenceRoot
        self.reviewer = reviewer
        self.targets = targets
        self.pageSize = pageSize
        self.hostNames = hostNames
    }
}

/// Why the desk cannot start.
extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

public struct DeskError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Each request's context: the signed-in session, once the guard has found it.
public struct DeskContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var sessionID: String?
    var session: DeskSessions.Session?

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// Forms are small; anything larger is refused before it is read.
    public var maxUploadSize: Int { 64 * 1024 }
}

/// The reviewer's desk: the queue of case files, each case file's page, and the decisions,
/// written to the same review log as `netral review`. Pages are rendered on the server from
/// Mustache templates (escaping by default); the only script is the desk's own keyboard
/// shortcuts, and the Content-Security-Policy allows nothing from elsewhere.
public final class Desk: Sendable {
    public let settings: DeskSettings
    public let store: StateStore
    let exporter: CaseExporter
    let sessions = DeskSessions()
    let templates: MustacheLibrary

    /// The policy of every desk page: the desk's own styles and script, images from itself or
    /// inline data, frames only from itself (the sandboxed report and capture).
    static let pagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    /// The policy of archived material (the captured page, the report, photos): a sandbox
    /// without `allow-scripts`, so the captured page's scripts never run, and nothing loaded from
    /// anywhere (the report's images are inline data).
    static let archivePolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"

    public init(settings: DeskSettings) throws {
        let location = try StateLocation.parse(settings.statePath, passwordEnvironment: settings.statePasswordEnvironment)
        if case .sqlite(let file) = location, !FileManager.default.fileExists(atPath: file) {
            throw DeskError("\(file): no state database here (run a scan first, or give --config or --state)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: settings.evidenceRoot, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DeskError("\(settings.evidenceRoot): no evidence folder here")
        }
        self.settings = settings
        self.store = try StateStore(location: location)
        self.exporter = CaseExporter(store: store, evidenceRoot: settings.evidenceRoot)
        var library = MustacheLibrary()
        for (name, text) in [("layout", DeskTemplates.layout), ("queue", DeskTemplates.queue), ("case", DeskTemplates.caseFile),
                             ("message", DeskTemplates.message)] {
            try library.register(text, named: name)
        }
        self.templates = library
    }

    /// A new one-time login token for `reviewer` (default: the settings' reviewer); the link
    /// `/masuk?token=…` exchanges it for a session once, whose decisions carry that name.
    public func newLoginToken(reviewer: String? = nil) -> String {
        let name = reviewer?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return sessions.newLoginToken(reviewer: name.isEmpty ? settings.reviewer : String(name.prefix(200)))
    }

    /// The desk's routes behind its guard (Host check, session, security headers).
    public func router() -> Router<DeskContext> {
        let router = Router(context: DeskContext.self)
        router.add(middleware: DeskGuard(desk: self))
        router.get("/masuk") { request, _ in self.signIn(request) }
        router.get("/aset/meja.css") { _, _ in Self.asset(DeskTemplates.stylesheet, type: "text/css; charset=utf-8") }
        router.get("/aset/meja.js") { _, _ in Self.asset(DeskTemplates.script, type: "text/javascript; charset=utf-8") }
        router.get("/") { request, context in try self.queuePage(request, context) }
        router.get("/kasus/:id") { request, context in try self.casePage(Self.parameters(request), context) }
        router.get("/kasus/:id/laporan") { _, context in try self.archived(context, part: .report) }
        router.get("/kasus/:id/salinan") { _, context in try self.archived(context, part: .capture) }
        router.get("/kasus/:id/foto/:n") { _, context in try self.archived(context, part: .photo) }
        postForm(router, "/kasus/:id/keputusan") { form, request, context in try self.decide(form, request, context) }
        postForm(router, "/ekspor") { form, _, _ in self.export(form) }
        postForm(router, "/keluar") { _, _, context in
            if let id = context.sessionID { self.sessions.signOut(id: id) }
            var response = self.message(status: .ok, title: "Anda sudah keluar",
                                        message: "Sesi ditutup. Untuk masuk lagi, minta operator tautan masuk baru (ia mengetik nama Anda di terminal netral desk).")
            response.setCookie(Cookie(name: DeskSessions.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        return router
    }

    /// Registers a POST route whose form must carry the session's CSRF token; the handler never
    /// sees a form without it.
    func postForm(_ router: Router<DeskContext>, _ path: RouterPath,
                  _ handler: @escaping @Sendable ([String: String], Request, DeskContext) async throws -> Response) {
        router.post(path) { request, context in
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let form = Self.parseForm(String(buffer: body))
            guard let session = context.session, DeskSessions.csrfMatches(form["csrf"], session: session) else {
                return self.message(status: .forbidden, title: "Permintaan ditolak",
                                    message: "Formulir ini tidak membawa token keamanan sesi Anda (CSRF). Muat ulang halaman lalu coba lagi.")
            }
            return try await handler(form, request, context)
        }
    }

    // MARK: - Sign-in

    func signIn(_ request: Request) -> Response {
        guard let token = request.uri.queryParameters.get("token"), let sessionID = sessions.signIn(token: token) else {
            return message(status: .forbidden, title: "Tautan masuk tidak berlaku",
                           message: "Tautan masuk hanya bisa dipakai sekali. Minta operator tautan baru: ia mengetik nama Anda di terminal netral desk.")
        }
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(Cookie(name: DeskSessions.cookieName, value: sessionID, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    // MARK: - Queue

    func queuePage(_ request: Request, _ context: DeskContext) throws -> Response {
        let query = QueueQuery(parameters: Self.parameters(request))
        let pageSize = max(1, settings.pageSize)
        let result = try store.caseFiles(matching: query.filter, limit: pageSize, offset: (query.page - 1) * pageSize)
        let counts = try store.statusCounts(matching: query.filter)
        let pageCount = max(1, (result.total + pageSize - 1) / pageSize)
        let firstIndex = (query.page - 1) * pageSize

        var countLinks: [[String: Any]] = []
        var all = query
        all.status = nil
        all.page = 1
        countLinks.append(["status": "semua", "label": "Semua", "count": counts.values.reduce(0, +), "href": "/?" + all.queryString(),
                           "current": query.status == nil])
        for status in ReviewStatus.allCases {
            var one = all
            one.status = status
            countLinks.append(["status": status.rawValue, "label": Self.statusLabel(status.rawValue), "count": counts[status] ?? 0,
                               "href": "/?" + one.queryString(), "current": query.status == status])
        }
        let rows: [[String: Any]] = result.caseFiles.enumerated().map { offset, caseFile in
            [
                "href": "/kasus/\(caseFile.id)?" + query.queryString(extra: [("posisi", String(firstIndex + offset))]),
                "created": Self.localTime(caseFile.createdAt),
                "who": caseFile.author.isEmpty ? "(tanpa nama)" : NIPMasking.mask(caseFile.author),
                "shortID": String(caseFile.id.prefix(12)),
                "acts": Self.acts(caseFile.acts),
                "severity": caseFile.severity,
                "severityLabel": Severity(rawValue: caseFile.severity)?.label ?? caseFile.severity,
                "candidates": caseFile.candidates,
                "status": caseFile.reviewStatus,
                "statusLabel": Self.statusLabel(caseFile.reviewStatus),
            ]
        }
        func options(_ values: [(String, String)], selected: String?) -> [[String: Any]] {
            values.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == (selected ?? "")] }
        }
        let statusOptions = options([("semua", "Semua")] + ReviewStatus.allCases.map { ($0.rawValue, Self.statusLabel($0.rawValue)) },
                                    selected: query.status?.rawValue ?? "semua")
        let severityOptions = options([("", "Semua")] + Severity.allCases.reversed().map { ($0.rawValue, $0.label) }, selected: query.severity)
        let actCodes = ProhibitedAct.titles.keys.sorted { Int($0.dropFirst()) ?? 0 < Int($1.dropFirst()) ?? 0 }
        let actOptions = options([("", "Semua")] + actCodes.map { ($0, "\($0) · \(ProhibitedAct.title(of: $0))") }, selected: query.act)
        let targetOptions = options([("", "Semua")] + settings.targets.map { ($0, $0) }, selected: query.target)

        var content: [String: Any] = [
            "counts": countLinks,
            "statusOptions": statusOptions,
            "severityOptions": severityOptions,
            "actOptions": actOptions,
            "hasTargets": !settings.targets.isEmpty,
            "targetOptions": targetOptions,
            "total": result.total,
            "page": query.page,
            "pageCount": pageCount,
            "hasPages": pageCount > 1,
            "rows": rows,
            "hasRows": !rows.isEmpty,
            "csrf": context.session?.csrfToken ?? "",
            "filterFields": query.filterFields.map { ["name": $0.0, "value": $0.1] },
            "exportFormats": ExportFormat.allCases.map { ["value": $0.rawValue, "label": Self.exportFormatLabel($0)] },
            "exportDestination": Self.defaultExportDestination,
        ]
        if let candidate = query.candidate { content["candidate"] = candidate }
        if let target = query.target { content["target"] = target }
        if let since = query.since { content["since"] = since }
        if let until = query.until { content["until"] = until }
        if query.page > 1 { content["previousHref"] = "/?" + query.queryString(page: query.page - 1) }
        if query.page < pageCount { content["nextHref"] = "/?" + query.queryString(page: query.page + 1) }
        let notice = Self.parameters(request)["pesan"].flatMap { Self.notices[$0] }
        return page(kind: "antrean", title: "Antrean", template: "queue", content: content, context: context, notice: notice)
    }

    // MARK: - Case page

    func casePage(_ parameters: [String: String], _ context: DeskContext, problem: String? = nil, note: String = "",
                  status: HTTPResponse.Status = .ok) throws -> Response {
        guard let caseFile = try storedCaseFile(context) else { return notFound() }
        let query = QueueQuery(parameters: parameters)
        let position = parameters["posisi"].flatMap(Int.init).map { max(0, $0) }
        let folder: CaseFolder
        do {
            folder = try CaseFolder.load(caseFile, evidenceRoot: settings.evidenceRoot)
        } catch {
            return message(status: .internalServerError, title: "Berkas perkara tidak terbaca", message: "\(error)")
        }
        let reviews = try store.reviews(caseID: caseFile.id)
        let current = ReviewStatus(rawValue: caseFile.reviewStatus) ?? .new

        var content: [String: Any] = [
            "caseID": caseFile.id,
            "who": caseFile.author.isEmpty ? "(tanpa nama)" : NIPMasking.mask(caseFile.author),
            "status": current.rawValue,
            "statusLabel": Self.statusLabel(current.rawValue),
            "severity": caseFile.severity,
            "severityLabel": Severity(rawValue: caseFile.severity)?.label ?? caseFile.severity,
            "acts": Self.acts(caseFile.acts),
            "title": NIPMasking.mask(folder.item?.title ?? "(tanpa judul)"),
            "sourceURL": folder.manifest.sourceURL,
            "sourceIsWeb": Self.isWebURL(folder.manifest.sourceURL),
            "fetched": Self.localTime(folder.manifest.fetchedAt),
            "created": Self.localTime(caseFile.createdAt),
            "manifestSHA256": caseFile.manifestSHA256,
            "queueHref": "/?" + query.queryString(),
            "decisionAction": "/kasus/\(caseFile.id)/keputusan",
            "queueFields": (query.filterFields + (position.map { [("posisi", String($0))] } ?? [])).map { ["name": $0.0, "value": $0.1] },
            "csrf": context.session?.csrfToken ?? "",
            "note": note,
            "canConfirm": current != .confirmed,
            "canDismiss": current != .dismissed,
            "canReopen": current != .new,
            "reviews": reviews.map { entry -> [String: Any] in
                [
                    "decisionLabel": Self.decisionLabel(entry.decision),
                    "reviewer": entry.reviewer,
                    "decidedAt": entry.decidedAtDate.map(Self.localTime) ?? entry.decidedAt,
                    "note": entry.note,
                    "staleManifest": entry.manifestSHA256 != caseFile.manifestSHA256,
                    "manifestShort": String(entry.manifestSHA256.prefix(12)),
                ]
            },
            "hasReviews": !reviews.isEmpty,
            "findings": folder.findings.map(Self.findingContext),
            "reportHref": "/kasus/\(caseFile.id)/laporan",
            "captureHref": "/kasus/\(caseFile.id)/salinan",
        ]
        if !caseFile.candidates.isEmpty { content["candidates"] = caseFile.candidates }
        if let region = folder.manifest.region { content["region"] = region }
        if let item = folder.item {
            content["textFields"] = item.fieldTexts.filter { !$0.text.isEmpty }.map { field -> [String: Any] in
                ["label": field.label,
                 "text": NIPMasking.mask(String(field.text.prefix(20_000)))]
            }
        }
        let photos = (try? folder.photos()) ?? []
        content["hasPhotos"] = !photos.isEmpty
        content["photos"] = photos.enumerated().map { index, photo in ["src": "/kasus/\(caseFile.id)/foto/\(index)", "url": photo.finalURL] }

        // Earlier versions: follow `supersedes` back (bounded, in case the state holds a loop).
        var versions: [[String: Any]] = []
        var seen: Set<String> = [caseFile.id]
        var earlierID = caseFile.supersedes
        while let id = earlierID, !seen.contains(id), versions.count < 50, let earlier = try store.caseFile(id: id) {
            seen.insert(id)
            versions.append(["href": "/kasus/\(earlier.id)", "created": Self.localTime(earlier.createdAt),
                             "statusLabel": Self.statusLabel(earlier.reviewStatus), "shortID": String(earlier.id.prefix(12))])
            earlierID = earlier.supersedes
        }
        content["versions"] = versions
        content["hasVersions"] = !versions.isEmpty
        if let changes = folder.manifest.supersedes?.changes, !changes.isEmpty { content["changes"] = changes.joined(separator: ", ") }
        if let newer = try newerCaseFile(of: caseFile.id) {
            content["hasNewer"] = true
            content["newerHref"] = "/kasus/\(newer)"
        }

        if let position {
            let neighbours = try store.caseFiles(matching: query.filter, limit: 3, offset: max(0, position - 1))
            let ids = neighbours.caseFiles.map(\.id)
            if let index = ids.firstIndex(of: caseFile.id) {
                let base = max(0, position - 1)
                if index > 0 { content["previousHref"] = caseHref(ids[index - 1], query: query, position: base + index - 1) }
                if index + 1 < ids.count { content["nextHref"] = caseHref(ids[index + 1], query: query, position: base + index + 1) }
            }
        }
        let problems = folder.problems + (problem.map { [$0] } ?? [])
        let notice = parameters["pesan"].flatMap { Self.notices[$0] }
        var response = page(kind: "kasus", title: caseFile.author.isEmpty ? "Berkas perkara" : NIPMasking.mask(caseFile.author),
                            template: "case", content: content, context: context, notice: notice,
                            problem: problems.isEmpty ? nil : problems.joined(separator: " · "))
        response.status = status
        return response
    }

    func caseHref(_ id: String, query: QueueQuery, position: Int) -> String {
        "/kasus/\(id)?" + query.queryString(extra: [("posisi", String(position))])
    }

    func newerCaseFile(of id: String) throws -> String? {
        try store.caseFile(superseding: id)?.id
    }

    // MARK: - Decisions

    func decide(_ form: [String: String], _ request: Request, _ context: DeskContext) throws -> Response {
        guard let caseFile = try storedCaseFile(context) else { return notFound() }
        guard let decision = form["keputusan"].flatMap(ReviewDecision.init(rawValue:)) else {
            return message(status: .badRequest, title: "Keputusan tidak dikenal", message: "Pilih konfirmasi, tolak, atau buka kembali.")
        }
        let note = form["catatan"] ?? ""
        let query = QueueQuery(parameters: form)
        let position = form["posisi"].flatMap(Int.init).map { max(0, $0) }
        do {
            try store.recordReview(caseID: caseFile.id, decision: decision, note: note, reviewer: context.session?.reviewer ?? settings.reviewer)
        } catch let error as ReviewError {
            let problem: String
            switch error {
            case .emptyNote: problem = "Tulis catatan: mengapa berkas ini dikonfirmasi, ditolak, atau dibuka kembali."
            case .alreadyInStatus(_, let status): problem = "Berkas ini sudah berstatus \(Self.statusLabel(status.rawValue)); tidak ada yang dicatat."
            case .emptyReviewer: problem = "Nama peninjau kosong; jalankan netral desk dengan --by NAMA."
            default: problem = error.description
            }
            var parameters = Dictionary(query.filterFields, uniquingKeysWith: { _, last in last })
            if let position { parameters["posisi"] = String(position) }
            return try casePage(parameters, context, problem: problem, note: note, status: .conflict)
        }
        // On to the next case of the same queue: the one now at this position if the decided
        // case left the filtered list, else the one after it.
        if let position {
            let window = try store.caseFiles(matching: query.filter, limit: 2, offset: position)
            let ids = window.caseFiles.map(\.id)
            let nextPosition = ids.first == caseFile.id ? position + 1 : position
            let nextID = ids.first == caseFile.id ? ids.dropFirst().first : ids.first
            if let nextID {
                return Response(status: .seeOther, headers: [.location: caseHref(nextID, query: query, position: nextPosition) + "&pesan=tersimpan"])
            }
            return Response(status: .seeOther, headers: [.location: "/?" + query.queryString(extra: [("pesan", "habis")])])
        }
        return Response(status: .seeOther, headers: [.location: "/kasus/\(caseFile.id)?pesan=tersimpan"])
    }

    // MARK: - Export

    /// The destination a desk export counts against unless the reviewer names another.
    static let defaultExportDestination = "meja-peninjau"

    static func exportFormatLabel(_ format: ExportFormat) -> String {
        switch format {
        case .jsonl: "JSONL (satu berkas per baris)"
        case .csv: "CSV (lembar kerja)"
        case .thehive: "TheHive (alert)"
        case .misp: "MISP (event)"
        }
    }

    /// The export of the case-tracker feed (`netral export`) for the queue's filter: only what
    /// the named destination has not received, unless the reviewer asks for all again. The
    /// answer is the file itself.
    func export(_ form: [String: String]) -> Response {
        guard let format = form["format"].flatMap(ExportFormat.init(rawValue:)) else {
            return message(status: .badRequest, title: "Format tidak dikenal", message: "Pilih JSONL, CSV, TheHive, atau MISP.")
        }
        let query = QueueQuery(parameters: form)
        let destination = form["tujuan"]?.trimmingCharacters(in: .whitespaces).nonEmpty ?? Self.defaultExportDestination
        let options = ExportOptions(byteOrderMark: form["bom"] == "ya", includeDelivered: form["ulang"] == "ya")
        let result: ExportResult
        do {
            result = try exporter.export(to: destination, format: format, filter: query.filter, options: options)
        } catch let error as ExportError {
            return message(status: .badRequest, title: "Tujuan ekspor tidak sah", message: error.description)
        } catch {
            return message(status: .internalServerError, title: "Ekspor gagal", message: "\(error)")
        }
        let problems = result.problems.map { "\($0)" }
        guard !result.caseIDs.isEmpty else {
            if !problems.isEmpty {
                return message(status: .internalServerError, title: "Ekspor gagal",
                               message: "Berkas yang cocok tidak terbaca: " + problems.prefix(5).joined(separator: "; "))
            }
            return Response(status: .seeOther, headers: [.location: "/?" + query.queryString(extra: [("pesan", "ekspor-kosong")])])
        }
        var headers = HTTPFields()
        headers[.contentType] = result.contentType
        headers[.contentDisposition] = "attachment; filename=\"\(result.suggestedFileName)\""
        headers[HTTPField.Name("X-Netral-Case-Files")!] = String(result.caseIDs.count)
        if !problems.isEmpty { headers[HTTPField.Name("X-Netral-Unreadable-Case-Files")!] = String(problems.count) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: result.data)))
    }

    // MARK: - Archived material

    enum ArchivedPart { case report, capture, photo }

    /// The report, the captured page and photos, each with the sandboxing policy: served from
    /// the desk's origin but never able to run a script or load anything.
    func archived(_ context: DeskContext, part: ArchivedPart) throws -> Response {
        guard let caseFile = try storedCaseFile(context) else { return notFound() }
        let folder: CaseFolder
        do {
            folder = try CaseFolder.load(caseFile, evidenceRoot: settings.evidenceRoot)
        } catch {
            return message(status: .internalServerError, title: "Berkas perkara tidak terbaca", message: "\(error)")
        }
        let data: Data
        let type: String
        switch part {
        case .report:
            guard let report = try? folder.file("report.html") else { return notFound() }
            data = report
            type = "text/html; charset=utf-8"
        case .capture:
            guard let name = folder.captureFileName, let capture = try? folder.file(name) else { return notFound() }
            data = capture
            // Only HTML is shown as a page; anything else as plain text, never sniffed.
            type = name.hasSuffix(".html") ? "text/html" : "text/plain; charset=utf-8"
        case .photo:
            guard let index = context.parameters.get("n", as: Int.self), let photos = try? folder.photos(), photos.indices.contains(index),
                  let mediaType = photos[index].mediaType?.lowercased() else { return notFound() }
            data = photos[index].body
            type = mediaType
        }
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentSecurityPolicy] = Self.archivePolicy
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: - Rendering

    func page(kind: String, title: String, template: String, content: [String: Any], context: DeskContext,
              notice: String? = nil, problem: String? = nil) -> Response {
        let body = templates.render(content, withTemplate: template) ?? ""
        var layout: [String: Any] = [
            "title": title, "pageKind": kind, "reviewer": context.session?.reviewer ?? settings.reviewer, "csrf": context.session?.csrfToken ?? "", "content": body,
        ]
        if let notice { layout["notice"] = notice }
        if let problem { layout["problem"] = problem }
        return Self.html(templates.render(layout, withTemplate: "layout") ?? "", status: .ok)
    }

    func message(status: HTTPResponse.Status, title: String, message: String) -> Response {
        Self.html(templates.render(["title": title, "message": message], withTemplate: "message") ?? title, status: status)
    }

    func notFound() -> Response {
        message(status: .notFound, title: "Tidak ditemukan", message: "Berkas perkara atau bagiannya tidak ada di keadaan (state) ini.")
    }

    static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The case file named in the path, by exact id (ids are lowercase hex with dashes).
    func storedCaseFile(_ context: DeskContext) throws -> StoredCaseFile? {
        guard let id = context.parameters.get("id"), !id.isEmpty, id.count <= 128,
              id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        return try store.caseFile(id: id)
    }

    static func findingContext(_ finding: Finding) -> [String: Any] {
        var context: [String: Any] = [
            "act": finding.act,
            "actTitle": ProhibitedAct.title(of: finding.act),
            "rule": finding.rule,
            "severity": finding.severity.rawValue,
            "severityLabel": finding.severity.label,
            "classLabel": finding.findingClass.label,
            "score": String(format: "%.2f", finding.score),
            "description": finding.description,
            "hits": finding.hits.map { hit -> [String: Any] in
                ["signal": hit.signal, "kind": SignalKindLabel.label(of: hit.kind), "term": NIPMasking.mask(hit.term), "field": hit.field.label, "quote": NIPMasking.mask(hit.quote)]
            },
        ]
        if finding.omittedHits > 0 { context["omitted"] = finding.omittedHits }
        return context
    }

    /// The state's act list (`A2,A8 (laporan)`) as codes with titles; a report about someone
    /// else keeps its marker.
    static func acts(_ list: String) -> [[String: String]] {
        list.split(separator: ",").map { entry in
            let label = entry.trimmingCharacters(in: .whitespaces)
            let code = String(label.prefix { !$0.isWhitespace })
            let title = ProhibitedAct.title(of: code) + (label == code ? "" : " (laporan tentang pihak lain)")
            return ["code": label, "title": title]
        }
    }

    static func statusLabel(_ status: String) -> String {
        switch status {
        case "new": "Baru"
        case "confirmed": "Dikonfirmasi"
        case "dismissed": "Ditolak"
        default: status
        }
    }

    static func decisionLabel(_ decision: ReviewDecision) -> String {
        switch decision {
        case .confirm: "Dikonfirmasi"
        case .dismiss: "Ditolak"
        case .reopen: "Dibuka kembali"
        }
    }

    /// Messages a redirect may ask for, by code, so no text travels in a URL.
    static let notices = [
        "tersimpan": "Keputusan tercatat di log peninjauan.",
        "habis": "Keputusan tercatat. Tidak ada berkas lagi di antrean ini.",
        "ekspor-kosong": "Tidak ada berkas baru untuk tujuan ekspor itu: semua yang cocok sudah pernah diekspor ke sana (centang \u{201C}ekspor ulang\u{201D} untuk membuatnya lagi).",
    ]

    static func isWebURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        return scheme == "http" || scheme == "https"
    }

    /// Times in WIB with UTC beside, as the reports show them.
    static func localTime(_ date: Date) -> String {
        "\(clock(date, zone: QueueQuery.zone)) WIB (\(clock(date, zone: TimeZone(identifier: "UTC")!).suffix(5)) UTC)"
    }

    static func clock(_ date: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%02d-%02d-%04d %02d:%02d", parts.day ?? 0, parts.month ?? 0, parts.year ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }

    static func parameters(_ request: Request) -> [String: String] {
        parseForm(request.uri.query ?? "")
    }

    /// `application/x-www-form-urlencoded` into name/value pairs (the last of a repeated name
    /// wins), decoded by Hummingbird's form decoder.
    static func parseForm(_ body: String) -> [String: String] {
        (try? URLEncodedFormDecoder().decode([String: String].self, from: body)) ?? [:]
    }
}

/// Runs before every route: the Host must be the desk's own (no DNS rebinding), every page but
/// the sign-in and the static assets needs a live session, and every answer carries the
/// security headers.
struct DeskGuard: RouterMiddleware {
    typealias Context = DeskContext
    let desk: Desk

    func handle(_ request: Request, context: DeskContext, next: (Request, DeskContext) async throws -> Response) async throws -> Response {
        var context = context
        var response: Response
        let host = Self.hostName(request.head.authority ?? "")
        if let allowed = desk.settings.hostNames, !allowed.contains(host) {
            response = desk.message(status: .misdirectedRequest, title: "Alamat tidak dikenal",
                                    message: "Meja peninjau hanya menjawab pada alamatnya sendiri.")
        } else if request.uri.path == "/masuk" || request.uri.path.hasPrefix("/aset/") {
            response = try await next(request, context)
        } else {
            let sessionID = request.cookies[DeskSessions.cookieName]?.value
            if let session = desk.sessions.session(id: sessionID) {
                context.sessionID = sessionID
                context.session = session
                response = try await next(request, context)
            } else {
                response = desk.message(status: .unauthorized, title: "Perlu masuk",
                                        message: "Buka tautan masuk yang dicetak netral desk di terminal operator. Sesi berakhir setelah 12 jam tanpa kegiatan.")
            }
        }
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = Desk.pagePolicy
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The host part of a Host header: `127.0.0.1:8484` -> `127.0.0.1`, `[::1]:8484` -> `[::1]`.
    static func hostName(_ authority: String) -> String {
        let lowered = authority.lowercased()
        if lowered.hasPrefix("["), let end = lowered.firstIndex(of: "]") { return String(lowered[...end]) }
        return String(lowered.split(separator: ":", maxSplits: 1).first ?? "")
    }
}
