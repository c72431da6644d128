/// What each desk template shows, as typed values: the templates in `Resources/` read these
/// fields by name. A field that is nil leaves its section out.

struct LayoutView: Encodable, Sendable {
    var title: String
    var pageKind: String
    var reviewer: String
    var csrf: String
    /// Another template, already rendered with escaping.
    var content: String
    var notice: String?
    var problem: String?
}

struct MessageView: Encodable, Sendable {
    var title: String
    var message: String
}

/// A name/value pair carried in a link or a hidden field.
struct FieldView: Encodable, Sendable {
    var name: String
    var value: String
}

/// One choice of a `<select>`.
struct OptionView: Encodable, Sendable {
    var value: String
    var label: String
    var selected = false
}

/// An act code with its title (`A2` · "Memasang spanduk …").
struct ActView: Encodable, Sendable {
    var code: String
    var title: String
}

// MARK: - Queue (queue.mustache)

struct QueueView: Encodable, Sendable {
    struct Count: Encodable, Sendable {
        var status: String
        var label: String
        var count: Int
        var href: String
        var current: Bool
    }

    struct Row: Encodable, Sendable {
        var href: String
        var created: String
        var who: String
        var shortID: String
        var acts: [ActView]
        var severity: String
        var severityLabel: String
        var candidates: String
        var status: String
        var statusLabel: String
    }

    var counts: [Count]
    var statusOptions: [OptionView]
    var severityOptions: [OptionView]
    var actOptions: [OptionView]
    var hasTargets: Bool
    var targetOptions: [OptionView]
    var total: Int
    var page: Int
    var pageCount: Int
    var hasPages: Bool
    var rows: [Row]
    var hasRows: Bool
    var csrf: String
    var filterFields: [FieldView]
    var exportFormats: [OptionView]
    var exportDestination: String
    var candidate: String?
    var target: String?
    var since: String?
    var until: String?
    var previousHref: String?
    var nextHref: String?
}

// MARK: - Case page (case.mustache)

struct CaseView: Encodable, Sendable {
    struct Review: Encodable, Sendable {
        var decisionLabel: String
        var reviewer: String
        var decidedAt: String
        var note: String
        /// Decided on another manifest than the one the state now records.
        var staleManifest: Bool
        var manifestShort: String
    }

    struct Finding: Encodable, Sendable {
        struct Hit: Encodable, Sendable {
            var signal: String
            var kind: String
            var term: String
            var field: String
            var quote: String
        }

        var act: String
        var actTitle: String
        var rule: String
        var severity: String
        var severityLabel: String
        var classLabel: String
        var score: String
        var description: String
        var hits: [Hit]
        /// Hits left out of the case file (more than it keeps); nil when none.
        var omitted: Int?
    }

    struct TextField: Encodable, Sendable {
        var label: String
        var text: String
    }

    struct Photo: Encodable, Sendable {
        var src: String
        var url: String
    }

    struct Version: Encodable, Sendable {
        var href: String
        var created: String
        var statusLabel: String
        var shortID: String
    }

    var caseID: String
    var who: String
    var status: String
    var statusLabel: String
    var severity: String
    var severityLabel: String
    var acts: [ActView]
    var title: String
    var sourceURL: String
    var sourceIsWeb: Bool
    var fetched: String
    var created: String
    var manifestSHA256: String
    var queueHref: String
    var decisionAction: String
    var queueFields: [FieldView]
    var csrf: String
    var note: String
    var canConfirm: Bool
    var canDismiss: Bool
    var canReopen: Bool
    var reviews: [Review]
    var hasReviews: Bool
    var findings: [Finding]
    var reportHref: String
    var captureHref: String
    var candidates: String?
    var region: String?
    var textFields: [TextField]
    var hasPhotos: Bool
    var photos: [Photo]
    var versions: [Version]
    var hasVersions: Bool
    /// What changed since the earlier version, when this one supersedes it.
    var changes: String?
    var hasNewer: Bool
    var newerHref: String?
    var previousHref: String?
    var nextHref: String?
}
