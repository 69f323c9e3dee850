import Reports

/// Tables shared by the renderer tests.
enum Fixtures {
    /// A table that puts every character some format treats specially into every position a
    /// renderer writes: title, headers, keys, cells, notes and provenance.
    static let hostile = ReportTable(
        title: "Hostile table: $x^2$ & <b>bold</b> | \"quotes\" — café 🔬 #1",
        columns: [
            Column(key: "id", header: "ID #1 & {x}_^~%$\\", alignment: .left),
            Column(key: "text", header: "Text | \"quoted\"\nsecond line", alignment: .left, wraps: true),
            Column(key: "value", header: "Value (ms)", alignment: .right),
            Column(key: "p", header: "p < α", alignment: .right),
            Column(key: "note, \"raw\" #", header: "Data <b>&'", alignment: .center),
        ],
        rows: [
            [
                Cell("\\section{x} & 100% $5 #1 ~a ^b _c {d}"),
                Cell("Line one\nline two | pipe, comma \"quote\""),
                .number(-0.0, digits: 3),
                .pValue(0),
                Cell("<script>alert('x') & \"y\"</script>"),
            ],
            [
                Cell("[opt] *star"),
                Cell("Café naïve Zürich — 🔬 emoji 👩‍🔬"),
                .number(-0.0004, digits: 3),
                .pValue(1e-300),
                .empty,
            ],
            [
                Cell("*lead --dash ,,low `tick` 'single'"),
                Cell("CRLF\r\nline\ttab\u{07}bell"),
                .number(6.02214076e23, digits: 2),
                .pValue(1),
                Cell(""),
            ],
            [
                Cell("-1. <not a tag> &amp; &copy; <br>"),
                Cell("* _emph_ **bold** [link](http://x) ~~strike~~ `code`"),
                .number(.leastNonzeroMagnitude, digits: 3),
                .pValue(0.0005),
                Cell(text: "3 keys", value: .object([
                    "é": .string("line\u{2028}separator"),
                    "b": .array([.integer(1), .bool(true), .null, .number(-0.0)]),
                    "a": .number(.nan),
                ])),
            ],
            [
                Cell("2.675 → 2.68"),
                Cell("# heading?\n> quote?\n| a | b |"),
                .number(2.675, digits: 2),
                .pValue(0.0499996),
                Cell(text: "1e+300", value: .number(1e300)),
            ],
            [
                Cell("-1.005 → -1.01"),
                Cell(",comma-first"),
                .number(-1.005, digits: 2),
                .pValue(.nan),
                Cell(text: "inf", value: .number(-.infinity)),
            ],
        ],
        notes: [
            "Note with \\ backslash, 50% & <tag> | pipe and \"quotes\"",
            "1. starts like a list",
            "# starts like a heading\nand goes on on a second line",
        ],
        provenance: [
            ProvenanceItem(key: "tool", value: "triangulate 0.1.0"),
            ProvenanceItem(key: "dataset hf-2022 sha256", value: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ProvenanceItem(key: "correction", value: "holm"),
            ProvenanceItem(key: "command", value: "triangulate matrix --format \"latex\" > out.tex # & 100%\nsecond line"),
        ]
    )
}
