/// Reviewer-facing names of signal kinds, the same as the report's legend, for other pages
/// that show hits (the reviewer's desk).
public enum SignalKindLabel {
    public static func label(of kind: String) -> String {
        ReportRenderer.kindLabel(kind)
    }
}
