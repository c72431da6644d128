import Hummingbird
import HTTPTypes

/// Signing in with a one-time link (`/masuk?token=…`) and out (`/keluar`).
struct SessionController {
    let desk: Desk

    func addRoutes(to router: Router<DeskContext>) {
        router.get("/masuk") { request, _ in signIn(request) }
        router.postForm("/keluar", NoFields.self, pages: desk.pages) { _, _, context in signOut(context) }
    }

    /// Exchanges the link's token for a session cookie, once.
    func signIn(_ request: Request) -> Response {
        guard let token = request.uri.queryParameters.get("token"), let sessionID = desk.sessions.signIn(token: token) else {
            return desk.pages.message(status: .forbidden, title: "Tautan masuk tidak berlaku",
                                      message: "Tautan masuk hanya bisa dipakai sekali. Minta operator tautan baru: "
                                          + "ia mengetik nama Anda di terminal netral desk.")
        }
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(Cookie(name: DeskSessions.cookieName, value: sessionID, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    func signOut(_ context: DeskContext) -> Response {
        if let id = context.sessionID { desk.sessions.signOut(id: id) }
        var response = desk.pages.message(status: .ok, title: "Anda sudah keluar",
                                          message: "Sesi ditutup. Untuk masuk lagi, minta operator tautan masuk baru "
                                              + "(ia mengetik nama Anda di terminal netral desk).")
        response.setCookie(Cookie(name: DeskSessions.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }
}
