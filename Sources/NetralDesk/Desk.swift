import Foundation
public import Hummingbird
public import NetralStore
import NetralCases
import NetralEvidence

/// What the desk serves and how.
public struct DeskSettings: Sendable {
    /// The SQLite file, or a `postgres://` URL (the password from `statePasswordEnvironment` or ~/.pgpass).
    public var statePath: String
    /// With a PostgreSQL state: the environment variable that holds its password.
    public var statePasswordEnvironment: String?
    public var evidenceRoot: String
    /// Who decides in a session signed in with a link made without a name (the operator's
    /// `--by`); written into the review log.
    public var reviewer: String
    /// Target ids from the configuration, offered in the queue's target filter.
    public var targets: [String]
    /// Case files per queue page.
    public var pageSize: Int
    /// Host names the desk answers to (the Host header), so a page from another site that
    /// rebinds its name to this address cannot talk to the desk; nil answers to any (a desk
    /// exposed on a wildcard address is reached by names it cannot know).
    public var hostNames: Set<String>?

    public init(statePath: String, evidenceRoot: String, reviewer: String, targets: [String] = [], pageSize: Int = 50,
                hostNames: Set<String>? = ["127.0.0.1", "localhost", "[::1]"], statePasswordEnvironment: String? = nil) {
        self.statePath = statePath
        self.statePasswordEnvironment = statePasswordEnvironment
        self.evidenceRoot = evidenceRoot
        self.reviewer = reviewer
        self.targets = targets
        self.pageSize = pageSize
        self.hostNames = hostNames
    }
}

/// Why the desk cannot start.
public struct DeskError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Each request's context: the signed-in session, once the guard has found it. Forms and
/// queries are decoded with Hummingbird's `URLEncodedFormDecoder`.
public struct DeskContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var sessionID: String?
    var session: DeskSessions.Session?

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// Forms are small; anything larger is refused before it is read.
    public var maxUploadSize: Int { 64 * 1024 }
    public var requestDecoder: URLEncodedFormDecoder { URLEncodedFormDecoder() }
}

/// The reviewer's desk: the queue of case files, each case file's page, and the decisions,
/// written to the same review log as `netral review`. Each part of the desk is a controller
/// with its own routes (`Controllers/`); pages are rendered on the server from Mustache
/// templates (`Resources/`, escaping by default); the only script is the desk's own keyboard
/// shortcuts, and the Content-Security-Policy allows nothing from elsewhere.
public final class Desk: Sendable {
    public let settings: DeskSettings
    public let store: StateStore
    let exporter: CaseExporter
    let sessions = DeskSessions()
    let claims = DeskClaims()
    let pages: DeskPages

    public init(settings: DeskSettings) throws {
        let location = try StateLocation.parse(settings.statePath, passwordEnvironment: settings.statePasswordEnvironment)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: settings.evidenceRoot, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DeskError("\(settings.evidenceRoot): no evidence folder here")
        }
        self.settings = settings
        self.store = try StateStore(location: location, access: .existing)
        self.exporter = CaseExporter(store: store, evidenceRoot: settings.evidenceRoot)
        self.pages = try DeskPages(reviewer: settings.reviewer)
    }

    /// A new one-time login token for `reviewer` (default: the settings' reviewer); the link
    /// `/masuk?token=…` exchanges it for a session once, whose decisions carry that name.
    public func newLoginToken(reviewer: String? = nil) -> String {
        let name = reviewer?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return sessions.newLoginToken(reviewer: name.isEmpty ? settings.reviewer : String(name.prefix(200)))
    }

    /// The desk's routes, every controller's, behind its guard (Host check, session, security headers).
    public func router() -> Router<DeskContext> {
        let router = Router(context: DeskContext.self)
        router.add(middleware: DeskGuard(desk: self))
        AssetController(pages: pages).addRoutes(to: router)
        SessionController(desk: self).addRoutes(to: router)
        QueueController(desk: self).addRoutes(to: router)
        CaseController(desk: self).addRoutes(to: router)
        DecisionController(desk: self).addRoutes(to: router)
        ClaimController(desk: self).addRoutes(to: router)
        DocumentController(desk: self).addRoutes(to: router)
        ExportController(desk: self).addRoutes(to: router)
        return router
    }

    /// The case file named in the path, by exact id (ids are lowercase hex with dashes).
    func storedCaseFile(_ context: DeskContext) throws -> StoredCaseFile? {
        guard let id = context.parameters.get("id"), !id.isEmpty, id.count <= 128,
              id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        return try store.caseFile(id: id)
    }

    /// The case file's folder, through the one case-file reader (its guards: no path out of the
    /// evidence folder, no symlink followed, files capped in size).
    func caseFolder(_ caseFile: StoredCaseFile) -> Result<CaseFolder, CaseFolderError> {
        Result { () throws(CaseFolderError) in try CaseFolder(evidenceRoot: settings.evidenceRoot, relativePath: caseFile.path) }
    }

    /// The page of a case file at `position` in the queue `query`.
    static func caseHref(_ id: String, query: QueueQuery, position: Int) -> String {
        "/kasus/\(id)?" + query.queryString(extra: [("posisi", String(position))])
    }
}
