import Core
import XCTest
@testable import Literature

/// A broken entry costs only itself: the parser names the place and resumes at the next `@` line.
final class BibTeXRecoveryTests: XCTestCase {
    private func parse(_ text: String) -> ParseResult {
        BibTeXParser().parse(text, file: "broken.bib")
    }

    func testUnbalancedBraceInValueKeepsTheFollowingEntries() throws {
        let result = parse("""
            @article{good1, title = {One}}
            @article{bad,
              title = {Never {closed},
              year = 2020
            }
            @article{good2, title = {Two}}
            """)
        XCTAssertEqual(result.records.map(\.key), ["good1", "good2"])
        // The inner brace closes at "{closed}", so the value runs to the entry's own '}'; BibTeX
        // reads it the same way, and the entry then has no closing brace.
        XCTAssertEqual(result.warnings, [.unbalancedBraces(
            SourceLocation(file: "broken.bib", line: 2, column: 1), expected: "'}' to end entry 'bad'", found: "the next entry at line 6")])
    }

    func testRunawayValueStopsAtTheNextEntry() throws {
        let result = parse("""
            @article{bad,
              title = {Never {{closed}
            }
            @article{good, title = {Two}}
            """)
        XCTAssertEqual(result.records.map(\.key), ["good"])
        XCTAssertEqual(result.warnings, [.unbalancedBraces(
            SourceLocation(file: "broken.bib", line: 2, column: 11),
            expected: "'}' to end the value of field 'title' that starts here", found: "the next entry at line 4")])
    }

    func testUnbalancedBraceAtEndOfFile() throws {
        let result = parse("@article{good, title = {One}}\n@article{bad, title = {Never closed")
        XCTAssertEqual(result.records.map(\.key), ["good"])
        XCTAssertEqual(result.warnings.first?.location, SourceLocation(file: "broken.bib", line: 2, column: 23))
        XCTAssertEqual(result.warnings.first?.message,
                       "unbalanced braces: expected '}' to end the value of field 'title' that starts here, found the end of the file; the entry was skipped")
    }

    func testEntryMissingItsClosingBrace() throws {
        let result = parse("@article{open, title = {One},\n\n@book{next, title = {Two}}")
        XCTAssertEqual(result.records.map(\.key), ["next"])
        XCTAssertEqual(result.warnings, [.unbalancedBraces(
            SourceLocation(file: "broken.bib", line: 1, column: 1), expected: "'}' to end entry 'open'", found: "the next entry at line 3")])
    }

    func testMissingCommaBeforeTheNextFieldKeepsTheEntry() throws {
        // IEEE Xplore's BibTeX export really does this (IEEE_Xplore.bib, entry j_lopez_word_2023).
        let result = parse("""
            @inproceedings{a,
              isbn = {3503-2480}
              doi = {10.1109/MODELS58315.2023.00036}
              title = {One},
            }
            """)
        XCTAssertEqual(result.records.first?.fields["isbn"], "3503-2480")
        XCTAssertEqual(result.records.first?.doi, "10.1109/models58315.2023.00036")
        XCTAssertEqual(result.records.first?.title, "One")
        XCTAssertEqual(result.warnings, [
            .missingComma(SourceLocation(file: "broken.bib", line: 3, column: 3), field: "isbn", key: "a"),
            .missingComma(SourceLocation(file: "broken.bib", line: 4, column: 3), field: "doi", key: "a"),
        ])
    }

    func testJunkAfterAValueSkipsTheEntry() throws {
        let result = parse("""
            @article{a,
              title = {One} junk
            }
            @article{b, title = {Two}}
            """)
        XCTAssertEqual(result.records.map(\.key), ["b"])
        XCTAssertEqual(result.warnings, [.unexpectedCharacter(
            SourceLocation(file: "broken.bib", line: 2, column: 17),
            expected: "',' or '}' after the value of field 'title' in entry 'a'", found: "'j'")])
        XCTAssertEqual(result.warnings.first?.description,
                       "broken.bib:2:17: expected ',' or '}' after the value of field 'title' in entry 'a', found 'j'; the entry was skipped")
    }

    func testMissingCommaAfterKey() throws {
        let result = parse("@article{a title = {One}}\n@article{b, title = {Two}}")
        XCTAssertEqual(result.records.map(\.key), ["b"])
        XCTAssertEqual(result.warnings.first, .unexpectedCharacter(
            SourceLocation(file: "broken.bib", line: 1, column: 12), expected: "',' after the citation key 'a'", found: "'t'"))
    }

    func testMissingEqualsSign() throws {
        let result = parse("@article{a, title {One}}\n@article{b, title = {Two}}")
        XCTAssertEqual(result.records.map(\.key), ["b"])
        XCTAssertEqual(result.warnings.first, .unexpectedCharacter(
            SourceLocation(file: "broken.bib", line: 1, column: 19), expected: "'=' after the field name 'title' in entry 'a'", found: "'{'"))
    }

    func testAtTypeWithoutBrace() throws {
        let result = parse("@article no brace here\n@misc{b, title = {Two}}\n@{x}\n@misc{c}")
        XCTAssertEqual(result.records.map(\.key), ["b", "c"])
        XCTAssertEqual(result.warnings, [
            .unexpectedCharacter(SourceLocation(file: "broken.bib", line: 1, column: 10), expected: "'{' or '(' after '@article'", found: "'n'"),
            .unexpectedCharacter(SourceLocation(file: "broken.bib", line: 3, column: 2), expected: "an entry type after '@'", found: "'{'"),
        ])
    }

    func testMissingValue() throws {
        let result = parse("@article{a, title = ,}\n@misc{b}")
        XCTAssertEqual(result.records.map(\.key), ["b"])
        XCTAssertEqual(result.warnings.first?.location, SourceLocation(file: "broken.bib", line: 1, column: 21))
    }

    func testColumnsCountCharactersNotBytes() throws {
        let result = parse("@article{ä, tïtle = {x} oops}")
        XCTAssertEqual(result.warnings.first?.location?.column, 25)
    }

    func testUnknownEntryTypesAreRecordsNotErrors() throws {
        let result = parse("@dataset{d, title = {Data}}\n@Online{o, title = {Web}}")
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.records.map(\.type), ["dataset", "online"])
    }
}
