/// One element seen by the page walk, in document (pre-)order, so a parent always comes before
/// its children and an element's text is the contiguous slice `start..<end` of the text buffer.
struct ElementRecord {
    /// Text that is not the body's but is kept elsewhere: a picture's caption (into
    /// `Item.imageAlts`) and an author box (into `Author.bio`).
    enum SetAside: UInt8 { case none, caption, authorBox }

    var parent: Int32
    var kind: TagInfo.Kind
    var isBlock: Bool
    var baseScore: Int8
    /// The class and id hints (`ClassHints`); weighed in `MainContent.classify`.
    var hints: ClassHints
    /// Boilerplate by structure, whatever the text: `nav`, `menu`, `button`, a chrome ARIA
    /// role, `header`/`footer`/`aside` outside any `article` or `main`.
    var isStructuralBoilerplate: Bool
    /// A boilerplate region starts here (set by `MainContent.classify`).
    var startsBoilerplate = false
    /// With `startsBoilerplate`: a region cut from the body but read into another field.
    var setAside: SetAside = .none
    /// The tag and first class token (`ElementAttributes.classSignature`): siblings that share it
    /// are items of one list.
    var signature: UInt32 = 0
    var isAuthorBox: Bool
    var start: Int32
    var end: Int32
    /// Index of the last record inside this element: its subtree is `index...lastDescendant`.
    var lastDescendant: Int32 = 0
    /// Nearest block element at or above this one (-1: none): where its own text counts.
    var block: Int32
    /// Visible characters, link characters and commas of text nodes directly inside.
    var directCharacters: Int32 = 0
    var directLinkCharacters: Int32 = 0
    var directCommas: Int32 = 0
    /// Visible characters below, outside boilerplate (set by `MainContent.count`).
    var characters: Int32 = 0
    /// The part of `characters` inside links.
    var linkCharacters: Int32 = 0
    /// The part of `linkCharacters` in links of 20 characters or more: headlines of a listing,
    /// not menu entries.
    var titleLinkCharacters: Int32 = 0
    /// Commas below, outside boilerplate.
    var commas: Int32 = 0
    /// Characters whose nearest block ancestor is this element (paragraph-level text).
    var ownCharacters: Int32 = 0
    var ownCommas: Int32 = 0
    var score: Float = 0
    var isCandidate = false
    /// Has a child block that holds content (not `br`/`hr`) or an image: a `div` with its own
    /// text beside such children holds its own paragraphs (`MainContent.score`).
    var holdsBlocks = false
    /// Element children (visible ones: scripts and hidden elements are not recorded).
    var childCount: Int32 = 0

    /// +25 for a positive class/id hint, -25 for a negative one (readability's class weight).
    var classWeight: Float {
        var weight: Float = 0
        if hints.contains(.positive) || hints.contains(.author) { weight += 25 }
        if hints.isNegative { weight -= 25 }
        return weight
    }
}

extension ElementRecord {
    /// What a reader reads here: text outside links, and headline links.
    var contentCharacters: Int32 { characters - linkCharacters + titleLinkCharacters }
}
