public import NetralModel

/// A rule condition, parsed from text such as
/// `asn and (candidate or party) and support`, `2 of (asn, support, gesture)`,
/// `any of (paslon-01, paslon-02)` or `near(asn, support, 8)`.
public indirect enum Condition: Sendable, Equatable, CustomStringConvertible {
    /// A signal name or a signal kind (`asn`, `candidate`); kinds cover every signal of the kind.
    case name(String)
    /// A name whose hits count only in some fields: `asn[author]`, `gesture[alt, text]`.
    case scoped(String, [FieldScope])
    case and([Condition])
    case or([Condition])
    case not(Condition)
    /// At least `count` of the conditions hold.
    case atLeast(Int, [Condition])
    /// A hit of `first` and a hit of `second` within `words` words of each other, in one field.
    case near(String, String, Int)

    public var description: String {
        switch self {
        case .name(let name): name
        case let .scoped(name, scopes): "\(name)[\(scopes.map(\.rawValue).joined(separator: ", "))]"
        case .and(let parts): parts.map { $0.parenthesized(inside: self) }.joined(separator: " and ")
        case .or(let parts): parts.map { $0.parenthesized(inside: self) }.joined(separator: " or ")
        case .not(let part): "not \(part.parenthesized(inside: self))"
        case let .atLeast(count, parts): "\(count) of (\(parts.map(\.description).joined(separator: ", ")))"
        case let .near(first, second, words): "near(\(first), \(second), \(words))"
        }
    }

    private func parenthesized(inside parent: Condition) -> String {
        switch (self, parent) {
        case (.or, .and), (.and, .not), (.or, .not): "(\(description))"
        default: description
        }
    }

    /// The condition with each name that `definitions` defines replaced by its condition.
    func expanding(_ definitions: [String: Condition]) -> Condition {
        switch self {
        case .name(let name): definitions[name] ?? self
        case .scoped, .near: self
        case .and(let parts): .and(parts.map { $0.expanding(definitions) })
        case .or(let parts): .or(parts.map { $0.expanding(definitions) })
        case .not(let part): .not(part.expanding(definitions))
        case let .atLeast(count, parts): .atLeast(count, parts.map { $0.expanding(definitions) })
        }
    }

    /// Every name the condition refers to.
    var names: [String] {
        switch self {
        case .name(let name), .scoped(let name, _): [name]
        case .and(let parts), .or(let parts), .atLeast(_, let parts): parts.flatMap(\.names)
        case .not(let part): part.names
        case let .near(first, second, _): [first, second]
        }
    }
}

/// Groups of item fields a condition name can be limited to.
public enum FieldScope: String, Sendable, CaseIterable {
    /// Author name and bio, and the analyst's subject.
    case author
    /// Title, description and body, and the words said in the item's video.
    case text
    /// Image alt texts and captions, and the words printed in the item's pictures (OCR).
    case alt
    /// Link texts.
    case links
    /// Hits that describe the author: in the author's own fields (name, bio, the analyst's
    /// subject; the handle only beside other such evidence), or in the text right after a
    /// first-person marker (`saya PNS`, `kami ASN Kukar`). A third-person mention is not.
    case `self`
    /// Hits of hashtag terms (`#PrabowoGibran2024`): a campaign's own tag.
    case tag
    /// Hits of a signal whose pack (or the signal itself) has a window, in an item dated inside
    /// it: a candidate named during the race, not a sitting official named afterwards.
    case window

    /// Whether the scope is the field (`self`, `tag` and `window` are facts of a hit, not fields).
    public func contains(_ field: ItemField) -> Bool {
        switch self {
        case .author: [.authorName, .authorBio, .authorHandle, .subject, .accountIdentity].contains(field)
        case .text: [.title, .description, .body, .transcript].contains(field)
        case .alt: field == .imageAlt || field == .imageText
        case .links: field == .linkText
        case .self, .tag, .window: false
        }
    }
}

/// A syntax error in a condition, at a column offset (in Unicode scalars) inside the text.
struct ConditionSyntaxError: Error, Equatable {
    var offset: Int
    var message: String
}

/// Recursive-descent parser for the condition language.
///
///     expr    := or
///     or      := and ("or" and)*
///     and     := unary ("and" unary)*
///     unary   := "not" unary | primary
///     primary := "(" expr ")" | NUMBER "of" "(" list ")" | "any" "of" "(" list ")"
///              | "near" "(" NAME "," NAME "," NUMBER ")" | NAME scope?
///     scope   := "[" SCOPE ("," SCOPE)* "]"        SCOPE: author | text | alt | links | self | tag | window
///     list    := expr ("," expr)*
struct ConditionParser {
    private enum TokenKind: Equatable {
        case word(String)
        case number(Int)
        case open, close, comma, openBracket, closeBracket
        case end
    }

    private struct LexToken {
        var kind: TokenKind
        var offset: Int
        var text: String
    }

    private var tokens: [LexToken] = []
    private var position = 0
    /// Open parentheses, lists and `not`s around the current token: bounded, so a hostile
    /// pack (thousands of parentheses) gets an error instead of overflowing the stack.
    private var depth = 0
    static let maximumDepth = 64

    private mutating func enter() throws(ConditionSyntaxError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw ConditionSyntaxError(offset: current.offset, message: "the condition nests more than \(Self.maximumDepth) levels of parentheses, lists or 'not'; split it into definitions")
        }
    }
    /// Names seen, with the offset of each use, for "unknown signal" errors.
    private(set) var nameUses: [(name: String, offset: Int)] = []

    static func parse(_ text: String) throws(ConditionSyntaxError) -> (Condition, [(name: String, offset: Int)]) {
        var parser = ConditionParser()
        try parser.lex(text)
        let condition = try parser.parseOr()
        guard parser.current.kind == .end else {
            throw ConditionSyntaxError(offset: parser.current.offset, message: "unexpected '\(parser.current.text)'; expected 'and', 'or' or the end of the condition")
        }
        return (condition, parser.nameUses)
    }

    private mutating func lex(_ text: String) throws(ConditionSyntaxError) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case " ", "\t", "\n", "\r":
                index += 1
            case "(":
                tokens.append(LexToken(kind: .open, offset: index, text: "("))
                index += 1
            case ")":
                tokens.append(LexToken(kind: .close, offset: index, text: ")"))
                index += 1
            case ",":
                tokens.append(LexToken(kind: .comma, offset: index, text: ","))
                index += 1
            case "[":
                tokens.append(LexToken(kind: .openBracket, offset: index, text: "["))
                index += 1
            case "]":
                tokens.append(LexToken(kind: .closeBracket, offset: index, text: "]"))
                index += 1
            default:
                guard Self.isNameScalar(scalar) else {
                    throw ConditionSyntaxError(offset: index, message: "unexpected character '\(scalar)' in condition")
                }
                let start = index
                while index < scalars.count, Self.isNameScalar(scalars[index]) { index += 1 }
                var word = String.UnicodeScalarView()
                word.append(contentsOf: scalars[start..<index])
                let text = String(word)
                if let number = Int(text) {
                    tokens.append(LexToken(kind: .number(number), offset: start, text: text))
                } else {
                    tokens.append(LexToken(kind: .word(text), offset: start, text: text))
                }
            }
        }
        tokens.append(LexToken(kind: .end, offset: scalars.count, text: "end of condition"))
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_" || scalar == ".")
    }

    private var current: LexToken { tokens[position] }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private func isKeyword(_ keyword: String) -> Bool {
        if case .word(let word) = current.kind { return word == keyword }
        return false
    }

    private mutating func expect(_ kind: TokenKind, _ what: String) throws(ConditionSyntaxError) {
        guard current.kind == kind else {
            throw ConditionSyntaxError(offset: current.offset, message: "expected \(what), found '\(current.text)'")
        }
        advance()
    }

    private mutating func parseOr() throws(ConditionSyntaxError) -> Condition {
        var parts = [try parseAnd()]
        while isKeyword("or") {
            advance()
            parts.append(try parseAnd())
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private mutating func parseAnd() throws(ConditionSyntaxError) -> Condition {
        var parts = [try parseUnary()]
        while isKeyword("and") {
            advance()
            parts.append(try parseUnary())
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private mutating func parseUnary() throws(ConditionSyntaxError) -> Condition {
        if isKeyword("not") {
            advance()
            // No `defer` here: an error ends the whole parse, so the depth needs no unwinding.
            try enter()
            let operand = try parseUnary()
            depth -= 1
            return .not(operand)
        }
        return try parsePrimary()
    }

    private mutating func parseList() throws(ConditionSyntaxError) -> [Condition] {
        try expect(.open, "'('")
        try enter()
        var parts = [try parseOr()]
        while current.kind == .comma {
            advance()
            parts.append(try parseOr())
        }
        try expect(.close, "',' or ')'")
        depth -= 1
        return parts
    }

    private mutating func parseName(_ what: String) throws(ConditionSyntaxError) -> String {
        guard case .word(let word) = current.kind, !Self.keywords.contains(word) else {
            throw ConditionSyntaxError(offset: current.offset, message: "expected \(what), found '\(current.text)'")
        }
        nameUses.append((word, current.offset))
        advance()
        return word
    }

    static let keywords: Set<String> = ["and", "or", "not", "of", "any", "near"]

    private mutating func parsePrimary() throws(ConditionSyntaxError) -> Condition {
        let token = current
        switch token.kind {
        case .open:
            advance()
            try enter()
            let inner = try parseOr()
            try expect(.close, "')'")
            depth -= 1
            return inner
        case .number(let count):
            advance()
            guard isKeyword("of") else {
                throw ConditionSyntaxError(offset: current.offset, message: "expected 'of' after \(count), found '\(current.text)'")
            }
            advance()
            let parts = try parseList()
            guard count >= 1, count <= parts.count else {
                throw ConditionSyntaxError(offset: token.offset, message: "'\(count) of' needs between 1 and \(parts.count) for a list of \(parts.count)")
            }
            return .atLeast(count, parts)
        case .word("any"):
            advance()
            guard isKeyword("of") else {
                throw ConditionSyntaxError(offset: current.offset, message: "expected 'of' after 'any', found '\(current.text)'")
            }
            advance()
            return .atLeast(1, try parseList())
        case .word("near"):
            advance()
            try expect(.open, "'(' after 'near'")
            let first = try parseName("a signal name or kind")
            try expect(.comma, "','")
            let second = try parseName("a signal name or kind")
            try expect(.comma, "','")
            guard case .number(let words) = current.kind, words >= 1 else {
                throw ConditionSyntaxError(offset: current.offset, message: "expected a word distance (a positive number), found '\(current.text)'")
            }
            advance()
            try expect(.close, "')'")
            return .near(first, second, words)
        case .word(let word) where !Self.keywords.contains(word):
            let name = try parseName("a signal name or kind")
            guard current.kind == .openBracket else { return .name(name) }
            advance()
            var scopes: [FieldScope] = []
            repeat {
                if current.kind == .comma { advance() }
                guard case .word(let text) = current.kind, let scope = FieldScope(rawValue: text) else {
                    throw ConditionSyntaxError(offset: current.offset, message: "expected a field scope (\(FieldScope.allCases.map(\.rawValue).joined(separator: ", "))), found '\(current.text)'")
                }
                scopes.append(scope)
                advance()
            } while current.kind == .comma
            try expect(.closeBracket, "',' or ']'")
            return .scoped(name, scopes)
        case .end:
            throw ConditionSyntaxError(offset: token.offset, message: "the condition ends too early; expected a signal name or kind")
        default:
            throw ConditionSyntaxError(offset: token.offset, message: "expected a signal name, a kind, 'not', 'any of', 'N of', 'near' or '(', found '\(token.text)'")
        }
    }
}
