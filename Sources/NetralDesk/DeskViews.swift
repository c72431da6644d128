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
        var id, href, created, who, shortID: String
        var acts: [LabelledValue]
        var severity: LabelledValue
        var candidates: String
        var status: LabelledValue
        /// When the post was published (local), where (platform or domain), the region, and
        /// the reporting deadline; nil when the case file cannot be read.
        var posted, place, region: String?
        var deadline: String
        /// `lewat` (past), `dekat` (two days or less) or `aman`: the deadline's CSS class.
        var deadlineClass: String
        /// Who has taken it, when someone has.
        var claimedBy: String?
        var claimedByMe: Bool
        var canDismiss: Bool
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
    /// The orders the queue offers (newest first, nearest deadline first).
    var orderOptions: [OptionView]
    /// Bulk dismissal of the ticked rows: the queue's fields to come back to.
    var bulkFields: [FieldView]
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

    /// A piece of the post's text: plain, a hit (`kind` names its colour), or a cut.
    struct Segment: Encodable, Sendable {
        var text: String
        var kind: String?
        var signals: String?
        var cut: Bool
    }

    /// One text field of the post (body, title, words in a picture, words in the video) with
    /// its hits marked.
    struct PostField: Encodable, Sendable {
        var label: String
        var segments: [Segment]
    }

    /// A fact of the header and where it came from (`bio akun`, `teks unggahan`).
    struct Fact: Encodable, Sendable {
        var label: String
        var value: String
        var source: String?
        var link: String?
    }

    /// One signal across the acts, as the report's compact rows: its kind, its name, its words.
    struct SignalRow: Encodable, Sendable {
        var kind, kindLabel, signal, words: String
    }

    /// One act found on the post.
    struct Act: Encodable, Sendable {
        var act: LabelledValue
        var rule: String
        var severity: LabelledValue
        var classLabel: String
        var score: String
        var description: String
        /// Hits left out of the case file (more than it keeps); nil when none.
        var omitted: Int?
    }

    struct Version: Encodable, Sendable {
        var href: String
        var created: String
        var status: LabelledValue
        var shortID: String
    }

    /// Who has taken the case (a claim held by the running desk).
    struct Claim: Encodable, Sendable {
        var reviewer: String
        var since: String
        var mine: Bool
    }

    var caseID: String
    var who: String
    var status: LabelledValue
    var severity: LabelledValue
    var acts: [LabelledValue]
    var title: String
    var sourceURL: String
    var sourceIsWeb: Bool
    /// The post first: its text fields with hits marked, and its pictures.
    var postFields: [PostField]
    var hasPostFields: Bool
    /// Every text field in full (NIP masked), folded away.
    var textFields: [LabelledValue]
    var hasPhotos: Bool
    /// Each photo: where the desk serves it, and its original URL.
    var photos: [LabelledValue]
    /// The facts header: terlapor (with sources), account, region, times, deadline, platform.
    var facts: [Fact]
    var signals: [SignalRow]
    var findings: [Act]
    var manifestSHA256: String
    var queueHref: String
    /// The decision form: where it posts, the queue it came from, the CSRF token, the note
    /// kept from a refused decision, and which decisions the case file's status allows.
    var decisionAction: String
    var queueFields: [FieldView]
    var csrf, note: String
    var canConfirm, canDismiss, canReopen: Bool
    var claim: Claim?
    var claimAction, releaseAction: String
    /// The filled report form and the case's ZIP.
    var formHref, formDocxHref, zipHref: String
    var reviews: [Review]
    var hasReviews: Bool
    var reportHref, captureHref: String
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
