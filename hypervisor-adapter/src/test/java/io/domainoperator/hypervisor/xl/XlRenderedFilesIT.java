package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.api.v1alpha1.VirtualizationMode;
import io.domainoperator.api.v1alpha1.Vnc;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Test;

/**
 * Rendered files checked by Xen 4.17's own parser, libxlutil (loaded with JNA from the cache that
 * {@code .ci/setup.d/20-xen-libs.sh} fills): every key reads back as rendered, every disk spec parses with
 * xlu_disk_parse into the intended path/format/vdev/access, every pci entry with xlu_pci_parse_spec_string into
 * the intended address.
 */
class XlRenderedFilesIT {

    @Test
    void theGoldenEveFileReadsBackThroughLibxlutil() {
        LibXlUtil lib = XenLibs.libxlutil();
        XlConfig rendered = XlConfigRenderer.render(EveExample.definition(), XlConfigRenderer.Mode.OPERATOR);
        String text = EveExample.resource("eve-vyos-app.expected.cfg");
        assertThat(XlSyntax.write(rendered)).isEqualTo(text);
        assertThat(XlUtilCheck.mismatches(lib, rendered, text)).isEmpty();
    }

    /** Import EVE's file, export it, and let libxlutil compare what xl create would read from each. */
    @Test
    void importingAndExportingTheEveExampleGivesAnEquivalentFile() {
        LibXlUtil lib = XenLibs.libxlutil();
        String original = EveExample.resource("eve-vyos-app.cfg");
        XlImport.Imported imported = XlConfigImporterTest.imported(original);
        String exported = XlConfigExporter.export(imported.config());
        try (LibXlUtil.Parsed before = lib.parse(original, "eve.cfg"); LibXlUtil.Parsed after = lib.parse(exported, "exported.cfg")) {
            for (String key : List.of("name", "type", "uuid", "vnclisten", "serial", "boot")) {
                assertThat(after.getString(key)).as(key).isEqualTo(before.getString(key));
            }
            for (String key : List.of("vnc", "usb", "memory", "maxmem", "vcpus")) {
                assertThat(after.getLong(key)).as(key).isEqualTo(before.getLong(key));
            }
            // EVE writes maxcpus, which xl ignores; the export writes maxvcpus, which xl reads.
            assertThat(after.getLong("maxvcpus")).isEqualTo(before.getLong("maxcpus"));
            assertThat(after.getList("usbdevice")).isEqualTo(before.getList("usbdevice"));
            assertThat(after.getList("vif")).isEqualTo(before.getList("vif"));
            assertThat(after.parseDisk(after.getList("disk").getFirst())).isEqualTo(before.parseDisk(before.getList("disk").getFirst()));
            assertThat(after.parsePci(after.getList("pci").getFirst())).isEqualTo(before.parsePci(before.getList("pci").getFirst()));
            for (String key : List.of("on_poweroff", "on_reboot", "on_crash")) {
                assertThat(after.getString(key)).as(key).isEqualTo(before.getString(key)).isNull();
            }
        }
    }

    @Property(tries = 300)
    @AddLifecycleHook(XenLibs.Required.class)
    void everyRenderableDefinitionReadsBackExactly(@ForAll("definitions") DomainDefinition definition) {
        LibXlUtil lib = XenLibs.libxlutil();
        XlConfig rendered;
        try {
            rendered = XlConfigRenderer.render(definition, XlConfigRenderer.Mode.OPERATOR);
        } catch (XlRenderException e) {
            assertThat(e.errors()).isNotEmpty();
            return;
        }
        assertThat(XlUtilCheck.mismatches(lib, rendered, XlSyntax.write(rendered))).isEmpty();
    }

    @Provide
    Arbitrary<DomainDefinition> definitions() {
        Arbitrary<String> hostile = Arbitraries.oneOf(
            Arbitraries.strings().withChars("abc/._-=,:'\"\\ #[]\n").ofMinLength(1).ofMaxLength(12).map(s -> "/img/" + s),
            Arbitraries.of("/persist/img/a.qcow2", "/dev/vg/lv", "/img/x=y.raw", "/img/a:b.img", "/img/it's.img"));
        Arbitrary<String> cmdline = Arbitraries.strings().withChars("abc =/\\'\"#,;[]\t").ofMaxLength(20);
        Arbitrary<String> pci = Arbitraries.of("0000:07:00.0", "0001:ff:1f.7", "07:00.0", "0000:07:00.0,x", "0000:00:02.0");
        Arbitrary<VirtualizationMode> mode = Arbitraries.of(VirtualizationMode.class);
        Arbitrary<List<String>> disks = hostile.list().ofMaxSize(3);
        return Combinators.combine(mode, disks, cmdline, pci.list().ofMaxSize(2), Arbitraries.integers().between(1, 4),
            Arbitraries.of(LifecyclePolicy.class).injectNull(0.3)).as((m, paths, extra, pcis, vcpus, policy) -> {
                DomainConfigSpec spec = new DomainConfigSpec();
                spec.setDisplayName("fuzz-" + vcpus);
                spec.setVirtualizationMode(m);
                spec.setVcpus(vcpus);
                spec.setMaxVcpus(vcpus + 1);
                spec.setMemoryMiB(64 * vcpus);
                spec.setKernel(m == VirtualizationMode.HVM ? null : "/boot/vmlinuz");
                spec.setCmdline(extra.isEmpty() ? null : extra);
                spec.setOnCrash(policy);
                spec.setVnc(new Vnc(true, "127.0.0.1"));
                List<Disk> specDisks = new ArrayList<>();
                for (int i = 0; i < paths.size(); i++) {
                    Disk disk = new Disk("/persist/img/source" + i + ".qcow2", i % 2 == 0 ? DiskFormat.qcow2 : DiskFormat.raw, "xvd" + (char) ('a' + i));
                    disk.setReadOnly(i == 1);
                    specDisks.add(disk);
                }
                spec.setDisks(specDisks);
                spec.setVifs(List.of(new Vif("br0", null, "vif" + vcpus)));
                return DefinitionFromSpec.of(spec.getDisplayName(), UUID.nameUUIDFromBytes(spec.getDisplayName().getBytes()),
                    spec, paths, pcis);
            });
    }
}
