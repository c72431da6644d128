import Foundation
import NetralFetch
import NetralModel
import NetralStore

/// robots.txt, fetched once per host per run (concurrent askers share the one fetch), saved in
/// the state, and applied to our agent. Crawl-delay (capped at 60 s) raises the host's delay.
actor RobotsGate {
    let engine: FetchEngine
    let store: StateStore
    let agent: String
    private var policies: [String: Task<RobotsPolicy, any Error>] = [:]

    init(engine: FetchEngine, store: StateStore, userAgent: String) {
        self.engine = engine
        self.store = store
        self.agent = RobotsPolicy.agentToken(of: userAgent)
    }

    func policy(for url: String, allowPrivate: Bool) async throws -> RobotsPolicy {
        let host = FetchEngine.hostKey(for: url)
        if let task = policies[host] { return try await task.value }
        let task = Task { try await self.load(host: host, url: url, allowPrivate: allowPrivate) }
        policies[host] = task
        return try await task.value
    }

    private func load(host: String, url: String, allowPrivate: Bool) async throws -> RobotsPolicy {
        guard var components = URLComponents(string: url) else { return .allowAll }
        components.path = "/robots.txt"
        components.query = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        guard let robotsURL = components.string else { return .allowAll }
        let stored = try PageSink.state { try store.robots(host: host) }
        let policy: RobotsPolicy
        do {
            let capture = try await engine.fetch(FetchRequest(url: robotsURL, allowPrivate: allowPrivate)).capture
            let text = String(decoding: capture.body.prefix(500 * 1024), as: UTF8.self)
            try PageSink.state {
                try store.saveRobots(host: host, robots: StoredRobots(status: capture.status, body: text, fetchedAt: Date()))
            }
            policy = Self.policy(status: capture.status, text: text, agent: agent)
        } catch is CancellationError {
            throw CancellationError()
        } catch let abort as RunAbort {
            throw abort
        } catch {
            // Unreachable now: the last copy in the state, if any; the page fetch will say why.
            policy = stored.map { Self.policy(status: $0.status, text: $0.body, agent: agent) } ?? .allowAll
        }
        if let delay = policy.crawlDelay, delay > 0 {
            engine.setMinimumDelay(min(delay, 60), forHostOf: url)
        }
        return policy
    }

    /// RFC 9309: 2xx gives the rules, 4xx allows everything, 5xx disallows everything.
    static func policy(status: Int, text: String, agent: String) -> RobotsPolicy {
        switch status {
        case 200..<300: RobotsPolicy(text: text, agent: agent)
        case 500...: .disallowAll
        default: .allowAll
        }
    }
}
