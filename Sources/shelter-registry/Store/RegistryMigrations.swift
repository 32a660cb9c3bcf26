/// The registry's schema, as numbered migrations applied in order and recorded in `schema_migrations`
/// (version, applied at). A new migration is one more entry at the end of each engine's list; an applied
/// one never changes. Both engines hold the same tables and columns; times are seconds since 1970 (UTC).
///
/// Tables (the bureau's questions, issue 14 item 3 and issue 15):
/// - `shelters`: the filed record (JSON, `NULL` until filed) and its content-derived version, name,
///   district, coordinates, grade, GB/T 2260 division code, lifecycle state and drill overlay.
/// - `gateways`: which shelter a gateway (client certificate CN) serves, its last heartbeat.
/// - `reports`: every status report once per `(gateway_id, report_id)`; indexed for "latest per shelter"
///   and "history of one shelter" (`shelter_id, observed_at`); on PostgreSQL partitioned by month of
///   `observed_at` (migration 2), each partition with the same indexes.
/// - `alert_events`: every alert event once per `(gateway_id, event_id)`; `alerts`: each alert's current
///   state (raised, updated, cancelled) with its acknowledgement (who, when, note).
/// - `lifecycle_changes`, `record_changes`: who changed what, when.
/// - `heartbeats`: every heartbeat (history; retention applies).
/// - migration 2: the console's operators, sessions and audit trail (`ConsoleMigrations`).
enum RegistryMigrations {
    /// SQLite: one string per migration (several statements each).
    static let sqlite: [String] = [
        """
        CREATE TABLE shelters (
            shelter_id TEXT PRIMARY KEY, record BLOB, record_version INTEGER NOT NULL DEFAULT 0,
            name TEXT NOT NULL DEFAULT '', district TEXT NOT NULL DEFAULT '', latitude REAL, longitude REAL,
            grade TEXT NOT NULL DEFAULT '', division_code TEXT NOT NULL DEFAULT '',
            lifecycle TEXT NOT NULL, is_drill INTEGER NOT NULL, lifecycle_changed_at REAL NOT NULL,
            lifecycle_changed_by TEXT NOT NULL);
        CREATE INDEX shelters_district ON shelters (district);
        CREATE TABLE gateways (
            gateway_id TEXT PRIMARY KEY, shelter_id TEXT NOT NULL REFERENCES shelters (shelter_id),
            last_heartbeat_at REAL, agent_version TEXT);
        CREATE TABLE reports (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, gateway_id TEXT NOT NULL, report_id TEXT NOT NULL,
            shelter_id TEXT NOT NULL, sequence INTEGER NOT NULL, observed_at REAL NOT NULL,
            received_at REAL NOT NULL, lifecycle TEXT NOT NULL, occupied INTEGER, body BLOB NOT NULL,
            UNIQUE (gateway_id, report_id));
        CREATE INDEX reports_shelter_observed ON reports (shelter_id, observed_at);
        CREATE INDEX reports_received ON reports (received_at);
        CREATE TABLE alert_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, gateway_id TEXT NOT NULL, event_id TEXT NOT NULL,
            alert_id TEXT NOT NULL, shelter_id TEXT NOT NULL, msg_type TEXT NOT NULL, status TEXT NOT NULL,
            severity TEXT NOT NULL, sent REAL NOT NULL, received_at REAL NOT NULL, body BLOB NOT NULL,
            UNIQUE (gateway_id, event_id));
        CREATE INDEX alert_events_event ON alert_events (event_id);
        CREATE INDEX alert_events_alert ON alert_events (gateway_id, alert_id, seq);
        CREATE INDEX alert_events_shelter ON alert_events (shelter_id, seq);
        CREATE TABLE alerts (
            gateway_id TEXT NOT NULL, alert_id TEXT NOT NULL, shelter_id TEXT NOT NULL, phase TEXT NOT NULL,
            severity TEXT NOT NULL, status TEXT NOT NULL, raised_at REAL NOT NULL, updated_at REAL NOT NULL,
            cancelled_at REAL, last_event_seq INTEGER NOT NULL, last_event_id TEXT NOT NULL,
            acknowledged_by TEXT, acknowledged_at REAL, acknowledgement_note TEXT,
            PRIMARY KEY (gateway_id, alert_id));
        CREATE INDEX alerts_open ON alerts (phase, last_event_seq);
        CREATE TABLE lifecycle_changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, shelter_id TEXT NOT NULL, state TEXT NOT NULL,
            is_drill INTEGER NOT NULL, changed_by TEXT NOT NULL, changed_at REAL NOT NULL);
        CREATE INDEX lifecycle_changes_shelter ON lifecycle_changes (shelter_id, seq);
        CREATE TABLE record_changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, shelter_id TEXT NOT NULL, record_version INTEGER NOT NULL,
            changed_by TEXT NOT NULL, changed_at REAL NOT NULL);
        CREATE TABLE heartbeats (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, gateway_id TEXT NOT NULL, received_at REAL NOT NULL,
            body BLOB NOT NULL);
        CREATE INDEX heartbeats_received ON heartbeats (received_at);
        """,
        ConsoleMigrations.sqlite,
    ]

    /// PostgreSQL: one string per migration; run in one transaction with the `schema_migrations` row, under
    /// an advisory lock so that instances starting together apply each migration once.
    static let postgres: [String] = [
        """
        CREATE TABLE shelters (
            shelter_id TEXT PRIMARY KEY, record BYTEA, record_version BIGINT NOT NULL DEFAULT 0,
            name TEXT NOT NULL DEFAULT '', district TEXT NOT NULL DEFAULT '', latitude DOUBLE PRECISION,
            longitude DOUBLE PRECISION, grade TEXT NOT NULL DEFAULT '', division_code TEXT NOT NULL DEFAULT '',
            lifecycle TEXT NOT NULL, is_drill BOOLEAN NOT NULL, lifecycle_changed_at DOUBLE PRECISION NOT NULL,
            lifecycle_changed_by TEXT NOT NULL);
        CREATE INDEX shelters_district ON shelters (district);
        CREATE TABLE gateways (
            gateway_id TEXT PRIMARY KEY, shelter_id TEXT NOT NULL REFERENCES shelters (shelter_id),
            last_heartbeat_at DOUBLE PRECISION, agent_version TEXT);
        CREATE TABLE reports (
            seq BIGSERIAL PRIMARY KEY, gateway_id TEXT NOT NULL, report_id TEXT NOT NULL,
            shelter_id TEXT NOT NULL, sequence BIGINT NOT NULL, observed_at DOUBLE PRECISION NOT NULL,
            received_at DOUBLE PRECISION NOT NULL, lifecycle TEXT NOT NULL, occupied BIGINT, body BYTEA NOT NULL,
            UNIQUE (gateway_id, report_id));
        CREATE INDEX reports_shelter_observed ON reports (shelter_id, observed_at);
        CREATE INDEX reports_received ON reports (received_at);
        CREATE TABLE alert_events (
            seq BIGSERIAL PRIMARY KEY, gateway_id TEXT NOT NULL, event_id TEXT NOT NULL,
            alert_id TEXT NOT NULL, shelter_id TEXT NOT NULL, msg_type TEXT NOT NULL, status TEXT NOT NULL,
            severity TEXT NOT NULL, sent DOUBLE PRECISION NOT NULL, received_at DOUBLE PRECISION NOT NULL,
            body BYTEA NOT NULL, UNIQUE (gateway_id, event_id));
        CREATE INDEX alert_events_event ON alert_events (event_id);
        CREATE INDEX alert_events_alert ON alert_events (gateway_id, alert_id, seq);
        CREATE INDEX alert_events_shelter ON alert_events (shelter_id, seq);
        CREATE TABLE alerts (
            gateway_id TEXT NOT NULL, alert_id TEXT NOT NULL, shelter_id TEXT NOT NULL, phase TEXT NOT NULL,
            severity TEXT NOT NULL, status TEXT NOT NULL, raised_at DOUBLE PRECISION NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL, cancelled_at DOUBLE PRECISION, last_event_seq BIGINT NOT NULL,
            last_event_id TEXT NOT NULL, acknowledged_by TEXT, acknowledged_at DOUBLE PRECISION,
            acknowledgement_note TEXT, PRIMARY KEY (gateway_id, alert_id));
        CREATE INDEX alerts_open ON alerts (phase, last_event_seq);
        CREATE TABLE lifecycle_changes (
            seq BIGSERIAL PRIMARY KEY, shelter_id TEXT NOT NULL, state TEXT NOT NULL, is_drill BOOLEAN NOT NULL,
            changed_by TEXT NOT NULL, changed_at DOUBLE PRECISION NOT NULL);
        CREATE INDEX lifecycle_changes_shelter ON lifecycle_changes (shelter_id, seq);
        CREATE TABLE record_changes (
            seq BIGSERIAL PRIMARY KEY, shelter_id TEXT NOT NULL, record_version BIGINT NOT NULL,
            changed_by TEXT NOT NULL, changed_at DOUBLE PRECISION NOT NULL);
        CREATE TABLE heartbeats (
            seq BIGSERIAL PRIMARY KEY, gateway_id TEXT NOT NULL, received_at DOUBLE PRECISION NOT NULL,
            body BYTEA NOT NULL);
        CREATE INDEX heartbeats_received ON heartbeats (received_at);
        """,
        ConsoleMigrations.postgres,
        // 3: status reports partitioned by month of `observed_at` (declarative range partitioning). The
        // partition key is the report's own time, not its arrival: a resent report keeps its `observedAt`, so
        // the unique key `(gateway_id, report_id, observed_at)` (a unique key must hold the partition key)
        // still refuses the resend, in whichever month it arrives. Rows with no month partition (this
        // migration's copy of older rows, a gateway clock months ahead) go to `reports_default`;
        // `PostgresRegistryStore.ensureReportPartitions` creates the months ahead and moves such rows into a
        // month when it creates it. The indexes are declared on the parent, so every partition has them.
        """
        ALTER TABLE reports RENAME TO reports_unpartitioned;
        ALTER INDEX reports_pkey RENAME TO reports_unpartitioned_pkey;
        ALTER INDEX reports_shelter_observed RENAME TO reports_unpartitioned_shelter_observed;
        ALTER INDEX reports_received RENAME TO reports_unpartitioned_received;
        CREATE TABLE reports (
            seq BIGINT NOT NULL DEFAULT nextval('reports_seq_seq'), gateway_id TEXT NOT NULL,
            report_id TEXT NOT NULL, shelter_id TEXT NOT NULL, sequence BIGINT NOT NULL,
            observed_at DOUBLE PRECISION NOT NULL, received_at DOUBLE PRECISION NOT NULL, lifecycle TEXT NOT NULL,
            occupied BIGINT, body BYTEA NOT NULL,
            PRIMARY KEY (seq, observed_at), UNIQUE (gateway_id, report_id, observed_at))
            PARTITION BY RANGE (observed_at);
        CREATE TABLE reports_default PARTITION OF reports DEFAULT;
        CREATE INDEX reports_shelter_observed ON reports (shelter_id, observed_at);
        CREATE INDEX reports_received ON reports (received_at);
        INSERT INTO reports (seq, gateway_id, report_id, shelter_id, sequence, observed_at, received_at, lifecycle,
            occupied, body)
        SELECT seq, gateway_id, report_id, shelter_id, sequence, observed_at, received_at, lifecycle, occupied, body
        FROM reports_unpartitioned;
        ALTER SEQUENCE reports_seq_seq OWNED BY reports.seq;
        DROP TABLE reports_unpartitioned;
        """,
    ]
}
