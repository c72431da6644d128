public import Foundation

/// Text prepared for a person's eyes (the desk, reports, exports, the terminal), in one place.
///
/// Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) and invisible
/// characters (zero-width space, joiners, word joiner, byte-order mark, …) can make a name read
/// as another ("Budi\u{202E}irtsiS" shows as "BudiSistri"); for display each one is replaced by a
/// visible `[U+202E]`. The evidence keeps them as they were, written as JSON escapes
/// (`escapingHidden(inJSON:)`) so the bytes on disk never reorder a viewer's line either.
public enum DisplayText {
    /// True for a scalar that reorders text or shows nothing.
    public static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        case 0x200B...0x200D, 0x2060...0x2064, 0xFEFF, 0x180E, 0x00AD, 0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0: true
        default: false
        }
    }

    /// True when `text` holds nothing `neutralised` would change (the common case: no copy made).
    public static func isPlain(_ text: String) -> Bool {
        !text.unicodeScalars.contains(where: isHidden)
    }

    /// `text` with every hidden scalar shown as `[U+XXXX]`. A zero-width joiner inside an emoji
    /// sequence (👨‍👩‍👧) joins pictures, not letters, and is kept.
    public static func neutralised(_ text: String) -> String {
        guard !isPlain(text) else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            guard isHidden(scalar) else {
                result.append(scalar)
                continue
            }
            if scalar.value == 0x200D, index > 0, index + 1 < scalars.count, isEmojiPart(scalars[index - 1]),
                isEmojiPart(scalars[index + 1])
            {
                result.append(scalar)
                continue
            }
            result.append(contentsOf: marker(scalar).unicodeScalars)
        }
        return String(result)
    }

    /// The visible stand-in for a hidden scalar.
    public static func marker(_ scalar: Unicode.Scalar) -> String {
        "[U+" + String(format: "%04X", scalar.value) + "]"
    }

    private static func isEmojiPart(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII digits, `#` and `*` are emoji only as keycap bases.
        !scalar.isASCII && (scalar.properties.isEmoji || scalar.properties.isEmojiModifier || scalar.value == 0xFE0F)
    }

    /// Encoded JSON with every hidden scalar written as a `\uXXXX` escape: the same value to any
    /// JSON reader, but nothing on disk or on a terminal that reorders or hides text. Hidden
    /// scalars are all in the BMP and can only stand inside strings, so a byte-level rewrite is safe.
    public static func escapingHidden(inJSON data: Data) -> Data {
        guard let text = String(data: data, encoding: .utf8), !isPlain(text) else { return data }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isHidden(scalar) {
                result.append(contentsOf: ("\\u" + String(format: "%04x", scalar.value)).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return Data(String(result).utf8)
    }
}

/// Credentials in a URL, masked wherever a URL is shown: `user:password@` becomes `user:***@`,
/// and the value of a query parameter that names a secret (`token`, `key`, `password`, …, as
/// destinations refuse them) becomes `***`.
public enum URLCredentials {
    static let secretParameterWords = ["token", "password", "passwd", "secret", "apikey", "api_key", "access_key", "signature"]
    static let secretParameterNames: Set<String> = ["key", "sig", "auth", "pass", "pwd"]

    /// True when a query parameter of this name holds a secret.
    public static func isSecretParameter(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return secretParameterNames.contains(lowered) || secretParameterWords.contains { lowered.contains($0) }
    }

    /// The secrets a URL carries (its password, secret query values), percent-decoded and as
    /// written, for masking them wherever they might be echoed apart from the URL.
    public static func secrets(in url: String) -> [String] {
        guard let components = URLComponents(string: url) else { return [] }
        var found: [String] = []
        if let password = components.percentEncodedPassword, !password.isEmpty {
            found += [password, password.removingPercentEncoding ?? password]
        }
        for item in components.percentEncodedQueryItems ?? [] where isSecretParameter(item.name) {
            if let value = item.value, !value.isEmpty { found += [value, value.removingPercentEncoding ?? value] }
        }
        return Array(Set(found)).filter { $0.count >= 3 }.sorted { $0.count > $1.count }
    }

    /// `url` with its password and secret query values masked; any other text unchanged.
    public static func masked(_ url: String) -> String {
        maskingURLs(in: url)
    }

    /// `text` with every URL in it masked, wherever it stands (a message, a JSON string, a log
    /// line): the userinfo's password, and secret query values.
    public static func maskingURLs(in text: String) -> String {
        guard text.contains("://") else { return text }
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "://") {
            result += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            // The URL runs to the first character no URL holds unescaped.
            let end = rest.firstIndex { $0.isWhitespace || "\"'<>`\\{}|^".contains($0) } ?? rest.endIndex
            result += maskedRemainder(rest[..<end])
            rest = rest[end...]
        }
        return result + rest
    }

    /// What follows `scheme://`: authority, path, query, fragment.
    private static func maskedRemainder(_ url: Substring) -> String {
        let authorityEnd = url.firstIndex { "/?#".contains($0) } ?? url.endIndex
        var authority = String(url[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            if let colon = userinfo.firstIndex(of: ":") {
                authority = String(userinfo[..<colon]) + ":***" + authority[at...]
            }
        }
        var tail = String(url[authorityEnd...])
        if let question = tail.firstIndex(of: "?") {
            let fragmentStart = tail[question...].firstIndex(of: "#") ?? tail.endIndex
            let query = tail[tail.index(after: question)..<fragmentStart]
            let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { parameter -> String in
                guard let equals = parameter.firstIndex(of: "=") else { return String(parameter) }
                let name = String(parameter[..<equals])
                let value = parameter[parameter.index(after: equals)...]
                return isSecretParameter(name.removingPercentEncoding ?? name) && !value.isEmpty ? name + "=***" : String(parameter)
            }
            tail = String(tail[...question]) + parameters.joined(separator: "&") + tail[fragmentStart...]
        }
        return authority + tail
    }
}
