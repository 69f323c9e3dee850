import Core
import FuzzDriver
import Foundation

/// The one input a harness is handed, kept in a global because libFuzzer's callback is a C
/// function pointer and cannot capture.
nonisolated(unsafe) private var currentBody: ((Data) -> Void)?

/// Runs libFuzzer with `body` as the test: called from each harness's `<Module>_main`.
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ body: @escaping (Data) -> Void
) -> CInt {
    currentBody = body
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { bytes, size in
        let data = size == 0 ? Data() : Data(bytes: bytes!, count: size)
        currentBody!(data)
        return 0
    }
}

/// The bytes decoded as the study's readers decode a text file (`auto`: byte-order marks, UTF-8,
/// else an error). Bytes it refuses are still parsed, as a lossy UTF-8 decoding, so a harness
/// never stops at the decoder.
public func decodedText(_ data: Data, path: String) -> String {
    (try? TextFile.decode(data, path: path, encoding: .automatic)) ?? String(decoding: data, as: UTF8.self)
}

/// A scratch folder of this process: readers that take a file get the input written there.
public let scratch: URL = {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("triangulate-fuzz-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory
        .appendingPathComponent("triangulate-fuzz-\(ProcessInfo.processInfo.processIdentifier)")) }
    return url
}()

/// Writes `data` to `name` in the scratch folder and returns its URL.
public func scratchFile(_ name: String, _ data: Data) -> URL {
    let url = scratch.appendingPathComponent(name)
    try! data.write(to: url)
    return url
}

/// A ZIP archive of `members`, stored (not deflated), with correct CRC-32s and sizes: lets a
/// harness reach the XML inside a .docx or .qdpx, which mutated archives seldom get past (the
/// zip reader checks every member's CRC, as it should).
public func storedZip(_ members: [(path: String, data: Data)]) -> Data {
    var archive = Data()
    var directory = Data()
    func le16(_ value: Int, into data: inout Data) { data.append(contentsOf: [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)]) }
    func le32(_ value: UInt32, into data: inout Data) { for shift in stride(from: 0, to: 32, by: 8) { data.append(UInt8((value >> UInt32(shift)) & 0xFF)) } }
    for member in members {
        let name = Data(member.path.utf8)
        let crc = crc32(member.data)
        let offset = UInt32(archive.count)
        le32(0x0403_4B50, into: &archive); le16(20, into: &archive); le16(0, into: &archive); le16(0, into: &archive)
        le16(0, into: &archive); le16(0, into: &archive); le32(crc, into: &archive)
        le32(UInt32(member.data.count), into: &archive); le32(UInt32(member.data.count), into: &archive)
        le16(name.count, into: &archive); le16(0, into: &archive)
        archive.append(name); archive.append(member.data)
        le32(0x0201_4B50, into: &directory); le16(20, into: &directory); le16(20, into: &directory); le16(0, into: &directory)
        le16(0, into: &directory); le16(0, into: &directory); le16(0, into: &directory); le32(crc, into: &directory)
        le32(UInt32(member.data.count), into: &directory); le32(UInt32(member.data.count), into: &directory)
        le16(name.count, into: &directory); le16(0, into: &directory); le16(0, into: &directory); le16(0, into: &directory)
        le16(0, into: &directory); le32(0, into: &directory); le32(offset, into: &directory)
        directory.append(name)
    }
    let directoryOffset = UInt32(archive.count)
    archive.append(directory)
    le32(0x0605_4B50, into: &archive); le16(0, into: &archive); le16(0, into: &archive)
    le16(members.count, into: &archive); le16(members.count, into: &archive)
    le32(UInt32(directory.count), into: &archive); le32(directoryOffset, into: &archive); le16(0, into: &archive)
    return archive
}

private let crcTable: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
    return value
}

func crc32(_ data: Data) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
}

/// Splits a harness input at its first NUL byte: the parts become separate members.
public func splitAtNUL(_ data: Data) -> (first: Data, rest: Data?) {
    guard let index = data.firstIndex(of: 0) else { return (data, nil) }
    return (data[data.startIndex..<index], data[(index + 1)...])
}

/// Whether `data` starts as a ZIP archive does (`PK`).
public func looksLikeZip(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B]) }
