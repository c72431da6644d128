// swift-tools-version: 6.1
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode is the package default; these
/// upcoming features keep existential and import use explicit.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Netral",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "netral", targets: ["netral"]),
        .library(name: "NetralScan", targets: ["NetralScan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // WACZ captures, WhatsApp `.zip` exports, and the case officer's DOCX and case ZIP.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // C libraries. Each is a module map plus a header of small static inline wrappers.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        .systemLibrary(
            name: "CSystemZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // Tesseract's C API and Leptonica (image decoding and scaling) for OCR of post images.
        .systemLibrary(
            name: "CTesseract",
            pkgConfig: "tesseract",
            providers: [.apt(["libtesseract-dev", "libleptonica-dev"]), .brew(["tesseract", "leptonica"])]
        ),

        // Value types that cross stage boundaries: Capture, Item, Finding.
        .target(name: "NetralModel", exclude: ["README.md"], swiftSettings: strictSettings),
        // YAML documents read with positions, so every config and pack error says file:line:col.
        .target(
            name: "NetralYAML",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // The zlib inflate stream the WARC reader and the fetcher share; C pointers stay inside.
        .target(name: "NetralZlib", dependencies: ["CSystemZlib"], swiftSettings: strictSettings),
        .target(
            name: "NetralFetch",
            dependencies: ["CCurl", "NetralZlib", "NetralModel"],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NetralExtract",
            dependencies: ["CLibXML2", "NetralZlib", "NetralModel", "NetralYAML", "NetralWARC"],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        // Platform answers (TikTok, Instagram, Facebook, X, YouTube, Telegram pages and captured
        // answers, WhatsApp chat exports) -> items, account profiles, media, transcripts, walls.
        .target(
            name: "NetralPlatforms",
            dependencies: [
                "CLibXML2", "NetralModel", "NetralExtract", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        // Words in post images: Tesseract through its C API, cached by image digest, capped.
        .target(
            name: "NetralOCR",
            dependencies: ["CTesseract", "NetralModel", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NetralRules",
            dependencies: ["NetralModel", "NetralYAML", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        // WARC read (streamed, gzip members) and write (case-file captures); WACZ packages.
        .target(
            name: "NetralWARC",
            dependencies: [
                "CSystemZlib", "NetralZlib", "NetralModel", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NetralEvidence",
            dependencies: [
                "NetralModel", "NetralWARC",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NetralStore",
            dependencies: [
                "NetralModel", "NetralEvidence",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        // Review decisions as case-tracker feeds: export formats (JSONL, CSV, TheHive, MISP)
        // with a cursor per destination, and push to a webhook or TheHive.
        .target(
            name: "NetralCases",
            dependencies: [
                "NetralModel", "NetralYAML", "NetralStore", "NetralEvidence", "NetralFetch",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                // One case's document set: the report form (HTML through Mustache, DOCX) and the case ZIP.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NetralScan",
            dependencies: [
                "NetralModel", "NetralYAML", "NetralFetch", "NetralExtract", "NetralRules", "NetralWARC",
                "NetralEvidence", "NetralStore", "NetralCases", "NetralPlatforms", "NetralOCR",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                // Watchlists exported by agencies (`netral targets import`).
                .product(name: "CSV", package: "CSV.swift"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        // `netral demo`: the labelled demo site served on loopback and scanned.
        .target(
            name: "NetralDemo",
            dependencies: [
                "NetralScan", "NetralFetch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        // The reviewer's desk: a server-rendered web page over the state and the review log.
        .target(
            name: "NetralDesk",
            dependencies: [
                "NetralModel", "NetralStore", "NetralEvidence", "NetralCases",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"],
            // Templates, stylesheet and script, read through Bundle.module.
            resources: [.process("Resources")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "netral",
            dependencies: [
                "NetralScan", "NetralDemo", "NetralCases", "NetralDesk",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),

        // Benchmarks of single stages on local data (Benchmarks/); not shipped.
        .executableTarget(
            name: "netral-bench",
            dependencies: ["NetralExtract", "NetralModel"],
            path: "Sources/netral-bench",
            swiftSettings: strictSettings
        ),

        // Benchmarks/workers/run.sh: the state's claim cycle alone, on SQLite or PostgreSQL.
        .executableTarget(
            name: "netral-bench-claims",
            dependencies: ["NetralStore"],
            swiftSettings: strictSettings
        ),

        // Benchmarks/ocr/run.sh: OCR of a folder of images, beside the tesseract command.
        .executableTarget(
            name: "netral-bench-ocr",
            dependencies: ["NetralOCR", "NetralModel"],
            swiftSettings: strictSettings
        ),

        // Temporary folders and the repository root, shared by the test targets.
        .target(
            name: "NetralTestSupport",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            path: "Tests/NetralTestSupport"
        ),
        // A fresh state per test on SQLite or on the PostgreSQL test server, shared by the test
        // targets that run against both.
        .target(
            name: "NetralStoreTestSupport",
            dependencies: ["NetralStore", "NetralTestSupport"],
            path: "Tests/NetralStoreTestSupport"
        ),
        // A Hummingbird server on a free loopback port (routes or a folder) and an RFC 3161
        // authority, shared by the test targets, so none of them builds the demo for a server.
        .target(
            name: "NetralTestServer",
            dependencies: [
                "NetralTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/NetralTestServer"
        ),
        // A state and evidence folder of invented case files, and a case tracker on loopback that
        // misbehaves on purpose: shared by the export and push tests and the command-line tests.
        .target(
            name: "NetralCaseFixtures",
            dependencies: [
                "NetralStore", "NetralEvidence", "NetralModel", "NetralTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/NetralCaseFixtures"
        ),
        // Benchmarks/matching/run.sh: times normalize + match + evaluate over a corpus.
        // Benchmarks/platforms/run.sh: the platform parsers over saved answers, N times.
        .executableTarget(
            name: "netral-bench-platforms",
            dependencies: ["NetralPlatforms", "NetralModel"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "netral-bench-match",
            dependencies: ["NetralRules", "NetralModel"],
            swiftSettings: strictSettings
        ),

        .testTarget(
            name: "NetralFetchTests",
            dependencies: [
                "NetralFetch", "NetralTestSupport", "NetralTestServer",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // The command line as users run it: output formatting, exit codes, and the `netral`
        // executable run as a process. Depends on the executable, so building this target
        // builds the binary its tests run.
        .testTarget(
            name: "NetralCLITests",
            dependencies: [
                "netral", "NetralScan", "NetralCases", "NetralEvidence", "NetralStore", "NetralModel", "NetralRules",
                "NetralTestSupport", "NetralTestServer", "NetralCaseFixtures", "NetralStoreTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "NetralExtractTests", dependencies: ["NetralExtract", "NetralTestSupport"]),
        .testTarget(name: "NetralPlatformsTests", dependencies: ["NetralPlatforms", "NetralModel", "NetralTestSupport"]),
        .testTarget(name: "NetralOCRTests", dependencies: ["NetralOCR", "NetralModel", "NetralTestSupport"]),
        .testTarget(name: "NetralRulesTests", dependencies: ["NetralRules", "NetralTestSupport"]),
        .testTarget(
            name: "NetralEvidenceTests",
            dependencies: [
                "NetralEvidence", "NetralStore", "NetralWARC", "NetralTestSupport", "NetralTestServer",
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(name: "NetralWARCTests", dependencies: ["NetralWARC", "NetralZlib", "NetralModel", "NetralTestSupport"]),
        .testTarget(
            name: "NetralDeskTests",
            dependencies: ["NetralDesk", "NetralStore", "NetralEvidence", "NetralModel", "NetralTestSupport", "NetralStoreTestSupport"]
        ),
        .testTarget(
            name: "NetralStoreTests",
            dependencies: ["NetralStore", "NetralEvidence", "NetralModel", "NetralTestSupport", "NetralStoreTestSupport"]
        ),
        .testTarget(
            name: "NetralCasesTests",
            dependencies: [
                "NetralCases", "NetralStore", "NetralEvidence", "NetralModel", "NetralFetch", "NetralScan", "NetralTestSupport", "NetralStoreTestSupport",
                "NetralCaseFixtures",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "NetralScanTests",
            dependencies: [
                "NetralScan", "NetralDemo", "NetralTestSupport", "NetralTestServer", "NetralFetch", "NetralStore", "NetralStoreTestSupport",
                "NetralEvidence",
                .product(name: "Hummingbird", package: "hummingbird"),
                // Builds the WACZ packages of the capture-folder tests.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
