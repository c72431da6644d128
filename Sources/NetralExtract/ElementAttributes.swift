internal import CLibXML2

/// The attributes of one element that extraction looks at, read in one pass over libxml2's
/// attribute list without allocating (values point into the document).
struct ElementAttributes {
    var hints: ClassHints = []
    var hasClassOrID = false
    var role: UnsafePointer<UInt8>?
    var isHidden = false
    /// `itemprop="author"` or `rel="author"`: the element names the author.
    var marksAuthor = false
    /// The element's first class token without runs of three or more digits (`post-4711` is
    /// `post-`, `col-md-8` stays), hashed; 0 when it has no class: items of one list (forum
    /// posts, listing cards) share it.
    var classSignature: UInt32 = 0

    /// Reads `class`, `id`, `role`, `hidden`, `style`, `itemprop` and `rel` of `node`.
    init(_ node: xmlNodePtr) {
        var attribute = node.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            guard let name = current.pointee.name else { continue }
            let value = current.pointee.children?.pointee.content
            switch (name[0], name[1]) {
            case (UInt8(ascii: "c"), UInt8(ascii: "l")) where equalsLowercase(name, "class"):
                if let value {
                    hints.formUnion(ClassHints.scan(value))
                    hasClassOrID = true
                    classSignature = ElementAttributes.firstTokenSignature(value)
                }
            case (UInt8(ascii: "i"), UInt8(ascii: "d")) where name[2] == 0:
                // An id made from a heading's words ("sharing-with-a-single-developer") names
                // a section of the text, not a widget.
                if let value, !ClassHints.isHeadingSlug(value) { hints.formUnion(ClassHints.scan(value)); hasClassOrID = true }
            case (UInt8(ascii: "r"), UInt8(ascii: "o")) where equalsLowercase(name, "role"):
                role = value.map { UnsafePointer($0) }
            case (UInt8(ascii: "h"), UInt8(ascii: "i")) where equalsLowercase(name, "hidden"):
                isHidden = true
            case (UInt8(ascii: "s"), UInt8(ascii: "t")) where equalsLowercase(name, "style"):
                if let value, ElementAttributes.hidesElement(value) { isHidden = true }
            case (UInt8(ascii: "i"), UInt8(ascii: "t")) where equalsLowercase(name, "itemprop"),
                 (UInt8(ascii: "r"), UInt8(ascii: "e")) where equalsLowercase(name, "rel"):
                if let value, ClassHints.scan(value).contains(.author) { marksAuthor = true }
            default:
                break
            }
        }
    }

    /// FNV-1a of the first class token's bytes, long digit runs skipped; never 0.
    static func firstTokenSignature(_ value: UnsafePointer<UInt8>) -> UInt32 {
        var index = 0
        while value[index] == 0x20 || value[index] == 0x09 || value[index] == 0x0A { index += 1 }
        var hash: UInt32 = 2_166_136_261
        var digits = 0
        func mix(_ byte: UInt8) { hash = (hash ^ UInt32(ClassHints.lower(byte))) &* 16_777_619 }
        while true {
            let byte = value[index]
            if byte >= 0x30 && byte <= 0x39 {
                digits += 1
            } else {
                // A run of one or two digits is part of the name (`col-md-8` is not `col-md-4`);
                // a longer one is an id (`post-4711`).
                if digits > 0, digits < 3 { for offset in (index - digits)..<index { mix(value[offset]) } }
                digits = 0
                if byte == 0 || byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { break }
                mix(byte)
            }
            index += 1
        }
        return hash == 0 ? 1 : hash
    }

    /// `display:none` or `visibility:hidden` in an inline style (spaces and case ignored).
    static func hidesElement(_ style: UnsafePointer<UInt8>) -> Bool {
        var compact: [UInt8] = []
        var index = 0
        while style[index] != 0, compact.count < 512 {
            let byte = ClassHints.lower(style[index])
            if byte != 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { compact.append(byte) }
            index += 1
        }
        return compact.contains(subsequence: Array("display:none".utf8)) || compact.contains(subsequence: Array("visibility:hidden".utf8))
    }

    /// ARIA landmark roles that are page chrome rather than content.
    var isChromeRole: Bool {
        guard let role else { return false }
        for chrome in ["navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alertdialog"]
            where equalsLowercase(role, chrome) {
            return true
        }
        return false
    }
}

/// Case-insensitive equality of a NUL-terminated libxml2 string with an ASCII literal.
@inline(__always)
func equalsLowercase(_ value: UnsafePointer<UInt8>, _ literal: String) -> Bool {
    var index = 0
    for byte in literal.utf8 {
        if ClassHints.lower(value[index]) != byte { return false }
        index += 1
    }
    return value[index] == 0
}

/// The value of the attribute `name` (lowercase ASCII) of an element, pointing into the
/// document: no allocation, valid as long as the document is.
@inline(__always)
func attributeValue(_ node: xmlNodePtr, _ name: String) -> UnsafePointer<UInt8>? {
    var attribute = node.pointee.properties
    while let current = attribute {
        if let attributeName = current.pointee.name, equalsLowercase(attributeName, name) {
            guard let child = current.pointee.children else { return nil }
            if child.pointee.next == nil, child.pointee.type == XML_TEXT_NODE { return child.pointee.content.map { UnsafePointer($0) } }
            return nil
        }
        attribute = current.pointee.next
    }
    return nil
}

private extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        for start in 0...(count - subsequence.count) where self[start..<(start + subsequence.count)].elementsEqual(subsequence) {
            return true
        }
        return false
    }
}
