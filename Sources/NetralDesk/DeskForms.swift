import Hummingbird
import HTTPTypes
import NIOCore

/// The queue's filter and page as they travel in a URL (`/?status=new&tingkat=high&halaman=2`)
/// or in a form's hidden fields. Every field is optional text: `QueueQuery` decides what is
/// valid and drops the rest.
struct QueueFields: DeskQuery, Equatable {
    var status: String?
    var tingkat: String?
    var tindakan: String?
    var calon: String?
    var target: String?
    var sejak: String?
    var sampai: String?
    var halaman: String?
}

/// A page's query; `init()` is the query of a URL without one.
protocol DeskQuery: Decodable, Sendable {
    init()
}

/// A case page's query: its place in a queue, and a notice a redirect asked for.
struct CasePageQuery: DeskQuery {
    var queue = QueueFields()
    var posisi: String?
    var pesan: String?

    enum CodingKeys: String, CodingKey { case posisi, pesan }

    init() {}

    init(from decoder: any Decoder) throws {
        // The queue's fields sit beside the page's own in one flat query.
        queue = try QueueFields(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        posisi = try container.decodeIfPresent(String.self, forKey: .posisi)
        pesan = try container.decodeIfPresent(String.self, forKey: .pesan)
    }
}

/// The queue page's query: the filter, and a notice a redirect asked for.
struct QueuePageQuery: DeskQuery {
    var queue = QueueFields()
    var pesan: String?

    enum CodingKeys: String, CodingKey { case pesan }

    init() {}

    init(from decoder: any Decoder) throws {
        queue = try QueueFields(from: decoder)
        pesan = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .pesan)
    }
}

/// A form posted to the desk: it carries the session's CSRF token.
protocol DeskForm: Decodable, Sendable {
    var csrf: String? { get }
}

/// `/kasus/:id/keputusan`: a decision, its note, and the queue it was made from.
struct DecisionForm: DeskForm {
    var csrf: String?
    var keputusan: String?
    var catatan: String?
    var posisi: String?
    var queue: QueueFields

    enum CodingKeys: String, CodingKey { case csrf, keputusan, catatan, posisi }

    init(from decoder: any Decoder) throws {
        queue = try QueueFields(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        csrf = try container.decodeIfPresent(String.self, forKey: .csrf)
        keputusan = try container.decodeIfPresent(String.self, forKey: .keputusan)
        catatan = try container.decodeIfPresent(String.self, forKey: .catatan)
        posisi = try container.decodeIfPresent(String.self, forKey: .posisi)
    }
}

/// `/ekspor`: the export button, with the queue's filter.
struct ExportForm: DeskForm {
    var csrf: String?
    var format: String?
    var tujuan: String?
    var bom: String?
    var ulang: String?
    var queue: QueueFields

    enum CodingKeys: String, CodingKey { case csrf, format, tujuan, bom, ulang }

    init(from decoder: any Decoder) throws {
        queue = try QueueFields(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        csrf = try container.decodeIfPresent(String.self, forKey: .csrf)
        format = try container.decodeIfPresent(String.self, forKey: .format)
        tujuan = try container.decodeIfPresent(String.self, forKey: .tujuan)
        bom = try container.decodeIfPresent(String.self, forKey: .bom)
        ulang = try container.decodeIfPresent(String.self, forKey: .ulang)
    }
}

/// `/keluar`.
struct SignOutForm: DeskForm {
    var csrf: String?
}

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
    func postForm<Form: DeskForm>(_ path: RouterPath, _ form: Form.Type, pages: DeskPages,
                                  _ handler: @escaping @Sendable (Form, Request, DeskContext) async throws -> Response) {
        post(path) { request, context in
            let form: Form?
            do {
                form = try await request.decode(as: Form.self, context: context)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw error
            } catch {
                form = nil
            }
            guard let form, let session = context.session, DeskSessions.csrfMatches(form.csrf, session: session) else {
                return pages.message(status: .forbidden, title: "Permintaan ditolak",
                                     message: "Formulir ini tidak membawa token keamanan sesi Anda (CSRF). Muat ulang halaman lalu coba lagi.")
            }
            return try await handler(form, request, context)
        }
    }
}
