extension SiteConfiguration {
    /// One thing wrong with a `registry_url`: what, and how to fix it.
    struct RegistryURLProblem: Sendable, Hashable {
        var message: String
        var fix: String
    }

    /// Checks a `gateway.registry_url` value strictly (issue 12 item 3), so that a URL libcurl would read
    /// differently from the person who wrote it never reaches the uplink:
    /// - `https://` only (the registry is reached over verified TLS, DESIGN §4);
    /// - a host: a DNS name or IPv4 address (letters, digits, `-`, `.`, `_`), or an IPv6 address in balanced
    ///   brackets (`https://[::1]:8443`); `https:///x` and `https://[::1/` are refused;
    /// - no user name or password (`user@host`): the gateway authenticates with its client certificate;
    /// - a port, when given, of digits in 1...65535;
    /// - no query (`?`) or fragment (`#`): the agent appends `/v1/...` to the URL, which would land inside them;
    /// - no spaces or control characters. A path prefix (`https://host/registry`) is allowed.
    ///
    /// - Returns: every problem found, empty for a good URL.
    static func registryURLProblems(_ url: String) -> [RegistryURLProblem] {
        let example = "use https://HOST[:PORT][/PATH], e.g. https://registry.example.gov.cn:8443"
        guard url.count >= 8, url.prefix(8).lowercased() == "https://" else {
            return [.init(message: "the registry is reached over verified TLS only", fix: "use an https:// URL")]
        }
        var problems: [RegistryURLProblem] = []
        if url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
            problems.append(.init(message: "contains a space or control character", fix: "remove it"))
        }
        if url.contains("?") || url.contains("#") {
            problems.append(
                .init(
                    message: "has a query (?) or fragment (#); the agent appends /v1/... to the URL",
                    fix: "remove everything from the ? or #"))
        }
        let rest = url.dropFirst(8)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.contains("@") {
            problems.append(
                .init(
                    message: "has a user name or password; the gateway authenticates with its client certificate",
                    fix: "remove everything up to and including the @"))
            return problems
        }
        if authority.isEmpty {
            problems.append(.init(message: "has no host", fix: example))
            return problems
        }
        var hostPort = Substring(authority)
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                problems.append(
                    .init(message: "an IPv6 address without its closing ]", fix: "write it as https://[::1]:8443"))
                return problems
            }
            let address = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let isIPv6 = address.contains(":") && address.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
            if !isIPv6 {
                problems.append(.init(message: "[\(address)] is not an IPv6 address", fix: example))
            }
            hostPort = hostPort[hostPort.index(after: close)...]
            if !hostPort.isEmpty && !hostPort.hasPrefix(":") {
                problems.append(.init(message: "unexpected text after the IPv6 address's ]", fix: example))
                return problems
            }
        } else {
            let host = hostPort.prefix { $0 != ":" }
            let isName = host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
            if host.isEmpty || !isName || host.contains("[") || host.contains("]") {
                problems.append(.init(message: "\"\(host)\" is not a host name or address", fix: example))
            }
            hostPort = hostPort[host.endIndex...]
        }
        if hostPort.hasPrefix(":") {
            let port = hostPort.dropFirst()
            if port.isEmpty || port.count > 5 || !port.allSatisfy({ $0.isASCII && $0.isNumber })
                || !(1...65535).contains(Int(port) ?? 0)
            {
                problems.append(
                    .init(message: "port \"\(port)\" is not a number in 1...65535", fix: "give the registry's port"))
            }
        }
        return problems
    }
}
