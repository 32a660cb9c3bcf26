import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Passwords, tokens and the sign-in limiter of the console (issue 15 item 6).
///
/// - Passwords are bcrypt hashes (hummingbird-auth's `HummingbirdBcrypt`, cost `bcryptCost`); hashing and
///   checking run on NIO's blocking thread pool, never on the concurrency pool (a cost-12 hash takes about a
///   quarter of a second of CPU).
/// - Session and CSRF tokens are 32 random bytes (base64url); the store keeps a session token's SHA-256 only.
enum ConsoleSecurity {
    /// bcrypt cost (log2 rounds). The default is 12 (OWASP's floor is 10).
    static let bcryptCost: UInt8 = 12
    /// Failed sign-ins in a row that lock an account. The default is 5.
    static let signInLimit = 5
    /// How long a locked account stays locked. The default is 15 minutes.
    static let lockout: TimeInterval = 15 * 60
    /// How long a session lasts from sign-in: one 12-hour duty shift.
    static let sessionLifetime: TimeInterval = 12 * 3600
    /// A hash to check against when the name is unknown, so an unknown name costs as much time as a known one
    /// (made once, at the same cost, on the first unknown name).
    private static let decoyHash = Bcrypt.hash("decoy password of no account", cost: bcryptCost)

    /// The bcrypt hash of `password`, off the concurrency pool.
    static func hash(_ password: String, cost: UInt8 = bcryptCost) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`, off the concurrency pool.
    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Spends the time of one `verify` for a name that has no account; always `false`.
    static func verifyDecoy(_ password: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: decoyHash) && false }
    }

    /// 32 random bytes, base64url without padding (43 characters).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256 of `token`, lowercase hex: what the store keeps of a session token.
    static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// Compares two tokens in time independent of where they differ.
    static func tokensMatch(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
