import Core
import Foundation
import ZIPFoundation

/// One file of a zip archive, read into memory.
struct ArchiveMember {
    var path: String
    var data: Data
}

/// The one place Interchange reads zip archives, through Core's safe `ZipArchive`.
///
/// A `.qdpx` comes from another person's machine, so nothing in it is trusted: a member whose
/// path is absolute or climbs out with `..` refuses the whole archive (it would name a file
/// outside the project if anyone extracted it); every offset and size is checked, each member
/// inflates against its own budget and the archive against `byteBudget` (a zip bomb stops at
/// the budget), and a member whose bytes differ from its CRC-32 is refused.
func readArchive(_ url: URL, displayPath: String, byteBudget: Int = 1 << 30) throws -> [ArchiveMember] {
    let archive: ZipArchive
    do {
        archive = try ZipArchive(url: url, displayPath: displayPath, limits: .init(memberBytes: min(byteBudget, 512 << 20), totalBytes: byteBudget))
    } catch ZipError.unsafePath(_, let member) {
        throw InterchangeError.unsafeArchive(file: displayPath, member: member, reason: "its path is absolute or climbs out of the archive with '..'")
    } catch let error as ZipError {
        throw InterchangeError.unreadable(file: displayPath, reason: "expected a REFI-QDA project (a zip archive), found a file that does not open as one (\(error.message))")
    } catch {
        throw InterchangeError.unreadable(file: displayPath, reason: "no such file, or no permission to read it")
    }
    var members: [ArchiveMember] = []
    members.reserveCapacity(archive.members.count)
    for member in archive.members where !member.isDirectory {
        do {
            members.append(ArchiveMember(path: member.path, data: try archive.data(of: member)))
        } catch let error as ZipError {
            throw InterchangeError.unsafeArchive(file: displayPath, member: member.path, reason: error.message.replacingOccurrences(of: "the archive member '\(member.path)' ", with: ""))
        }
    }
    return members
}

/// Writes members into a new zip archive at `url` (replacing it), with a fixed modification
/// date so the same study always exports the same bytes.
func writeArchive(_ members: [ArchiveMember], to url: URL) throws {
    try? FileManager.default.removeItem(at: url)
    let archive: Archive
    do { archive = try Archive(url: url, accessMode: .create) } catch {
        throw InterchangeError.unreadable(file: url.path, reason: "the archive cannot be created here")
    }
    let date = Date(timeIntervalSince1970: 1_577_836_800)
    for member in members {
        let data = member.data
        try archive.addEntry(with: member.path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                             compressionMethod: .deflate) { position, size in
            let start = Int(position)
            return data.subdata(in: start..<(start + size))
        }
    }
}
