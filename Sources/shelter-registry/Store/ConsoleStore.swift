import Foundation
import ShelterCore

/// What the bureau's console (issue 15) reads and writes beyond the gateway protocol: operator accounts and
/// their sign-in state, browser sessions, the audit trail of acts, and the listings its pages show. Both engines
/// implement it on the tables of `ConsoleMigrations` (added after `RegistryMigrations`' first migration), so
/// sessions, lockouts and acts hold across several registry instances on one PostgreSQL.
protocol ConsoleStore: Sendable {
    /// Creates the operator, or replaces its role and password hash (and clears a lockout) when it exists.
    func saveOperator(_ account: OperatorAccount) async throws

    /// The operator named `name`, or `nil`.
    func operatorAccount(_ name: String) async throws -> OperatorAccount?

    /// Counts a failed sign-in of `name`; from the `limit`-th failure in a row the account is locked until
    /// `now + lockout`. Returns the account as it now is (`nil`: no such operator).
    func recordFailedSignIn(
        _ name: String, limit: Int, lockout: TimeInterval, at now: Date
    ) async throws
        -> OperatorAccount?

    /// Clears the failure count and lockout after a good sign-in.
    func recordSignIn(_ name: String, at now: Date) async throws

    /// Stores a new session (its token only as a SHA-256 hash).
    func createSession(_ session: ConsoleSession) async throws

    /// The session whose token hashes to `tokenHash`, when it has not expired at `now`.
    func session(tokenHash: String, at now: Date) async throws -> ConsoleSession?

    /// Ends a session (sign-out).
    func deleteSession(tokenHash: String) async throws

    /// Appends an act to the audit trail.
    func recordAct(_ act: ConsoleAct) async throws

    /// The audit trail, newest first, optionally of one shelter, at most `limit`.
    func acts(shelterId: String?, limit: Int) async throws -> [ConsoleAct]

    /// Every shelter, by id.
    func allShelters() async throws -> [StoredShelter]

    /// Every gateway with its shelter and last heartbeat.
    func gatewayLinks() async throws -> [GatewayLink]

    /// The latest report of each shelter (by arrival), with when it arrived.
    func latestReports() async throws -> [ReceivedReport]

    /// One shelter's reports observed in `period`, oldest first, at most `limit` (the most recent ones).
    func reports(shelterId: String, observedIn period: ClosedRange<Date>, limit: Int) async throws -> [ReceivedReport]

    /// Alerts with their latest event: `openOnly` for those not cancelled, else all, newest change first, at
    /// most `limit`.
    func alertListing(openOnly: Bool, limit: Int) async throws -> [ListedAlert]

    /// One shelter's lifecycle changes, oldest first.
    func lifecycleChanges(shelterId: String) async throws -> [LifecycleChangeEntry]

    /// Heartbeats of `gatewayIds` received at or after `since`, oldest first, at most `limit`.
    func heartbeats(gatewayIds: [String], since: Date, limit: Int) async throws -> [ReceivedHeartbeat]
}

/// A console operator: sign-in name, role, bcrypt hash, and the sign-in limiter's state.
struct OperatorAccount: Sendable, Equatable {
    var name: String
    var role: OperatorRole
    /// bcrypt hash (`$2b$…`), never the password.
    var passwordHash: String
    /// Failed sign-ins in a row.
    var failedAttempts: Int = 0
    /// Locked until then, after too many failures.
    var lockedUntil: Date?
}

/// What an operator may do (issue 15 item 5). Each role may do what the ones before it may.
enum OperatorRole: String, Sendable, CaseIterable, Comparable, Codable {
    /// Reads every page.
    case viewer
    /// Also acknowledges alerts (the duty officer).
    case duty
    /// Also decides the lifecycle: activate, mark full, close, start and end a drill (the county, art. 22).
    case county

    static func < (lhs: OperatorRole, rhs: OperatorRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A signed-in browser session. The cookie holds a random token; the store only its SHA-256 (hex).
struct ConsoleSession: Sendable, Equatable {
    var tokenHash: String
    var operatorName: String
    var role: OperatorRole
    /// The token every form of this session must carry (CSRF).
    var csrfToken: String
    var createdAt: Date
    var expiresAt: Date
}

/// One act in the audit trail: who did what to which shelter or alert, when.
struct ConsoleAct: Sendable, Equatable {
    /// `signIn`, `signInFailed`, `signOut`, `acknowledge`, `lifecycle`.
    var kind: String
    var actor: String
    /// Shelter id, or empty.
    var shelterId: String
    /// What was done, e.g. `activated`, `drill on`, `gw-reference-01/alr-C-01-0: note`.
    var detail: String
    var at: Date
}

/// A gateway and its last heartbeat.
struct GatewayLink: Sendable, Equatable {
    var gatewayId: String
    var shelterId: String
    var lastHeartbeatAt: Date?
    var agentVersion: String?
}

/// A status report with when this registry received it.
struct ReceivedReport: Sendable, Equatable {
    var report: StatusReport
    var receivedAt: Date
}

/// An alert's state with its latest event.
struct ListedAlert: Sendable, Equatable {
    var state: AlertState
    var latest: StoredAlertEvent
}

/// One lifecycle decision: state, drill, who, when.
struct LifecycleChangeEntry: Sendable, Equatable {
    var state: LifecycleState
    var isDrill: Bool
    var changedBy: String
    var changedAt: Date
}

/// A heartbeat with when it arrived.
struct ReceivedHeartbeat: Sendable, Equatable {
    var heartbeat: HeartbeatRequest
    var receivedAt: Date
}
