import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import NetralEvidence

/// The desk's pages: the Mustache templates and the static assets in `Resources/`, loaded once
/// from the module's bundle (beside the executable: `Netral_NetralDesk.resources`), and the
/// answers built from them. Every value goes through `{{...}}`, which escapes HTML; the only
/// triple-brace insertion is the layout's `{{{content}}}`, another of these templates already
/// rendered with escaping.
struct DeskPages: Sendable {
    /// The policy of every desk page: the desk's own styles and script, images from itself or
    /// inline data, frames only from itself (the sandboxed report and capture).
    static let pagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    /// The policy of archived material (the captured page, the report, photos): a sandbox
    /// without `allow-scripts`, so the captured page's scripts never run, and nothing loaded from
    /// anywhere (the report's images are inline data).
    static let archivePolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"

    static let templateNames = ["layout", "queue", "case", "message"]

    let templates: MustacheLibrary
    let stylesheet: String
    let script: String
    /// Who decides when a page is shown without a session (the operator's `--by`).
    let reviewer: String

    init(reviewer: String) throws {
        var library = MustacheLibrary()
        for name in Self.templateNames {
            try library.register(try Self.resource(name, extension: "mustache"), named: name)
        }
        templates = library
        stylesheet = try Self.resource("meja", extension: "css")
        script = try Self.resource("meja", extension: "js")
        self.reviewer = reviewer
    }

    static func resource(_ name: String, extension: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: `extension`),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw DeskError("the desk's page '\(name).\(`extension`)' is missing from \(Bundle.module.bundlePath); reinstall netral with its resources")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A desk page: `template` rendered from `content`, inside the layout.
    func page(_ template: String, title: String, kind: String, content: some Encodable & Sendable, context: DeskContext,
              notice: String? = nil, problem: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let layout = LayoutView(title: title, pageKind: kind, reviewer: context.session?.reviewer ?? reviewer,
                                csrf: context.session?.csrfToken ?? "", content: templates.render(content, withTemplate: template) ?? "",
                                notice: notice, problem: problem)
        return Self.html(templates.render(layout, withTemplate: "layout") ?? "", status: status)
    }

    /// A page that only says something (sign-in, errors).
    func message(status: HTTPResponse.Status, title: String, message: String) -> Response {
        Self.html(templates.render(MessageView(title: title, message: message), withTemplate: "message") ?? title, status: status)
    }

    func notFound() -> Response {
        message(status: .notFound, title: "Tidak ditemukan", message: "Berkas perkara atau bagiannya tidak ada di keadaan (state) ini.")
    }

    /// A case file whose folder could not be read, said for the reviewer.
    func unreadable(_ error: CaseFolderError) -> Response {
        message(status: .internalServerError, title: "Berkas perkara tidak terbaca", message: DeskWords.problem(error))
    }

    static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Archived material (report, capture, photo), served sandboxed.
    static func archived(_ data: Data, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentSecurityPolicy] = archivePolicy
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
