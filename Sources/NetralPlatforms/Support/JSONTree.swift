import Foundation

/// A read-only view of a JSON value as Foundation's `JSONSerialization` builds it. Every lookup
/// is total: a missing key, a wrong type or an out-of-range index gives an empty node, so a
/// changed answer shape costs a field, never a crash.
struct JSONNode {
    let raw: Any?

    // Every type test below looks at the value's dynamic type first. Casting a Swift
    // dictionary or array to a class (`as? NSNumber`, `is NSNull`) makes the runtime bridge the
    // whole subtree to Foundation objects before failing, which made each lookup cost the size
    // of what is below it.
    init(_ raw: Any?) {
        if let raw, type(of: raw) is NSNull.Type {
            self.raw = nil
        } else {
            self.raw = raw
        }
    }

    static var missing: JSONNode { JSONNode(nil) }

    private var number: NSNumber? {
        guard let raw, type(of: raw) is NSNumber.Type else { return nil }
        return unsafeDowncast(raw as AnyObject, to: NSNumber.self)
    }

    private var stringValue: String? {
        guard let raw else { return nil }
        if type(of: raw) == String.self { return (raw as! String) }
        if type(of: raw) is NSString.Type { return String(describing: raw) }
        return nil
    }

    subscript(key: String) -> JSONNode {
        guard let object = object else { return .missing }
        return JSONNode(object[key])
    }

    subscript(index: Int) -> JSONNode {
        guard let array = raw.flatMap({ type(of: $0) == [Any].self ? ($0 as! [Any]) : nil }), index >= 0, index < array.count else {
            return .missing
        }
        return JSONNode(array[index])
    }

    /// Follows keys and indices in turn (`node.at("data", "user", "result")`).
    func at(_ path: JSONPathComponent...) -> JSONNode {
        var node = self
        for component in path {
            switch component {
            case let .key(key): node = node[key]
            case let .index(index): node = node[index]
            }
            if node.raw == nil { return .missing }
        }
        return node
    }

    var exists: Bool { raw != nil }
    var isObject: Bool { object != nil }
    var isArray: Bool { raw.map { type(of: $0) == [Any].self } ?? false }
    var object: [String: Any]? { raw.flatMap { type(of: $0) == [String: Any].self ? ($0 as! [String: Any]) : nil } }
    var keys: [String] { object.map { Array($0.keys) } ?? [] }

    /// The elements of an array (empty for anything else).
    var array: [JSONNode] {
        guard let array = raw.flatMap({ type(of: $0) == [Any].self ? ($0 as! [Any]) : nil }) else { return [] }
        return array.map(JSONNode.init)
    }

    /// A string, or a number written as a string (ids are numbers in some answers).
    var string: String? {
        if let text = stringValue { return text }
        if let number, !Self.isBoolean(number) {
            let value = number.doubleValue
            // Whole numbers print without a fraction; huge or non-finite ones as they come.
            if value.isFinite, value == value.rounded(), abs(value) < 1e18 { return String(number.int64Value) }
            return number.stringValue
        }
        return nil
    }

    /// A non-empty string with surrounding whitespace removed.
    var text: String? {
        guard let string else { return nil }
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A whole number from a number or a numeric string; nil when it does not fit an `Int` (a
    /// huge or non-finite number is not a count anyone can trust).
    var int: Int? {
        if let number, !Self.isBoolean(number) {
            let value = number.doubleValue
            guard value.isFinite, abs(value) < 9.0e18 else { return nil }
            if value == value.rounded() { return Int(number.int64Value) }
            return Int(value)
        }
        if let text = stringValue {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard trimmed.utf8.count <= 19 else { return nil }
            return Int(trimmed)
        }
        return nil
    }

    var double: Double? {
        if let number, !Self.isBoolean(number) {
            let value = number.doubleValue
            return value.isFinite ? value : nil
        }
        if let text = stringValue, text.utf8.count <= 40, let value = Double(text), value.isFinite { return value }
        return nil
    }

    var bool: Bool? {
        if let number { return number.boolValue }
        if let raw, type(of: raw) == Bool.self { return (raw as! Bool) }
        if let text = stringValue { return text == "true" ? true : (text == "false" ? false : nil) }
        return nil
    }

    private static func isBoolean(_ number: NSNumber) -> Bool {
        // Foundation on Linux marks booleans with the `c` (char) Objective-C type.
        String(cString: number.objCType) == "c"
    }

    /// The first node under this one (itself included) for which `match` holds, depth first,
    /// visiting at most `budget` nodes: the walk stays linear whatever the answer's shape.
    func first(budget: Int = 2_000_000, where match: (JSONNode) -> Bool) -> JSONNode? {
        var stack: [Any] = raw.map { [$0] } ?? []
        var visited = 0
        while let value = stack.popLast() {
            visited += 1
            if visited > budget { return nil }
            let node = JSONNode(value)
            if match(node) { return node }
            if type(of: value) == [String: Any].self {
                let object = value as! [String: Any]
                // Sorted keys keep the walk's order the same from run to run.
                for key in object.keys.sorted().reversed() { if let child = object[key] { stack.append(child) } }
            } else if type(of: value) == [Any].self {
                for child in (value as! [Any]).reversed() { stack.append(child) }
            }
        }
        return nil
    }

    /// For each of `keys`, every object under this one that has it, in one walk (see `all`).
    func all(withKeys keys: Set<String>, budget: Int = 2_000_000) -> [String: [JSONNode]] {
        var found: [String: [JSONNode]] = [:]
        var stack: [Any] = raw.map { [$0] } ?? []
        var visited = 0
        while let value = stack.popLast() {
            visited += 1
            if visited > budget { break }
            if type(of: value) == [String: Any].self {
                let object = value as! [String: Any]
                let names = object.keys.sorted()
                for name in names where keys.contains(name) { found[name, default: []].append(JSONNode(object)) }
                for name in names.reversed() { if let child = object[name] { stack.append(child) } }
            } else if type(of: value) == [Any].self {
                for child in (value as! [Any]).reversed() { stack.append(child) }
            }
        }
        return found
    }

    /// Every object under this one (itself included) that has `key`, in document order
    /// (object keys sorted), visiting at most `budget` nodes.
    func all(withKey key: String, budget: Int = 2_000_000) -> [JSONNode] {
        var found: [JSONNode] = []
        var stack: [Any] = raw.map { [$0] } ?? []
        var visited = 0
        while let value = stack.popLast() {
            visited += 1
            if visited > budget { break }
            if type(of: value) == [String: Any].self {
                let object = value as! [String: Any]
                if object[key] != nil { found.append(JSONNode(object)) }
                for name in object.keys.sorted().reversed() { if let child = object[name] { stack.append(child) } }
            } else if type(of: value) == [Any].self {
                for child in (value as! [Any]).reversed() { stack.append(child) }
            }
        }
        return found
    }
}

enum JSONPathComponent: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case key(String)
    case index(Int)

    init(stringLiteral value: String) { self = .key(value) }
    init(integerLiteral value: Int) { self = .index(value) }
}

/// Parses untrusted JSON: the size and the nesting depth are checked by one linear scan before
/// Foundation parses anything, and invalid UTF-8 is replaced (U+FFFD) with a note rather than
/// refused.
struct JSONDocument {
    let root: JSONNode
    /// Set when invalid UTF-8 had to be replaced.
    let repairNote: String?

    /// `bytes` is the JSON text; `location` names it in errors ("the answer", "script
    /// __UNIVERSAL_DATA_FOR_REHYDRATION__").
    init(bytes: Data, platform: Platform, url: String, location: String, limits: PlatformLimits) throws(PlatformParseError) {
        guard bytes.count <= limits.maxBodyBytes else {
            throw PlatformParseError(
                platform: platform, url: url, location: location,
                reason: "\(bytes.count) bytes of JSON is more than the limit of \(limits.maxBodyBytes)")
        }
        switch JSONScan.check(bytes, maxDepth: limits.maxJSONDepth) {
        case .empty:
            throw PlatformParseError(platform: platform, url: url, location: location, reason: "the JSON is empty")
        case let .tooDeep(offset):
            throw PlatformParseError(
                platform: platform, url: url, location: "\(location), byte \(offset)",
                reason: "JSON nested deeper than \(limits.maxJSONDepth) levels; not parsed")
        case let .unbalanced(offset):
            throw PlatformParseError(
                platform: platform, url: url, location: "\(location), byte \(offset)",
                reason: "the JSON is cut off or its brackets do not match (truncated answer?)")
        case .fine:
            break
        }
        do {
            root = JSONNode(try JSONSerialization.jsonObject(with: bytes, options: []))
            repairNote = nil
        } catch {
            // Foundation refuses a whole document for invalid UTF-8, a lone surrogate escape or
            // a number no Double holds: mend those (they cost a character or a field, not the
            // answer) and try once more.
            let firstError = Self.describe(error)
            var repairs: [String] = []
            var mended = bytes
            if String(validating: bytes, as: UTF8.self) == nil {
                mended = Data(String(decoding: bytes, as: UTF8.self).utf8)
                repairs.append("invalid UTF-8 replaced")
            }
            let (sanitized, fixes) = JSONScan.mend(mended)
            repairs += fixes
            guard !repairs.isEmpty else {
                throw PlatformParseError(platform: platform, url: url, location: location, reason: "not valid JSON: \(firstError)")
            }
            do {
                root = JSONNode(try JSONSerialization.jsonObject(with: sanitized, options: []))
            } catch {
                throw PlatformParseError(
                    platform: platform, url: url, location: location, reason: "not valid JSON: \(Self.describe(error))")
            }
            repairNote = "\(location): the JSON was mended before reading (\(repairs.joined(separator: "; ")))"
        }
    }

    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}

/// One pass over JSON bytes: nesting depth and bracket balance, strings skipped.
enum JSONScan {
    enum Result: Equatable {
        case fine
        case empty
        case tooDeep(offset: Int)
        case unbalanced(offset: Int)
    }

    static func check(_ data: Data, maxDepth: Int) -> Result {
        data.withUnsafeBytes { buffer -> Result in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var depth = 0
            var inString = false
            var escaped = false
            var sawValue = false
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == 0x5C {
                        escaped = true
                    } else if byte == 0x22 {
                        inString = false
                    }
                    continue
                }
                switch byte {
                case 0x22:
                    inString = true
                    sawValue = true
                case 0x7B, 0x5B:
                    depth += 1
                    sawValue = true
                    if depth > maxDepth { return .tooDeep(offset: index) }
                case 0x7D, 0x5D:
                    depth -= 1
                    if depth < 0 { return .unbalanced(offset: index) }
                case 0x20, 0x0A, 0x0D, 0x09:
                    break
                default:
                    sawValue = true
                }
            }
            if !sawValue { return .empty }
            if depth != 0 || inString { return .unbalanced(offset: bytes.count) }
            return .fine
        }
    }

    /// A copy in which lone UTF-16 surrogate escapes (`\\ud800` without its pair) become
    /// `\\ufffd` and numbers no Double can hold (`1e400`, 400 digits) become `null`, with what
    /// was changed. One linear pass.
    static func mend(_ data: Data) -> (Data, [String]) {
        var output = [UInt8]()
        output.reserveCapacity(data.count)
        var surrogates = 0
        var numbers = 0
        data.withUnsafeBytes { buffer in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var index = 0
            var inString = false
            func hex4(_ at: Int) -> UInt32? {
                guard at + 4 <= bytes.count else { return nil }
                var value: UInt32 = 0
                for offset in 0..<4 {
                    let byte = bytes[at + offset]
                    let digit: UInt32
                    switch byte {
                    case 0x30...0x39: digit = UInt32(byte - 0x30)
                    case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                    case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                    default: return nil
                    }
                    value = value << 4 | digit
                }
                return value
            }
            let replacement = Array("\\ufffd".utf8)
            while index < bytes.count {
                let byte = bytes[index]
                if inString {
                    if byte == 0x5C, index + 1 < bytes.count {
                        if bytes[index + 1] == 0x75, let unit = hex4(index + 2) {
                            if unit >= 0xD800 && unit <= 0xDBFF {
                                if index + 12 <= bytes.count, bytes[index + 6] == 0x5C, bytes[index + 7] == 0x75,
                                    let low = hex4(index + 8), low >= 0xDC00 && low <= 0xDFFF
                                {
                                    output.append(contentsOf: bytes[index..<index + 12])
                                    index += 12
                                    continue
                                }
                                output.append(contentsOf: replacement)
                                surrogates += 1
                                index += 6
                                continue
                            }
                            if unit >= 0xDC00 && unit <= 0xDFFF {
                                output.append(contentsOf: replacement)
                                surrogates += 1
                                index += 6
                                continue
                            }
                        }
                        output.append(byte)
                        output.append(bytes[index + 1])
                        index += 2
                        continue
                    }
                    if byte == 0x22 { inString = false }
                    output.append(byte)
                    index += 1
                    continue
                }
                if byte == 0x22 {
                    inString = true
                    output.append(byte)
                    index += 1
                    continue
                }
                if byte == 0x2D || (byte >= 0x30 && byte <= 0x39) {
                    var end = index + 1
                    while end < bytes.count {
                        let next = bytes[end]
                        guard (next >= 0x30 && next <= 0x39) || next == 0x2E || next == 0x65 || next == 0x45 || next == 0x2B || next == 0x2D
                        else { break }
                        end += 1
                    }
                    let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
                    if token.utf8.count > 300 || Double(token).map({ !$0.isFinite }) == true {
                        output.append(contentsOf: Array("null".utf8))
                        numbers += 1
                    } else {
                        output.append(contentsOf: bytes[index..<end])
                    }
                    index = end
                    continue
                }
                output.append(byte)
                index += 1
            }
        }
        var fixes: [String] = []
        if surrogates > 0 { fixes.append("\(surrogates) lone surrogate escape(s) replaced") }
        if numbers > 0 { fixes.append("\(numbers) number(s) too large for a Double read as null") }
        return (Data(output), fixes)
    }

    /// The end (exclusive) of the JSON object or array that starts at `start` (a `{` or `[`),
    /// or nil when the bytes end first: how a `var x = {...};` inside a script is cut out.
    static func endOfValue(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
            } else {
                switch byte {
                case 0x22: inString = true
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default: break
                }
            }
            index += 1
        }
        return nil
    }
}
