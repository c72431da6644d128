import Foundation
import NetralModel
import NetralPlatforms
import NetralYAML

extension Target.Kind {
    /// One post on X (`https://x.com/NAME/status/ID`), read through the public embed answer.
    public static let x = Target.Kind(rawValue: "x")
}

/// X without logging in: one post through the embed endpoint the platform serves to pages that
/// embed it (`cdn.syndication.twimg.com/tweet-result`): text, author, time, pictures with their
/// alt text, the quoted post and the post it answers. An account's timeline is shown only to a
/// signed-in session, so an `account:` or profile URL is refused in the configuration with the
/// way to read it instead (a browser capture of its GraphQL answers, `kind: capture`).
struct XSource: TargetSource {
    static let row = SourceRow(
        kind: .x, location: .account(.x), keys: ["account"], maxPages: (1, 1...1),
        parse: { mapping, target, diagnostics in
            guard XSource.postID(in: target.url) == nil else { return true }
            let owner = mapping["account"] ?? mapping["url"] ?? mapping.owner
            diagnostics.append(
                owner.diagnostic(
                    "X shows an account's posts only to a signed-in session: give one post's URL (url: https://x.com/NAME/status/ID), "
                        + "or read the account from a browser capture of its timeline (kind: capture)"))
            return false
        },
        source: { _ in XSource() },
        reads: { url in XSource.postID(in: url) != nil },
        urlForms: "one post's https://x.com/NAME/status/ID")

    /// The post id of a `…/status/ID` URL.
    static func postID(in url: String) -> String? {
        guard !url.hasPrefix("@") else { return nil }
        let parts = PlatformReader.path(of: url).split(separator: "/")
        guard let index = parts.firstIndex(where: { $0 == "status" || $0 == "statuses" }), index + 1 < parts.count else { return nil }
        let id = parts[index + 1]
        return !id.isEmpty && id.count <= 20 && id.allSatisfy(\.isASCII) && id.allSatisfy(\.isNumber) ? String(id) : nil
    }

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        guard let id = Self.postID(in: scan.target.url) else { throw TargetError("\(scan.target.url) names no post (…/status/ID)") }
        let reader = PlatformReader(platform: .x, scan: scan)
        guard let (answer, page) = try await reader.read(Self.embedURL(for: scan.target.url, id: id), as: .target) else { return }
        try await reader.judge(page, answer: answer)
    }

    /// The embed answer's URL: at the platform's CDN for an x.com or twitter.com post, at the
    /// target's own origin for any other host (a mirror).
    static func embedURL(for url: String, id: String) -> String {
        let host = URL(string: url)?.host?.lowercased() ?? ""
        let onPlatform = ["x.com", "twitter.com", "www.x.com", "www.twitter.com", "mobile.twitter.com", "mobile.x.com"].contains(host)
        let base =
            onPlatform ? "https://cdn.syndication.twimg.com" : (PlatformReader.origin(of: url) ?? "https://cdn.syndication.twimg.com")
        return "\(base)/tweet-result?id=\(id)&lang=id&token=\(token(for: id))"
    }

    /// The `token` the embed endpoint asks for, as the platform's embed script makes it:
    /// `((id / 1e15) * π).toString(36)` without its zeros and point. JavaScript's radix
    /// conversion (shortest digits that read back to the same double) is followed here.
    static func token(for id: String) -> String {
        guard let number = Double(id), number.isFinite, number >= 0 else { return "0" }
        let value = number / 1e15 * Double.pi
        var integer = value.rounded(.down)
        var fraction = value - integer
        var delta = max(0.5 * (value.nextUp - value), Double.leastNonzeroMagnitude)
        var fractionDigits: [Int] = []
        if fraction >= delta {
            repeat {
                fraction *= 36
                delta *= 36
                let digit = Int(fraction)
                fractionDigits.append(digit)
                fraction -= Double(digit)
                if fraction > 0.5 || (fraction == 0.5 && digit & 1 == 1), fraction + delta > 1 {
                    // Round up, carrying into earlier digits (a digit that overflows is dropped).
                    while true {
                        guard let last = fractionDigits.popLast() else {
                            integer += 1
                            break
                        }
                        if last + 1 < 36 {
                            fractionDigits.append(last + 1)
                            break
                        }
                    }
                    break
                }
            } while fraction >= delta
        }
        let symbols = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var integerDigits: [Character] = []
        repeat {
            let remainder = Int(integer.truncatingRemainder(dividingBy: 36))
            integerDigits.insert(symbols[remainder], at: 0)
            integer = (integer / 36).rounded(.down)
        } while integer >= 1
        let text = String(integerDigits) + String(fractionDigits.map { symbols[$0] })
        let token = text.filter { $0 != "0" }
        return token.isEmpty ? "0" : token
    }
}
