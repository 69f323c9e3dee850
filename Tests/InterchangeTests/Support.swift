import Foundation
import TestSupport
import XCTest
import ZIPFoundation

/// Builds small .qdpx archives for tests.
enum Archives {
    static func qdpx(_ members: [(String, String)], in folder: URL, name: String = "p.qdpx") throws -> URL {
        try zip(members.map { ($0.0, Data($0.1.utf8)) }, in: folder, name: name)
    }

    /// A zip archive of the given members (a .qdpx, or a .docx to put in one).
    static func zip(_ members: [(String, Data)], in folder: URL, name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in members {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url
    }

    /// Runs xmllint against the REFI-QDA project schema; nil when it passes, else its message.
    static func schemaErrors(_ xml: Data, in folder: URL) throws -> String? {
        let schema = try TestPaths.sharedData("qda/refi-qda-spec/Project-mrt2019.xsd")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") else {
            throw XCTSkip("xmllint is not installed (apt-get install libxml2-utils); the schema check was skipped")
        }
        let file = folder.appendingPathComponent("project-\(UUID().uuidString).qde")
        try xml.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
        process.arguments = ["--noout", "--schema", schema.path, file.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? nil : message
    }

    static func member(_ path: String, of url: URL) throws -> Data {
        let archive = try Archive(url: url, accessMode: .read)
        guard let entry = archive[path] else { throw XCTSkip("no \(path)") }
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return data
    }
}
