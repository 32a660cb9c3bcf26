public import ShelterCore
internal import FoundationEssentials
internal import TOMLKit
internal import TOMLSupport
#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Reads a site file and the profiles it names, parses the TOML, and validates the result with
/// `SiteConfiguration.validate` (the rules live in `ShelterCore`; this type does the file work).
///
/// File checks done here: TOML syntax (with line and column), unknown keys (checked against
/// `ConfigSchema`, with a "did you mean" hint), values of the wrong kind, and the TLS files: they must exist
/// and the private key must not be readable by group or others. Every problem is collected.
///
/// Stateless value; safe to use from any thread. Reads files synchronously (small files, at start-up and
/// on reload).
public struct SiteConfigurationLoader: Sendable {
    /// Where profiles are looked up: `<dir>/<profile>.toml`. `nil` (the default) means the `profiles`
    /// directory next to the site file's directory (`Firmware-Config/sites/x.toml` →
    /// `Firmware-Config/profiles/`).
    public var profileDirectory: String?
    /// Whether to check the TLS files named by `[gateway]` (existence, key permissions). Default `true`;
    /// turn off to check a site file away from its gateway. Relative paths are relative to the site file.
    public var checksFiles: Bool
    /// Whether, with `checksFiles`, the client certificate's CN must be `gateway.id` (`check-config`; `run`
    /// starts anyway and shows the registry's refusal). Default `false`.
    public var checksCertificateName: Bool
    /// Whether, with `checksFiles`, each serial bus's `device` must exist, be a character device and be readable
    /// and writable by this process's user (`check-config`; `run` starts anyway, since a USB adapter may
    /// enumerate late, and reports the bus fault until the port opens). Default `false`.
    public var checksSerialDevices: Bool

    /// Creates a loader.
    public init(
        profileDirectory: String? = nil, checksFiles: Bool = true, checksCertificateName: Bool = false,
        checksSerialDevices: Bool = false
    ) {
        self.profileDirectory = profileDirectory
        self.checksFiles = checksFiles
        self.checksCertificateName = checksCertificateName
        self.checksSerialDevices = checksSerialDevices
    }

    /// Loads and validates a site file.
    /// - Parameter path: the site file; shown as given in issues.
    /// - Returns: the configuration, or every issue found in the site file and the profiles it names.
    public func load(siteFile path: String) -> Result<SiteConfiguration, ConfigurationError> {
        var issues: [ConfigurationIssue] = []
        guard let text = Self.readText(path, issues: &issues) else {
            return .failure(ConfigurationError(issues: issues))
        }
        let directory = profileDirectory ?? Self.join(Self.parent(of: Self.directory(of: path)), "profiles")
        let lookup = ProfileLookup(directory: Self.absolute(directory), isGiven: profileDirectory != nil)
        return load(siteText: text, file: path, lookup: lookup) { name in
            let file = Self.join(directory, "\(name).toml")
            guard Self.fileExists(file) else { return nil }
            var readIssues: [ConfigurationIssue] = []
            let text = Self.readText(file, issues: &readIssues)
            return (file, text, readIssues)
        }
    }

    /// Where the profiles of a site file were looked up, for the issue of a profile not found there (issue 11:
    /// a site copied elsewhere names the directory searched and `--profiles`).
    struct ProfileLookup {
        /// The directory searched.
        var directory: String
        /// Whether it was given (`--profiles`) rather than derived from the site file's place.
        var isGiven: Bool

        /// The issue for device `index`, whose profile `name` is not in `directory`.
        func issue(file: String, index: Int, name: String) -> ConfigurationIssue {
            let missing = SiteConfigurationLoader.join(directory, "\(name).toml")
            let isDirectory = SiteConfigurationLoader.directoryExists(directory)
            return ConfigurationIssue(
                file: file, keyPath: "devices[\(index)].profile", value: "\"\(name)\"",
                message: ConfigIssueText.noSuchProfileFile(file: missing, directoryExists: isDirectory).text(in: .en),
                fix: ConfigIssueText.profilesLookedUpIn(directory: directory, isGiven: isGiven).text(in: .en))
        }
    }

    /// Validates a site given as text, with profiles given as text by name (for tests and the simulator;
    /// no file is read, and TLS files are checked only if `checksFiles` is on, relative to `file`).
    /// - Parameters:
    ///   - siteText: the site file's TOML.
    ///   - file: the name shown in issues.
    ///   - profileTexts: profile TOML by profile name; a name the site uses that is missing is unknown.
    public func load(
        siteText: String, file: String, profileTexts: [String: String]
    ) -> Result<SiteConfiguration, ConfigurationError> {
        load(siteText: siteText, file: file, lookup: nil) { name in
            profileTexts[name].map { ("\(name).toml", $0, []) }
        }
    }

    /// The common path: parse the site, find each named profile with `profile(name)` (its file, its text or
    /// `nil` if unreadable, and read issues), parse them, check TLS files, validate, merge issues.
    private func load(
        siteText: String, file path: String, lookup: ProfileLookup?,
        profile: (String) -> (file: String, text: String?, issues: [ConfigurationIssue])?
    ) -> Result<SiteConfiguration, ConfigurationError> {
        var issues: [ConfigurationIssue] = []
        let site = Self.parse(siteText, as: SiteFile.self, schema: .site, file: path, issues: &issues)
        guard let site else { return .failure(ConfigurationError(issues: issues)) }

        var profiles: [String: ProfileSource] = [:]
        let names = Set((site.devices ?? []).compactMap(\.profile))
        var missing: Set<String> = []
        for name in names.sorted() where Self.isPlainName(name) {
            guard let found = profile(name) else {
                missing.insert(name)
                continue
            }
            var profileIssues = found.issues
            let raw = found.text.flatMap {
                Self.parse($0, as: ProfileFile.self, schema: .profile, file: found.file, issues: &profileIssues)
            }
            issues += profileIssues
            profiles[name] = ProfileSource(file: found.file, raw: profileIssues.isEmpty ? raw : nil)
        }
        // None of the site's profiles is where they were looked for (a site file copied elsewhere, a wrong
        // --profiles): said here, where the directory is known, instead of the validator's "no profile has this
        // name". When some were found, a missing one is a typo or a missing file: the validator lists the others.
        if let lookup, !missing.isEmpty, missing.count == names.filter(Self.isPlainName).count {
            for (index, device) in (site.devices ?? []).enumerated() {
                if let name = device.profile, missing.contains(name), device.points == nil {
                    issues.append(lookup.issue(file: path, index: index, name: name))
                }
            }
        }
        if checksFiles, let gateway = site.gateway {
            issues += Self.checkTLSFiles(gateway, siteFile: path)
            if checksCertificateName { issues += Self.checkClientCertificateNamesGateway(gateway, siteFile: path) }
        }
        if checksFiles, checksSerialDevices {
            issues += Self.checkSerialDevices(site.buses ?? [], siteFile: path)
            if let directory = site.gateway?.stateDirectory, directory.hasPrefix("/") {
                issues += Self.checkStateDirectory(directory, siteFile: path)
            }
        }

        switch SiteConfiguration.validate(site, file: path, profiles: profiles) {
        case .success(let configuration):
            return issues.isEmpty ? .success(configuration) : .failure(ConfigurationError(issues: issues))
        case .failure(let error):
            let reported = Set(issues.map { "\($0.file)\u{0}\($0.keyPath)" })
            issues += error.issues.filter { !reported.contains("\($0.file)\u{0}\($0.keyPath)") }
            return .failure(ConfigurationError(issues: issues))
        }
    }

    /// Loads and validates one profile file on its own (e.g. to check every shipped profile).
    /// The profile's name is the file name without `.toml`.
    public func load(profileFile path: String) -> Result<DeviceProfile, ConfigurationError> {
        var issues: [ConfigurationIssue] = []
        guard let text = Self.readText(path, issues: &issues),
            let raw = Self.parse(text, as: ProfileFile.self, schema: .profile, file: path, issues: &issues),
            issues.isEmpty
        else { return .failure(ConfigurationError(issues: issues)) }
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let name = base.hasSuffix(".toml") ? String(base.dropLast(5)) : base
        let (profile, profileIssues) = DeviceProfile.validate(raw, name: name, file: path)
        if let profile { return .success(profile) }
        return .failure(ConfigurationError(issues: profileIssues))
    }

    /// Parses TOML text into a raw file type, reporting syntax errors (line and column), unknown keys and
    /// values of the wrong kind. Never traps on any input.
    /// - Returns: the decoded raw value (wrong-kind values are dropped and reported), or `nil` when the text
    ///   is not TOML.
    public static func parse<T: Decodable>(
        _ text: String, as type: T.Type, schema: ConfigSchema, file: String, issues: inout [ConfigurationIssue]
    ) -> T? {
        let table: TOMLTable
        do {
            table = try TOMLText.parse(text)
        } catch {
            issues.append(ConfigurationIssue(file: file, keyPath: "", message: error.description, fix: error.fix))
            return nil
        }
        var walker = SchemaWalker(file: file)
        let tree = walker.convert(table, schema: schema, path: "")
        issues += walker.issues
        do {
            let data = try JSONEncoder().encode(tree)
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            issues.append(
                ConfigurationIssue(
                    file: file, keyPath: "", message: "cannot read the file's structure: \(error)",
                    fix: "compare the file with Firmware-Config/README.md"))
            return nil
        }
    }

    // MARK: files

    static func readText(_ path: String, issues: inout [ConfigurationIssue]) -> String? {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return String(decoding: data, as: UTF8.self)
        } catch {
            issues.append(
                ConfigurationIssue(
                    file: path, keyPath: "", message: "cannot read the file",
                    fix: "check the path and its permissions"))
            return nil
        }
    }

    static func checkTLSFiles(_ gateway: SiteFile.Gateway, siteFile: String) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        let base = directory(of: siteFile)
        let files: [(String, String?, Bool)] = [
            ("gateway.ca_bundle", gateway.caBundle, false),
            ("gateway.client_certificate", gateway.clientCertificate, false),
            ("gateway.client_key", gateway.clientKey, true),
            ("gateway.bearer_token_file", gateway.bearerTokenFile, true),
        ]
        for (key, value, isSecret) in files {
            guard let value, !value.isEmpty else { continue }
            let path = value.hasPrefix("/") ? value : join(base, value)
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                issues.append(
                    ConfigurationIssue(
                        file: siteFile, keyPath: key, value: "\"\(value)\"",
                        message: "no such file", fix: "install the file or correct the path"))
                continue
            }
            if isSecret, info.st_mode & 0o077 != 0 {
                let mode = String(info.st_mode & 0o777, radix: 8)
                issues.append(
                    ConfigurationIssue(
                        file: siteFile, keyPath: key, value: "\"\(value)\"",
                        message: "readable by group or others (mode 0\(mode))",
                        fix: "chmod 600 \(path)"))
            }
        }
        return issues
    }

    /// Each serial bus's `device`: it must exist, be a character device, and open for reading and writing by
    /// this user (`access(2)` with `R_OK | W_OK`). Issue 11: a wrong path (`/dev/ttyUSB9`) passed `check-config`.
    static func checkSerialDevices(_ buses: [SiteFile.Bus], siteFile: String) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        for (index, bus) in buses.enumerated() where bus.kind == "serial" {
            guard let device = bus.device, !device.isEmpty else { continue }
            let key = "buses[\(index)].device"
            var info = stat()
            guard stat(device, &info) == 0 else {
                let code = errno
                issues.append(
                    ConfigurationIssue(
                        file: siteFile, keyPath: key, value: "\"\(device)\"",
                        message: "serial port \(device) of bus \(bus.name ?? "?"): \(Self.errnoText(code))",
                        fix: "plug in the adapter and check its name (ls -l /dev/serial/by-id/), or correct the path"))
                continue
            }
            guard (info.st_mode & S_IFMT) == S_IFCHR else {
                issues.append(
                    ConfigurationIssue(
                        file: siteFile, keyPath: key, value: "\"\(device)\"",
                        message: "\(device) is not a serial port (not a character device)",
                        fix: "name the serial port's device file, e.g. /dev/ttyUSB0"))
                continue
            }
            if access(device, R_OK | W_OK) != 0 {
                let code = errno
                issues.append(
                    ConfigurationIssue(
                        file: siteFile, keyPath: key, value: "\"\(device)\"",
                        message: "the agent's user (uid \(getuid())) cannot open \(device) for reading and writing: "
                            + Self.errnoText(code),
                        fix: "add the agent's user to the port's group (usually dialout) or fix the udev rule"))
            }
        }
        return issues
    }

    /// `gateway.state_directory`: a directory the agent's user can write (its lock, outbox and status file go
    /// there). Checked with the machine checks (`check-config` without `--skip-file-checks`): `run` refused to
    /// start on it with exit 75 while `check-config` said OK (new-user trial). The package and the systemd
    /// unit create `/var/lib/shelter-agent`.
    static func checkStateDirectory(_ directory: String, siteFile: String) -> [ConfigurationIssue] {
        let key = "gateway.state_directory"
        var info = stat()
        guard stat(directory, &info) == 0 else {
            let code = errno
            return [
                ConfigurationIssue(
                    file: siteFile, keyPath: key, value: "\"\(directory)\"",
                    message: "state directory \(directory): \(Self.errnoText(code))",
                    fix:
                        "mkdir -p \(directory) and give it to the agent's user (the package makes /var/lib/shelter-agent)"
                )
            ]
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            return [
                ConfigurationIssue(
                    file: siteFile, keyPath: key, value: "\"\(directory)\"",
                    message: "\(directory) is not a directory", fix: "name a directory, e.g. /var/lib/shelter-agent")
            ]
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            let code = errno
            return [
                ConfigurationIssue(
                    file: siteFile, keyPath: key, value: "\"\(directory)\"",
                    message: "the agent's user (uid \(getuid())) cannot write in \(directory): \(Self.errnoText(code))",
                    fix: "chown the directory to the agent's user")
            ]
        }
        return []
    }

    /// `"no such file or directory (errno 2)"`.
    static func errnoText(_ code: Int32) -> String {
        let text = strerror(code).map { String(cString: $0) } ?? "error"
        return (text.first.map { $0.lowercased() + text.dropFirst() } ?? text) + " (errno \(code))"
    }

    static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// `path` made absolute (from the working directory) with `.` and `..` resolved as written, for messages:
    /// `./../profiles` run from `/srv/site` is `/srv/profiles`.
    static func absolute(_ path: String) -> String {
        var full = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            guard let cwd = getcwd(&buffer, buffer.count) else { return path }
            full = String(cString: cwd) + "/" + path
        }
        var parts: [Substring] = []
        for part in full.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                _ = parts.popLast()
            } else {
                parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func directoryExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The parent of a directory path: `a/sites` → `a`, `sites` → `.`, `.` → `..`.
    static func parent(of directory: String) -> String {
        let trimmed = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        if trimmed == "." || trimmed == ".." || trimmed.hasSuffix("/..") { return trimmed + "/.." }
        if trimmed == "/" { return "/" }
        return Self.directory(of: trimmed)
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// A profile name usable as a file name: letters, digits, `-`, `_`, `.`, not starting with `.`.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".")
            && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
    }
}
