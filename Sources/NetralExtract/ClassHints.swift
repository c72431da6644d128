/// Class and id hints, read in one pass over the attribute value.
///
/// A hint is a whole word of a `class` or `id` token (words are separated by spaces, `-` and
/// `_`, and, for all but weak words, start at a capital after a small letter,
/// `relatedArticles`; a plural `s` is allowed), never a substring: `commentary` is not `comment`,
/// `has-recommendations` is not `recommend`. How the hints weigh is decided after the walk, in
/// `MainContent.classify`:
/// - decisive negatives (comment, related, cookie, advert, breadcrumb, ...) always mark boilerplate;
/// - soft negatives (share, social) unless a strong positive (article, content, entry, main, ...)
///   says the element is the content itself (`entry-content no-share`);
/// - weak negatives (sidebar, footer, menu, header, banner, widget, ...) unless any positive
///   (also post, text, blog, berita, detail) is present;
/// - author hints (author, byline, penulis) protect an element whatever else it says, because
///   ASN identity ("Camat Sungai Jernih") often lives in an author box.
/// Soft and weak negatives can also be overruled by the text itself: see `MainContent`.
struct ClassHints: OptionSet {
    let rawValue: UInt16

    static let positive = ClassHints(rawValue: 1)
    static let weakNegative = ClassHints(rawValue: 2)
    /// share, social: boilerplate unless a strong positive is also present.
    static let softNegative = ClassHints(rawValue: 4)
    static let author = ClassHints(rawValue: 8)
    /// bio, box, info, about, profile, description: with `author`, an author box.
    static let authorBoxPart = ClassHints(rawValue: 16)
    /// comment, related, cookie, advert, ...: boilerplate whatever else the element says.
    static let decisiveNegative = ClassHints(rawValue: 32)
    /// article, content, entry, main, ...: the element says it is the content.
    static let strongPositive = ClassHints(rawValue: 64)
    /// comment, komentar, disqus: also decisive, and never a wrapper whatever its size (a long
    /// comment thread under a short post is still not the post).
    static let comment = ClassHints(rawValue: 128)
    /// caption, keterangan: the words under a picture, read into `Item.imageAlts`, not the body.
    static let caption = ClassHints(rawValue: 256)

    var isAuthorBox: Bool { contains(.author) && contains(.authorBoxPart) }
    var isNegative: Bool { !isDisjoint(with: [.weakNegative, .softNegative, .decisiveNegative]) }

    /// Where a hint may start: at the start of a word (after space, `-` or `_`), or only at the
    /// start of a whole class token (after a space), for words such as `widget` that page
    /// builders also use inside content class names (`elementor-widget-text-editor`).
    enum Boundary { case word, classToken }

    struct Hint {
        let word: [UInt8]
        let hint: ClassHints
        let boundary: Boundary
    }

    static let hints: [Hint] = {
        var all: [Hint] = []
        func add(_ words: [String], _ hint: ClassHints, _ boundary: Boundary = .word) {
            all += words.map { Hint(word: Array($0.utf8), hint: hint, boundary: boundary) }
        }
        // Words in English and Indonesian first, then the same ideas in the languages whose
        // sites are common on the web (German, French, Spanish, Portuguese, Italian, Dutch,
        // Polish, Turkish, Malay, and pinyin and romaji for Chinese and Japanese templates).
        add(["article", "content", "entry", "main", "isi", "konten", "artikel", "story", "body",
             "inhalt", "contenu", "contenido", "conteudo", "contenuto", "articolo", "articulo", "noticia", "tresc", "icerik",
             "kandungan", "neirong", "zhengwen", "honbun"],
            [.positive, .strongPositive])
        add(["post", "text", "blog", "berita", "detail", "texto", "testo", "tekst", "beitrag"], .positive)
        // "share" only as a whole word: a share bar ("share-buttons") is chrome, a shared post
        // ("shared-post", the campaign content an ASN reposted) is the evidence.
        add(["share", "sharing", "bagikan", "social", "sosmed", "socmed", "teilen", "partage", "partager", "compartir",
             "compartilhar", "condividi", "delen", "kongsi", "fenxiang"],
            .softNegative)
        add(["comment", "commentlist", "komentar", "disqus", "kommentar", "kommentare", "commentaire", "commentaires",
             "comentario", "comentarios", "commento", "commenti", "reactie", "reacties", "komentarze", "yorum", "yorumlar",
             "pinglun"],
            [.decisiveNegative, .comment])
        add(["related", "terkait", "baca-juga", "bacajuga", "lainnya", "cookie",
             "consent", "gdpr", "newsletter", "subscribe", "subscription", "signup", "paywall", "langganan", "breadcrumb",
             "pagination", "advert", "advertisement", "iklan", "sponsor", "sponsored", "popup", "trending", "populer",
             "terpopuler", "popular", "recommend", "recommended", "rekomendasi", "sr-only", "screen-reader", "skip-link", "ad",
             "adsense", "tagcloud", "signature", "signaturecontainer", "outbrain", "taboola", "nocontent", "upsell", "recirc",
             "recirculation",
             "verwandt", "aehnlich", "werbung", "anzeige", "similaire", "similaires", "connexe", "publicite", "relacionado",
             "relacionados", "relacionada", "relacionadas", "publicidad", "publicidade", "anuncio", "correlati", "correlato",
             "pubblicita", "gerelateerd", "advertentie", "berkaitan", "reklama", "reklam", "xiangguan", "guanggao", "tuijian",
             "kanren", "ariane", "migas", "brotkrumen", "abonnement", "inscription", "suscripcion", "datenschutz"],
            .decisiveNegative)
        // "tag" is weak: WordPress marks a post with its tags (`post-3258 post tag-abnehmen`), and a
        // tag list is a link list that `MainContent.cutLinkBlocks` cuts anyway.
        add(["sidebar", "navbar", "masthead", "footer", "toolbar", "menu", "nav", "navigation", "header", "banner",
             "promo", "modal", "pager", "aside", "tag", "disclaimer", "disclosure", "affiliate", "cta", "donate", "donation",
             "navigasi", "kopfzeile", "fusszeile", "pied", "rodape", "piede", "cabecera", "cabecalho", "entete"],
            .weakNegative)
        add(["widget"], .weakNegative, .classToken)
        add(["author", "byline", "penulis"], .author)
        add(["caption", "figcaption", "keterangan"], .caption)
        add(["bio", "box", "info", "about", "profil", "profile", "desc", "description"], .authorBoxPart)
        return all
    }()

    /// Hints indexed by their first (lowercase ASCII) letter.
    static let byFirstLetter: [[Hint]] = {
        var table = Array(repeating: [Hint](), count: 26)
        for hint in hints { table[Int(hint.word[0] - 0x61)].append(hint) }
        return table
    }()

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    @inline(__always)
    static func isWordSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Whether a word ends at `index`: a separator or the end, after an optional plural `s`.
    @inline(__always)
    static func wordEnds(_ value: UnsafePointer<UInt8>, at index: Int) -> Bool {
        let after = value[index]
        if after == 0 || isWordSeparator(after) || (isUpper(after) && isLower(value[index - 1])) { return true }
        guard lower(after) == UInt8(ascii: "s") else { return false }
        let next = value[index + 1]
        return next == 0 || isWordSeparator(next) || isUpper(next)
    }

    @inline(__always)
    static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }

    @inline(__always)
    static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }

    /// Short function words of English and Indonesian, packed as `wordValue` packs them.
    static let slugStopWords: Set<UInt64> = Set([
        "a", "an", "the", "and", "of", "to", "with", "for", "in", "on", "is", "are", "how", "what", "why", "your", "you",
        "yang", "dan", "di", "ke", "dari", "untuk", "dengan", "cara", "ini", "itu",
    ].map { wordValue(Array($0.utf8)) })

    @inline(__always)
    static func wordValue(_ word: some Collection<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for byte in word.prefix(8) { value = value << 8 | UInt64(lower(byte)) }
        return value
    }

    /// Whether an id value is a heading turned into an anchor: three or more words, one of them
    /// a function word (`sharing-with-a-single-developer`, `cara-daftar-ke-kpu`). Widget ids
    /// (`block-views-related-articles`, `comments-area`) have none.
    static func isHeadingSlug(_ value: UnsafePointer<UInt8>) -> Bool {
        var words = 0
        var hasStopWord = false
        var index = 0
        var wordStart = 0
        while true {
            let byte = value[index]
            if byte == 0 || isWordSeparator(byte) {
                let length = index - wordStart
                if length > 0 {
                    words += 1
                    if length <= 6, slugStopWords.contains(wordValue(UnsafeBufferPointer(start: value + wordStart, count: length))) {
                        hasStopWord = true
                    }
                }
                if byte == 0 { break }
                wordStart = index + 1
            }
            index += 1
            if index > 200 { return false }
        }
        return words >= 3 && hasStopWord
    }

    /// Adds the hints found in one attribute value (NUL-terminated).
    static func scan(_ value: UnsafePointer<UInt8>) -> ClassHints {
        var found: ClassHints = []
        var index = 0
        var previous: UInt8 = 0x20
        while true {
            let raw = value[index]
            let byte = lower(raw)
            if byte == 0 { break }
            // A word starts after a separator, or at a capital after a small letter
            // (`emailSignup`, `relatedArticles`).
            let camel = isUpper(raw) && index > 0 && isLower(value[index - 1])
            if byte >= 0x61, byte <= 0x7A, isWordSeparator(previous) || camel {
                for hint in byFirstLetter[Int(byte - 0x61)] where !found.contains(hint.hint) {
                    let afterSpace = previous == 0x20 || previous == 0x09 || previous == 0x0A || previous == 0x0D
                    if hint.boundary == .classToken, camel || !afterSpace { continue }
                    // Weak words inside a camel-case name are usually modifiers
                    // (`anchorFixedHeader`, `messageSidebarOrientationLeft`).
                    if camel, hint.hint == .weakNegative { continue }
                    var offset = 1
                    while offset < hint.word.count, lower(value[index + offset]) == hint.word[offset] { offset += 1 }
                    guard offset == hint.word.count, wordEnds(value, at: index + offset) else { continue }
                    found.formUnion(hint.hint)
                }
            }
            previous = byte
            index += 1
        }
        return found
    }
}
