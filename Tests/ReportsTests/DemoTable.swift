import Reports

extension Fixtures {
    /// A table shaped like the demo study's claim-validation matrix (its columns, its longest texts,
    /// `triangulate matrix` output of the demo copied on 2026-12-01), with the papers as citations
    /// and a `≥` in a claim: what a paper would print.
    static let demoMatrix: ReportTable = {
        let columns = [
            Column(key: "id", header: "ID"),
            Column(key: "claim", header: "Claim", wraps: true),
            Column(key: "papers", header: "Papers", wraps: true),
            Column(key: "interviews", header: "Interviews", alignment: .right),
            Column(key: "metric", header: "Metric"),
            Column(key: "n", header: "n", alignment: .right),
            Column(key: "statistic", header: "Statistic", alignment: .right),
            Column(key: "effect", header: "Effect (95% CI)", alignment: .right),
            Column(key: "p_adjusted", header: "p (adj.)", alignment: .right),
            Column(key: "verdict", header: "Verdict"),
            Column(key: "query", header: "Query", role: .dataOnly),
        ]
        func papers(_ keys: [String]) -> Cell {
            Cell(text: "\(keys.count): " + keys.joined(separator: ", "), value: .array(keys.map(CellValue.string)), citations: keys)
        }
        let rows: [[Cell]] = [
            ["C1/C1a", "Models with a model card are downloaded more than models without one.", papers(["jones2024what", "liang2024whats"]),
             "3/4", "mann-whitney on hf-2022", .integer(74970), "U = 991287528", "rank-biserial r = 0.441 [0.434, 0.447]", .pValue(1e-300), "supported",
             "SELECT has_card AS grp, downloads AS value FROM models"],
            ["C2/C2a", "Base models with more downloads have more direct descendants (fine-tuned or otherwise derived models).",
             papers(["jones2024what", "jiang2023ptmtorrent"]), "3/4", "spearman on hf-descendants", .integer(3471), "rho = 0.419",
             "ρ = 0.419 [0.391, 0.446]", .pValue(2e-140), "supported", "SELECT downloads AS x, descendants AS y FROM base_models"],
            ["C3/C3a", "Most models on Hugging Face have no model card.", papers(["liang2024whats", "jiang2023empirical"]), "3/4",
             "binomial on hf-2022", .integer(74970), "k = 42859", "proportion = 0.572 [0.568, 0.575]", .pValue(0), "supported", "SELECT 1 - has_card AS value FROM models"],
            ["C4/C4a", "Most models with a substantial number of downloads (here, ≥ 1,000 in the snapshot) have a model card.",
             papers(["liang2024whats"]), "3/4", "binomial on hf-2022", .integer(2118), "k = 1491", "proportion = 0.704 [0.684, 0.723]", .pValue(1e-80),
             "supported", "SELECT has_card AS value FROM models WHERE downloads >= 1000"],
            ["C5", "The Transformers library increases the accessibility of pre-trained models.", papers(["jones2024what"]), "3/4", .empty, .empty,
             .empty, .empty, .empty, "not tested", .empty],
            ["C6/C6a", "The most popular pre-trained models turn over faster than the most popular packages in traditional registries such as npm and PyPI.",
             papers(["jones2024what"]), "3/4", "fisher on turnover", .integer(2000), "odds ratio = 14.755", "odds ratio = 14.755 [11.111, 19.593]",
             .pValue(1e-90), "supported", "SELECT registry AS a, retained AS b FROM pairs"],
            ["C6/C6b", "The most popular pre-trained models turn over faster than the most popular packages in traditional registries such as npm and PyPI.",
             papers(["jones2024what"]), "3/4", "fisher on turnover", .integer(2000), "odds ratio = 32.076", "odds ratio = 32.076 [21.850, 47.087]",
             .pValue(1e-100), "supported", "SELECT registry AS a, retained AS b FROM pairs"],
            ["C7", "The quality of a model’s documentation influences whether engineers select it.", papers(["jones2024what"]), "4/4", .empty,
             .empty, .empty, .empty, .empty, "not tested", .empty],
        ]
        return ReportTable(
            title: "Claim-validation matrix: Reuse of pre-trained models on Hugging Face (demo study)",
            columns: columns,
            rows: rows,
            notes: [
                "Interviews: participants with at least one excerpt coded with the claim’s codes (or their sub-codes) / all participants.",
                "p (adj.): Holm correction across the 6 tests of this matrix; supported when p (adj.) < α = 0.05 (or the metric’s own alpha), the effect has the predicted sign, and its size reaches the metric’s min_effect.",
                "C5 (not tested): no metric tests this claim yet.",
                "C6 as a whole (all of its metrics must support it): supported.",
            ],
            provenance: [
                ProvenanceItem(key: "tool", value: "triangulate 0.1.0"),
                ProvenanceItem(key: "correction", value: "holm"),
                ProvenanceItem(key: "dataset hf-2022", value: "corpus/datasets/hf-2022/models.csv sha256:14ab861aa737e9f04fbed90b59cce920dec7292edd9006a5f81f4f8150232af6"),
            ]
        )
    }()
}
