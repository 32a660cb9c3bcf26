// libFuzzer harness for toml++ alone, as TOMLKit 0.6.0 builds it (TOML_EXCEPTIONS=1, assertions on): finds
// the classes of input that trap the parser, which TOMLPreflight must then screen (Scripts/fuzz-toml --raw).
#define TOML_EXCEPTIONS 1
#include "toml.hpp"
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string text(reinterpret_cast<const char *>(data), size);  // TOMLKit passes a NUL-terminated string
    try {
        auto table = toml::parse(text.c_str());
        (void)table;
    } catch (const toml::parse_error &) {
    }
    return 0;
}
