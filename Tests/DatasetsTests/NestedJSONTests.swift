import Core
import Datasets
import Foundation
import TestSupport
import XCTest

/// PTMTorrent's uniform schema (SoftwareSystemsLaboratory/PTMTorrent,
/// `ptm_torrent/utils/ptmSchema.json`): every field name below is one that schema defines; the
/// values are made up for the test.
private let ptmTorrentFixture = """
    [
      {
        "id": 1,
        "ModelHub": {"ModelHubName": "Hugging Face", "ModelHubURL": "https://huggingface.co",
                     "MetadataFilePath": "huggingface/metadata.json", "MetadataObjectID": 17},
        "ModelName": "bert-tiny",
        "ModelOwner": "org-a",
        "ModelURL": "https://huggingface.co/org-a/bert-tiny",
        "ModelOwnerURL": "https://huggingface.co/org-a",
        "Datasets": [
          {"DatasetName": "wiki", "DatasetOwner": "org-w", "DatasetURL": "https://huggingface.co/datasets/org-w/wiki",
           "DatasetOwnerURL": "https://huggingface.co/org-w", "DatasetUsages": ["pretraining", "evaluation"]},
          {"DatasetName": "books", "DatasetOwner": "org-b", "DatasetURL": "https://huggingface.co/datasets/org-b/books",
           "DatasetOwnerURL": "https://huggingface.co/org-b", "DatasetPaperDOI": "10.0000/books"}
        ],
        "ModelPaperDOIs": ["10.0000/bert"],
        "LatestGitCommitSHA": "0123456789abcdef0123456789abcdef01234567",
        "ModelTask": "fill-mask",
        "ModelArchitecture": "bert"
      },
      {
        "id": 2,
        "ModelHub": {"ModelHubName": "ONNX Model Zoo", "ModelHubURL": "https://github.com/onnx/models",
                     "MetadataFilePath": "onnx/metadata.json", "MetadataObjectID": 3},
        "ModelName": "resnet50",
        "ModelOwner": "onnx",
        "ModelURL": "https://github.com/onnx/models/resnet50",
        "ModelOwnerURL": "https://github.com/onnx",
        "Datasets": [
          {"DatasetName": "imagenet", "DatasetOwner": "image-net", "DatasetURL": "https://image-net.org",
           "DatasetOwnerURL": "https://image-net.org", "DatasetUsages": ["training"]}
        ],
        "LatestGitCommitSHA": "89abcdef0123456789abcdef0123456789abcdef",
        "ModelTask": "image-classification"
      },
      {
        "id": 3,
        "ModelHub": {"ModelHubName": "Hugging Face", "ModelHubURL": "https://huggingface.co",
                     "MetadataFilePath": "huggingface/metadata.json", "MetadataObjectID": 18},
        "ModelName": "gpt-mini",
        "ModelOwner": "org-a",
        "ModelURL": "https://huggingface.co/org-a/gpt-mini",
        "ModelOwnerURL": "https://huggingface.co/org-a",
        "Datasets": [],
        "LatestGitCommitSHA": "fedcba9876543210fedcba9876543210fedcba98"
      }
    ]
    """

final class NestedJSONTests: XCTestCase {
    func testPTMTorrentRecordsKeepNestedObjectsAsQueryableJSON() throws {
        let study = try Study(self)
        try study.write(ptmTorrentFixture, to: "ptm.json")
        let (_, connection) = try study.importFile("ptm.json")
        let table = try XCTUnwrap(connection.describe().first)
        XCTAssertEqual(table.columns.map(\.name), [
            "id", "ModelHub", "ModelName", "ModelOwner", "ModelURL", "ModelOwnerURL", "Datasets", "ModelPaperDOIs",
            "LatestGitCommitSHA", "ModelTask", "ModelArchitecture",
        ])
        XCTAssertEqual(table.columns.first { $0.name == "ModelHub" }?.declaredType, "TEXT")

        let perHub = try connection.query("""
            SELECT json_extract(ModelHub, '$.ModelHubName') AS hub, COUNT(*), SUM(json_array_length(Datasets))
            FROM t GROUP BY hub ORDER BY hub
            """)
        XCTAssertEqual(perHub.rows, [[.text("Hugging Face"), .integer(2), .integer(2)],
                                     [.text("ONNX Model Zoo"), .integer(1), .integer(1)]])

        let datasets = try connection.query("""
            SELECT t.ModelName, json_extract(d.value, '$.DatasetName'),
                   json_array_length(d.value, '$.DatasetUsages'), json_extract(d.value, '$.DatasetPaperDOI')
            FROM t, json_each(t.Datasets) AS d
            ORDER BY t.id, d.key
            """)
        XCTAssertEqual(datasets.rows, [
            [.text("bert-tiny"), .text("wiki"), .integer(2), .null],
            [.text("bert-tiny"), .text("books"), .null, .text("10.0000/books")],
            [.text("resnet50"), .text("imagenet"), .integer(1), .null],
        ])

        let usages = try connection.query("""
            SELECT u.value, COUNT(*) FROM t, json_each(t.Datasets) AS d, json_each(d.value, '$.DatasetUsages') AS u
            GROUP BY u.value ORDER BY u.value
            """)
        XCTAssertEqual(usages.rows, [[.text("evaluation"), .integer(1)], [.text("pretraining"), .integer(1)],
                                     [.text("training"), .integer(1)]])
        XCTAssertEqual(try connection.query("SELECT json_extract(ModelHub, '$.MetadataObjectID') FROM t ORDER BY id").rows,
                       [[.integer(17)], [.integer(3)], [.integer(18)]])
    }

    /// A nested value may not go into a column declared as a number; the error points at the value.
    func testNestedValueInANumericColumnNamesLineColumnAndValue() throws {
        let study = try Study(self)
        try study.write("{\"id\": 1, \"ModelHub\": 2}\n{\"id\": 2,  \"ModelHub\": {\"ModelHubName\": \"x\"}}\n", to: "p.jsonl")
        XCTAssertThrowsDatasetError(try study.importFile("p.jsonl", columns: ["ModelHub": .integer])) { error in
            XCTAssertEqual(error.description,
                           "p.jsonl:2:24: column 'ModelHub' is declared integer in the manifest, found '{\"ModelHubName\": \"x\"}'")
        }
        try study.write("[\n  {\"id\": 1},\n  {\"id\": \"two\"}\n]\n", to: "p.json")
        XCTAssertThrowsDatasetError(try study.importFile("p.json", columns: ["id": .integer])) { error in
            XCTAssertEqual(error.description, "p.json:3:10: column 'id' is declared integer in the manifest, found 'two'")
        }
    }
}
