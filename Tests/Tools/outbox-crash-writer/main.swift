// outbox-crash-writer: writes alerts and status reports into an outbox as fast as it can and prints
// "ack <eventId>" on stdout after each alert commit returns. The crash test (ShelterRuntimeTests/Outbox) kills it with SIGKILL
// mid-write and checks that every printed id is in the database. Usage: outbox-crash-writer <database path>

import FoundationEssentials
import Logging
import ShelterCore
import ShelterRuntime

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileDescriptorOutput.standardError.write("usage: outbox-crash-writer <database path>\n")
    exit(64)
}

do {
    let store = try await SQLiteOutboxStore.open(path: arguments[1], logger: Logger(label: "outbox-crash-writer"))
    var index = 0
    while true {
        index += 1
        for report in 0..<4 {
            let id = "report-\(index)-\(report)"
            let payload = Array(
                #"{"reportId":"\#(id)","sequence":\#(index),"filler":"\#(String(repeating: "r", count: 200))"}"#.utf8)
            store.enqueueStatus(id: id, payload: payload, createdAt: Date())
        }
        let id = "alert-\(index)"
        let payload = Array(#"{"eventId":"\#(id)","alertId":"A-\#(index % 7)","headline":"crash test"}"#.utf8)
        try await store.enqueueAlert(id: id, payload: payload, createdAt: Date())
        FileDescriptorOutput.standardOutput.write("ack \(id)\n")
    }
} catch {
    FileDescriptorOutput.standardError.write("outbox-crash-writer: \(error)\n")
    exit(1)
}

/// Unbuffered writes to a file descriptor, so every line is out before the next commit starts.
struct FileDescriptorOutput {
    static let standardOutput = FileDescriptorOutput(descriptor: 1)
    static let standardError = FileDescriptorOutput(descriptor: 2)
    let descriptor: Int32

    func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
