import Foundation
import HTTPTypes
import Hummingbird
import NetralEvidence
import NetralModel
import NetralStore

/// A case file's page (`/kasus/:id`) and its archived parts: the report, the captured page and
/// the photos, each served sandboxed.
struct CaseController {
    let desk: Desk

    func addRoutes(to router: Router<DeskContext>) {
        router.get("/kasus/:id") { request, context in
            let query = request.deskQuery(DeskFields<PageFields>.self)
            return try page(context, query: QueueQuery(fields: query.queue),
                            position: query.own.posisi.flatMap(Int.init).map { max(0, $0) },
                            notice: query.own.pesan.flatMap { DeskWords.notices[$0] })
        }
        router.get("/kasus/:id/laporan") { _, context in try archived(context, part: .report) }
        router.get("/kasus/:id/salinan") { _, context in try archived(context, part: .capture) }
        router.get("/kasus/:id/foto/:n") { _, context in try archived(context, part: .photo) }
    }

    /// The case page; a decision that could not be recorded shows it again with `problem` and the
    /// reviewer's `note` kept.
    func page(_ context: DeskContext, query: QueueQuery, position: Int?, notice: String? = nil, problem: String? = nil, note: String = "",
              status: HTTPResponse.Status = .ok) throws -> Response {
        guard let caseFile = try desk.storedCaseFile(context) else { return desk.pages.notFound() }
        let folder: CaseFolder
        switch desk.caseFolder(caseFile) {
        case .success(let opened): folder = opened
        case .failure(let error): return desk.pages.unreadable(error)
        }
        var problems: [String] = []
        // The reviewer should know before deciding when the manifest is not the one the state
        // recorded (the decision records the state's hash).
        if folder.manifestSHA256 != caseFile.manifestSHA256 {
            problems.append("manifest.json berubah sejak berkas ini dicatat: jalankan netral verify sebelum memutuskan")
        }
        var item: Item?
        var findings: [Finding] = []
        do { item = try folder.item() } catch { problems.append(error.reviewerDescription) }
        do { findings = try folder.findings() } catch { problems.append(error.reviewerDescription) }
        if let problem { problems.append(problem) }

        let reviews = try desk.store.reviews(caseID: caseFile.id)
        let current = caseFile.reviewStatus
        let photos = (try? folder.photos()) ?? []
        let (previousHref, nextHref) = try neighbours(of: caseFile.id, query: query, position: position)
        let versions = try earlierVersions(of: caseFile)
        let newer = try desk.store.caseFile(superseding: caseFile.id)
        let reviewer = context.session?.reviewer ?? desk.settings.reviewer
        let claim = desk.claims.holder(of: caseFile.id, renewingFor: reviewer)
        if let claim, claim.reviewer != reviewer, current == .new {
            problems.append("Kasus ini sedang ditinjau oleh \(claim.reviewer) sejak \(DeskWords.shortTime(claim.since)); "
                + "pilih kasus lain kecuali sudah disepakati.")
        }
        let base = "/kasus/\(caseFile.id)"
        let content = CaseView(
            caseID: caseFile.id, who: item.map { Self.who(Terlapor.of(item: $0, findings: findings)) } ?? DeskWords.who(caseFile),
            status: LabelledValue(current), severity: LabelledValue(caseFile.severity),
            acts: DeskWords.acts(caseFile.acts),
            title: NIPMasking.mask(item?.title ?? "(tanpa judul)"),
            sourceURL: folder.manifest.sourceURL, sourceIsWeb: DeskWords.isWebURL(folder.manifest.sourceURL),
            postFields: item.map { Self.postFields($0, findings: findings) } ?? [],
            hasPostFields: item.map { !Self.postFields($0, findings: findings).isEmpty } ?? false,
            textFields: (item?.fieldTexts ?? []).filter { !$0.text.isEmpty }.map { field in
                LabelledValue(value: NIPMasking.mask(String(field.text.prefix(20_000))), label: field.label)
            },
            hasPhotos: !photos.isEmpty,
            photos: photos.indices.map { LabelledValue(value: "\(base)/foto/\($0)", label: photos[$0].finalURL) },
            facts: Self.facts(caseFile: caseFile, manifest: folder.manifest, item: item, findings: findings),
            signals: CaseFileFacts.signalRows(findings.flatMap(\.hits)).map {
                CaseView.SignalRow(kind: $0.kind, kindLabel: $0.kindLabel, signal: $0.signal, words: $0.words)
            },
            findings: findings.map(Self.actView),
            manifestSHA256: caseFile.manifestSHA256,
            queueHref: "/?" + query.queryString(), decisionAction: "\(base)/keputusan",
            queueFields: (query.filterFields + (position.map { [("posisi", String($0))] } ?? []))
                .map { FieldView(name: $0.0, value: $0.1) },
            csrf: context.session?.csrfToken ?? "", note: note,
            canConfirm: current != .confirmed, canDismiss: current != .dismissed, canReopen: current != .new,
            claim: claim.map { CaseView.Claim(reviewer: $0.reviewer, since: DeskWords.shortTime($0.since), mine: $0.reviewer == reviewer) },
            claimAction: "\(base)/ambil", releaseAction: "\(base)/lepas",
            formHref: "\(base)/formulir", formDocxHref: "\(base)/formulir.docx", zipHref: "\(base)/berkas.zip",
            reviews: reviews.map { entry in
                CaseView.Review(decisionLabel: DeskWords.decision(entry.decision), reviewer: entry.reviewer,
                                decidedAt: entry.decidedAtDate.map(DeskWords.localTime) ?? entry.decidedAt, note: entry.note,
                                staleManifest: entry.manifestSHA256 != caseFile.manifestSHA256,
                                manifestShort: String(entry.manifestSHA256.prefix(12)))
            },
            hasReviews: !reviews.isEmpty,
            reportHref: "\(base)/laporan", captureHref: "\(base)/salinan",
            versions: versions, hasVersions: !versions.isEmpty,
            changes: folder.manifest.supersedes.flatMap { $0.changes.isEmpty ? nil : $0.changes.joined(separator: ", ") },
            hasNewer: newer != nil, newerHref: newer.map { "/kasus/\($0.id)" }, previousHref: previousHref, nextHref: nextHref,
            identitySources: (item?.accountIdentities ?? []).map { $0.describe(masking: NIPMasking.mask) })
        return desk.pages.page("case", title: caseFile.author.isEmpty ? "Berkas perkara" : NIPMasking.mask(caseFile.author), kind: "kasus",
                               content: content, context: context, notice: notice,
                               problem: problems.isEmpty ? nil : problems.joined(separator: " · "), status: status)
    }

    /// The page's heading: the terlapor's name, or what is known instead.
    static func who(_ terlapor: Terlapor) -> String {
        if let name = terlapor.name?.value { return NIPMasking.mask(name) }
        if terlapor.isReportAboutOthers { return "Laporan tentang pihak lain" + (terlapor.uploader.map { " (diunggah oleh \($0))" } ?? "") }
        return terlapor.accountHandle ?? "(tanpa nama)"
    }

    /// The post's text fields that hold hits, each with its hits marked (excerpts around them,
    /// as the report quotes), in the item's order: title, body, pictures' words, the video.
    static func postFields(_ item: Item, findings: [Finding]) -> [CaseView.PostField] {
        var hitsByField: [String: [Hit]] = [:]
        var seen = Set<Hit>()
        for hit in findings.flatMap(\.hits) where seen.insert(hit).inserted {
            hitsByField["\(hit.field.rawValue)#\(hit.fieldIndex)", default: []].append(hit)
        }
        return item.fieldTexts.compactMap { field in
            guard let hits = hitsByField["\(field.field.rawValue)#\(field.index)"], !field.text.isEmpty else { return nil }
            let segments = CaseFileFacts.highlighted(field.text, hits: hits).map {
                CaseView.Segment(text: $0.text, kind: $0.kind, signals: $0.signals, cut: $0.isCut)
            }
            return CaseView.PostField(label: field.label, segments: segments)
        }
    }

    /// The facts header: who (with position and agency and where each came from), the account,
    /// where, when posted and captured in local time, the deadline, the platform and the link.
    static func facts(caseFile: StoredCaseFile, manifest: CaseManifest, item: Item?, findings: [Finding], now: Date = Date())
        -> [CaseView.Fact] {
        var facts: [CaseView.Fact] = []
        func add(_ label: String, _ value: String?, source: String? = nil, link: String? = nil) {
            guard let value, !value.isEmpty else { return }
            facts.append(CaseView.Fact(label: label, value: NIPMasking.mask(value), source: source, link: link))
        }
        let zone = item.map(CaseFileFacts.zone(of:)) ?? .wib
        if let item {
            let terlapor = Terlapor.of(item: item, findings: findings)
            add(terlapor.isReportAboutOthers ? "Yang dilaporkan" : "Terlapor", terlapor.name?.value ?? "(belum dikenali: periksa unggahan)",
                source: terlapor.name?.source)
            add("Jabatan", terlapor.position?.value, source: terlapor.position?.source)
            add("Instansi", terlapor.agency?.value, source: terlapor.agency?.source)
            add("NIP", terlapor.nipMasked)
            let account = [terlapor.accountName, terlapor.accountHandle].compactMap { $0 }.filter { !$0.isEmpty }
            var seenAccount = Set<String>()
            add("Akun", account.filter { seenAccount.insert($0).inserted }.joined(separator: " · "), link: terlapor.profileURL)
            if let uploader = terlapor.uploader, !account.contains(uploader) { add("Diunggah oleh", uploader) }
            add("Dibagikan ulang oleh", item.sharedBy)
        }
        add("Calon/partai", caseFile.candidates)
        add("Wilayah", manifest.region)
        add("Diunggah", item?.publishedAt.map { CaseFileFacts.shortLocalTime($0, zone: zone) } ?? "(waktu unggah tidak diketahui)")
        add("Direkam", CaseFileFacts.shortLocalTime(manifest.fetchedAt, zone: zone))
        let (deadline, _) = DeskWords.deadline(createdAt: manifest.createdAt, zone: zone, now: now)
        add("Batas lapor", deadline, source: "\(CaseFileFacts.reportingDays) hari sejak ditemukan \(CaseFileFacts.shortLocalTime(manifest.createdAt, zone: zone))")
        let host = URL(string: manifest.sourceURL)?.host
        add("Platform", [item?.platform, host].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · "))
        add("Tautan", manifest.sourceURL, link: DeskWords.isWebURL(manifest.sourceURL) ? manifest.sourceURL : nil)
        return facts
    }

    static func actView(_ finding: Finding) -> CaseView.Act {
        CaseView.Act(
            act: LabelledValue(value: finding.act, label: ProhibitedAct.title(of: finding.act)), rule: finding.rule,
            severity: LabelledValue(finding.severity),
            classLabel: finding.findingClass.label, score: String(format: "%.2f", finding.score),
            description: finding.description,
            omitted: finding.omittedHits > 0 ? finding.omittedHits : nil)
    }

    /// Earlier versions of the same post: `supersedes` followed back (bounded, in case the state
    /// holds a loop).
    func earlierVersions(of caseFile: StoredCaseFile) throws -> [CaseView.Version] {
        var versions: [CaseView.Version] = []
        var seen: Set<String> = [caseFile.id]
        var earlierID = caseFile.supersedes
        while let id = earlierID, !seen.contains(id), versions.count < 50, let earlier = try desk.store.caseFile(id: id) {
            seen.insert(id)
            versions.append(CaseView.Version(href: "/kasus/\(earlier.id)", created: DeskWords.localTime(earlier.createdAt),
                                             status: LabelledValue(earlier.reviewStatus), shortID: String(earlier.id.prefix(12))))
            earlierID = earlier.supersedes
        }
        return versions
    }

    /// The previous and next case files of the queue around `position`.
    func neighbours(of id: String, query: QueueQuery, position: Int?) throws -> (String?, String?) {
        guard let position else { return (nil, nil) }
        let base = max(0, position - 1)
        let ids = try desk.store.caseFiles(matching: query.filter, limit: 3, offset: base).caseFiles.map(\.id)
        guard let index = ids.firstIndex(of: id) else { return (nil, nil) }
        return (index > 0 ? Desk.caseHref(ids[index - 1], query: query, position: base + index - 1) : nil,
                index + 1 < ids.count ? Desk.caseHref(ids[index + 1], query: query, position: base + index + 1) : nil)
    }

    enum ArchivedPart { case report, capture, photo }

    /// The report, the captured page and photos, each with the sandboxing policy: served from
    /// the desk's origin but never able to run a script or load anything.
    func archived(_ context: DeskContext, part: ArchivedPart) throws -> Response {
        guard let caseFile = try desk.storedCaseFile(context) else { return desk.pages.notFound() }
        let folder: CaseFolder
        switch desk.caseFolder(caseFile) {
        case .success(let opened): folder = opened
        case .failure(let error): return desk.pages.unreadable(error)
        }
        switch part {
        case .report:
            guard let report = try? folder.data(CaseFolder.reportFileName) else { return desk.pages.notFound() }
            return DeskPages.archived(report, type: "text/html; charset=utf-8")
        case .capture:
            guard let name = folder.captureFileName, let capture = try? folder.data(name) else { return desk.pages.notFound() }
            // Only HTML is shown as a page; anything else as plain text, never sniffed.
            return DeskPages.archived(capture, type: name.hasSuffix(".html") ? "text/html" : "text/plain; charset=utf-8")
        case .photo:
            guard let index = context.parameters.get("n", as: Int.self), let photos = try? folder.photos(), photos.indices.contains(index),
                  let mediaType = photos[index].mediaType?.lowercased() else { return desk.pages.notFound() }
            return DeskPages.archived(photos[index].body, type: mediaType)
        }
    }
}
