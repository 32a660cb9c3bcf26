/// How one request on a bus ended, as the recovery policy needs to know it (DESIGN §3).
public enum RequestFailureKind: String, Sendable, Hashable, CaseIterable {
    /// No reply within the response timeout.
    case timeout
    /// A reply arrived but was malformed: bad CRC, wrong length, transaction id or function.
    case badData = "bad_data"
    /// The connection or serial port failed: reset, broken pipe, refused, bad descriptor.
    case linkLost = "link_lost"
}

/// The recovery policy of one bus connection as a pure state machine: feed it events, do what it returns.
///
/// DESIGN §3, as measured on libmodbus 3.1.6 with error recovery `NONE`: a Modbus exception means the link is
/// fine; after a timeout or bad data on TCP the connection is closed and reopened before the next request
/// (otherwise a late reply is read as the answer to the next request); on RTU the port is flushed; a lost
/// link is reopened forever, with capped exponential back-off and jitter between failed attempts.
///
/// Not thread-safe; owned by one bus worker. `Instant` is the worker's clock's instant (tests use a manual one).
public struct ReconnectStateMachine<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The bus transport, which decides how a timeout or bad data is recovered.
    public enum Transport: Sendable, Hashable {
        /// Modbus TCP (or RTU over TCP): recover by closing and reopening the connection.
        case tcp
        /// Modbus RTU on a serial line: recover by flushing the port; the port stays open.
        case rtu
    }

    /// What the worker must do next.
    public enum Action: Sendable, Hashable {
        /// Open the connection now, then report `connectSucceeded` or `connectFailed`.
        case connect
        /// Send requests.
        case poll
        /// Sleep until the instant (or until stopped), then ask `nextAction` again.
        case wait(until: Instant)
        /// Close the connection; the next `nextAction` says when to reopen it.
        case close
        /// Discard whatever is pending on the serial line now (libmodbus `modbus_flush`), and again before the
        /// next request.
        case flush
        /// Wait one response timeout for a late reply to arrive, then discard what is pending.
        case waitThenFlush
        /// Nothing to do: carry on.
        case none
    }

    private enum State: Sendable, Hashable {
        case disconnected
        case connected
        case backingOff(until: Instant)
    }

    /// The recovery transport.
    public let transport: Transport
    /// The back-off policy between failed connection attempts.
    public let policy: BackoffPolicy
    private var state: State = .disconnected
    /// Connection attempts that failed in a row since the link was last up.
    public private(set) var consecutiveConnectFailures = 0

    /// Creates the machine in the disconnected state: the first `nextAction` is `.connect`.
    public init(transport: Transport, policy: BackoffPolicy = .init()) {
        self.transport = transport
        self.policy = policy
    }

    /// Whether the connection is open and requests may be sent.
    public var isConnected: Bool { state == .connected }

    /// What to do at `now`: connect, poll, or wait until the back-off period ends.
    public mutating func nextAction(now: Instant) -> Action {
        switch state {
        case .connected:
            return .poll
        case .disconnected:
            return .connect
        case .backingOff(let until):
            if now < until { return .wait(until: until) }
            state = .disconnected
            return .connect
        }
    }

    /// The connection opened.
    public mutating func connectSucceeded() {
        state = .connected
        consecutiveConnectFailures = 0
    }

    /// The connection could not be opened at `now`.
    /// - Parameter unitRandom: a uniform draw from `0..<1` for the jitter.
    /// - Returns: `.wait(until:)` the end of the back-off period.
    public mutating func connectFailed(now: Instant, unitRandom: Double) -> Action {
        consecutiveConnectFailures += 1
        let until = now.advanced(by: policy.delay(afterFailures: consecutiveConnectFailures, unitRandom: unitRandom))
        state = .backingOff(until: until)
        return .wait(until: until)
    }

    /// A request failed without a Modbus exception (an exception is an answer and needs no recovery).
    /// - Parameter probing: whether the request probed a device that had stopped answering. Its late reply is
    ///   unlikely, so on RTU the line is flushed at once (and again before the next request) instead of after
    ///   one more response timeout: a probe of a dead device costs one response timeout, the physical minimum
    ///   (issue 13). A device that was answering may still send a late reply, which must not reach the next
    ///   request, so that wait stays.
    /// - Returns: `.close` (TCP after a timeout or bad data, or any lost link: the next `nextAction` is
    ///   `.connect`); on RTU after a timeout or bad data `.flush` when probing, else `.waitThenFlush`.
    public mutating func requestFailed(_ kind: RequestFailureKind, probing: Bool = false) -> Action {
        guard state == .connected else { return .none }
        switch (kind, transport) {
        case (.linkLost, _), (_, .tcp):
            state = .disconnected
            return .close
        case (.timeout, .rtu), (.badData, .rtu):
            return probing ? .flush : .waitThenFlush
        }
    }
}
