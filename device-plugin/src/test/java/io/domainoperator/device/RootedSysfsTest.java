package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production implementation over plain files (a temp dir, never /sys). */
class RootedSysfsTest {
    @TempDir
    Path root;

    @Test
    void readsWithoutTheTrailingNewlineAndAbsentIsEmpty() throws Exception {
        Files.createDirectories(root.resolve("bus/pci/devices/0000:03:00.0"));
        Files.writeString(root.resolve("bus/pci/devices/0000:03:00.0/class"), "0x020000\n");
        RootedSysfs sysfs = new RootedSysfs(root);

        assertThat(sysfs.read("bus/pci/devices/0000:03:00.0/class")).contains("0x020000");
        assertThat(sysfs.read("bus/pci/devices/0000:03:00.0/vendor")).isEmpty();
        assertThat(sysfs.list("bus/pci/devices")).containsExactly("0000:03:00.0");
        assertThat(sysfs.list("bus/usb/devices")).isEmpty();
    }

    @Test
    void writesOnlyExistingAttributes() throws Exception {
        Files.createDirectories(root.resolve("bus/pci/drivers/igb"));
        Files.writeString(root.resolve("bus/pci/drivers/igb/unbind"), "");
        RootedSysfs sysfs = new RootedSysfs(root);

        sysfs.write("bus/pci/drivers/igb/unbind", "0000:03:00.0");

        assertThat(root.resolve("bus/pci/drivers/igb/unbind")).hasContent("0000:03:00.0");
        assertThatThrownBy(() -> sysfs.write("bus/pci/drivers/pciback/bind", "0000:03:00.0"))
            .isInstanceOf(SysfsException.class).hasMessageContaining("bus/pci/drivers/pciback/bind")
            .hasMessageContaining("driver loaded");
        assertThat(root.resolve("bus/pci/drivers/pciback")).doesNotExist();
    }

    @Test
    void readsLinksAndTheirLastElement() throws Exception {
        Files.createDirectories(root.resolve("devices/pci0000:00/0000:03:00.0"));
        Files.createDirectories(root.resolve("bus/pci/drivers/igb"));
        Files.createSymbolicLink(root.resolve("devices/pci0000:00/0000:03:00.0/driver"), Path.of("../../../bus/pci/drivers/igb"));
        RootedSysfs sysfs = new RootedSysfs(root);

        assertThat(sysfs.readlink("devices/pci0000:00/0000:03:00.0/driver")).contains("../../../bus/pci/drivers/igb");
        assertThat(sysfs.linkName("devices/pci0000:00/0000:03:00.0/driver")).contains("igb");
        assertThat(sysfs.readlink("devices/pci0000:00/0000:03:00.0")).isEmpty();
    }

    @Test
    void pathsMayNotLeaveTheRoot() {
        RootedSysfs sysfs = new RootedSysfs(root);
        assertThatThrownBy(() -> sysfs.read("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sysfs.write("../x", "1")).isInstanceOf(IllegalArgumentException.class);
    }
}
