import FoundationEssentials
import ShelterCore
import Testing
import ShelterTesting

/// Issue 12 item 3 and issue 11 item 2: nothing a person can fix is dead-lettered. Event by event: an answer in,
/// the completion out.
@Suite("OutboxPolicy: configuration faults hold, body faults dead-letter")
struct OutboxPolicyFaultTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func entry(_ id: String, _ kind: OutboxKind = .alert, attempts: Int = 0, bytes: Int = 100) -> OutboxEntry {
        OutboxEntry(id: id, kind: kind, createdAt: t0, byteCount: bytes, attempts: attempts)
    }

    func policy(limits: OutboxPolicy.Configuration.Limits = .init()) -> OutboxPolicy {
        OutboxPolicy(
            configuration: .init(
                batch: .init(maximumCount: 3),
                retry: .init(
                    initialBackoff: .seconds(1), maximumBackoff: .seconds(60), jitter: 0,
                    holdInitialBackoff: .seconds(60), holdMaximumBackoff: .seconds(900)),
                limits: limits),
            random: SequenceRandom.zero)
    }

    static func refusal(_ code: ErrorBody.Code, _ message: String, issues: [ErrorBody.Issue] = []) -> RegistryRefusal {
        RegistryRefusal(errorBody: ErrorBody(code: code, message: message, issues: issues))
    }

    @Test(
        "redirects, 401, 403, 404 and other 4xx hold the whole batch, dead-letter nothing, retry on the slow back-off",
        arguments: [301, 302, 303, 307, 308, 401, 403, 404, 405, 406, 409, 410, 415, 418, 451, 100, 204 + 400])
    func configurationFaultHolds(status: Int) {
        var policy = policy()
        let batch = OutboxBatch(kind: .alert, entries: [entry("a1"), entry("a2")])
        guard
            case .hold(let held, let fault, let notBefore) = policy.batchFinished(
                batch, outcome: .response(statusCode: status), now: t0)
        else {
            Issue.record("HTTP \(status) must hold the outbox")
            return
        }
        #expect(held == batch)
        #expect(fault.statusCode == status)
        #expect(notBefore == t0.addingTimeInterval(60))
        #expect(fault.message.contains("HTTP \(status)"))
    }

    @Test("400, 413 and 422 say the body is wrong: a single entry becomes a dead letter with the registry's words")
    func bodyFaultDeadLetters() {
        for status in [400, 413, 422] {
            var policy = policy()
            let batch = OutboxBatch(kind: .status, entries: [entry("r1", .status)])
            let refusal = Self.refusal(
                .invalidBody, "the body does not match the protocol (1 problem(s))",
                issues: [.init(path: "[0].capacity.registered", message: "must be ≥ 1")])
            let completion = policy.batchFinished(
                batch, outcome: .response(statusCode: status, refusal: refusal), now: t0)
            let detail =
                "invalid_body: the body does not match the protocol (1 problem(s)) ([0].capacity.registered must be ≥ 1)"
            #expect(completion == .deadLetter(batch, reason: DeadLetterReason(rejectedWith: status, detail: detail)))
        }
    }

    @Test("a 400 about gatewayId (the certificate names another gateway) holds, even for a batch of several")
    func identityMismatchHolds() {
        var policy = policy()
        let batch = OutboxBatch(kind: .alert, entries: [entry("a1"), entry("a2")])
        let refusal = Self.refusal(
            .invalidBody, "the body does not match the protocol (2 problem(s))",
            issues: [
                .init(path: "[0].gatewayId", message: "must be gw-reference-01 (the client certificate's)"),
                .init(path: "[1].gatewayId", message: "must be gw-reference-01 (the client certificate's)"),
            ])
        guard
            case .hold(_, let fault, _) = policy.batchFinished(
                batch, outcome: .response(statusCode: 400, refusal: refusal), now: t0)
        else {
            Issue.record("a gateway-id mismatch must hold, not split or dead-letter")
            return
        }
        #expect(fault.kind == "identity_mismatch")
        #expect(fault.message.contains("gw-reference-01 (the client certificate's)"))
        #expect(fault.message.contains("gateway.id"))
    }

    @Test("the sentence names the registry's words and the setting: 403 names the certificate's gateway")
    func forbiddenSentence() {
        let fault = UplinkFault.classify(
            statusCode: 403, refusal: Self.refusal(.forbidden, "the client certificate names gateway gw-reference-01"),
            request: "heartbeat")
        #expect(
            fault?.message
                == "the registry refused the gateway for the heartbeat (HTTP 403: forbidden: the client certificate "
                + "names gateway gw-reference-01); gateway.id, the client certificate's CN and the shelter id must "
                + "match the gateway's registration at the bureau")
        #expect(fault?.kind == "forbidden")
    }

    @Test("a redirect is refused by configuration and named with its Location")
    func redirectNamesLocation() {
        let fault = UplinkFault.classify(
            statusCode: 302, refusal: RegistryRefusal(location: "https://registry.example/login?next=%2Fv1"),
            request: "alerts upload")
        #expect(fault?.kind == "redirect")
        #expect(fault?.message.contains("(HTTP 302 to https://registry.example/login?next=%2Fv1)") == true)
        #expect(fault?.message.contains("gateway.registry_url") == true)
    }

    @Test("2xx, 408, 429 and 5xx are not faults; a body that is not an ErrorBody is kept as cleaned text")
    func notFaults() {
        for status in [200, 201, 204, 408, 429, 500, 503, 599] {
            #expect(UplinkFault.classify(statusCode: status, refusal: nil, request: "x") == nil)
        }
        let html = RegistryRefusal(body: Array("<html>\r\n<b>Bad\tGateway</b>\n</html>".utf8), location: nil)
        #expect(html.errorBody == nil)
        #expect(html.text == "<html> <b>Bad Gateway</b> </html>")
        #expect(RegistryRefusal(body: Array(String(repeating: "x", count: 500).utf8), location: nil).text?.count == 201)
    }

    @Test("the hold back-off doubles from 1 minute to 15 minutes, counted from the entries' attempts")
    func holdBackoffGrows() {
        let policy = policy()
        #expect(
            [1, 2, 3, 4, 5, 6].map { policy.holdBackoff(afterFailures: $0) }
                == [.seconds(60), .seconds(120), .seconds(240), .seconds(480), .seconds(900), .seconds(900)])
        var mutable = policy
        let batch = OutboxBatch(kind: .alert, entries: [entry("a1", attempts: 2)])
        #expect(
            mutable.batchFinished(batch, outcome: .response(statusCode: 401), now: t0)
                == .hold(
                    batch,
                    fault: UplinkFault.classify(statusCode: 401, refusal: nil, request: "alerts upload")!,
                    notBefore: t0.addingTimeInterval(240)))
    }

    @Test("a request abandoned because the registry answered again elsewhere is retried at once")
    func abandonedRetriesAtOnce() {
        var policy = policy()
        let batch = OutboxBatch(kind: .alert, entries: [entry("a1", attempts: 5)])
        #expect(
            policy.batchFinished(batch, outcome: .failed(.init(kind: .abandoned, message: "cut short")), now: t0)
                == .retry(batch, notBefore: t0))
    }

    @Test("dead letters count against the byte bound: status reports go first, then dead letters, alerts last")
    func deadLettersInsideTheBound() {
        var policy = policy(limits: .init(maximumBytes: 1000))
        let alerts = OutboxSnapshot.Queue(
            count: 1, byteCount: 600, oldestCreatedAt: t0, head: [entry("a1", bytes: 600)])
        let status = OutboxSnapshot.Queue(
            count: 1, byteCount: 100, oldestCreatedAt: t0, head: [entry("s1", .status, bytes: 100)])
        let dead = OutboxSnapshot.Queue(count: 2, byteCount: 500, oldestCreatedAt: t0)
        #expect(
            policy.nextAction(OutboxSnapshot(alerts: alerts, status: status, deadLetters: dead), now: t0)
                == .evict(OutboxEviction(kind: .status, bytesToFree: 100)))
        #expect(
            policy.nextAction(OutboxSnapshot(alerts: alerts, deadLetters: dead), now: t0)
                == .evict(.deadLetters(bytesToFree: 100)))
        #expect(
            policy.nextAction(OutboxSnapshot(alerts: alerts), now: t0)
                == .send(OutboxBatch(kind: .alert, entries: alerts.head)))
    }

    @Test("dead letters expire after their age bound, counted as dead_letter evictions")
    func deadLettersExpire() {
        var policy = policy(limits: .init(maximumDeadLetterAge: .seconds(86_400)))
        let dead = OutboxSnapshot.Queue(count: 1, byteCount: 10, oldestCreatedAt: t0.addingTimeInterval(-90_000))
        let action = policy.nextAction(OutboxSnapshot(deadLetters: dead), now: t0)
        #expect(action == .evict(.deadLetters(createdBefore: t0.addingTimeInterval(-86_400))))
        #expect(OutboxEviction.deadLetters().target == "dead_letter")
        let fresh = OutboxSnapshot.Queue(count: 1, byteCount: 10, oldestCreatedAt: t0.addingTimeInterval(-3600))
        #expect(policy.nextAction(OutboxSnapshot(deadLetters: fresh), now: t0) == .wait(until: nil))
    }
}
