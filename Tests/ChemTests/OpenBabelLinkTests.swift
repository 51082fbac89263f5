import Testing
import COpenBabel

@Suite struct OpenBabelLinkTests {
    @Test func linksOpenBabel3() {
        let version = String(cString: rgdm_ob_version())
        #expect(version.hasPrefix("3."))
    }
}
