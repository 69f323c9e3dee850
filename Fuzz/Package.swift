// swift-tools-version: 6.1
import PackageDescription

// libFuzzer harnesses for Triangulate's parsers, kept apart from the main package so that
// `swift build` and `swift test` there never see them. Build (see README.md and ./run):
//
//   swift build -c release -j 1 -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
//       -Xswiftc -use-ld=lld
//
// -Xswiftc reaches every Swift target, the main package's included, so coverage and ASan are
// real in the parsers. SwiftPM links an executable with `main` aliased to `<Module>_main`; each
// harness defines that symbol and hands over to libFuzzer through `LLVMFuzzerRunDriver`.
// lld, because gold fails on that link with an internal error.

let parsers: Target.Dependency = .product(name: "TriangulateParsers", package: "Triangulate")

func harness(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport", parsers])
}

let package = Package(
    name: "TriangulateFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "Triangulate")],
    targets: [
        .target(name: "FuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["FuzzDriver", parsers]),
        harness("FuzzBibTeX"),
        harness("FuzzRIS"),
        harness("FuzzWoS"),
        harness("FuzzCSV"),
        harness("FuzzJSON"),
        harness("FuzzCaptions"),
        harness("FuzzDocx"),
        harness("FuzzQDE"),
        harness("FuzzQDPX"),
        harness("FuzzYAML"),
    ],
    swiftLanguageModes: [.v6]
)
