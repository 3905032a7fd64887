package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.api.v1alpha1.VirtualizationMode;
import io.domainoperator.api.v1alpha1.Vnc;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.qemu.QemuCommandLine.Launch;
import io.domainoperator.hypervisor.qemu.QemuCommandLine.TapAttachment;
import io.domainoperator.hypervisor.qemu.QemuOptions.Accelerator;
import io.domainoperator.hypervisor.qemu.QemuOptions.VifNetworking;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.domainoperator.testing.Specs;

class QemuCommandLineTest {
    private static final UUID UUID_1 = UUID.fromString("6f3a1d2e-0000-4000-8000-00000000ab12");
    private static final DomainPaths PATHS = new DomainPaths(Path.of("/var/lib/do/qemu/vm1"));

    @Test
    void minimalDomainGetsTheFixedFrameAndNothingElse() {
        assertThat(render(spec -> { }).argv()).containsExactly(
            "qemu-system-x86_64",
            "-name", "guest=vm1,debug-threads=on",
            "-uuid", UUID_1.toString(),
            "-machine", "pc",
            "-accel", "tcg,tb-size=64",
            "-nodefaults", "-no-user-config", "-display", "none",
            "-S", "-daemonize", "-pidfile", "/var/lib/do/qemu/vm1/pid",
            "-qmp", "unix:/var/lib/do/qemu/vm1/qmp.sock,server=on,wait=off",
            "-action", "reboot=reset,shutdown=pause,panic=pause",
            "-device", "pvpanic",
            "-smp", "cpus=2,maxcpus=2",
            "-m", "size=512M",
            "-chardev", "socket,id=serial0,path=/var/lib/do/qemu/vm1/console.sock,server=on,wait=off,"
                + "logfile=/var/lib/do/qemu/vm1/console.log,logappend=on",
            "-serial", "chardev:serial0");
    }

    @Test
    void kvmRunsTheHostCpuModel() {
        Launch launch = QemuCommandLine.render("qemu-system-x86_64", definition(spec("vm1")), 1, PATHS,
            Accelerator.KVM, VifNetworking.USER);
        assertThat(String.join(" ", launch.argv())).contains("-accel kvm -cpu host");
    }

    @Test
    void maximaAboveTheBootValuesLeaveRoomForHotplug() {
        String argv = joined(spec -> {
            spec.setMaxVcpus(4);
            spec.setMaxMemoryMiB(2048);
        });
        assertThat(argv).contains("-smp cpus=2,maxcpus=4").contains("-m size=2048M -device virtio-balloon-pci,id=balloon0");
    }

    @Test
    void directKernelBoot() {
        String argv = joined(spec -> {
            spec.setKernel("/img/vmlinuz");
            spec.setRamdisk("/img/initrd.img");
            spec.setCmdline("console=ttyS0 root=/dev/vda ro");
        });
        assertThat(argv).contains("-kernel /img/vmlinuz -initrd /img/initrd.img -append console=ttyS0 root=/dev/vda ro");
    }

    @Test
    void bootOrderForFirmwareBoot() {
        assertThat(joined(spec -> spec.setBootOrder("dc"))).contains("-boot order=dc");
    }

    @ParameterizedTest(name = "{0} read-only={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "hda | false | ide-hd,drive=disk0,bus=ide.0,unit=0",
        "hdb | false | ide-hd,drive=disk0,bus=ide.0,unit=1",
        "hdc | true  | ide-cd,drive=disk0,bus=ide.1,unit=0",
        "hdd | false | ide-hd,drive=disk0,bus=ide.1,unit=1",
        "vda | false | virtio-blk-pci,drive=disk0",
        "xvda| true  | virtio-blk-pci,drive=disk0",
        "sdb | false | scsi-hd,drive=disk0,bus=scsi0.0,channel=0,scsi-id=1,lun=0",
        "sdaa| false | scsi-hd,drive=disk0,bus=scsi0.0,channel=0,scsi-id=26,lun=0",
    })
    void diskTargetsMapToBuses(String target, boolean readOnly, String device) {
        Disk disk = new Disk("/img/a.qcow2", null, target);
        disk.setReadOnly(readOnly);
        List<String> argv = render(spec -> spec.setDisks(List.of(disk))).argv();
        assertThat(argv).containsSubsequence("-drive",
            "if=none,id=disk0,file=/img/a.qcow2,format=qcow2" + (readOnly ? ",readonly=on" : ""), "-device", device);
        assertThat(argv.contains("virtio-scsi-pci,id=scsi0")).isEqualTo(target.startsWith("sd"));
    }

    @Test
    void disksUseTheResolvedPathsAndFormatsAndOneScsiController() {
        DomainConfigSpec spec = spec("vm1");
        spec.setDisks(List.of(new Disk("/src/a.qcow2", DiskFormat.qcow2, "sda"), new Disk("/src/b.img", DiskFormat.raw, "sdb")));
        DomainDefinition definition = DefinitionFromSpec.of("vm1", UUID_1, spec,
            List.of("/persist/img/a-copy.qcow2", "/persist/odd,name.img"), List.of());
        List<String> argv = QemuCommandLine.render("qemu-system-x86_64", definition, 1, PATHS, Accelerator.TCG,
            VifNetworking.USER).argv();
        assertThat(argv).contains("if=none,id=disk0,file=/persist/img/a-copy.qcow2,format=qcow2",
            "if=none,id=disk1,file=/persist/odd,,name.img,format=raw");
        assertThat(argv.stream().filter("virtio-scsi-pci,id=scsi0"::equals)).hasSize(1);
    }

    @Test
    void vifsOnBridgesBecomeTapsToEnslave() {
        Launch launch = render(spec -> spec.setVifs(List.of(new Vif("bn1", "00:16:3E:00:01:01", "nbu1x1"),
            new Vif("bn2", null, null))));
        assertThat(launch.argv()).containsSubsequence(
            "-netdev", "tap,id=net0,ifname=nbu1x1,script=no,downscript=no",
            "-device", "virtio-net-pci,netdev=net0,mac=00:16:3e:00:01:01",
            "-netdev", "tap,id=net1,ifname=qvif7.1,script=no,downscript=no",
            "-device", "virtio-net-pci,netdev=net1,mac=" + QemuCommandLine.derivedMac(UUID_1, 1));
        assertThat(launch.taps()).containsExactly(new TapAttachment("nbu1x1", "bn1"), new TapAttachment("qvif7.1", "bn2"));
    }

    @Test
    void vifsWithUserNetworkingNeedNoHostSetup() {
        Launch launch = QemuCommandLine.render("qemu-system-x86_64", definition(withVif()), 7, PATHS,
            Accelerator.TCG, VifNetworking.USER);
        assertThat(launch.argv()).containsSubsequence("-netdev", "user,id=net0", "-device",
            "virtio-net-pci,netdev=net0,mac=52:54:00:00:ab:12");
        assertThat(launch.taps()).isEmpty();
    }

    @Test
    void derivedMacsAreStablePerUuidAndDistinctPerVif() {
        assertThat(QemuCommandLine.derivedMac(UUID_1, 0)).isEqualTo("52:54:00:00:ab:12")
            .isEqualTo(QemuCommandLine.derivedMac(UUID_1, 0)).isNotEqualTo(QemuCommandLine.derivedMac(UUID_1, 1));
    }

    @Test
    void vncListensOnThePortOfTheDomainIdAndGetsADisplay() {
        assertThat(joined(spec -> spec.setVnc(new Vnc(true, "0.0.0.0")))).contains("-device VGA -vnc 0.0.0.0:7");
        assertThat(joined(spec -> spec.setVnc(new Vnc(true, "::1")))).contains("-vnc [::1]:7");
        assertThat(joined(spec -> spec.setVnc(new Vnc(false, "0.0.0.0")))).doesNotContain("-vnc");
    }

    @Test
    void usbTabletSerialNoneAndPassthrough() {
        DomainConfigSpec spec = spec("vm1");
        spec.setUsbTablet(true);
        spec.setSerial("none");
        DomainDefinition definition = DefinitionFromSpec.of("vm1", UUID_1, spec, List.of(), List.of("0000:03:00.0"));
        String argv = String.join(" ", QemuCommandLine.render("qemu-system-x86_64", definition, 7, PATHS,
            Accelerator.TCG, VifNetworking.USER).argv());
        assertThat(argv).contains("-usb -device usb-tablet").contains("-device vfio-pci,host=0000:03:00.0")
            .doesNotContain("-serial").doesNotContain("-chardev");
    }

    @Test
    void unmappableSpecsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> render(spec -> spec.setDisks(List.of(new Disk("/a", null, "hde")))))
            .hasMessageContaining("spec.disks[0].target hde").hasMessageContaining("vdX or sdX");
        assertThatThrownBy(() -> render(spec -> spec.setVirtualizationMode(VirtualizationMode.PV)))
            .hasMessageContaining("spec.kernel is required");
        assertThatThrownBy(() -> render(spec -> spec.setCmdline("quiet")))
            .hasMessageContaining("spec.ramdisk and spec.cmdline need spec.kernel");
        assertThatThrownBy(() -> render(spec -> spec.setMaxVcpus(1)))
            .hasMessageContaining("spec.maxVcpus 1 is below spec.vcpus 2");
        assertThatThrownBy(() -> render(spec -> spec.setVifs(List.of(new Vif("bn1", null, "a-very-long-tap-name")))))
            .hasMessageContaining("spec.vifs[0].vifName");
        DomainDefinition badPci = DefinitionFromSpec.of("vm1", UUID_1, spec("vm1"), List.of(), List.of("03:00.0"));
        assertThatThrownBy(() -> QemuCommandLine.render("q", badPci, 1, PATHS, Accelerator.TCG, VifNetworking.USER))
            .hasMessageContaining("pciAddresses[0] '03:00.0'");
    }

    @Test
    void letterIndexCountsLikeLinuxDiskNames() {
        assertThat(QemuCommandLine.letterIndex("a")).isZero();
        assertThat(QemuCommandLine.letterIndex("z")).isEqualTo(25);
        assertThat(QemuCommandLine.letterIndex("aa")).isEqualTo(26);
        assertThat(QemuCommandLine.letterIndex("zz")).isEqualTo(701);
    }

    private static DomainConfigSpec withVif() {
        DomainConfigSpec spec = spec("vm1");
        spec.setVifs(new ArrayList<>(List.of(new Vif("bn1", null, null))));
        return spec;
    }

    private static Launch render(Consumer<DomainConfigSpec> customize) {
        DomainConfigSpec spec = spec("vm1");
        customize.accept(spec);
        return QemuCommandLine.render("qemu-system-x86_64", definition(spec), 7, PATHS, Accelerator.TCG,
            VifNetworking.BRIDGE);
    }

    private static String joined(Consumer<DomainConfigSpec> customize) {
        return String.join(" ", render(customize).argv());
    }

    private static DomainDefinition definition(DomainConfigSpec spec) {
        return DefinitionFromSpec.inPlace(spec.getDisplayName(), UUID_1, spec);
    }

    private static DomainConfigSpec spec(String name) {
        return Specs.minimal(name, 2, 512);
    }
}
