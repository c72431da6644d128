/// Limits and identity for fetching. The defaults are the ones `netral.yaml` documents.
public struct FetchOptions: Sendable, Equatable {
    /// Sent as User-Agent; should name a contact URL so site owners can reach the operator.
    public var userAgent: String
    /// Seconds to establish a connection.
    public var connectTimeout: Double
    /// Seconds for the whole transfer, redirects included.
    public var totalTimeout: Double
    public var maxRedirects: Int
    /// Cap on the body after decompression, in bytes.
    public var maxBodyBytes: Int

    public static let defaultUserAgent = "Netral/0.1 (+https://github.com/netral-id/netral; pemantauan netralitas ASN)"

    public init(
        userAgent: String = FetchOptions.defaultUserAgent,
        connectTimeout: Double = 10,
        totalTimeout: Double = 30,
        maxRedirects: Int = 5,
        maxBodyBytes: Int = 10 * 1024 * 1024
    ) {
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxRedirects = maxRedirects
        self.maxBodyBytes = maxBodyBytes
    }
}
