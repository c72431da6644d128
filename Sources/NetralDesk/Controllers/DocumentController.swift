import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NetralCases
import NetralEvidence

/// One case, ready to file: the filled report form as a printable page
/// (`/kasus/:id/formulir`) and as a Word document (`/kasus/:id/formulir.docx`), and the case's
/// ZIP (`/kasus/:id/berkas.zip`), the same files `netral case ID` writes.
struct DocumentController {
    let desk: Desk

    func addRoutes(to router: Router<DeskContext>) {
        router.get("/kasus/:id/formulir") { _, context in try document(context, kind: .formHTML) }
        router.get("/kasus/:id/formulir.docx") { _, context in try document(context, kind: .formDOCX) }
        router.get("/kasus/:id/berkas.zip") { _, context in try document(context, kind: .zip) }
    }

    enum Kind { case formHTML, formDOCX, zip }

    func document(_ context: DeskContext, kind: Kind) throws -> Response {
        guard let caseFile = try desk.storedCaseFile(context) else { return desk.pages.notFound() }
        let package: CasePackage
        do {
            package = try CasePackage(store: desk.store, evidenceRoot: desk.settings.evidenceRoot, caseFile: caseFile)
        } catch let problem as CaseRecordProblem {
            return desk.pages.message(status: .internalServerError, title: "Berkas perkara tidak terbaca", message: problem.message)
        }
        switch kind {
        case .formHTML:
            // The form is Netral's own page, but it quotes the post: served like archived material.
            return DeskPages.archived(Data(package.form.html().utf8), type: "text/html; charset=utf-8")
        case .formDOCX:
            return Self.download(try package.docx(), name: "formulir-\(package.stem).docx",
                                 type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        case .zip:
            return Self.download(try package.zip(), name: "\(package.stem).zip", type: "application/zip")
        }
    }

    static func download(_ data: Data, name: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
