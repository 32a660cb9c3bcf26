// bench-http: time for one HTTPS request over a kept-alive connection (one CurlEasy reused) against a new
// handle, hence a new TCP connection and TLS handshake, per request (the baseline), measured in the same run.
// Usage: bench-http URL CA CERT KEY [COUNT]   (Scripts/bench-http starts a registry and runs it)
import Glibc
import HTTPClient

let arguments = CommandLine.arguments
guard arguments.count >= 5 else {
    print("usage: bench-http URL CA_BUNDLE CLIENT_CERT CLIENT_KEY [COUNT]")
    exit(64)
}
let count = arguments.count > 5 ? Int(arguments[5]) ?? 500 : 500
let configuration = HTTPClientConfiguration(
    tls: .init(caBundlePath: arguments[2], clientCertificatePath: arguments[3], clientKeyPath: arguments[4]))
let request = HTTPRequest(url: arguments[1])
let clock = ContinuousClock()

func measure(_ label: String, _ body: () throws(CurlError) -> Int) -> Double {
    let start = clock.now
    do {
        let newConnections = try body()
        let elapsed = clock.now - start
        let perRequest = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
        let milliseconds = perRequest / Double(count)
        print("\(label): \(count) requests, \(newConnections) new connections, \(milliseconds) ms/request")
        return milliseconds
    } catch {
        print("\(label): failed: \(error)")
        exit(1)
    }
}

do {
    let easy = try CurlEasy(configuration: configuration)
    _ = try easy.request(request)  // warm-up: connect once
    let kept = measure("kept-alive handle") { () throws(CurlError) -> Int in
        var connections = 0
        for _ in 0..<count { connections += try easy.request(request).newConnections }
        return connections
    }
    let fresh = measure("new handle per request (baseline)") { () throws(CurlError) -> Int in
        var connections = 0
        for _ in 0..<count { connections += try CurlEasy(configuration: configuration).request(request).newConnections }
        return connections
    }
    print("ratio baseline/kept-alive: \(fresh / kept)")
} catch {
    print("bench-http: \(error)")
    exit(1)
}
