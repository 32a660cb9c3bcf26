import FoundationEssentials
import ShelterCore
import Testing

/// Issue 11 item 2: the registry's refusal reaches `status` in a sentence a person can act on, a registry that
/// answers with an error is not called unreachable, and a held outbox says so.
@Suite("status: uplink errors and the held outbox")
struct AgentStatusUplinkTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func status(lastError: String, heldBy: String?) -> AgentStatus {
        AgentStatus(
            writtenAt: now, startedAt: now.addingTimeInterval(-60), agentVersion: "0.1.0", pid: 1,
            gatewayID: "gw-reference-02", shelterID: "SMX-HB-0007", lifecycle: .init(state: "standby"),
            outbox: .init(depth: 2, deadLetters: 0, heldBy: heldBy),
            registry: .init(url: "https://registry.example", isReachable: false, lastError: lastError))
    }

    @Test("a refusal shows as ERROR with the registry's words; the hold has its own line")
    func refusalAndHold() {
        let refusal = UplinkFault.sentence(
            statusCode: 403,
            refusal: RegistryRefusal(
                errorBody: ErrorBody(code: .forbidden, message: "the client certificate names gateway gw-reference-01")),
            request: "heartbeat")
        let text = status(
            lastError: refusal, heldBy: "the registry refused the gateway for the alerts upload (HTTP 403)"
        )
        .text(now: now)
        #expect(
            text.contains(
                "registry   https://registry.example ERROR: the registry refused the gateway for the heartbeat (HTTP 403: "
                    + "forbidden: the client certificate names gateway gw-reference-01)"))
        #expect(!text.contains("UNREACHABLE"))
        #expect(
            text.contains(
                "           HELD, nothing is sent until this is fixed: the registry refused the gateway for the alerts "
                    + "upload (HTTP 403)"))
    }

    @Test("a transport failure is still UNREACHABLE, and no HELD line without a hold")
    func unreachable() {
        let text = status(lastError: "could not connect: Connection refused", heldBy: nil).text(now: now)
        #expect(text.contains("UNREACHABLE: could not connect: Connection refused"))
        #expect(!text.contains("HELD"))
    }
}
