// swift-tools-version: 6.1
import PackageDescription

// Dependencies flow one way: Statistics and Reports know nothing of studies; the domain rooms
// (Transcripts, Coding, Literature, Claims, Datasets) know nothing of each other; Project locates a
// study and reads its settings; Index is the derived SQLite index as a typed repository (the only
// module besides Datasets that talks to SQLite); Study orchestrates: it opens the study, locks,
// refreshes the index and calls the rooms; TriangulateCLI parses arguments and prints; the
// executable only calls TriangulateCLI.
// The importer's inner loops run once per byte and row of a dataset; in
// release builds their dynamic exclusivity checks cost about a fifth of an import. Debug builds,
// and so the test suite, keep the checks.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Triangulate",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "triangulate", targets: ["triangulate"]),
        // For the libFuzzer harnesses in Fuzz/ (a separate package that depends on this one by path).
        .library(name: "TriangulateParsers", targets: [
            "Core", "YAMLSupport", "Literature", "Transcripts", "Datasets", "Interchange", "Qualitative", "Claims", "Project",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .executableTarget(name: "triangulate", dependencies: ["TriangulateCLI"]),
        .target(name: "TriangulateCLI", dependencies: [
            "Study", "Project", "Index", "Core", "Transcripts", "Qualitative", "Interchange", "Literature", "Claims", "Datasets", "Statistics", "Reports",
            "PostgresDatasets",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "Study", dependencies: [
            "Project", "Index", "Core", "YAMLSupport", "Transcripts", "Qualitative", "Interchange", "Literature", "Claims", "Datasets", "Statistics", "Reports",
            "Prioritization", "PostgresDatasets",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "Project", dependencies: ["Core", "YAMLSupport", "Literature", "Statistics", "Claims"]),
        .target(name: "Index", dependencies: [
            "Project", "Core", "Transcripts", "Qualitative", "Literature", "Claims",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Core", dependencies: [
            "SystemZlib",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "Transcripts", dependencies: ["Core", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(name: "YAMLSupport", dependencies: ["Core", .product(name: "Yams", package: "Yams")]),
        .target(name: "Qualitative", dependencies: ["Core", "YAMLSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Literature", dependencies: ["Core", "YAMLSupport", "Prioritization", "Statistics"]),
        .target(name: "Interchange", dependencies: [
            "Core", "Qualitative", "Transcripts", "Datasets", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "Claims", dependencies: ["Core", "YAMLSupport", "Statistics"]),
        .systemLibrary(name: "SystemZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Prioritization"),
        // sqlite3_db_config() is variadic, which Swift cannot call; this C shim sets the query
        // guard's options (defensive mode, no two-argument fts3_tokenizer, untrusted schema).
        .target(name: "SQLiteHardening", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "Datasets", dependencies: [
            "Core", "SystemZlib", "SQLiteHardening",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Yams", package: "Yams"),
        ], swiftSettings: hotPath),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),
        .target(name: "PostgresDatasets", dependencies: [
            "Core", "Datasets", "CLibPQ", .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "Statistics"),
        .target(name: "Reports", dependencies: ["Core"]),

        .target(name: "TestSupport", dependencies: ["Project"], path: "Tests/TestSupport"),
        .testTarget(name: "CoreTests", dependencies: [
            "Core", "YAMLSupport", "TestSupport", "SystemZlib", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "TriangulateCLITests", dependencies: ["TriangulateCLI", "TestSupport"]),
        .testTarget(name: "StudyTests", dependencies: [
            "Study", "Project", "Index", "TriangulateCLI", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "TranscriptsTests", dependencies: [
            "Transcripts", "Core", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "QualitativeTests", dependencies: ["Qualitative", "TestSupport"]),
        .testTarget(name: "InterchangeTests", dependencies: [
            "Interchange", "Qualitative", "Transcripts", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "LiteratureTests", dependencies: ["Literature", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ClaimsTests", dependencies: ["Claims", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: [
            "Datasets", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ], exclude: ["Reference"]),
        .testTarget(name: "PostgresDatasetsTests", dependencies: [
            "PostgresDatasets", "Datasets", "Claims", "Core", "TestSupport", "Study", "Index", "Project", "Reports",
        ]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "TestSupport"], resources: [.copy("Reference")]),
        .testTarget(name: "PrioritizationTests", dependencies: ["Prioritization", "TestSupport"],
                    exclude: ["make_reference.py", "tfidf_reference.json"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "TestSupport"], resources: [.copy("Golden")]),
    ],
    swiftLanguageModes: [.v6]
)
