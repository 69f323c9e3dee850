import Foundation
import Prioritization
import XCTest

/// Times ranking a generated corpus the size of a large review; prints, never asserts a time.
/// Run with `swift test -c release --filter RankingBenchmarkTests` (skipped in debug builds,
/// whose timings mean nothing).
final class RankingBenchmarkTests: XCTestCase {
    func testRanking15000Records() throws {
        #if DEBUG
        throw XCTSkip("benchmark: run with swift test -c release --filter RankingBenchmarkTests")
        #else
        let (documents, truth) = Self.corpus(count: 15_000, seed: 42)
        for labelledCount in [200, 2_000, 10_000] {
            let labels = truth.filter { Int($0.key.dropFirst())! < labelledCount }
            let start = Date()
            let ranked = Prioritizer().rank(documents, labels: labels)
            let seconds = Date().timeIntervalSince(start)
            XCTAssertEqual(ranked.count, 15_000 - labelledCount)
            print(String(format: "ranking 15,000 records with %d labelled: %.3f s", labelledCount, seconds))
        }
        #endif
    }

    /// Abstract-length texts (about 180 words) drawn log-uniformly from 40,000 pseudo-words;
    /// one record in 20 is relevant and leans on a topic vocabulary.
    static func corpus(count: Int, seed: UInt64) -> ([Document], [String: Label]) {
        var generator = SplitMix64(seed: seed)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        func word(_ number: Int) -> String {
            var n = number + 26 * 26
            var characters: [Character] = []
            while n > 0 {
                characters.append(letters[n % 26])
                n /= 26
            }
            return String(characters)
        }
        var documents: [Document] = []
        var labels: [String: Label] = [:]
        for number in 0..<count {
            let relevant = number % 20 == 0
            var words: [String] = []
            for _ in 0..<180 {
                let u = Double(generator.next() >> 11) / Double(1 << 53)
                let rank = Int(exp(u * log(40_000.0))) - 1
                let topical = relevant && generator.nextInt(below: 10) == 0
                words.append(word(topical ? 40_000 + rank % 50 : rank))
            }
            let id = "r\(number)"
            documents.append(Document(id: id, text: words.joined(separator: " ")))
            labels[id] = relevant ? .relevant : .irrelevant
        }
        return (documents, labels)
    }
}
