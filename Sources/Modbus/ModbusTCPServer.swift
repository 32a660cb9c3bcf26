internal import CModbus
internal import Glibc
internal import Synchronization
internal import Platform

/// A Modbus TCP server on its own threads: one accepting connections, one per connected client. For tests and
/// the device simulator.
///
/// Listens as soon as it is created and serves until `stop()`. Thread-safe. Every request goes through the
/// request hook first, so a simulator can inject declared faults (`ModbusServerAction`).
///
/// - Important: Call `stop()` when done: the server's threads keep it alive until then, so dropping the last
///   reference does not stop it.
public final class ModbusTCPServer: Sendable {
    /// The address the server listens on.
    public let host: String
    /// The bound port: the one asked for, or the one the system picked for port 0.
    public let port: Int

    private let listenContext: ContextHandle
    private let listenDescriptor: Int32
    private let mapping: ModbusMapping
    private let hook: ModbusRequestHook
    private let state = Mutex(State())

    private struct State {
        var isStopping = false
        var acceptThread: PlatformThread?
        var clientDescriptors: Set<Int32> = []
        var clientThreads: [Int: PlatformThread] = [:]
        var finishedClients: [Int] = []
        var nextClientID = 0
        var connectionsAccepted = 0
    }

    /// Starts listening.
    /// - Parameters:
    ///   - host: an IPv4 address. The default is `127.0.0.1` (loopback only).
    ///   - port: 0...65535; the default 0 lets the system pick a free port (read it from `port`).
    ///   - mapping: the data tables replies come from.
    ///   - maximumPendingConnections: the listen backlog. The default is 16.
    ///   - hook: decides each request's action. The default replies normally.
    /// - Throws: `ModbusError` if the address cannot be bound (`EADDRINUSE`, …) or no thread can start.
    /// The corresponding C functions are `modbus_new_tcp` and `modbus_tcp_listen`.
    public init(
        host: String = "127.0.0.1", port: Int = 0, mapping: ModbusMapping, maximumPendingConnections: Int = 16,
        hook: @escaping ModbusRequestHook = { _ in .reply }
    ) throws(ModbusError) {
        guard let context = modbus_new_tcp(host, Int32(port)) else { throw ModbusError(rawValue: errno) }
        let descriptor = modbus_tcp_listen(context, Int32(maximumPendingConnections))
        if descriptor == -1 {
            let error = ModbusError(rawValue: errno)
            modbus_free(context)
            throw error
        }
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        if named == -1 {
            let error = ModbusError(rawValue: errno)
            Glibc.close(descriptor)
            modbus_free(context)
            throw error
        }
        self.host = host
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listenContext = ContextHandle(pointer: context)
        self.listenDescriptor = descriptor
        self.mapping = mapping
        self.hook = hook
        guard let thread = PlatformThread.start({ [self] in acceptLoop() }) else {
            Glibc.close(descriptor)
            modbus_free(context)
            throw ModbusError(rawValue: EAGAIN)
        }
        state.withLock { $0.acceptThread = thread }
    }

    deinit {
        stop()
    }

    /// How many connections the server has accepted so far (for tests of reconnecting clients).
    public var connectionsAccepted: Int { state.withLock { $0.connectionsAccepted } }

    /// Stops accepting, closes every connection and waits for the server threads to end. Idempotent; the port is
    /// free again when it returns.
    public func stop() {
        let acceptThread: PlatformThread? = state.withLock { state in
            if state.isStopping { return nil }
            state.isStopping = true
            return state.acceptThread
        }
        guard let acceptThread else { return }
        shutdown(listenDescriptor, Int32(SHUT_RDWR))
        acceptThread.join()
        Glibc.close(listenDescriptor)
        modbus_free(listenContext.pointer)
        let clients = state.withLock { state in
            for descriptor in state.clientDescriptors { shutdown(descriptor, Int32(SHUT_RDWR)) }
            defer { state.clientThreads = [:] }
            return Array(state.clientThreads.values)
        }
        for thread in clients { thread.join() }
    }

    private var isStopping: Bool { state.withLock { $0.isStopping } }

    private func acceptLoop() {
        while true {
            let descriptor = accept(listenDescriptor, nil, nil)
            if descriptor == -1 {
                if errno == EINTR || errno == ECONNABORTED, !isStopping { continue }
                return
            }
            var noDelay: Int32 = 1
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            reapFinishedClients()
            let admitted: Int? = state.withLock { state in
                if state.isStopping { return nil }
                state.nextClientID += 1
                state.connectionsAccepted += 1
                state.clientDescriptors.insert(descriptor)
                return state.nextClientID
            }
            guard let clientID = admitted else {
                Glibc.close(descriptor)
                return
            }
            let thread = PlatformThread.start { [self] in serve(descriptor: descriptor, clientID: clientID) }
            guard let thread else {
                state.withLock { _ = $0.clientDescriptors.remove(descriptor) }
                Glibc.close(descriptor)
                continue
            }
            state.withLock { $0.clientThreads[clientID] = thread }
        }
    }

    private func serve(descriptor: Int32, clientID: Int) {
        guard let context = modbus_new_tcp(host, Int32(port)) else {
            finish(descriptor: descriptor, clientID: clientID)
            Glibc.close(descriptor)
            return
        }
        _ = modbus_set_socket(context, descriptor)
        var connection = ModbusServerConnection(tcp: context, mapping: mapping, hook: hook)
        connection.run(isStopping: { isStopping })
        finish(descriptor: descriptor, clientID: clientID)
        modbus_close(context)
        modbus_free(context)
    }

    /// Forgets a client before its descriptor is closed, so `stop()` never shuts down a reused descriptor.
    private func finish(descriptor: Int32, clientID: Int) {
        state.withLock { state in
            state.clientDescriptors.remove(descriptor)
            state.finishedClients.append(clientID)
        }
    }

    private func reapFinishedClients() {
        let finished = state.withLock { state in
            let threads = state.finishedClients.compactMap { state.clientThreads.removeValue(forKey: $0) }
            state.finishedClients = []
            return threads
        }
        for thread in finished { thread.join() }
    }
}

/// A libmodbus context owned by one server object.
struct ContextHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
