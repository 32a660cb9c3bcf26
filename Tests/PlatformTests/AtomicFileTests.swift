import Foundation
import Platform
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("AtomicFile")
struct AtomicFileTests {
    /// A fresh directory under /tmp (Platform's tests share no helper module).
    static func directory() -> String {
        var template = Array("/tmp/atomic-file-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    @Test("a write replaces the file whole, leaves no temporary file, and reads back byte for byte")
    func writeThenRead() throws {
        let directory = Self.directory()
        let path = directory + "/status.json"
        try AtomicFile.write(Array("old".utf8), to: path)
        try AtomicFile.write(Array("new content".utf8), to: path)
        #expect(AtomicFile.read(path) == Array("new content".utf8))
        #expect(access(path + ".tmp-\(getpid())", F_OK) != 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["status.json"])
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test("writers on several threads never share a temporary file: the file is one of their contents, whole")
    func concurrentWriters() async throws {
        let directory = Self.directory()
        let path = directory + "/status.json"
        let contents = (0..<8).map { Array(String(repeating: Character(String($0)), count: 64 * 1024).utf8) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for content in contents {
                group.addTask { for _ in 0..<20 { try AtomicFile.write(content, to: path, durability: .replaceOnly) } }
            }
            try await group.waitForAll()
        }
        #expect(contents.contains(try #require(AtomicFile.read(path))))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["status.json"])
    }

    @Test("a write into a missing directory names the step and the file; a read of a missing file is nil")
    func failures() {
        let path = Self.directory() + "/missing/status.json"
        #expect(AtomicFile.read(path) == nil)
        #expect {
            try AtomicFile.write([1], to: path)
        } throws: { error in
            (error as? AtomicFile.WriteError)?.description == "cannot write \(path): open: No such file or directory"
        }
    }

    @Test("a replace-only write (no fsync) replaces the file whole too; a touch moves its time, not its bytes")
    func replaceOnlyAndTouch() throws {
        let path = Self.directory() + "/status.json"
        try AtomicFile.write(Array("old".utf8), to: path, durability: .replaceOnly)
        try AtomicFile.write(Array("new".utf8), to: path, durability: .replaceOnly)
        #expect(AtomicFile.read(path) == Array("new".utf8))
        #expect(access(path + ".tmp-\(getpid())", F_OK) != 0)
        var past = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &past, 0) == 0)
        #expect(AtomicFile.modificationTime(path) == 1_000_000_000)
        try AtomicFile.touch(path)
        let touched = try #require(AtomicFile.modificationTime(path))
        #expect(abs(touched - Double(time(nil))) < 5)
        #expect(AtomicFile.read(path) == Array("new".utf8))
        #expect(AtomicFile.modificationTime(path + ".missing") == nil)
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.touch(path + ".missing") }
    }

    @Test("a file longer than the limit is not read")
    func limit() throws {
        let path = Self.directory() + "/big"
        try AtomicFile.write([UInt8](repeating: 7, count: 100), to: path)
        #expect(AtomicFile.read(path, limit: 99) == nil)
        #expect(AtomicFile.read(path, limit: 100)?.count == 100)
    }
}
