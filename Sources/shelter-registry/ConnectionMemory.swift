/// How the registry keeps memory per connected gateway low (issue 14: ≤ 20 KiB a gateway at city scale).
///
/// A gateway holds one kept-alive mTLS connection and sends a request every 30 s or so, so nearly every
/// connection is idle nearly all the time. swift-nio-ssl gives every connection a 32 KiB plaintext read buffer
/// (`2 × SSL_MAX_RECORD_SIZE`, allocated when the handler is added and kept for the connection's life) of
/// which a gateway's requests (0.5–8 KiB) touch the first pages. From glibc's heap such a buffer is soon all
/// resident (chunks are reused whole after other connections freed them); mapped on its own it costs only
/// the pages written. So allocations of 32 KiB and more are served by `mmap`, which also returns them to
/// the system when the connection closes. Measured with `Scripts/bench-registry` (README, registry section).
enum ConnectionMemory {
    /// Allocation size from which glibc maps memory on its own rather than carving it from a heap arena:
    /// 32 KiB, the TLS read buffer's size. glibc's default starts at 128 KiB and grows.
    static let mapThresholdBytes: Int32 = 32 * 1024

    /// Applies the allocator settings; call once at start, before any connection.
    /// The corresponding C function is `mallopt` (`M_MMAP_THRESHOLD`).
    static func configure() {
        _ = glibcMallopt(mmapThresholdParameter, mapThresholdBytes)
    }

    /// `M_MMAP_THRESHOLD` from `<malloc.h>` (not in Swift's Glibc module map).
    private static let mmapThresholdParameter: Int32 = -3
}

/// glibc's `int mallopt(int param, int value)`, declared here because Swift's Glibc module map leaves out
/// `<malloc.h>`; two `int`s in, one out, so the Swift calling convention matches C's on every Linux target.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
