package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.api.v1alpha1.VirtualizationMode;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import io.domainoperator.testing.Specs;

class XlConfigRendererTest {
    private static final UUID ID = UUID.fromString("11111111-2222-3333-4444-555555555555");

    /** Golden file: the DomainConfig equivalent to EVE's example renders to the committed file, byte for byte. */
    @Test
    void rendersTheEveExampleAsTheCommittedGoldenFile() {
        String rendered = XlConfigRenderer.renderText(EveExample.definition(), XlConfigRenderer.Mode.OPERATOR);
        assertThat(rendered).isEqualTo(EveExample.resource("eve-vyos-app.expected.cfg"));
    }

    @Test
    void operatorManagedFilesPreserveEveryEndSoTheReconcilerSeesTheReason() {
        DomainConfigSpec spec = minimal("web");
        spec.setOnPoweroff(LifecyclePolicy.Restart);
        XlConfig config = XlConfigRenderer.render(DefinitionFromSpec.inPlace("web", ID, spec), XlConfigRenderer.Mode.OPERATOR);
        assertThat(config.get("on_poweroff")).contains(XlValue.str("preserve"));
        assertThat(config.get("on_reboot")).contains(XlValue.str("preserve"));
        assertThat(config.get("on_crash")).contains(XlValue.str("preserve"));

        XlConfig exported = XlConfigRenderer.render(DefinitionFromSpec.inPlace("web", ID, spec), XlConfigRenderer.Mode.EXPORT);
        assertThat(exported.get("on_poweroff")).contains(XlValue.str("restart"));
        assertThat(exported.get("on_crash")).isEmpty();
    }

    @Test
    void writesPvGuestsWithoutHvmOnlyKeys() {
        DomainConfigSpec spec = minimal("pv1");
        spec.setVirtualizationMode(VirtualizationMode.PV);
        spec.setKernel("/boot/vmlinuz");
        spec.setRamdisk("/boot/initrd.img");
        spec.setCmdline("console=hvc0 root=/dev/xvda1 quiet");
        String text = XlConfigRenderer.renderText(DefinitionFromSpec.inPlace("pv1", ID, spec), XlConfigRenderer.Mode.OPERATOR);
        assertThat(text).contains("type = \"pv\"\n", "kernel = \"/boot/vmlinuz\"\n", "ramdisk = \"/boot/initrd.img\"\n",
            "extra = \"console=hvc0 root=/dev/xvda1 quiet\"\n", "maxvcpus = 1\n");
        assertThat(text).doesNotContain("serial", "\nboot =", "usb");
    }

    @Test
    void usesTheKeywordDiskFormWhenThePathWouldSplitThePositionalOne() {
        DomainConfigSpec spec = minimal("d");
        spec.setDisks(List.of(new Disk("/persist/img/a=b.img", DiskFormat.raw, "xvdb")));
        spec.getDisks().getFirst().setReadOnly(true);
        XlConfig config = XlConfigRenderer.render(DefinitionFromSpec.inPlace("d", ID, spec), XlConfigRenderer.Mode.OPERATOR);
        assertThat(config.get("disk")).contains(XlValue.Lst.ofStrings(List.of("format=raw, vdev=xvdb, access=ro, target=/persist/img/a=b.img")));
    }

    @Test
    void generatesAStableXenMacWhenNoneIsGiven() {
        DomainConfigSpec spec = minimal("n");
        spec.setVifs(List.of(new Vif("br0", null, null), new Vif("br1", null, null)));
        DomainDefinition definition = DefinitionFromSpec.inPlace("n", ID, spec);
        XlValue first = XlConfigRenderer.render(definition, XlConfigRenderer.Mode.OPERATOR).get("vif").orElseThrow();
        XlValue again = XlConfigRenderer.render(definition, XlConfigRenderer.Mode.OPERATOR).get("vif").orElseThrow();
        assertThat(first).isEqualTo(again);
        List<String> specs = ((XlValue.Lst) first).items().stream().map(XlValue::atomText).toList();
        assertThat(specs).allMatch(s -> s.matches("bridge=br[01],mac=00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}"));
        assertThat(specs.get(0).substring(specs.get(0).indexOf("mac="))).isNotEqualTo(specs.get(1).substring(specs.get(1).indexOf("mac=")));
    }

    @Test
    void rejectsWhatCannotBeEscapedNamingEachField() {
        DomainConfigSpec spec = minimal("bad");
        spec.setVirtualizationMode(VirtualizationMode.PVH);
        spec.setKernel("/boot/vmlinuz");
        spec.setCmdline("quiet\nmemory = 99999");
        spec.setUsbTablet(true);
        spec.setBootOrder("dc");
        spec.setDisks(List.of(new Disk("/persist/img/x.qcow2", DiskFormat.qcow2, "xvda")));
        DomainDefinition definition = DefinitionFromSpec.of("bad", ID, spec, List.of("relative/x.qcow2"),
            List.of("07:00.0", "0000:07:00.0', 'evil"));
        assertThatThrownBy(() -> XlConfigRenderer.render(definition, XlConfigRenderer.Mode.OPERATOR))
            .isInstanceOfSatisfying(XlRenderException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                .contains("spec.cmdline", "spec.usbTablet", "spec.bootOrder", "diskPaths[0]", "pciAddresses[0]", "pciAddresses[1]"));
    }

    @Test
    void quotesAndBackslashesCannotEndAStringEarly() {
        XlConfig config = XlConfig.builder().str("extra", "a\" b = \\\"c").list("disk", List.of("x', 'y")).build();
        String text = XlSyntax.write(config);
        assertThat(text).isEqualTo("extra = \"a\\\" b = \\\\\\\"c\"\ndisk = ['x\\', \\'y']\n");
        assertThat(parse(text)).isEqualTo(config);
    }

    @Test
    void refusesControlCharactersInsteadOfEscapingThem() {
        assertThatThrownBy(() -> XlSyntax.write(XlConfig.builder().str("extra", "a\nname = \"evil\"").build()))
            .hasMessageContaining("'extra'").hasMessageContaining("U+000A");
        assertThatThrownBy(() -> XlSyntax.write(XlConfig.builder().str("kernel", "/boot/\u00e9").build()))
            .hasMessageContaining("non-ASCII");
    }

    static DomainConfigSpec minimal(String name) {
        return Specs.minimal(name, 1, 256);
    }

    private static XlConfig parse(String text) {
        try {
            XlConfig parsed = XlConfigParser.parse(text);
            // Parsed settings carry their line; compare values only.
            XlConfig.Builder builder = XlConfig.builder();
            parsed.settings().forEach(s -> builder.put(s.key(), s.value()));
            return builder.build();
        } catch (XlConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
