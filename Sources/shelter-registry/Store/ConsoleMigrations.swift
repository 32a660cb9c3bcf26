/// The console's tables (issue 15), one migration appended to each engine's list in `RegistryMigrations`:
/// - `operators`: sign-in name, role (viewer, duty, county), bcrypt hash, failures in a row, locked until.
/// - `console_sessions`: SHA-256 of the session token, operator, role, CSRF token, created, expires.
/// - `console_acts`: the audit trail (kind, actor, shelter, detail, when).
enum ConsoleMigrations {
    static let sqlite = """
        CREATE TABLE operators (
            name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
            failed_attempts INTEGER NOT NULL DEFAULT 0, locked_until REAL);
        CREATE TABLE console_sessions (
            token_hash TEXT PRIMARY KEY, operator_name TEXT NOT NULL, role TEXT NOT NULL, csrf_token TEXT NOT NULL,
            created_at REAL NOT NULL, expires_at REAL NOT NULL);
        CREATE TABLE console_acts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, actor TEXT NOT NULL, shelter_id TEXT NOT NULL,
            detail TEXT NOT NULL, at REAL NOT NULL);
        CREATE INDEX console_acts_shelter ON console_acts (shelter_id, seq);
        """

    static let postgres = """
        CREATE TABLE operators (
            name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
            failed_attempts BIGINT NOT NULL DEFAULT 0, locked_until DOUBLE PRECISION);
        CREATE TABLE console_sessions (
            token_hash TEXT PRIMARY KEY, operator_name TEXT NOT NULL, role TEXT NOT NULL, csrf_token TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL);
        CREATE TABLE console_acts (
            seq BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, actor TEXT NOT NULL, shelter_id TEXT NOT NULL,
            detail TEXT NOT NULL, at DOUBLE PRECISION NOT NULL);
        CREATE INDEX console_acts_shelter ON console_acts (shelter_id, seq);
        """
}
