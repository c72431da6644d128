import Crypto
import Foundation
import NetralModel

/// The desk's sign-in: login tokens printed on the operator's terminal, each naming the
/// reviewer it is for and exchanged once for a session, and a CSRF token per session that every
/// form carries.
///
/// Tokens are 32 random bytes from the system's generator. Only their SHA-256 is kept, so the
/// desk's memory holds nothing a request could replay, and a guessed value never matches.
final class DeskSessions: @unchecked Sendable {
    struct Session: Sendable {
        var csrfToken: String
        /// Who decides in this session: written into the review log.
        var reviewer: String
        var lastSeen: Date
    }

    /// A session unused this long is dropped; the reviewer asks the operator for a new link.
    static let idleLifetime: TimeInterval = 12 * 3600
    /// Unused login links kept at once; the oldest stops working beyond this.
    static let maxPendingLogins = 16
    static let cookieName = "netral_desk"

    private let lock = NSLock()
    /// Unused login tokens (by digest) with their reviewer, oldest first.
    private var pendingLogins: [(digest: Data, reviewer: String)] = []
    private var sessions: [Data: Session] = [:]

    /// Makes a new one-time login token for `reviewer` and returns it.
    func newLoginToken(reviewer: String) -> String {
        let token = Self.randomToken()
        lock.withLock {
            pendingLogins.append((Self.digest(token), reviewer))
            if pendingLogins.count > Self.maxPendingLogins { pendingLogins.removeFirst(pendingLogins.count - Self.maxPendingLogins) }
        }
        return token
    }

    /// Exchanges a login token for a new session id, once. Nil when the token is wrong or was
    /// used already.
    func signIn(token: String, now: Date = Date()) -> String? {
        let presented = Self.digest(token)
        return lock.withLock { () -> String? in
            guard let index = pendingLogins.firstIndex(where: { Self.constantTimeEqual(presented, $0.digest) }) else { return nil }
            let reviewer = pendingLogins.remove(at: index).reviewer
            let sessionID = Self.randomToken()
            sessions[Self.digest(sessionID)] = Session(csrfToken: Self.randomToken(), reviewer: reviewer, lastSeen: now)
            return sessionID
        }
    }

    /// The live session for a cookie value, refreshed; nil when unknown or idle too long.
    func session(id: String?, now: Date = Date()) -> Session? {
        guard let id, !id.isEmpty else { return nil }
        let key = Self.digest(id)
        return lock.withLock { () -> Session? in
            // Dictionary lookup by digest; the digest of a guessed id never equals a real one.
            guard var session = sessions[key] else { return nil }
            if now.timeIntervalSince(session.lastSeen) > Self.idleLifetime {
                sessions[key] = nil
                return nil
            }
            session.lastSeen = now
            sessions[key] = session
            return session
        }
    }

    func signOut(id: String) {
        let key = Self.digest(id)
        lock.withLock { sessions[key] = nil }
    }

    /// True when a form's CSRF token is the session's.
    static func csrfMatches(_ presented: String?, session: Session) -> Bool {
        guard let presented, !presented.isEmpty else { return false }
        return constantTimeEqual(digest(presented), digest(session.csrfToken))
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return hexString(bytes)
    }

    static func digest(_ text: String) -> Data {
        Data(SHA256.hash(data: Data(text.utf8)))
    }

    static func constantTimeEqual(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }

}
