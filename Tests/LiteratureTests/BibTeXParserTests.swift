import Core
import XCTest
@testable import Literature

final class BibTeXParserTests: XCTestCase {
    private func parse(_ text: String) -> ParseResult {
        BibTeXParser().parse(text, file: "refs.bib")
    }

    func testMinimalEntry() throws {
        let result = parse("""
            @Article{jiang2023,
              author = {Jiang, Wenxin and Synovic, Nicholas},
              title = {An {Empirical} Study},
              year = 2023,
              DOI = {https://doi.org/10.1109/ICSE48619.2023.00206}
            }
            """)
        XCTAssertEqual(result.warnings, [])
        let record = try XCTUnwrap(result.records.first)
        XCTAssertEqual(record.key, "jiang2023")
        XCTAssertEqual(record.type, "article")
        XCTAssertEqual(record.title, "An Empirical Study")
        XCTAssertEqual(record.authors, ["Jiang, Wenxin", "Synovic, Nicholas"])
        XCTAssertEqual(record.year, 2023)
        XCTAssertEqual(record.doi, "10.1109/icse48619.2023.00206")
        XCTAssertEqual(record.location, SourceLocation(file: "refs.bib", line: 1, column: 1))
    }

    func testAnAndInsideANameInAnyCaseKeepsItsBracesAndDOIsAreTrimmed() throws {
        let result = parse("""
            @article{fda, author = {{Food AND Drug Administration} and {Salt and Pepper} and Smith, J. and Randall, Andy},
              title = {T}, doi = {\t https://doi.org/ 10.1/ABC\u{2003}}}
            """)
        let record = try XCTUnwrap(result.records.first)
        XCTAssertEqual(record.authors, ["Food AND Drug Administration", "Salt and Pepper", "Smith, J.", "Randall, Andy"])
        XCTAssertEqual(record.fields["author"], "{Food AND Drug Administration} and {Salt and Pepper} and Smith, J. and Randall, Andy")
        XCTAssertEqual(record.doi, "10.1/abc")
        XCTAssertEqual(record.firstAuthorFamilyName, "administration")
        let dutch = try XCTUnwrap(parse("@article{b, author = {van der Berg, Ann}, title = {T}}").records.first)
        XCTAssertEqual(dutch.firstAuthorFamilyName, "vanderberg")
    }

    func testStringMacrosAreCaseInsensitiveAndConcatenate() throws {
        let result = parse("""
            @STRING{ACM = "The OX Association for Computing Machinery"}
            @string{stoc = " Symposium on the Theory of Computing"}
            @inproceedings{a, booktitle = "Proc. Fifteenth Annual" # STOC, organization = acm, year = 1983}
            """)
        XCTAssertEqual(result.warnings, [])
        let record = try XCTUnwrap(result.records.first)
        XCTAssertEqual(record.fields["booktitle"], "Proc. Fifteenth Annual Symposium on the Theory of Computing")
        XCTAssertEqual(record.fields["organization"], "The OX Association for Computing Machinery")
    }

    func testMonthMacrosExpandToEnglishNames() throws {
        let result = parse(#"@book{b, month = "10~" # jan, note = dec}"#)
        XCTAssertEqual(result.records.first?.fields["month"], "10 January")
        XCTAssertEqual(result.records.first?.fields["note"], "December")
    }

    func testUndefinedMacroWarnsAndKeepsTheName() throws {
        let result = parse("@article{a,\n  journal = tse,\n  title = {T}}")
        XCTAssertEqual(result.records.first?.fields["journal"], "tse")
        XCTAssertEqual(result.warnings, [.unknownMacro(SourceLocation(file: "refs.bib", line: 2, column: 13), name: "tse")])
        XCTAssertEqual(result.warnings.first?.description, "refs.bib:2:13: 'tse' is not defined by any @string before this point; the field keeps the word 'tse'")
    }

    func testPreambleAndCommentAreNotRecords() throws {
        let result = parse("""
            @preamble{ "\\newcommand{\\noopsort}[1]{} " # "x" }
            @comment{ this is {ignored} @article{fake, title={no}} }
            Some free text between entries is a comment too.
            @article{real, title = {Yes}}
            """)
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.records.map(\.key), ["real"])
        XCTAssertEqual(result.preambles.count, 1)
    }

    func testCrossrefInheritsMissingFieldsWhateverTheOrder() throws {
        let result = parse("""
            @inproceedings{child, crossref = {Parent}, title = {Child}, key = ""}
            @proceedings{parent, title = {Parent title}, booktitle = {Proc. X}, year = 1999, key = {P}}
            @inproceedings{orphan, crossref = {missing}, title = {O}}
            """)
        let child = try XCTUnwrap(result.records.first)
        XCTAssertEqual(child.title, "Child")
        XCTAssertEqual(child.fields["booktitle"], "Proc. X")
        XCTAssertEqual(child.year, 1999)
        XCTAssertEqual(child.fields["key"], "", "a field present but empty in the child is not inherited")
        XCTAssertEqual(result.warnings, [.unknownCrossref(SourceLocation(file: "refs.bib", line: 3, column: 1), key: "orphan", parent: "missing")])
    }

    func testNestedBracesQuotedValuesAndBareNumbers() throws {
        let result = parse(#"@misc{m, title = "The {"}Big{"} {Data {Era}}", note = {a {b {c}} d}, volume = 41, pages = "73+"}"#)
        XCTAssertEqual(result.warnings, [])
        let record = try XCTUnwrap(result.records.first)
        XCTAssertEqual(record.title, #"The "Big" Data Era"#)
        XCTAssertEqual(record.fields["note"], "a b c d")
        XCTAssertEqual(record.fields["volume"], "41")
        XCTAssertEqual(record.fields["pages"], "73+")
    }

    func testUmlautInsideAQuotedValueDoesNotEndIt() throws {
        let result = parse(#"@misc{q, author = "M\"uller, J\"{o}rg", title = "Say {"}hi{"}"}"#)
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.records.first?.authors, ["Müller, Jörg"])
        XCTAssertEqual(result.records.first?.title, #"Say "hi""#)
    }

    func testMacrosMustBeDefinedBeforeUse() throws {
        let result = parse("@misc{early, publisher = later}\n@string{later = {Defined Later}}\n@misc{late, publisher = later}")
        XCTAssertEqual(result.records.map { $0.fields["publisher"] }, ["later", "Defined Later"])
        XCTAssertEqual(result.warnings, [.unknownMacro(SourceLocation(file: "refs.bib", line: 1, column: 26), name: "later")])
    }

    func testParenthesisDelimitedEntries() throws {
        let result = parse("@article(paren, title = {In (parens)}, year = {2001})\n@string(x = {y})")
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.records.first?.key, "paren")
        XCTAssertEqual(result.records.first?.title, "In (parens)")
    }

    func testOddKeys() throws {
        let result = parse("""
            @article{ WOS:001566926800002,
            Author = {Otroshi Shahreza, Hatef},
            Unique-ID = {WOS:001566926800002},
            }
            @inproceedings{10.1145/3696630.3728550, title = {A}}
            @book{Alpert:Abrams:2016wb, title = {B}}
            @book{müller.2020-ä, title = {C}}
            """)
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.records.map(\.key), ["WOS:001566926800002", "10.1145/3696630.3728550", "Alpert:Abrams:2016wb", "müller.2020-ä"])
        XCTAssertEqual(result.records[0].fields["unique-id"], "WOS:001566926800002")
    }

    func testScopusKeysWithSpaces() throws {
        let result = parse("@ARTICLE{Di Rocco2025923,\n title = {T}}\n@CONFERENCE{de Allende2024561, title = {U}}")
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.records.map(\.key), ["Di Rocco2025923", "de Allende2024561"])
    }

    func testPercentCommentsOutsideAndBetweenFields() throws {
        let result = parse("""
            %@ARTICLE{commented:out, title = {No}}
            %[[ Alaton:tc ]]
            @article{a,
            %  AUTHOR = {Hidden},
              title = {Shown}, % trailing remark
              year = 2000}
            """)
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.records.map(\.key), ["a"])
        XCTAssertEqual(result.records.first?.fields["author"], nil)
        XCTAssertEqual(result.records.first?.year, 2000)
    }

    func testByteOrderMarkAndMixedLineEndings() throws {
        let text = "\u{FEFF}@article{a,\r\n title = {One\r\n two},\r year = 2020}\n\n@article{b,\r title = {B}}\r\n"
        let result = parse(text)
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.records.map(\.key), ["a", "b"])
        XCTAssertEqual(result.records[0].title, "One two")
        XCTAssertEqual(result.records[1].location.line, 6)
    }

    func testEntryWithoutFieldsAndTrailingComma() throws {
        let result = parse("@misc{bare}\n@misc{trailing, title = {T},\n}")
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.records.map(\.key), ["bare", "trailing"])
    }

    func testCorporateAuthorsInBracesStayWhole() throws {
        let result = parse("@misc{c, author = {{Barnes and Noble} and {M. Patil} and Knuth, Donald E. AND Ullman, J.}}")
        XCTAssertEqual(result.records.first?.authors, ["Barnes and Noble", "M. Patil", "Knuth, Donald E.", "Ullman, J."])
        XCTAssertEqual(result.records.first?.fields["author"], "{Barnes and Noble} and M. Patil and Knuth, Donald E. and Ullman, J.")
    }

    func testVerbatimFieldsKeepURLCharacters() throws {
        let result = parse(#"@misc{u, url = {https://example.org/~user/a--b_c%20d}, doi = {10.1000/x--y}}"#)
        XCTAssertEqual(result.records.first?.fields["url"], "https://example.org/~user/a--b_c%20d")
        XCTAssertEqual(result.records.first?.doi, "10.1000/x--y")
    }

    func testAtSignInCommentTextIsIgnored() throws {
        let result = parse("Contact me at someone@example.org about these.\n@article{a, title = {T}}")
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.records.map(\.key), ["a"])
    }

    func testDuplicateKeysWarnWithBothLinesAndKeepBoth() throws {
        let result = parse("@article{same, title = {First}}\n\n@article{Same, title = {Second}}")
        XCTAssertEqual(result.records.map(\.title), ["First", "Second"])
        XCTAssertEqual(result.warnings, [.duplicateKey(SourceLocation(file: "refs.bib", line: 3, column: 1), key: "Same", firstLine: 1)])
        XCTAssertTrue(result.warnings[0].description.hasPrefix("refs.bib:3:1: citation key 'Same' is used again (first at line 1)"))
    }

    func testDuplicateFieldKeepsTheFirstValue() throws {
        let result = parse("@article{a, title = {First}, TITLE = {Second}}")
        XCTAssertEqual(result.records.first?.title, "First")
        XCTAssertEqual(result.warnings, [.duplicateField(SourceLocation(file: "refs.bib", line: 1, column: 30), field: "title", key: "a")])
    }

    func testLaTeXIsConvertedInFields() throws {
        let result = parse(#"@article{a, author = {B{\"u}y{\"u}kg{\"u}ng{\"o}r, Orhan and Aks{\i}n, {\"O}zge}, title = {Caf\'{e} --- \emph{Na\"{\i}ve}}}"#)
        XCTAssertEqual(result.records.first?.authors, ["Büyükgüngör, Orhan", "Aksın, Özge"])
        XCTAssertEqual(result.records.first?.title, "Café — Naïve")
    }
}
