import Foundation
import NetralFetch
import NetralYAML

/// The configuration's `fetch:` section: identity, limits and politeness.
enum FetchConfig {
    static let keys = [
        "user_agent", "connect_timeout", "timeout", "max_redirects", "max_body_bytes", "max_header_bytes",
        "concurrency", "per_host", "per_host_delay", "low_speed_limit", "low_speed_time",
        "attempts", "retry_base_delay", "retry_after_cap", "resolve",
    ]

    /// Reads `fetch:` into `options`; true when it names a user agent (valid or not: a bad one
    /// is its own diagnostic).
    static func parse(_ value: YAMLValue?, into options: inout FetchOptions, diagnostics: inout DiagnosticList) -> Bool {
        guard let value, let fetch = value.mapping("fetch", into: &diagnostics) else { return false }
        fetch.checkKeys(allowed: keys, in: "fetch", into: &diagnostics)
        var userAgentGiven = false
        if let uaValue = fetch["user_agent"], let agent = uaValue.string("fetch.user_agent", into: &diagnostics) {
            userAgentGiven = true
            if namesContact(agent) {
                options.userAgent = agent
            } else {
                diagnostics.append(
                    uaValue.diagnostic("fetch.user_agent must name a contact (a URL or an e-mail address), so site owners can reach you"))
            }
        }
        func count(_ key: String, _ range: ClosedRange<Int>, _ apply: (Int) -> Void) {
            guard let value = fetch[key], let number = value.integer("fetch.\(key)", into: &diagnostics) else { return }
            if range.contains(number) {
                apply(number)
            } else {
                diagnostics.append(value.diagnostic("fetch.\(key) must be between \(range.lowerBound) and \(range.upperBound)"))
            }
        }
        func seconds(_ key: String, _ range: ClosedRange<Double>, _ apply: (Double) -> Void) {
            guard let value = fetch[key], let number = value.number("fetch.\(key)", into: &diagnostics) else { return }
            if number.isFinite && range.contains(number) {
                apply(number)
            } else {
                diagnostics.append(value.diagnostic("fetch.\(key) must be between \(range.lowerBound) and \(range.upperBound) seconds"))
            }
        }
        count("max_header_bytes", 1024...(1 << 20)) { options.maxHeaderBytes = $0 }
        count("concurrency", 1...256) { options.maxConcurrency = $0 }
        count("per_host", 1...64) { options.perHostConcurrency = $0 }
        seconds("per_host_delay", 0...3600) { options.perHostDelay = $0 }
        count("low_speed_limit", 1...(1 << 30)) { options.lowSpeedLimit = $0 }
        count("low_speed_time", 1...3600) { options.lowSpeedTime = $0 }
        count("attempts", 1...10) { options.maxAttempts = $0 }
        seconds("retry_base_delay", 0...600) { options.retryBaseDelay = $0 }
        seconds("retry_after_cap", 0...3600) { options.retryAfterCap = $0 }
        count("max_redirects", 0...20) { options.maxRedirects = $0 }
        if let value = fetch["connect_timeout"], let seconds = value.number("fetch.connect_timeout", into: &diagnostics) {
            if seconds.isFinite && seconds >= 0.001 && seconds <= 3600 {
                options.connectTimeout = seconds
            } else {
                diagnostics.append(value.diagnostic("fetch.connect_timeout must be between 0.001 and 3600 seconds"))
            }
        }
        if let value = fetch["timeout"], let seconds = value.number("fetch.timeout", into: &diagnostics) {
            if seconds.isFinite && seconds >= 0.001 && seconds <= 86400 {
                options.totalTimeout = seconds
            } else {
                diagnostics.append(value.diagnostic("fetch.timeout must be between 0.001 and 86400 seconds"))
            }
        }
        if let value = fetch["max_body_bytes"], let bytes = value.integer("fetch.max_body_bytes", into: &diagnostics) {
            if bytes > 0 {
                options.maxBodyBytes = bytes
            } else {
                diagnostics.append(value.diagnostic("fetch.max_body_bytes must be positive"))
            }
        }
        for entry in fetch["resolve"]?.sequence("fetch.resolve", into: &diagnostics) ?? [] {
            guard let text = entry.string("a resolve entry", into: &diagnostics, allowPlainNumbers: false) else { continue }
            let parts = text.split(separator: ":", maxSplits: 2)
            if parts.count == 3, !parts[0].isEmpty, Int(parts[1]) != nil, !parts[2].isEmpty {
                options.resolve.append(text)
            } else {
                diagnostics.append(entry.diagnostic("a resolve entry is host:port:address (as curl --resolve), found '\(text)'"))
            }
        }
        return userAgentGiven
    }

    /// True when a User-Agent names a way to reach the operator: a URL or an e-mail address.
    static func namesContact(_ userAgent: String) -> Bool {
        let lower = userAgent.lowercased()
        if lower.contains("http://") || lower.contains("https://") || lower.contains("mailto:") { return true }
        return userAgent.split(whereSeparator: { " ();<>".contains($0) }).contains { word in
            let parts = word.split(separator: "@")
            return parts.count == 2 && parts[1].contains(".")
        }
    }
}
