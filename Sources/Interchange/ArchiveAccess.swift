import Foundation
import ZIPFoundation

/// One file of a zip archive, read into memory.
struct ArchiveMember {
    var path: String
    var data: Data
}

/// The one place Interchange reads zip archives, so a shared safe zip reader can replace it.
///
/// A `.qdpx` comes from another person's machine, so nothing in it is trusted: a member whose
/// path is absolute or climbs out with `..` refuses the whole archive (it would name a file
/// outside the project if anyone extracted it); each member's declared size is checked against
/// the archive's own size before it is inflated (a 1 KB member that claims 10 GB is a zip bomb);
/// and inflating stops the moment a member yields more than it declared or the archive as a
/// whole passes `byteBudget`.
func readArchive(_ url: URL, displayPath: String, byteBudget: Int = 4 << 30) throws -> [ArchiveMember] {
    let archive: Archive
    do { archive = try Archive(url: url, accessMode: .read) } catch {
        throw InterchangeError.unreadable(file: displayPath, reason: "expected a REFI-QDA project (a zip archive), found a file that does not open as one")
    }
    let archiveSize = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    // Deflate cannot expand data more than about 1032:1; allow that, plus room for stored members.
    let plausible = max(archiveSize, 1) * 1100 + (1 << 20)
    var members: [ArchiveMember] = []
    var total = 0
    for entry in archive {
        let path = entry.path
        let parts = path.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if path.hasPrefix("/") || path.hasPrefix("\\") || parts.contains("..") || (parts.first?.contains(":") ?? false) {
            throw InterchangeError.unsafeArchive(file: displayPath, member: path, reason: "its path is absolute or climbs out of the archive with '..'")
        }
        guard entry.type == .file else { continue }
        let declared = Int(clamping: entry.uncompressedSize)
        if declared > plausible || total + declared > byteBudget {
            throw InterchangeError.unsafeArchive(file: displayPath, member: path,
                                                 reason: "it declares \(declared) bytes, more than a \(archiveSize)-byte archive can hold or than the \(byteBudget)-byte limit allows")
        }
        var data = Data()
        data.reserveCapacity(declared)
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                if data.count + chunk.count > declared { throw InterchangeError.unsafeArchive(file: displayPath, member: path, reason: "it inflates to more bytes than it declares") }
                data.append(chunk)
            }
        } catch let error as InterchangeError {
            throw error
        } catch {
            throw InterchangeError.unsafeArchive(file: displayPath, member: path, reason: "it cannot be extracted (\(error))")
        }
        total += data.count
        members.append(ArchiveMember(path: path, data: data))
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
