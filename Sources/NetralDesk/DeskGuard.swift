import HTTPTypes
import Hummingbird

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
            response = desk.pages.message(status: .misdirectedRequest, title: "Alamat tidak dikenal",
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
                response = desk.pages.message(status: .unauthorized, title: "Perlu masuk",
                                              message: "Buka tautan masuk yang dicetak netral desk di terminal operator. "
                                                  + "Sesi berakhir setelah 12 jam tanpa kegiatan.")
            }
        }
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = DeskPages.pagePolicy
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
