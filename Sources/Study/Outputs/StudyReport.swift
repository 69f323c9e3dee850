import Claims
import Core
import Foundation
import Index
import Literature
import Project
import Qualitative
import Reports
import Statistics

/// The whole study as one static HTML page (`triangulate report`): overview, the matrix, each
/// claim's chain of evidence (papers and quotes, interview excerpts with participants, codes and
/// memos, the query, the result and its figure, the verdict), the codebook with counts,
/// saturation, agreement between coders, the PRISMA diagram and provenance.
///
/// The page is self-contained: styles and SVG figures are inline, nothing is fetched and no
/// script is needed. It fits a 1280 px window (tables have fixed layouts and wrap, figures shrink
/// to the column), has print styles, and every `href="#…"` names an element of the page. The
/// same study gives the same bytes: no dates, everything in a stable order.
public struct StudyReport {
    public let study: Study
    public let index: StudyIndex
    public let matrix: ClaimMatrix

    public init(study: Study, index: StudyIndex, matrix: ClaimMatrix) {
        self.study = study
        self.index = index
        self.matrix = matrix
    }

    /// The file name of the page inside the report's folder.
    public static let pageName = "index.html"

    /// The page's HTML.
    public func html() throws -> String {
        let codes = try index.codes()
        let papers = Dictionary(try index.papers().map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var sections: [(id: String, title: String, body: String)] = []
        sections.append(("overview", "Overview", try overview(codes: codes)))
        sections.append(("matrix", "Claim-validation matrix", matrixSection()))
        sections.append(("claims", "Claims and their evidence", try claimsSection(codes: codes, papers: papers)))
        sections.append(("codebook", "Codebook", codebookSection(codes)))
        sections.append(("saturation", "Saturation", try saturationSection()))
        if let agreement = try agreementSection() { sections.append(("agreement", "Agreement between coders", agreement)) }
        if let prisma = try prismaSection() { sections.append(("prisma", "Literature review (PRISMA 2020)", prisma)) }
        sections.append(("provenance", "Provenance", provenanceSection()))

        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(study.settings.title))</title>
            <style>
            \(Self.style)
            </style>
            </head>
            <body>
            <header><h1>\(Self.escape(study.settings.title))</h1><p class="subtitle">Study report by triangulate \(Self.escape(TriangulateVersion.current))</p></header>
            <nav aria-label="Contents"><ol>

            """
        page += sections.map { "<li><a href=\"#\($0.id)\">\(Self.escape($0.title))</a></li>" }.joined(separator: "\n")
        page += "\n</ol></nav>\n<main>\n"
        for section in sections {
            page += "<section id=\"\(section.id)\">\n<h2>\(Self.escape(section.title))</h2>\n\(section.body)</section>\n"
        }
        page += "</main>\n</body>\n</html>\n"
        return page
    }

    /// Writes the page into `folder` (created if needed), atomically; returns the page's URL.
    @discardableResult
    public func write(to folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let page = folder.appendingPathComponent(Self.pageName)
        try AtomicFile.write(try html(), to: page)
        return page
    }

    // MARK: Sections

    private func overview(codes: [CodeSummary]) throws -> String {
        let counts = Dictionary(matrix.rows.map { ($0.verdict.rawValue, 1) }, uniquingKeysWith: +)
        let claimCount = Set(matrix.rows.map(\.claim.id)).count
        let participants = try index.participantCount()
        let transcripts = try index.transcripts().count
        let codings = try index.allCodings().count
        let paperCount = try index.papers().count
        let coders = try index.coders().joined(separator: ", ")
        var html = "<dl class=\"facts\">\n"
        for (term, value) in [("Claims", "\(claimCount) (\(matrix.rows.count) matrix rows)"),
                              ("Verdicts", Verdict.allCases.compactMap { verdict in counts[verdict.rawValue].map { "\($0) \(verdict.rawValue)" } }.joined(separator: ", ")),
                              ("Interviews", "\(transcripts) transcripts, \(participants) participants, \(codings) codings by \(coders)"),
                              ("Codebook", "\(codes.count) codes"),
                              ("Papers", "\(paperCount) records"),
                              ("Datasets", Self.unique(matrix.datasetInputs.map(\.dataset)).joined(separator: ", ")),
                              ("Correction", "\(matrix.correction.rawValue), alpha = \(ClaimMatrix.plain(matrix.alpha))")] {
            html += "<dt>\(Self.escape(term))</dt><dd>\(Self.escape(value.isEmpty ? "none" : value))</dd>\n"
        }
        return html + "</dl>\n"
    }

    private func matrixSection() -> String {
        var html = "<table class=\"matrix\">\n<colgroup><col class=\"c-id\"><col class=\"c-claim\"><col class=\"c-papers\"><col class=\"c-int\"><col class=\"c-result\"><col class=\"c-p\"><col class=\"c-verdict\"></colgroup>\n"
        html += "<thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Claim</th><th scope=\"col\">Papers</th><th scope=\"col\">Interviews</th><th scope=\"col\">Result</th><th scope=\"col\">p (adj.)</th><th scope=\"col\">Verdict</th></tr></thead>\n<tbody>\n"
        for row in matrix.rows {
            let id = rowID(row)
            let papers = row.papers.map { "<a href=\"#paper-\(Self.anchor(row.claim.id))-\(Self.anchor($0))\">\(Self.escape($0))</a>" }
                + row.unknownPapers.map { Self.escape($0) + "?" }
            let interviews = row.claim.codes.isEmpty ? "—" : "\(row.supportingParticipants.count)/\(row.participantCount)"
            let result = row.result.map { result in
                "\(Self.escape(result.effect.name)) = \(FixedDecimal.format(result.effect.value, digits: 3))"
                    + (result.effect.interval.map { " [\(FixedDecimal.format($0.lower, digits: 3)), \(FixedDecimal.format($0.upper, digits: 3))]" } ?? "")
                    + "<br>\(Self.escape(row.metric?.test.rawValue ?? "")) on \(Self.escape(row.dataset ?? "")), n = \(result.n)"
            } ?? "—"
            let p = row.adjustedP.map { $0 < 0.001 ? "&lt; 0.001" : FixedDecimal.format($0, digits: 3) } ?? "—"
            html += "<tr><td><a href=\"#\(Self.anchor("row-" + id))\">\(Self.escape(id))</a></td><td>\(Self.escape(row.claim.statement))</td>"
                + "<td>\(papers.isEmpty ? "—" : papers.joined(separator: ", "))</td><td>\(interviews)</td><td>\(result)</td><td>\(p)</td>"
                + "<td class=\"verdict \(Self.anchor(row.verdict.rawValue))\">\(Self.escape(row.verdict.rawValue))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n"
        let notes = matrix.table().notes
        if !notes.isEmpty {
            html += "<ul class=\"notes\">\n" + notes.map { "<li>\(Self.escape($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        }
        if let forest = matrix.table().charts.first {
            html += figure(forest.svg(), caption: forest.title)
        }
        return html
    }

    private func claimsSection(codes: [CodeSummary], papers: [String: PaperSummary]) throws -> String {
        var html = ""
        let definitions = Dictionary(codes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var seen: Set<String> = []
        for claim in matrix.rows.map(\.claim) where seen.insert(claim.id).inserted {
            let rows = matrix.rows.filter { $0.claim.id == claim.id }
            html += "<article class=\"claim\" id=\"\(Self.anchor("claim-" + claim.id))\">\n"
            html += "<h3>\(Self.escape(claim.id)): \(Self.escape(claim.statement))</h3>\n"
            let verdict = rows.count > 1 ? matrix.claimVerdict(of: rows[0]) : rows[0].verdict
            html += "<p class=\"claim-verdict\">Verdict: <span class=\"verdict \(Self.anchor(verdict.rawValue))\">\(Self.escape(verdict.rawValue))</span>"
                + (rows.count > 1 ? " (\(Self.escape(claim.rule.rawValue)) of its \(rows.count) metrics must support it)" : "") + "</p>\n"
            if let note = claim.note { html += "<p>\(Self.escape(note))</p>\n" }

            html += "<h4>Papers</h4>\n"
            if claim.sources.isEmpty {
                html += "<p class=\"none\">No paper makes this claim.</p>\n"
            } else {
                html += "<ul class=\"papers\">\n"
                for source in claim.sources {
                    let record = papers[source.paper]
                    var item = "<li id=\"\(Self.anchor("paper-\(claim.id)-\(source.paper)"))\"><strong>\(Self.escape(source.paper))</strong>"
                    if let record {
                        let byline = [record.authors, record.year.map(String.init)].compactMap { $0 }.joined(separator: ", ")
                        item += ": " + Self.escape([byline, record.title].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: ". "))
                        if let doi = record.doi, !doi.isEmpty { item += " (doi:\(Self.escape(doi)))" }
                    } else {
                        item += " (not a record in corpus/literature)"
                    }
                    if let quote = source.quote { item += "<blockquote>\(Self.escape(quote))</blockquote>" }
                    if let page = source.page { item += "<p class=\"meta\">page \(Self.escape(page))</p>" }
                    html += item + "</li>\n"
                }
                html += "</ul>\n"
            }

            html += "<h4>Interviews</h4>\n"
            if claim.codes.isEmpty {
                html += "<p class=\"none\">The claim names no interview codes.</p>\n"
            } else {
                let support = rows[0].supportingParticipants
                html += "<p>Codes: " + claim.codes.map { "<a href=\"#\(Self.anchor("code-" + $0))\">\(Self.escape($0))</a>" }.joined(separator: ", ")
                    + ". Participants with a coded excerpt: \(support.isEmpty ? "none" : Self.escape(support.joined(separator: ", "))) (\(support.count) of \(rows[0].participantCount)).</p>\n"
                for code in claim.codes {
                    if let definition = definitions[code]?.definition {
                        html += "<p class=\"meta\"><strong>\(Self.escape(code))</strong>: \(Self.escape(definition))</p>\n"
                    }
                }
                var excerpts: [Excerpt] = []
                for code in claim.codes { excerpts += try index.excerpts(code: code, participant: nil, coder: nil) }
                if excerpts.isEmpty {
                    html += "<p class=\"none\">No anchored excerpt carries these codes yet.</p>\n"
                } else {
                    html += "<ul class=\"excerpts\">\n"
                    // The same passage coded alike by several coders is shown once, naming them all.
                    var groups: [(excerpt: Excerpt, coders: [String], memos: [String])] = []
                    for excerpt in excerpts {
                        if let position = groups.firstIndex(where: { $0.excerpt.address == excerpt.address && $0.excerpt.code == excerpt.code }) {
                            groups[position].coders.append(excerpt.coder)
                            if let memo = excerpt.memo { groups[position].memos.append("\(excerpt.coder): \(memo)") }
                        } else {
                            groups.append((excerpt, [excerpt.coder], excerpt.memo.map { ["\(excerpt.coder): \($0)"] } ?? []))
                        }
                    }
                    for group in groups {
                        let excerpt = group.excerpt
                        html += "<li><blockquote>\(Self.escape(excerpt.text))</blockquote><p class=\"meta\">\(Self.escape(excerpt.speaker)), \(Self.escape(excerpt.address)); code \(Self.escape(excerpt.code)), coded by \(Self.escape(group.coders.joined(separator: ", ")))"
                            + (group.memos.isEmpty ? "" : "; memo \(Self.escape(group.memos.joined(separator: "; ")))") + "</p></li>\n"
                    }
                    html += "</ul>\n"
                }
            }

            html += "<h4>Data</h4>\n"
            for row in rows { html += metricBlock(row) }
            html += "<p class=\"back\"><a href=\"#matrix\">Back to the matrix</a></p>\n</article>\n"
        }
        return html
    }

    private func metricBlock(_ row: MatrixRow) -> String {
        var html = "<div class=\"metric\" id=\"\(Self.anchor("row-" + rowID(row)))\">\n"
        guard let metric = row.metric else {
            return html + "<p class=\"none\">\(Self.escape(row.reason ?? "no metric tests this claim yet")).</p>\n</div>\n"
        }
        html += "<h5>\(Self.escape(rowID(row))): \(Self.escape(metric.test.rawValue)) on \(Self.escape(row.dataset ?? "?")), expect \(Self.escape(metric.expect.rawValue)) (\(Self.escape(metric.alternative.rawValue)))</h5>\n"
        html += "<pre><code>\(Self.escape(metric.query.trimmingCharacters(in: .whitespacesAndNewlines)))</code></pre>\n"
        if let note = metric.note { html += "<p class=\"meta\">\(Self.escape(note))</p>\n" }
        if let result = row.result {
            var facts: [(String, String)] = [("n", String(result.n))]
            var statistic = "\(result.statisticName) = \(ClaimMatrix.compact(result.statistic))"
            if let df = result.degreesOfFreedom { statistic += ", df = \(ClaimMatrix.compact(df))" }
            if let method = result.method { statistic += " (\(method))" }
            facts.append(("Statistic", statistic))
            var effect = "\(result.effect.name) = \(FixedDecimal.format(result.effect.value, digits: 3))"
            if let interval = result.effect.interval {
                effect += " [\(FixedDecimal.format(interval.lower, digits: 3)), \(FixedDecimal.format(interval.upper, digits: 3))]"
            }
            facts.append(("Effect (95% CI)", effect))
            if !result.pValue.isNaN {
                var p = "\(result.pValue)"
                if let log10 = row.observations?.log10PValue(of: result, alternative: metric.alternative) {
                    p += " (log10 p = \(FixedDecimal.format(log10, digits: 2)))"
                }
                facts.append(("p (raw)", p))
            }
            if let adjusted = row.adjustedP { facts.append(("p (adj.)", "\(adjusted)")) }
            let descriptives = MetricDescriptives.cell(row.observations).text
            if !descriptives.isEmpty { facts.append(("Data", descriptives)) }
            facts.append(("Rule", "alpha = \(ClaimMatrix.plain(metric.alpha ?? matrix.alpha)), min_effect = \(ClaimMatrix.plain(metric.minEffect ?? 0))"))
            html += "<dl class=\"facts\">\n" + facts.map { "<dt>\(Self.escape($0.0))</dt><dd>\(Self.escape($0.1))</dd>" }.joined(separator: "\n") + "\n</dl>\n"
        }
        if let reason = row.reason { html += "<p class=\"meta\">\(Self.escape(reason))</p>\n" }
        if let chart = MetricFigures.figure(for: row) {
            html += figure(chart.svg(), caption: chart.title)
        } else {
            html += "<p class=\"none\">No figure: \(Self.escape(MetricFigures.unplottedReason(for: row))).</p>\n"
        }
        html += "<p>Verdict: <span class=\"verdict \(Self.anchor(row.verdict.rawValue))\">\(Self.escape(row.verdict.rawValue))</span></p>\n"
        return html + "</div>\n"
    }

    private func codebookSection(_ codes: [CodeSummary]) -> String {
        guard !codes.isEmpty else { return "<p class=\"none\">The study has no codebook yet.</p>\n" }
        var html = "<table class=\"codebook\">\n<colgroup><col class=\"c-code\"><col class=\"c-def\"><col class=\"c-count\"></colgroup>\n"
        html += "<thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Definition</th><th scope=\"col\">Codings</th></tr></thead>\n<tbody>\n"
        for code in codes {
            let depth = code.id.filter { $0 == "/" }.count
            html += "<tr id=\"\(Self.anchor("code-" + code.id))\"><td class=\"depth-\(min(depth, 3))\">\(Self.escape(code.id))</td><td>\(Self.escape(code.definition ?? ""))</td><td class=\"num\">\(code.codings)</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n<p class=\"meta\">A code's count includes its sub-codes' codings.</p>\n"
    }

    private func saturationSection() throws -> String {
        let analysis = CodingAnalysis(index: index)
        let steps = try analysis.saturation(coder: nil)
        guard !steps.isEmpty else { return "<p class=\"none\">No coded interviews yet.</p>\n" }
        var html = figure(CodingAnalysis.saturationSVG(steps, title: "Cumulative unique codes per interview"), caption: "Cumulative unique codes per interview, in interview order")
        html += "<table class=\"small\">\n<thead><tr><th scope=\"col\">Interview</th><th scope=\"col\">New codes</th><th scope=\"col\">Cumulative</th></tr></thead>\n<tbody>\n"
        for step in steps {
            html += "<tr><td>\(Self.escape(step.transcript))</td><td>\(Self.escape(step.newCodes.joined(separator: ", ")))</td><td class=\"num\">\(step.cumulative)</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private func agreementSection() throws -> String? {
        guard try index.coders().count >= 2 else { return nil }
        let report = try AgreementReport.compute(index: index, coders: nil, unit: .turn, code: nil)
        let table = report.table
        var html = "<table class=\"small\">\n<thead><tr>" + table.columns.map { "<th scope=\"col\">\(Self.escape($0.header))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>" + row.map { "<td>\(Self.escape($0.text.isEmpty ? "—" : $0.text))</td>" }.joined() + "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        if !table.notes.isEmpty {
            html += "<ul class=\"notes\">\n" + table.notes.map { "<li>\(Self.escape($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        }
        return html
    }

    private func prismaSection() throws -> String? {
        let review = try ReviewState.load(study, index: index)
        guard !review.imports.isEmpty || !review.searchLog.entries.isEmpty else { return nil }
        let counts = review.prisma()
        return figure(counts.svg(), caption: "PRISMA 2020 flow of the literature review")
    }

    private func provenanceSection() -> String {
        let items = matrix.table().provenance
        return "<dl class=\"facts\">\n" + items.map { "<dt>\(Self.escape($0.key))</dt><dd>\(Self.escape($0.value))</dd>" }.joined(separator: "\n") + "\n</dl>\n"
    }

    // MARK: Helpers

    private func rowID(_ row: MatrixRow) -> String {
        row.metric.map { "\(row.claim.id)/\($0.id)" } ?? row.claim.id
    }

    /// An inline figure: the SVG without its XML declaration, scaled to the column.
    private func figure(_ svg: String, caption: String) -> String {
        var body = svg
        if body.hasPrefix("<?xml"), let end = body.range(of: "?>") {
            body = String(body[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return "<figure>\n\(body.trimmingCharacters(in: .newlines))\n<figcaption>\(Self.escape(caption))</figcaption>\n</figure>\n"
    }

    static func escape(_ text: String) -> String {
        XMLText.escape(text)
    }

    /// A fragment identifier made of ASCII letters, digits and `-`: other characters become `-`.
    static func anchor(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-")) ? Character(scalar) : "-"
        })
    }

    static func unique(_ values: [String]) -> [String] {
        var result: [String] = []
        for value in values where !result.contains(value) { result.append(value) }
        return result
    }

    static let style = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; line-height: 1.45; color: #1a1a1a; margin: 0 auto; max-width: 1180px; padding: 0 24px 48px; }
        header h1 { font-size: 1.6rem; margin: 1.2rem 0 0.2rem; }
        .subtitle { color: #555; margin: 0 0 1rem; }
        nav ol { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; padding: 0.5rem 0; margin: 0; list-style: none; border-bottom: 1px solid #ccc; }
        h2 { font-size: 1.3rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 2rem; }
        h3 { font-size: 1.1rem; margin-top: 1.6rem; }
        h4 { font-size: 0.95rem; margin: 1rem 0 0.3rem; }
        h5 { font-size: 0.9rem; margin: 0.6rem 0 0.3rem; }
        table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 0.85rem; margin: 0.5rem 0; }
        th, td { border-bottom: 1px solid #e0e0e0; padding: 0.3rem 0.4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        thead th { border-bottom: 2px solid #888; }
        table.small { width: auto; max-width: 100%; table-layout: auto; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        col.c-id { width: 7%; } col.c-claim { width: 28%; } col.c-papers { width: 15%; } col.c-int { width: 10%; }
        col.c-result { width: 22%; } col.c-p { width: 8%; } col.c-verdict { width: 10%; }
        col.c-code { width: 25%; } col.c-def { width: 63%; } col.c-count { width: 12%; }
        td.depth-1 { padding-left: 1.2rem; } td.depth-2 { padding-left: 2rem; } td.depth-3 { padding-left: 2.8rem; }
        .verdict { font-weight: 600; }
        .verdict.supported { color: #005a8c; } .verdict.contradicted { color: #a33a00; } .verdict.error { color: #a33a00; }
        blockquote { margin: 0.3rem 0 0.2rem; padding: 0.2rem 0.8rem; border-left: 3px solid #0072B2; background: #f5f8fb; overflow-wrap: anywhere; }
        .meta { color: #555; font-size: 0.85rem; margin: 0.1rem 0 0.5rem; overflow-wrap: anywhere; }
        .none { color: #666; font-style: italic; }
        ul.papers, ul.excerpts { padding-left: 1.2rem; }
        pre { background: #f6f6f6; padding: 0.5rem 0.7rem; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.8rem; max-width: 100%; }
        dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.15rem 1rem; margin: 0.4rem 0; font-size: 0.9rem; }
        dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        figure { margin: 0.8rem 0; max-width: 100%; }
        figure svg { max-width: 100%; height: auto; display: block; }
        figcaption { font-size: 0.85rem; color: #444; }
        article.claim { border-top: 1px solid #eee; }
        .metric { margin: 0.5rem 0 1rem; padding-left: 0.6rem; border-left: 2px solid #e5e5e5; }
        ul.notes { font-size: 0.85rem; color: #333; }
        a { color: #0057a0; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          nav, .back { display: none; }
          a { color: inherit; text-decoration: none; }
          h2 { break-before: page; } #overview h2 { break-before: auto; }
          h3, h4, h5 { break-after: avoid; }
          figure, blockquote, tr, dl.facts { break-inside: avoid; }
          pre { white-space: pre-wrap; }
        }
        """
}
