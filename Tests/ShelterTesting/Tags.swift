public import Testing

extension Tag {
    /// Tests that start real processes, sockets, loopback servers or pty pairs (STYLE §8), as opposed to the
    /// pure tests of the core and the service tests on `ShelterTesting` fakes.
    @Tag public static var integration: Self
}
