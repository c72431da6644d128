import Foundation
public import NetralEvidence
public import NetralYAML

/// A receiver `netral push` sends case files to, from `destinations:` in `netral.yaml`.
public struct Destination: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// One POST per case file to `url`, the `CaseRecord` as JSON, `Idempotency-Key` = case id.
        case webhook
        /// TheHive 5: one alert per case file, POST `<url>/api/v1/alert`.
        case thehive
    }

    /// Names the cursor in the state; letters, digits, '.', '_' or '-'.
    public var name: String
    public var kind: Kind
    /// The webhook's URL, or TheHive's base URL.
    public var url: String
    /// The environment variable holding the bearer token; never the token itself.
    public var tokenVariable: String?
    /// TheHive's organisation (`X-Organisation`), when the token's user belongs to several.
    public var organisation: String?
    /// Which case files go (default: confirmed only).
    public var statuses: Set<ReviewStatus>
    public var allowPrivate: Bool
    public var connectTimeout: Double
    public var timeout: Double
    /// Tries per case file on timeouts, broken connections, 408, 429 and 5xx.
    public var attempts: Int
    public var retryBaseDelay: Double
    public var retryAfterCap: Double

    public init(name: String, kind: Kind, url: String, tokenVariable: String? = nil, organisation: String? = nil,
                statuses: Set<ReviewStatus> = [.confirmed], allowPrivate: Bool = false, connectTimeout: Double = 10, timeout: Double = 30,
                attempts: Int = 5, retryBaseDelay: Double = 1, retryAfterCap: Double = 120) {
        self.name = name
        self.kind = kind
        self.url = url
        self.tokenVariable = tokenVariable
        self.organisation = organisation
        self.statuses = statuses
        self.allowPrivate = allowPrivate
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.attempts = attempts
        self.retryBaseDelay = retryBaseDelay
        self.retryAfterCap = retryAfterCap
    }

    /// Where each POST goes.
    public var endpoint: String {
        switch kind {
        case .webhook: url
        case .thehive: (url.hasSuffix("/") ? String(url.dropLast()) : url) + "/api/v1/alert"
        }
    }

    static let keys = ["name", "kind", "url", "token_env", "organisation", "status", "allow_private", "connect_timeout", "timeout",
                       "attempts", "retry_base_delay", "retry_after_cap"]

    /// Reads `destinations:`: a list of mappings. Problems go to `diagnostics` as file:line:col.
    public static func parseList(_ value: YAMLValue, into diagnostics: inout DiagnosticList) -> [Destination] {
        var destinations: [Destination] = []
        var names = Set<String>()
        for entry in value.sequence("destinations", into: &diagnostics) ?? [] {
            guard let mapping = entry.mapping("a destination", into: &diagnostics) else { continue }
            mapping.checkKeys(allowed: keys, required: ["name", "kind", "url"], in: "a destination", into: &diagnostics)
            guard let nameValue = mapping["name"], let name = nameValue.string("name", into: &diagnostics),
                  let kindValue = mapping["kind"], let kindText = kindValue.string("kind", into: &diagnostics),
                  let urlValue = mapping["url"], let url = urlValue.string("url", into: &diagnostics) else { continue }
            do {
                try ExportError.check(name)
            } catch {
                diagnostics.append(nameValue.diagnostic(error.description))
                continue
            }
            if !names.insert(name).inserted { diagnostics.append(nameValue.diagnostic("duplicate destination name '\(name)'")) }
            guard let kind = Kind(rawValue: kindText) else {
                diagnostics.append(kindValue.diagnostic("destination kind must be \(Kind.allCases.map(\.rawValue).joined(separator: " or ")), found '\(kindText)'"))
                continue
            }
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  let host = components.host, !host.isEmpty else {
                diagnostics.append(urlValue.diagnostic("url must be an absolute http or https URL"))
                continue
            }
            if components.user != nil || components.password != nil || components.query?.lowercased().contains("token") == true {
                // Never echo the URL: it holds a secret.
                diagnostics.append(urlValue.diagnostic("a secret in a destination URL is refused (it would reach logs and the state); put the token in an environment variable and name it with token_env"))
                continue
            }
            var destination = Destination(name: name, kind: kind, url: url)
            if let tokenValue = mapping["token_env"], let variable = tokenValue.string("token_env", into: &diagnostics) {
                let valid = !variable.isEmpty && variable.unicodeScalars.allSatisfy { CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_").contains($0) }
                    && !(variable.first?.isNumber ?? true)
                if valid { destination.tokenVariable = variable } else {
                    diagnostics.append(tokenValue.diagnostic("token_env names an environment variable (A-Z, 0-9, _), found '\(variable)'"))
                }
            }
            destination.organisation = mapping["organisation"].flatMap { $0.string("organisation", into: &diagnostics) }
            if let statusValue = mapping["status"] {
                let texts = statusValue.isSequence
                    ? (statusValue.sequence("status", into: &diagnostics) ?? []).compactMap { $0.string("a status", into: &diagnostics) }
                    : [statusValue.string("status", into: &diagnostics)].compactMap { $0 }
                var statuses = Set<ReviewStatus>()
                for text in texts {
                    if let status = ReviewStatus(rawValue: text) { statuses.insert(status) } else {
                        diagnostics.append(statusValue.diagnostic("status must be new, confirmed or dismissed, found '\(text)'"))
                    }
                }
                if !statuses.isEmpty { destination.statuses = statuses }
            }
            destination.allowPrivate = mapping["allow_private"].flatMap { $0.boolean("allow_private", into: &diagnostics) } ?? false
            func seconds(_ key: String, _ range: ClosedRange<Double>, _ apply: (Double) -> Void) {
                guard let value = mapping[key], let number = value.number(key, into: &diagnostics) else { return }
                if number.isFinite, range.contains(number) { apply(number) } else {
                    diagnostics.append(value.diagnostic("\(key) must be between \(range.lowerBound) and \(range.upperBound) seconds"))
                }
            }
            seconds("connect_timeout", 0.001...600) { destination.connectTimeout = $0 }
            seconds("timeout", 0.001...3600) { destination.timeout = $0 }
            seconds("retry_base_delay", 0...600) { destination.retryBaseDelay = $0 }
            seconds("retry_after_cap", 0...3600) { destination.retryAfterCap = $0 }
            if let value = mapping["attempts"], let count = value.integer("attempts", into: &diagnostics) {
                if (1...20).contains(count) { destination.attempts = count } else { diagnostics.append(value.diagnostic("attempts must be between 1 and 20")) }
            }
            destinations.append(destination)
        }
        return destinations
    }
}
