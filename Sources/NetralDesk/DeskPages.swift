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
    static let pagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
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
            throw DeskError("the desk's page '\(name).\(`extension`)' is missing from \(Bundle.module.bundlePath); "
                            + "reinstall netral with its resources")
        }
        // The file's last line break is the file's, not the page's.
        let text = String(decoding: data, as: UTF8.self)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// A desk page: `template` rendered from `content`, inside the layout.
    func page(_ template: String, title: String, kind: String, content: some Encodable & Sendable, context: DeskContext,
              notice: String? = nil, problem: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let layout = LayoutView(title: title, pageKind: kind, reviewer: context.session?.reviewer ?? reviewer,
                                csrf: context.session?.csrfToken ?? "", content: render(content, template) ?? "",
                                notice: notice, problem: problem)
        return Self.html(render(layout, "layout") ?? "", status: status)
    }

    /// A page that only says something (sign-in, errors).
    func message(status: HTTPResponse.Status, title: String, message: String) -> Response {
        Self.html(render(MessageView(title: title, message: message), "message") ?? title, status: status)
    }

    func render(_ view: some Encodable, _ template: String) -> String? {
        templates.render(Self.mustacheValue(view), withTemplate: template)
    }

    /// A view model as Mustache reads it: dictionaries and arrays, made in one pass over its
    /// fields (Mustache would otherwise reflect on a struct again for every name it looks up);
    /// a nil field is left out, so its section is skipped.
    static func mustacheValue(_ value: Any) -> Any {
        switch value {
        case is String, is Int, is Bool: return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct?:
            var fields: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                if let optional = child.value as? any OptionalField {
                    if let wrapped = optional.wrapped { fields[label] = mustacheValue(wrapped) }
                } else {
                    fields[label] = mustacheValue(child.value)
                }
            }
            return fields
        case .collection?:
            return mirror.children.map { mustacheValue($0.value) }
        default:
            return value
        }
    }

    func notFound() -> Response {
        message(status: .notFound, title: "Tidak ditemukan", message: "Berkas perkara atau bagiannya tidak ada di keadaan (state) ini.")
    }

    /// A case file whose folder could not be read, said for the reviewer.
    func unreadable(_ error: CaseFolderError) -> Response {
        message(status: .internalServerError, title: "Berkas perkara tidak terbaca", message: error.reviewerDescription)
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

/// An optional field of a view model, whatever it wraps.
protocol OptionalField {
    var wrapped: Any? { get }
}

extension Optional: OptionalField {
    var wrapped: Any? { self.map { $0 } }
}
