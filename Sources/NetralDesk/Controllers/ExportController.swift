import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NetralCases

/// The export button (`POST /ekspor`): `netral export` for the queue's filter, handed to the
/// browser as a file. It counts against a named destination (default `meja-peninjau`) and gives
/// only case files that destination has not received, unless the reviewer asks for all again.
struct ExportController {
    let desk: Desk

    /// The destination a desk export counts against unless the reviewer names another.
    static let defaultDestination = "meja-peninjau"

    func addRoutes(to router: Router<DeskContext>) {
        router.postForm("/ekspor", ExportForm.self, pages: desk.pages) { form, _, _ in export(form) }
    }

    func export(_ posted: DeskFields<ExportForm>) -> Response {
        let form = posted.own
        guard let format = form.format.flatMap(ExportFormat.init(rawValue:)) else {
            return desk.pages.message(status: .badRequest, title: "Format tidak dikenal", message: "Pilih JSONL, CSV, TheHive, atau MISP.")
        }
        let query = QueueQuery(fields: posted.queue)
        let destination = form.tujuan?.trimmingCharacters(in: .whitespaces).nonEmpty ?? Self.defaultDestination
        let options = ExportOptions(byteOrderMark: form.bom == "ya", includeDelivered: form.ulang == "ya",
                                    indonesianHeaders: form.kolom == "id")
        let result: ExportResult
        do {
            result = try desk.exporter.export(to: destination, format: format, filter: query.filter, options: options)
        } catch let error as ExportError {
            return desk.pages.message(status: .badRequest, title: "Tujuan ekspor tidak sah", message: error.description)
        } catch {
            return desk.pages.message(status: .internalServerError, title: "Ekspor gagal", message: "\(error)")
        }
        let problems = result.problems.map { "\($0)" }
        guard !result.caseIDs.isEmpty else {
            if !problems.isEmpty {
                return desk.pages.message(status: .internalServerError, title: "Ekspor gagal",
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
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
