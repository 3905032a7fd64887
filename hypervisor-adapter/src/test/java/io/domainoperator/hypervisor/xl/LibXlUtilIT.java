package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The JNA binding against the real libxlutil from Xen 4.17: the struct layouts and calls are right. */
class LibXlUtilIT {

    @Test
    void readsStringsNumbersAndListsLikeXlCreate() {
        LibXlUtil lib = XenLibs.libxlutil();
        String text = """
            name = "a \\"quoted\\" \\\\ name"
            memory = 500
            hex = 0x20
            usbdevice = ['tablet', "mouse"]
            disk = [ '/persist/img/x.qcow2,qcow2,xvda,rw',
                     '/persist/img/y.img,raw,xvdb,ro' ]
            """;
        try (LibXlUtil.Parsed parsed = lib.parse(text, "test.cfg")) {
            assertThat(parsed.getString("name")).isEqualTo("a \"quoted\" \\ name");
            assertThat(parsed.getLong("memory")).isEqualTo(500L);
            assertThat(parsed.getString("memory")).isEqualTo("500");
            assertThat(parsed.getLong("hex")).isEqualTo(32L);
            assertThat(parsed.getList("usbdevice")).containsExactly("tablet", "mouse");
            assertThat(parsed.getString("absent")).isNull();
            LibXlUtil.Disk disk = parsed.parseDisk(parsed.getList("disk").get(0));
            assertThat(disk).isEqualTo(new LibXlUtil.Disk("/persist/img/x.qcow2", "xvda", "qcow2", true, false));
            assertThat(parsed.parseDisk(parsed.getList("disk").get(1)))
                .isEqualTo(new LibXlUtil.Disk("/persist/img/y.img", "xvdb", "raw", false, false));
            assertThat(parsed.parsePci("07:00.0")).isEqualTo(new LibXlUtil.Pci(0, 7, 0, 0));
            assertThat(parsed.parsePci("0001:0a:1f.7").address()).isEqualTo("0001:0a:1f.7");
        }
    }

    @Test
    void reportsSyntaxErrorsWithTheLine() {
        LibXlUtil lib = XenLibs.libxlutil();
        assertThatThrownBy(() -> lib.parse("name = \"x\"\nmemory = = 3\n", "bad.cfg"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("bad.cfg:2");
    }

    @Test
    void rejectsBadDiskAndPciSpecs() {
        LibXlUtil lib = XenLibs.libxlutil();
        try (LibXlUtil.Parsed parsed = lib.parse("name = \"x\"\n", "t.cfg")) {
            assertThatThrownBy(() -> parsed.parseDisk("/a,qcow2,xvda,rw,extra")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> parsed.parsePci("zz:00.0")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
