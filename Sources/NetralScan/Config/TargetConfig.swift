import Foundation
import NetralModel
import NetralRules
import NetralYAML
import NetralEvidence
import NetralPlatforms

/// One entry of `targets:`: the keys every kind shares, read here; the kind's own keys, read by
/// its row in `SourceRegistry`. A key that belongs to other kinds is refused with the kinds it
/// belongs to.
enum TargetConfig {
    static let commonKeys = [
        "id", "kind", "url", "path", "subject", "max_pages", "profile", "every", "allow_private", "robots", "reason",
        "auth_env", "region", "zone",
    ]
    /// Keys only some kinds have, and every key a target may have: made once, read per target.
    private static let kindKeys: [String] = {
        var seen = Set<String>()
        return SourceRegistry.rows.flatMap(\.keys).filter { seen.insert($0).inserted }
    }()
    private static let allowedKeys = commonKeys + kindKeys
    private static let idCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    private static let variableCharacters = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
    private static let intervalUnits: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]

    /// The target, or nil when it cannot be used (each problem is a diagnostic).
    static func parse(_ value: YAMLValue, paths: ConfigPaths, seen: inout Set<String>, diagnostics: inout DiagnosticList) -> Target? {
        guard let mapping = value.mapping("a target", into: &diagnostics) else { return nil }
        mapping.checkKeys(allowed: allowedKeys, required: ["id"], in: "a target", into: &diagnostics)
        guard let idValue = mapping["id"], let id = idValue.string("id", into: &diagnostics, allowPlainNumbers: true) else { return nil }
        if let problem = idProblem(id) {
            diagnostics.append(idValue.diagnostic(problem))
            return nil
        }
        var target = Target(id: id, url: "")
        readCommon(mapping, into: &target, diagnostics: &diagnostics)
        if !seen.insert(id).inserted {
            diagnostics.append(idValue.diagnostic("duplicate target id '\(id)'"))
        }
        let row: SourceRow
        if let kindValue = mapping["kind"], let text = kindValue.string("kind", into: &diagnostics) {
            guard let known = SourceRegistry.row(for: Target.Kind(rawValue: text)) else {
                diagnostics.append(
                    kindValue.diagnostic(
                        "unsupported target kind '\(text)'; this version scans: \(SourceRegistry.names.joined(separator: ", "))"))
                return nil
            }
            row = known
        } else {
            guard let page = SourceRegistry.row(for: .page) else { return nil }
            row = page
        }
        target.kind = row.kind
        target.maxPages = row.maxPages.default
        if let pagesValue = mapping["max_pages"], let pages = pagesValue.integer("max_pages", into: &diagnostics) {
            if row.maxPages.range.contains(pages) {
                target.maxPages = pages
            } else {
                diagnostics.append(
                    pagesValue.diagnostic("max_pages must be between \(row.maxPages.range.lowerBound) and \(row.maxPages.range.upperBound)")
                )
            }
        }
        // Keys of other kinds.
        for key in kindKeys where !row.keys.contains(key) {
            guard let value = mapping[key] else { continue }
            let owners = SourceRegistry.kinds(accepting: key).map(\.rawValue)
            diagnostics.append(value.diagnostic("'\(key)' belongs to a \(owners.joined(separator: " or ")) target"))
        }
        guard readLocation(mapping, of: row, into: &target, paths: paths, diagnostics: &diagnostics) else { return nil }
        if row.kind == .page, let platform = PlatformParsers.platform(for: target.url) {
            return routePlatformPage(mapping, platform: platform, into: &target, diagnostics: &diagnostics)
        }
        return row.parse(mapping, &target, &diagnostics) ? target : nil
    }

    /// A platform's URL given as a page (the default kind): fetched as a web page it would give
    /// a login wall or a script-only shell, so it goes to the platform's source when that source
    /// reads such a URL, and is refused with the kind to use otherwise.
    private static func routePlatformPage(
        _ mapping: YAMLMapping, platform: Platform, into target: inout Target, diagnostics: inout DiagnosticList
    ) -> Target? {
        let owner = mapping["url"] ?? mapping.owner
        guard let row = SourceRegistry.row(for: platform) else {
            diagnostics.append(owner.diagnostic("\(target.url) is a \(platform.rawValue) address, which this version does not read"))
            return nil
        }
        guard row.reads?(target.url) ?? false else {
            diagnostics.append(
                owner.diagnostic(
                    "\(target.url) is a \(platform.rawValue) address that a page target would only fetch as a login wall or an "
                        + "empty shell; use kind: \(row.kind) with account: (a handle) or url: (\(row.urlForms))"))
            return nil
        }
        for key in FollowRule.keys where mapping[key] != nil {
            diagnostics.append(
                mapping[key]!.diagnostic("'\(key)' belongs to a page target; \(target.url) is read as kind: \(row.kind)"))
            return nil
        }
        target.kind = row.kind
        return row.parse(mapping, &target, &diagnostics) ? target : nil
    }

    /// The keys every kind shares, but where the target is.
    private static func readCommon(_ mapping: YAMLMapping, into target: inout Target, diagnostics: inout DiagnosticList) {
        if let everyValue = mapping["every"], let text = everyValue.string("every", into: &diagnostics, allowPlainNumbers: true) {
            if let seconds = interval(text), seconds >= 1, seconds <= 366 * 86400 {
                target.every = seconds
            } else {
                diagnostics.append(
                    everyValue.diagnostic("every must be an interval such as 90s, 30m, 6h or 1d (1 second to 366 days), found '\(text)'"))
            }
        }
        target.allowPrivate = mapping["allow_private"].flatMap { $0.boolean("allow_private", into: &diagnostics) } ?? false
        if let robotsValue = mapping["robots"], let text = robotsValue.string("robots", into: &diagnostics) {
            if text == "ignore" {
                let reason = mapping["reason"].flatMap { $0.string("reason", into: &diagnostics) }?.trimmingCharacters(
                    in: .whitespacesAndNewlines)
                if let reason, !reason.isEmpty {
                    target.robotsIgnoredBecause = reason
                } else {
                    diagnostics.append(
                        robotsValue.diagnostic("robots: ignore needs a 'reason:' saying why (it is kept in the state and the summary)"))
                }
            } else if text != "obey" {
                diagnostics.append(robotsValue.diagnostic("robots must be 'obey' (the default) or 'ignore', found '\(text)'"))
            }
        } else if let reasonValue = mapping["reason"] {
            diagnostics.append(reasonValue.diagnostic("'reason' belongs to robots: ignore"))
        }
        if let envValue = mapping["auth_env"], let name = envValue.string("auth_env", into: &diagnostics) {
            if !name.isEmpty, name.unicodeScalars.allSatisfy({ variableCharacters.contains($0) }), !(name.first?.isNumber ?? true) {
                target.credentialsVariable = name
            } else {
                diagnostics.append(envValue.diagnostic("auth_env names an environment variable (A-Z, 0-9, _), found '\(name)'"))
            }
        }
        target.subject = mapping["subject"].flatMap { PackLoader.parseSubject($0, into: &diagnostics) }
        target.profile = mapping["profile"].flatMap { $0.string("profile", into: &diagnostics) }
        target.region = mapping["region"].flatMap { $0.string("region", into: &diagnostics) }
        if let zoneValue = mapping["zone"], let text = zoneValue.string("zone", into: &diagnostics) {
            target.zone = IndonesianZone(rawValue: text.uppercased())
            if target.zone == nil { diagnostics.append(zoneValue.diagnostic("zone must be WIB, WITA or WIT, found '\(text)'")) }
        }
    }

    /// `path:` for a local kind (it must exist), else `url:` (an absolute http(s) URL without
    /// credentials, or a handle where the kind takes one). False when the target cannot be used.
    private static func readLocation(
        _ mapping: YAMLMapping, of row: SourceRow, into target: inout Target, paths: ConfigPaths,
        diagnostics: inout DiagnosticList
    ) -> Bool {
        if row.location == .path {
            guard let pathValue = mapping["path"] else {
                diagnostics.append(mapping.owner.diagnostic("a \(row.kind) target needs 'path' (a local file)"))
                return false
            }
            guard let path = pathValue.string("path", into: &diagnostics) else { return false }
            target.url = paths.resolve(path)
            // Credentials are for fetched targets only.
            target.credentialsVariable = nil
            guard FileManager.default.fileExists(atPath: target.url) else {
                diagnostics.append(pathValue.diagnostic("no such file: \(target.url)"))
                return false
            }
            return true
        }
        if case .account = row.location, let accountValue = mapping["account"] {
            return readAccount(accountValue, url: mapping["url"], into: &target, diagnostics: &diagnostics)
        }
        guard let urlValue = mapping["url"] else {
            let what = if case .account = row.location { "'account' (a handle) or 'url' (an address on the platform)" } else { "'url'" }
            diagnostics.append(mapping.owner.diagnostic("a \(row.kind) target needs \(what)"))
            return false
        }
        guard let url = urlValue.string("url", into: &diagnostics) else { return false }
        if let problem = urlCharacterProblem(url) {
            diagnostics.append(urlValue.diagnostic(problem.message, atOffset: problem.offset))
            return false
        }
        target.url = url
        if row.location == .urlOrHandle && !url.contains("://") { return true }
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = parsed.host, !host.isEmpty
        else {
            diagnostics.append(urlValue.diagnostic("url must be an absolute http or https URL, found '\(url)'"))
            return false
        }
        if case .account(let platform) = row.location, let other = PlatformParsers.platform(for: url), other != platform {
            diagnostics.append(
                urlValue.diagnostic("url is a \(other.rawValue) address; a \(row.kind) target reads \(platform.rawValue) only"))
            return false
        }
        if parsed.user != nil || parsed.password != nil {
            // Never echo the URL: it holds a secret.
            let offset = (url.range(of: "://").map { url.distance(from: url.startIndex, to: $0.upperBound) }) ?? 0
            diagnostics.append(
                urlValue.diagnostic(
                    "credentials in a URL are refused (they would reach logs, state and evidence); put 'user:password' in an environment "
                        + "variable and name it with auth_env",
                    atOffset: offset))
            return false
        }
        return true
    }

    /// `account:` of a platform target: a handle (letters, digits, '.', '_', '-'; a leading '@'
    /// dropped), kept as `@handle` in `target.url`.
    private static func readAccount(
        _ value: YAMLValue, url: YAMLValue?, into target: inout Target, diagnostics: inout DiagnosticList
    ) -> Bool {
        if let url {
            diagnostics.append(url.diagnostic("give 'account' or 'url', not both"))
            return false
        }
        guard let text = value.string("account", into: &diagnostics, allowPlainNumbers: true) else { return false }
        var handle = text.trimmingCharacters(in: .whitespaces)
        if handle.hasPrefix("@") { handle.removeFirst() }
        guard !handle.isEmpty, handle.count <= 100, handle.unicodeScalars.allSatisfy({ idCharacters.contains($0) }) else {
            diagnostics.append(
                value.diagnostic("account must be a handle such as camat_sukamaju (letters, digits, '.', '_', '-'), found '\(text)'"))
            return false
        }
        target.url = "@" + handle
        return true
    }

    /// Reads a whole-number cap of a kind's own (`max_posts`), within `range`.
    static func cap(
        _ mapping: YAMLMapping, _ key: String, _ range: ClosedRange<Int>, into diagnostics: inout DiagnosticList, _ apply: (Int) -> Void
    ) {
        guard let value = mapping[key], let number = value.integer(key, into: &diagnostics) else { return }
        if range.contains(number) {
            apply(number)
        } else {
            diagnostics.append(value.diagnostic("\(key) must be between \(range.lowerBound) and \(range.upperBound)"))
        }
    }

    /// Reads `every:` values: seconds as a number, or a number with s, m, h or d (`30m`, `6h`).
    static func interval(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let unit = trimmed.last, let factor = intervalUnits[unit], let value = Double(trimmed.dropLast()), value.isFinite, value > 0 {
            return value * factor
        }
        if let value = Double(trimmed), value.isFinite, value > 0 { return value }
        return nil
    }

    /// Why a target id cannot be used, or nil. Ids name case files, log lines and state rows.
    static func idProblem(_ id: String) -> String? {
        if id.isEmpty { return "a target id must not be empty" }
        if id.count > 100 || id.unicodeScalars.contains(where: { !idCharacters.contains($0) }) || id.hasPrefix(".") || id.hasPrefix("-") {
            return "target id '\(id)' must be 1-100 letters, digits, '.', '_' or '-', not starting with '.' or '-'"
        }
        return nil
    }

    /// The offset and message of the first character a URL must not contain, or nil.
    static func urlCharacterProblem(_ url: String) -> (offset: Int, message: String)? {
        for (offset, scalar) in url.unicodeScalars.enumerated() {
            if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F {
                return (offset, "url contains whitespace or a control character; percent-encode it (%20)")
            }
            if "<>\"{}|\\^`".unicodeScalars.contains(scalar) {
                return (offset, "url contains '\(scalar)', which a URL may not hold unencoded")
            }
        }
        return nil
    }
}
