import XCTest
@testable import Literature

final class LaTeXTextTests: XCTestCase {
    func testPlainTextIsCopiedAndOnlyPlainTextTakesTheShortcut() {
        let plain = ["We study pre-trained models.", "Müller's café: 3–5 times", "a", "", "x - y"]
        for text in plain {
            XCTAssertTrue(LaTeXText.isPlain(Array(text.utf8)[...]), text)
            XCTAssertEqual(LaTeXText.toUnicode(text), text)
        }
        let rewritten = [("two  spaces", "two spaces"), (" lead", "lead"), ("trail ", "trail"), ("a--b", "a–b"), ("''q''", "”q”"),
                         ("line\nbreak", "line break"), ("{Case}", "Case"), ("e\u{301}", "é"), ("a~b", "a b")]
        for (text, expected) in rewritten {
            XCTAssertFalse(LaTeXText.isPlain(Array(text.utf8)[...]), text)
            XCTAssertEqual(LaTeXText.toUnicode(text), expected, text)
        }
    }

    func testAccentSpellingsAllComposeToTheSameLetter() {
        for spelling in [#"{\"o}"#, #"\"{o}"#, #"\"o"#, #"{\"{o}}"#] {
            XCTAssertEqual(LaTeXText.toUnicode(spelling), "ö", spelling)
        }
        XCTAssertEqual(LaTeXText.toUnicode(#"{\'e}t\'{e} \`a l\^o \~n"#), "été à lô ñ")
        XCTAssertEqual(LaTeXText.toUnicode(#"\=a \.z \u{g} \v{s} \H{o} \c{c} \k{a} \r{a}"#), "ā ż ğ š ő ç ą å")
        XCTAssertEqual(LaTeXText.toUnicode(#"\c c \v s"#), "ç š")
    }

    func testOutputIsPrecomposed() {
        let text = LaTeXText.toUnicode(#"M\"uller"#)
        XCTAssertEqual(text.unicodeScalars.count, 6)
        XCTAssertEqual(Array(text.unicodeScalars)[1], "\u{00FC}")
        // Decomposed input is composed too.
        XCTAssertEqual(LaTeXText.toUnicode("Mu\u{0308}ller").unicodeScalars.count, 6)
    }

    func testDotlessIAndJInsideAccents() {
        XCTAssertEqual(LaTeXText.toUnicode(#"Aks{\i}n"#), "Aksın")
        XCTAssertEqual(LaTeXText.toUnicode(#"na\"{\i}ve"#), "naïve")
        XCTAssertEqual(LaTeXText.toUnicode(#"\'\i"#), "í")
        XCTAssertEqual(LaTeXText.toUnicode(#"\^{\j}"#), "ĵ")
    }

    func testSpecialLetters() {
        XCTAssertEqual(LaTeXText.toUnicode(#"Stra\ss e {\o} {\O} {\ae} {\AE} \oe{} {\aa} \AA{} {\l} {\L}"#), "Straße ø Ø æ Æ œ å Å ł Ł")
        // As in TeX, a space after a control word only ends the word.
        XCTAssertEqual(LaTeXText.toUnicode(#"\O \ae"#), "Øæ")
        XCTAssertEqual(LaTeXText.toUnicode(#"Unzeitgem{\"a}{\ss}e"#), "Unzeitgemäße")
    }

    func testEscapedCharacters() {
        XCTAssertEqual(LaTeXText.toUnicode(##"R\&D 50\% \$5 \#1 a\_b \{x\}"##), "R&D 50% $5 #1 a_b {x}")
    }

    func testDashesTildesAndQuotes() {
        XCTAssertEqual(LaTeXText.toUnicode("pages 1--5---six"), "pages 1–5—six")
        XCTAssertEqual(LaTeXText.toUnicode("a-b"), "a-b")
        XCTAssertEqual(LaTeXText.toUnicode("J.~Amer. Math.~Soc."), "J. Amer. Math. Soc.")
        XCTAssertEqual(LaTeXText.toUnicode("``quoted''"), "“quoted”")
        XCTAssertEqual(LaTeXText.toUnicode("O'Hare"), "O'Hare")
    }

    func testFormattingCommandsKeepTheirContent() {
        XCTAssertEqual(LaTeXText.toUnicode(#"\textit{In} \emph{vivo} \textbf{bold} {\em old} \mkbibemph{x}"#), "In vivo bold old x")
        XCTAssertEqual(LaTeXText.toUnicode(#"\mbox{G-Animal's} Journal"#), "G-Animal's Journal")
    }

    func testProtectiveBracesRemoved() {
        XCTAssertEqual(LaTeXText.toUnicode("{MedBot}: {Intelligent} {{Health}} Care"), "MedBot: Intelligent Health Care")
    }

    func testMathIsKeptVerbatim() {
        XCTAssertEqual(LaTeXText.toUnicode(#"The $\alpha_1$-{CO} and $$x^2$$ bonds"#), #"The $\alpha_1$-CO and $$x^2$$ bonds"#)
        XCTAssertEqual(LaTeXText.toUnicode("costs \\$5 and $3"), "costs $5 and $3")
    }

    func testWhitespaceIsFolded() {
        XCTAssertEqual(LaTeXText.toUnicode("  a\n   b\t\tc \r\n d  "), "a b c d")
    }

    func testNonLatinTextIsKept() {
        XCTAssertEqual(LaTeXText.toUnicode("{Парадоксы} безконечнаго"), "Парадоксы безконечнаго")
    }
}
