import Foundation
import Index
import Project
import Study
import TestSupport
import XCTest

final class ParticipantFilterTests: XCTestCase {
    func testConditionsOnTypedAttributes() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("corpus/participants.csv", "id,pseudonym,role,years\nP01,Robin,engineer,7\nP02,Sam,researcher,12\nP03,Kim,engineer,3\n")
        let (index, _) = try StudyIndex.open(try fixture.study)
        XCTAssertEqual(try ParticipantFilter(["role=engineer"]).participants(in: index), ["P01", "P03"])
        XCTAssertEqual(try ParticipantFilter(["years>=7"]).participants(in: index), ["P01", "P02"], "7 and 12 compare as numbers")
        XCTAssertEqual(try ParticipantFilter(["role=engineer", "years<5"]).participants(in: index), ["P03"])
        XCTAssertEqual(try ParticipantFilter(["role!=engineer"]).participants(in: index), ["P02"])
        XCTAssertEqual(try ParticipantFilter(["pseudonym=Sam"]).participants(in: index), ["P02"])
        XCTAssertThrowsError(try ParticipantFilter(["years"])) { error in
            XCTAssertTrue(String(describing: error).contains("expected a condition such as role=engineer"), "\(error)")
        }
        XCTAssertThrowsError(try ParticipantFilter(["rol=x"]).participants(in: index)) { error in
            XCTAssertTrue(String(describing: error).contains("Did you mean 'role'?"), "\(error)")
        }
        let analysis = CodingAnalysis(index: index, participants: try ParticipantFilter(["role=engineer"]).participants(in: index))
        XCTAssertEqual(try analysis.interviewOrder(), ["P01", "P03"])
    }
}
