package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.Vga;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.api.v1alpha1.Vnc;
import io.domainoperator.api.v1alpha1.XenSettings;
import io.domainoperator.api.v1alpha1.XlSetting;
import io.domainoperator.hypervisor.qemu.QemuCommandLine.Launch;
import io.domainoperator.hypervisor.qemu.QemuOptions.Accelerator;
import io.domainoperator.hypervisor.qemu.QemuOptions.VifNetworking;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.domainoperator.testing.Specs;

/** The portable hardware fields on QEMU's command line, and the Xen-only ones named instead of ignored. */
class QemuHardwareArgvTest {
    private static final UUID UUID_1 = UUID.fromString("6f3a1d2e-0000-4000-8000-00000000ab12");
    private static final DomainPaths PATHS = new DomainPaths(Path.of("/var/lib/do/qemu/vm1"));

    @ParameterizedTest(name = "model {0} -> {1}")
    @CsvSource({"e1000, e1000", "rtl8139, rtl8139", "virtio-net, virtio-net-pci", "ne2k_pci, ne2k_pci", ", virtio-net-pci"})
    void theNicModelChoosesTheDevice(String model, String device) {
        String argv = joined(spec -> {
            Vif vif = new Vif("br0", "00:16:3e:00:00:01", null);
            vif.setModel(model);
            spec.setVifs(List.of(vif));
        });
        assertThat(argv).contains("-device " + device + ",netdev=net0,mac=00:16:3e:00:00:01");
    }

    @Test
    void aCdromIsAnIdeCdWithItsImageOrEmpty() {
        String argv = joined(spec -> {
            Disk iso = new Disk("/iso/install.iso", DiskFormat.raw, "hdc");
            iso.setCdrom(true);
            Disk empty = new Disk(null, DiskFormat.raw, "hdd");
            empty.setCdrom(true);
            spec.setDisks(List.of(iso, empty));
        });
        assertThat(argv).contains(
            "-drive if=none,id=disk0,media=cdrom,readonly=on,file=/iso/install.iso,format=raw -device ide-cd,drive=disk0,bus=ide.1,unit=0",
            "-drive if=none,id=disk1,media=cdrom,readonly=on -device ide-cd,drive=disk1,bus=ide.1,unit=1");
    }

    @Test
    void aCdromOnAVirtioTargetIsRefusedNamingTheField() {
        assertThatThrownBy(() -> joined(spec -> {
            Disk iso = new Disk("/iso/install.iso", DiskFormat.raw, "vdb");
            iso.setCdrom(true);
            spec.setDisks(List.of(iso));
        })).hasMessageContaining("spec.disks[0].target vdb").hasMessageContaining("hda to hdd");
    }

    @ParameterizedTest(name = "vga {0} -> {1}")
    @CsvSource({"std, -device VGA", "cirrus, -device cirrus-vga", "qxl, -device qxl-vga"})
    void theVgaCardIsTheOneAskedFor(Vga vga, String device) {
        assertThat(joined(spec -> spec.setVga(vga))).contains(device);
    }

    @Test
    void noVgaMeansNoCardEvenWithVnc() {
        String argv = joined(spec -> {
            spec.setVga(Vga.none);
            spec.setVnc(new Vnc(true, "127.0.0.1"));
        });
        assertThat(argv).doesNotContain("VGA", "vga").contains("-vnc 127.0.0.1:7");
    }

    @Test
    void vncDisplayKeymapAcpiAndLocaltimeReachQemu() {
        String argv = joined(spec -> {
            Vnc vnc = new Vnc(true, "0.0.0.0");
            vnc.setDisplay(3);
            vnc.setKeymap("de");
            spec.setVnc(vnc);
            spec.setAcpi(false);
            spec.setLocaltime(true);
        });
        assertThat(argv).contains("-machine pc,acpi=off", "-rtc base=localtime", "-device VGA -vnc 0.0.0.0:3 -k de");
    }

    @Test
    void xenOnlySettingsAreNamedAsUnapplied() {
        Launch launch = render(spec -> {
            XenSettings xen = new XenSettings();
            xen.setViridian(true);
            xen.setHap(true);
            xen.setPassThrough(List.of(new XlSetting("cpus", "\"0-3\"")));
            spec.setXen(xen);
        });
        assertThat(launch.unapplied()).containsExactly("spec.xen.viridian (Hyper-V enlightenments are a Xen setting here)",
            "spec.xen.hap", "spec.xen.passThrough cpus (an xl setting)");
        assertThat(render(spec -> { }).unapplied()).isEmpty();
        assertThat(render(spec -> {
            var disk = new io.domainoperator.api.v1alpha1.Disk("/img/a.qcow2", io.domainoperator.api.v1alpha1.DiskFormat.qcow2, "vda");
            disk.setXenOptions(List.of("discard"));
            var vif = new io.domainoperator.api.v1alpha1.Vif("br0", "00:16:3e:00:00:01", null);
            vif.setXenOptions(List.of("rate=10Mb/s"));
            spec.setDisks(List.of(disk));
            spec.setVifs(List.of(vif));
        }).unapplied()).containsExactly("spec.disks[0].xenOptions [discard] (xl disk parameters)",
            "spec.vifs[0].xenOptions [rate=10Mb/s] (xl vif parameters)");
        assertThat(render(spec -> {
            XenSettings xen = new XenSettings();
            xen.setPciOptions(List.of(new io.domainoperator.api.v1alpha1.XenPciOptions("eth1", List.of("permissive=1"))));
            spec.setXen(xen);
        }).unapplied()).containsExactly("spec.xen.pciOptions eth1 [permissive=1] (xl pci parameters)");
    }

    private static Launch render(Consumer<DomainConfigSpec> customize) {
        DomainConfigSpec spec = Specs.minimal("vm1", 2, 512, customize);
        return QemuCommandLine.render("qemu-system-x86_64", DefinitionFromSpec.inPlace("vm1", UUID_1, spec), 7, PATHS,
            Accelerator.TCG, VifNetworking.BRIDGE);
    }

    private static String joined(Consumer<DomainConfigSpec> customize) {
        return String.join(" ", render(customize).argv());
    }
}
