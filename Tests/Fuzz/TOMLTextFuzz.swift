// libFuzzer entry point for the project's TOML path (Scripts/fuzz-toml builds it with -sanitize=fuzzer):
// every input goes through TOMLText.parse, the preflight screen and then TOMLKit/toml++, exactly as the
// agent reads a site file. A trap here is a crash the screen lets through.
import TOMLSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTOMLText(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? TOMLText.parse(text)
    return 0
}
