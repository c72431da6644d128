import CLibXML2
import Foundation
import Testing
@testable import NetralExtract

/// The one walk every reader of libxml2's tree uses (page, site profile, fragment, feed text):
/// what it reports, in which order, what it skips, and that depth cannot break it.
@Suite struct TreeWalkerTests {
    /// Records every hook as a line; skips the subtree of any element named in `skipping`.
    struct Trace: TreeVisitor {
        var skipping: Set<String> = []
        /// Off for huge trees: only the counts and the texts are kept.
        var recordsElements = true
        var events: [String] = []
        var entered = 0
        var left = 0

        mutating func enter(_ element: xmlNodePtr) -> Bool {
            entered += 1
            guard recordsElements else { return true }
            let name = String(cString: element.pointee.name)
            events.append("<\(name)>")
            return !skipping.contains(name)
        }

        mutating func leave(_ element: xmlNodePtr) {
            left += 1
            if recordsElements { events.append("</\(String(cString: element.pointee.name))>") }
        }

        mutating func text(_ content: UnsafePointer<UInt8>) {
            events.append(String(cString: content))
        }
    }

    /// Stops after `limit` nodes, as `WorkBudget` does for site profiles.
    struct Limited: TreeVisitor {
        var budget: WorkBudget
        var texts: [String] = []

        mutating func reach() throws(WorkBudget.Exhausted) {
            try budget.charge()
        }

        func enter(_ element: xmlNodePtr) -> Bool { true }

        mutating func text(_ content: UnsafePointer<UInt8>) {
            texts.append(String(cString: content))
        }
    }

    func parse(_ html: String) throws -> HTMLDocument {
        try HTMLDocument(bytes: Data(html.utf8), url: "https://contoh.test/", encoding: "UTF-8")
    }

    @Test func reportsEveryHookInDocumentOrderAndSkipsWhatTheVisitorRefuses() throws {
        let document = try parse("<html><body><p>Camat <b>Sungai</b> Jernih</p><script>jangan()</script><br><p>akhir</p></body></html>")
        var trace = Trace(skipping: ["script"])
        TreeWalker(try #require(document.root)).walk(&trace)
        #expect(trace.events == [
            "<html>", "<body>", "<p>", "Camat ", "<b>", "Sungai", "</b>", " Jernih", "</p>",
            // A refused element is reported but neither read nor left; an empty one is left at once.
            "<script>", "<br>", "</br>", "<p>", "akhir", "</p>", "</body>", "</html>",
        ])
        #expect(trace.entered == trace.left + 1)
    }

    @Test func aSubtreeWalkStaysInsideItsRoot() throws {
        let document = try parse("<html><body><div><p>pertama</p><p>kedua</p></div><p>luar</p></body></html>")
        let context = try XPathContext(document: document)
        let selected = try context.evaluate(try XPathExpression("//div/p[1]"), at: try #require(document.root))
        guard case .nodes(let nodes) = selected, case .node(let first) = nodes.first else {
            Issue.record("the first paragraph was not selected")
            return
        }
        var trace = Trace()
        TreeWalker(first).walk(&trace)
        #expect(trace.events == ["<p>", "pertama", "</p>"])
    }

    @Test func twoHundredThousandLevelsDoNotExhaustTheStack() throws {
        let depth = 200_000
        let html = "<html><body>" + String(repeating: "<span>", count: depth) + "dalam" + String(repeating: "</span>", count: depth)
        let document = try parse(html)
        var trace = Trace(recordsElements: false)
        TreeWalker(try #require(document.root)).walk(&trace)
        #expect(trace.events == ["dalam"])
        #expect(trace.entered == depth + 2)
        #expect(trace.left == trace.entered)
    }

    @Test func aVisitorsBudgetStopsTheWalk() throws {
        let document = try parse("<html><body><p>satu</p><p>dua</p><p>tiga</p></body></html>")
        // html, body, p, "satu", p: the fifth node is the last one paid for.
        var limited = Limited(budget: WorkBudget(limit: 5))
        #expect(throws: WorkBudget.Exhausted.self) {
            try TreeWalker(try #require(document.root)).walk(&limited)
        }
        #expect(limited.texts == ["satu"])
    }
}
