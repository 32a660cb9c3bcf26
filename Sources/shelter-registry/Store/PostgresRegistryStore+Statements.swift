import NIOCore
import PostgresNIO

/// The ingest path's statements, prepared once per pooled connection (postgres-nio names and caches them), so
/// PostgreSQL parses and plans each once rather than per request. Each is one statement per request.
enum PostgresIngest {
    /// A batch of status reports as parallel arrays (`unnest`), one row per report; answers the ids
    /// inserted. `ON CONFLICT DO NOTHING` names no constraint: the unique key is `(gateway_id, report_id)`
    /// before migration 2 and `(gateway_id, report_id, observed_at)` on the partitioned table (a resent
    /// report carries the same `observedAt`). Benchmarks/bench-registry-floor repeats it (the floor under a drain
    /// on PostgreSQL): change both together.
    struct InsertReports: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO reports (gateway_id, report_id, shelter_id, sequence, observed_at, received_at, lifecycle,
                occupied, body)
            SELECT $1, r.report_id, r.shelter_id, r.sequence, r.observed_at, $2, r.lifecycle,
                CASE WHEN r.has_occupied THEN r.occupied END, r.body
            FROM unnest($3::text[], $4::text[], $5::int8[], $6::float8[], $7::text[], $8::bool[], $9::int8[],
                $10::bytea[]) AS r (report_id, shelter_id, sequence, observed_at, lifecycle, has_occupied, occupied, body)
            ON CONFLICT DO NOTHING RETURNING report_id
            """
        typealias Row = String

        var gatewayId: String
        var receivedAt: Double
        var reportIds: [String] = []
        var shelterIds: [String] = []
        var sequences: [Int64] = []
        var observedAt: [Double] = []
        var lifecycles: [String] = []
        /// Whether `occupied` holds a count (arrays carry no NULLs: a false here stores NULL).
        var hasOccupied: [Bool] = []
        var occupied: [Int64] = []
        var bodies: [ByteBuffer] = []

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 10)
            bindings.append(gatewayId)
            bindings.append(receivedAt)
            bindings.append(reportIds)
            bindings.append(shelterIds)
            bindings.append(sequences)
            bindings.append(observedAt)
            bindings.append(lifecycles)
            bindings.append(hasOccupied)
            bindings.append(occupied)
            bindings.append(bodies)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> String { try row.decode(String.self) }
    }

    /// One alert event and its alert's folded state (raised, updated, cancelled) in one data-modifying CTE;
    /// answers the event's `seq`, or no row when the gateway sent the event before.
    struct InsertAlertEvent: PostgresPreparedStatement {
        static let sql = """
            WITH event AS (
                INSERT INTO alert_events (gateway_id, event_id, alert_id, shelter_id, msg_type, status, severity,
                    sent, received_at, body)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (gateway_id, event_id) DO NOTHING RETURNING seq
            ), fold AS (
                INSERT INTO alerts (gateway_id, alert_id, shelter_id, phase, severity, status, raised_at,
                    updated_at, cancelled_at, last_event_seq, last_event_id)
                SELECT $1, $3, $4, $11, $7, $6, $9, $9, $12, event.seq, $2 FROM event
                ON CONFLICT (gateway_id, alert_id) DO UPDATE SET
                    phase = CASE WHEN alerts.phase = 'cancelled' THEN 'cancelled' ELSE excluded.phase END,
                    severity = excluded.severity, updated_at = excluded.updated_at,
                    cancelled_at = COALESCE(alerts.cancelled_at, excluded.cancelled_at),
                    last_event_seq = excluded.last_event_seq, last_event_id = excluded.last_event_id
            )
            SELECT seq FROM event
            """
        static let bindingDataTypes: [PostgresDataType] = [
            .text, .text, .text, .text, .text, .text, .text, .float8, .float8, .bytea, .text, .float8,
        ]
        typealias Row = Int64

        var gatewayId: String
        var eventId: String
        var alertId: String
        var shelterId: String
        var msgType: String
        var status: String
        var severity: String
        var sent: Double
        var receivedAt: Double
        var body: ByteBuffer
        var phase: String
        var cancelledAt: Double?

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 12)
            for text in [gatewayId, eventId, alertId, shelterId, msgType, status, severity] { bindings.append(text) }
            bindings.append(sent)
            bindings.append(receivedAt)
            bindings.append(body)
            bindings.append(phase)
            bindings.append(cancelledAt)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    /// The heartbeat, the gateway's last-heartbeat time and the shelter's answer (lifecycle, drill, record
    /// version) in one statement; no row when there is no such shelter.
    ///
    /// Committed asynchronously (`synchronous_commit = off` for this statement's own transaction): the
    /// commit does not wait for the WAL flush, so heartbeats (two thirds of a city's requests) never queue
    /// behind the disk. A crash of the database server may lose the last fraction of a second of heartbeats
    /// (PostgreSQL: at most three `wal_writer_delay`s, 0.6 s by default), never corrupt anything: a heartbeat
    /// is history that the next one, 30 s later, replaces, and the gateway keeps nothing back for it. Reports
    /// and alerts, which the gateway deletes from its outbox once answered, keep synchronous commits.
    struct StoreHeartbeat: PostgresPreparedStatement {
        static let sql = """
            WITH commit_mode AS (
                SELECT set_config('synchronous_commit', 'off', true)
            ), beat AS (
                INSERT INTO heartbeats (gateway_id, received_at, body) VALUES ($1, $2, $3)
            ), gateway AS (
                UPDATE gateways SET last_heartbeat_at = $2, agent_version = $4 WHERE gateway_id = $1
            )
            SELECT lifecycle, is_drill, record_version FROM shelters, commit_mode WHERE shelter_id = $5
            """
        typealias Row = (String, Bool, Int64)

        var gatewayId: String
        var receivedAt: Double
        var body: ByteBuffer
        var agentVersion: String
        var shelterId: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(gatewayId)
            bindings.append(receivedAt)
            bindings.append(body)
            bindings.append(agentVersion)
            bindings.append(shelterId)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> (String, Bool, Int64) {
            try row.decode((String, Bool, Int64).self)
        }
    }
}
