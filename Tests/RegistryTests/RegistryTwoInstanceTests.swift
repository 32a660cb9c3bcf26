import Foundation
import HTTPClient
import HTTPTestSupport
import ShelterCore
import ShelterTesting
import Testing

/// Two registry instances on one PostgreSQL database, as behind a load balancer (issue 14 item 2): a gateway
/// that alternates between them, and re-sends every batch to the other one as at-least-once delivery does
/// after a lost answer, has each alert event and report stored once; a heartbeat's lifecycle answer is the
/// same from both.
@Suite("shelter-registry: two instances on one PostgreSQL", .tags(.integration))
struct RegistryTwoInstanceTests {
    @Test(
        "a gateway alternating between two instances has each alert and report counted once",
        .enabled(if: RegistryEngine.available.contains(.postgres)))
    func alternatingGatewayCountsOnce() async throws {
        let first = try await RegistryFixture(engine: .postgres)
        let second = try await RegistryFixture(engine: .postgres, database: first.database)
        let instances = [first, second]
        let clients = try instances.map { try $0.client() }
        let alertsPath = RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId)
        let statusPath = RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId)

        var accepted = 0
        for number in 1...20 {
            let batch = try Payloads.encode([Payloads.alert(number * 10)])
            let reports = try Payloads.encode([Payloads.report(Int64(number))])
            for turn in 0..<2 {  // to one instance, then the same batch again to the other
                let index = (number + turn) % 2
                let response = try await instances[index].send(clients[index], .post, alertsPath, json: batch)
                #expect(response.status == 200)
                accepted += try Payloads.decode(BatchResult.self, response).accepted
                let status = try await instances[index].send(clients[index], .post, statusPath, json: reports)
                #expect(status.status == 200)
            }
        }
        #expect(accepted == 20)
        for instance in instances {
            let alerts = try Payloads.decode(
                [AlertEvent].self, try await instance.admin(clients[0], .get, "/v1/admin/alerts"))
            #expect(alerts.count == 20)
            #expect(Set(alerts.map(\.eventId)).count == 20)
            let reports = try Payloads.decode(
                [StatusReport].self, try await instance.admin(clients[0], .get, "/v1/admin/reports"))
            #expect(reports.map(\.sequence) == Array(1...20))
        }
    }

    @Test(
        "a lifecycle set through one instance is the heartbeat answer of both",
        .enabled(if: RegistryEngine.available.contains(.postgres)))
    func heartbeatAnswerIsTheSame() async throws {
        let first = try await RegistryFixture(engine: .postgres)
        let second = try await RegistryFixture(engine: .postgres, database: first.database)
        let change = try Payloads.encode(LifecycleChange(state: .activated, isDrill: true))
        let set = try await first.send(
            try first.operatorClient(), .put, "/v1/admin/shelters/\(RegistryFixture.shelterId)/lifecycle", json: change)
        #expect(set.status == 200)
        var answers: [HeartbeatResponse] = []
        for instance in [first, second] {
            let response = try await instance.send(
                try instance.client(), .post, RegistryAPI.heartbeatPath(gatewayId: RegistryFixture.gatewayId),
                json: try Payloads.encode(Payloads.heartbeat()))
            answers.append(try Payloads.decode(HeartbeatResponse.self, response))
        }
        #expect(answers.map(\.lifecycle) == [.activated, .activated])
        #expect(answers.map(\.isDrill) == [true, true])
        #expect(answers[0].recordVersion == answers[1].recordVersion)
        #expect(answers[0].recordVersion > 0)
    }
}
