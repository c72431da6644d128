import Hummingbird
import HTTPTypes
import NIOCore

/// The queue's filter and page as they travel in a URL (`/?status=new&tingkat=high&halaman=2`)
/// or in a form's hidden fields. Every field is optional text: `QueueQuery` decides what is
/// valid and drops the rest.
struct QueueFields: DeskQuery, Encodable, Equatable {
    var status, tingkat, tindakan, calon, target, sejak, sampai, halaman, urut: String?
}

/// A page's query; `init()` is the query of a URL without one.
protocol DeskQuery: Decodable, Sendable {
    init()
}

/// What a page's URL or a posted form carries, in one flat list of names
/// (`status=new&posisi=3&csrf=…&catatan=…`): the queue's fields, the session's CSRF token (in
/// forms), and the fields of its own.
struct DeskFields<Own: DeskQuery>: DeskQuery {
    var queue = QueueFields()
    var csrf: String?
    var own = Own()

    enum CodingKeys: String, CodingKey { case csrf }

    init() {}

    init(from decoder: any Decoder) throws {
        queue = try QueueFields(from: decoder)
        csrf = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .csrf)
        own = try Own(from: decoder)
    }
}

/// A page's place in a queue and a notice a redirect asked for (`posisi`, `pesan`).
struct PageFields: DeskQuery {
    var posisi, pesan, jumlah: String?
}

/// `/kasus/:id/keputusan`: a decision and its note (with the queue it was made from).
struct DecisionForm: DeskQuery {
    var keputusan, catatan, posisi: String?
}

/// `/tolak-massal`: the ticked case files of a queue page dismissed with one note.
struct BulkDismissForm: DeskQuery {
    var catatan: String?
    var pilih: [String]?
}

/// `/kasus/:id/ambil` and `/kasus/:id/lepas`: take a case or let it go (with the queue's place).
struct ClaimForm: DeskQuery {
    var posisi: String?
}

/// `/ekspor`: the export button (with the queue's filter).
struct ExportForm: DeskQuery {
    var format, tujuan, bom, ulang, kolom: String?
}

/// A form with no fields of its own (`/keluar`).
struct NoFields: DeskQuery {}

extension Request {
    /// The query decoded as `Query`; a query that does not decode (a name given twice) reads as
    /// an empty one, as a hand-typed URL the desk cannot use gives the start of the queue.
    func deskQuery<Query: DeskQuery>(_ type: Query.Type) -> Query {
        (try? URLEncodedFormDecoder().decode(type, from: uri.query ?? "")) ?? Query()
    }
}

extension Router<DeskContext> {
    /// A POST route whose form must carry the session's CSRF token: the handler never sees a
    /// form without it. A body larger than `DeskContext.maxUploadSize` is refused unread.
    func postForm<Own: DeskQuery>(_ path: RouterPath, _ fields: Own.Type, pages: DeskPages,
                                  _ handler: @escaping @Sendable (DeskFields<Own>, Request, DeskContext) async throws -> Response) {
        post(path) { request, context in
            let form: DeskFields<Own>?
            do {
                form = try await request.decode(as: DeskFields<Own>.self, context: context)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw error
            } catch {
                form = nil
            }
            guard let form, let session = context.session, DeskSessions.csrfMatches(form.csrf, session: session) else {
                return pages.message(status: .forbidden, title: "Permintaan ditolak",
                                     message: "Formulir ini tidak membawa token keamanan sesi Anda (CSRF). "
                                         + "Muat ulang halaman lalu coba lagi.")
            }
            return try await handler(form, request, context)
        }
    }
}
