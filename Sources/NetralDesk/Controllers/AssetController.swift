import Hummingbird
import NIOCore

/// The desk's own stylesheet and keyboard script (`/aset/…`), from `Resources/`; served without
/// a session, as the sign-in page needs them.
struct AssetController {
    let pages: DeskPages

    func addRoutes(to router: Router<DeskContext>) {
        router.get("/aset/meja.css") { _, _ in Self.asset(pages.stylesheet, type: "text/css; charset=utf-8") }
        router.get("/aset/meja.js") { _, _ in Self.asset(pages.script, type: "text/javascript; charset=utf-8") }
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
