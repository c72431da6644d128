import NetralEvidence
import NetralModel

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

/// A value and what it means to the reviewer: a severity or a review status (the value names
/// the badge's CSS class), an act code with its title.
struct LabelledValue: Encodable, Sendable {
    var value: String
    var label: String

    init(value: String, label: String) {
        self.value = value
        self.label = label
    }

    init(_ severity: Severity) {
        value = severity.rawValue
        label = severity.label
    }

    init(_ status: ReviewStatus) {
        value = status.rawValue
        label = status.label
    }
}

// MARK: - Queue (queue.mustache)

struct QueueView: Encodable, Sendable {
    /// A status with how many case files have it, and the link to them.
    struct Count: Encodable, Sendable {
        var status, label: String
        var count: Int
        var href: String
        var current: Bool
    }

    /// One case file of the queue.
    struct Row: Encodable, Sendable {
        var href, created, who, shortID: String
        var acts: [LabelledValue]
        var severity: LabelledValue
        var candidates: String
        var status: LabelledValue
    }

    var counts: [Count]
    /// The filter's choices.
    var statusOptions, severityOptions, actOptions: [OptionView]
    var hasTargets: Bool
    var targetOptions: [OptionView]
    /// Case files matching, this page, and how many pages.
    var total, page, pageCount: Int
    var hasPages: Bool
    var rows: [Row]
    var hasRows: Bool
    var csrf: String
    var filterFields: [FieldView]
    var exportFormats: [OptionView]
    var exportDestination: String
    /// The filter's current values, for the form's text and date fields.
    var filter: QueueFields
    var previousHref, nextHref: String?
}

// MARK: - Case page (case.mustache)

struct CaseView: Encodable, Sendable {
    /// One entry of the review log.
    struct Review: Encodable, Sendable {
        var decisionLabel, reviewer, decidedAt, note: String
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

        /// The act's code and title.
        var act: LabelledValue
        var rule: String
        var severity: LabelledValue
        var classLabel: String
        var score: String
        var description: String
        var hits: [Hit]
        /// Hits left out of the case file (more than it keeps); nil when none.
        var omitted: Int?
    }

    struct Version: Encodable, Sendable {
        var href: String
        var created: String
        var status: LabelledValue
        var shortID: String
    }

    var caseID: String
    var who: String
    var status: LabelledValue
    var severity: LabelledValue
    var acts: [LabelledValue]
    var title: String
    var sourceURL: String
    var sourceIsWeb: Bool
    /// When the page was fetched and the case file made, in WIB with UTC.
    var fetched, created: String
    var manifestSHA256: String
    var queueHref: String
    /// The decision form: where it posts, the queue it came from, the CSRF token, the note
    /// kept from a refused decision, and which decisions the case file's status allows.
    var decisionAction: String
    var queueFields: [FieldView]
    var csrf, note: String
    var canConfirm, canDismiss, canReopen: Bool
    var reviews: [Review]
    var hasReviews: Bool
    var findings: [Finding]
    var reportHref, captureHref: String
    var candidates, region: String?
    /// Each text field of the item: its label, and its text (NIP masked).
    var textFields: [LabelledValue]
    var hasPhotos: Bool
    /// Each photo: where the desk serves it, and its original URL.
    var photos: [LabelledValue]
    var versions: [Version]
    var hasVersions: Bool
    /// What changed since the earlier version, when this one supersedes it.
    var changes: String?
    var hasNewer: Bool
    var newerHref: String?
    /// The neighbours in the queue.
    var previousHref, nextHref: String?
    /// Where the account's identity came from ("identitas dari bio akun: «…»"), one line each.
    var identitySources: [String] = []
}
