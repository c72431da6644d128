public import NetralModel

/// Turns an HTML capture into items: one `Item` for the page, or, with a `SiteProfile`, one
/// item per post the profile's XPath selects.
///
/// ## Main text versus boilerplate
///
/// The page is read in one iterative pass over libxml2's tree (`PageWalk`, a visitor of the
/// one `TreeWalker`), then the main content is chosen by content scoring in the spirit of
/// Mozilla's Readability, with the boilerplate signals trafilatura and jusText use:
///
/// 1. **Never text**: `script`, `style`, `noscript` (but see 6), `template`, `svg`, `iframe`,
///    form controls, `<title>`, and elements that are `hidden` or `display:none` inline are not
///    read at all.
/// 2. **Boilerplate regions** are marked, not deleted, after the walk (`MainContent.classify`):
///    - by structure, whatever the text: `nav`, `menu` and `button`; `header`, `footer` and
///      `aside` outside any `article`/`main`; ARIA chrome roles (navigation, banner, contentinfo,
///      complementary, search, dialog);
///    - by class and id words, matched as whole words of a token (`-`, `_` and spaces separate
///      words, and a capital after a small letter starts one: `relatedArticles`; never a
///      substring, so `commentary` is not `comment`), in three strengths and several languages
///      (`ClassHints`): decisive words (comment, related, cookie, advert, breadcrumb, paywall,
///      newsletter, signature, baca-juga, terkait, iklan, kommentar, publicidad, ...) always;
///      soft words (share, social, bagikan, teilen, ...) unless a strong positive (article,
///      content, entry, main, isi, konten, inhalt, ...) is also there, so `entry-content
///      no-share` is content; weak words (sidebar, footer, menu, header, banner, widget, tag,
///      ...) unless any positive (also post, text, blog, berita) is there.
///    `<body>`, `<html>`, `<article>`, `<main>` and links never start a region on a class word
///    (a link's class styles a word of a sentence), nor does a wrapper: an element around the
///    page's main landmark (the `<article>` or `<main>` with the most text: `<div id="ad-portal">`
///    around the whole page), or one holding more than six sevenths of the page's text outside
///    links (trafilatura's guard: `category main top-pagination-hidden` around a product list),
///    which structure does not make boilerplate either, unless comment words mark it. An id made
///    of a heading's words (`sharing-with-a-single-developer`) says nothing. Author hints
///    (author, byline, penulis) protect an element whatever else it says.
///    - **Set aside**: captions (`figcaption`, a `figure` of at most 600 characters, a caption
///      class) and author boxes (`author-bio`) are cut from the body and read into
///      `Item.imageAlts` (after the picture's alt text) and `Author.bio`: ASN identity such as
///      "Camat Sungai Jernih" often lives there, and rules read both fields.
/// 3. **Scoring**: every block with 25 or more characters of its own text outside boilerplate
///    scores 1 + its commas + one point per 100 characters (at most 3). The score goes in full to
///    its parent, half to its grandparent, and score / (3 × level) to three more ancestors. A
///    `div` whose own text sits beside child blocks (lines split by `<br>` next to a `<p>`) holds
///    paragraphs of its own, as Readability wraps them, and takes the full score itself.
///    Each container starts from a tag bonus (div +5; pre, td, blockquote +3; lists and forms -3;
///    headings -5) plus its class weight (+25 positive, -25 negative), and its total is scaled by
///    1 − link density (text inside links / all text), so link lists and menus sink.
/// 4. **The text overrules soft and weak class words**: the page is scored a second time with
///    only structure and decisive words marking boilerplate. When the best block found so is
///    inside a soft- or weak-word region and scores more than twice the best block of the first
///    scoring, the regions around it are wrappers (`with-sidebar-right karma-below-banner`
///    around the whole page), not boilerplate, and the page is scored again without them.
///    Decisive words are never overruled: a long comment thread must not become the article.
/// 5. **Choice**: the best container, raised through parents of which it is the only child (an
///    article split into wrapped sections), promoted to its nearest `<article>` ancestor so the
///    heading stays with the text, plus siblings that score at least a fifth of it (and 10) or
///    are paragraphs of more than 80 characters with link density under 0.25. When the choice is
///    one item of a list (it or an ancestor up to eight levels has siblings with its tag and
///    first class token, at least two holding text, together half as much again as it: a
///    forum's posts, a listing's cards), the list's items are the choice. Inside a promoted
///    `<article>`, kicker labels before the best block ("VIVALIFE", a block of at most 30
///    characters) are cut. Inside the choice, link-heavy containers (`cutLinkBlocks`) and runs of
///    three or more lines that are each one link of three or more words (a "Jangan Lewatkan"
///    list written with `<br>`s) are cut, unless the choice holds more headline-link text (links
///    of 20 characters or more) than prose: then it is a listing and its headlines stay. Table
///    rows are judged with their table. The first heading that repeats the title is cut (the
///    headline is `Item.title`, Readability's `_headerDuplicatesTitle`).
/// 6. **Fallbacks**, recall before precision (a missed campaign sentence costs more than some
///    extra text):
///    - no scored block reads the whole `<body>` without its boilerplate;
///    - a choice under a quarter of the page's non-boilerplate text outside links and under
///      1,000 characters (a timeline of short posts), or under half of it on a page that does not
///      call itself an article (`og:type`) when the element holding most of that text holds the
///      choice too (a landing page's sections), reads that element: the deepest one holding
///      three fifths of the text (an article beside a longer stream of teasers stays alone);
///    - a choice of a line or two (under 300 characters, fewer than three commas) on a page whose
///      text is mostly headline links reads the element holding most of them (a forum's list of
///      threads);
///    - a main text under 100 bytes is read again with only structure and decisive words (a home
///      page built of widgets), or, when nearly all the page's prose was in boilerplate (a forum
///      whose posts are called comments, a bare comment thread), the whole `<body>`.
///    A body under 200 bytes keeps its captions and author boxes. A main text under 500 bytes on
///    a page with `<noscript>` is read again with `<noscript>` visible (an article a script
///    renders for browsers), and that reading wins when it gives more than twice the text.
/// 7. **Widget lines**: short lines that say what widgets say (view counters "telah dilihat N
///    kali", "Tweets by @…", closed-comment notices, e-mail sign-up prompts, related-list labels
///    "Baca juga:", "Jangan Lewatkan", "Berita Terkait", "You may also like", share labels,
///    picture credits "Foto: …", copyright lines) are dropped from the body whatever their
///    markup (`BoilerplateLines`), and so are credit lines ("Pewarta: …", "By Lisa Mascaro,
///    Mary Clare Jalonick and Eric Tucker", or "Penulis" and ": name" on two lines), datelines
///    ("Kamis, 5 November 2015 14:56 WIB | 1.229 Views", "By Mike Wall 2019-11-18T20:51:19Z",
///    "Updated Nov 19 6:55 AM"), and, among the first six lines, a line that starts with the
///    author's name ("Tom Krisher, AP Auto Writer"), which `author` and `publishedAt` read.
///
/// `Item.body` is the chosen text with boilerplate regions cut out; links and image alt texts come
/// from the same region; title, description, author, dates, language and canonical URL come from
/// the head (`<title>`, metas, `og:*`, `twitter:*`, `article:*`) and JSON-LD.
public struct HTMLExtractor: Sendable {
    public init() {}

    /// One item for the whole page.
    public func extract(_ capture: Capture) throws -> Item {
        let document = try HTMLDocument(bytes: capture.body, url: capture.finalURL, encoding: capture.declaredCharset)
        return PageReader(document: document, capture: capture).item()
    }

    /// Parses the page exactly as `extract(_:)` does (encoding decision, conversion to UTF-8,
    /// libxml2's parse) and frees the tree without reading it: the in-process floor that
    /// `netral-bench` measures extraction against.
    public func parseOnly(_ capture: Capture) throws {
        _ = try HTMLDocument(bytes: capture.body, url: capture.finalURL, encoding: capture.declaredCharset)
    }

    /// With a profile, one item per node the profile's `item` expression selects; without one,
    /// or when the profile selects nothing on this page (the site changed its layout), or when
    /// the selected items nest so deeply that reading each would be quadratic (a hostile page),
    /// the one page item, so no text is ever lost.
    ///
    /// - Throws: `ExtractError` when the page cannot be parsed or a selector fails to evaluate.
    public func extract(_ capture: Capture, profile: SiteProfile?) throws -> [Item] {
        let document = try HTMLDocument(bytes: capture.body, url: capture.finalURL, encoding: capture.declaredCharset)
        let reader = PageReader(document: document, capture: capture)
        let page = reader.item()
        guard let profile else { return [page] }
        let items = try ProfileReader(
            profile: profile, document: document, capture: capture, page: page, base: reader.resolver,
            elementCount: reader.page.records.count
        ).items()
        guard let items, !items.isEmpty else { return [page] }
        return items
    }
}
