import ShelterCore
import Testing

@Suite("String.xmlEscaped")
struct XMLEscapingTests {
    @Test("the five XML metacharacters are escaped; tab, LF and CR kept; other C0 controls and U+FFFE/U+FFFF dropped")
    func escaping() {
        #expect("a & b < c > d \"e\" 'f'".xmlEscaped == "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;")
        #expect("t\tl\nr\r".xmlEscaped == "t\tl\nr\r")
        #expect("x\u{0}y\u{1B}z\u{FFFE}\u{FFFF}".xmlEscaped == "xyz")
        #expect("应急避难场所".xmlEscaped == "应急避难场所")
    }
}
