package io.domainoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every string of a DomainConfig that reaches an xl file, a QEMU argument, a log line or a file name, with each
 * payload that could end a line or a terminal sequence there (a newline followed by an xl key, CR, NUL, ESC, DEL,
 * the C1 next-line): refused by the validator, the error naming exactly that field. The validator runs before
 * anything is rendered, so a refused spec has no side effect (ManifestFolderIT and ImagePathRefusalIT show the
 * agent acting on nothing). Regression: the messages of four fields (a vif model, the VNC keymap, a viridian group,
 * a pass-through xl key) carried the raw value, so a newline in one forged a line in the log.
 */
class HostileStringsTest {
    private static final List<String> PAYLOADS = List.of("\nmemory = 99999", "\r", "\u0000", "\u001b[2J", "\u007f", "\u0085");

    record Field(String path, String valid, BiConsumer<DomainConfigSpec, String> set) {
        @Override
        public String toString() {
            return path;
        }
    }

    static List<Field> fields() {
        return List.of(
            new Field("spec.displayName", "vm-1", DomainConfigSpec::setDisplayName),
            new Field("spec.uuid", "0b0c6c3e-3b8a-4b8e-9a7e-000000000001", DomainConfigSpec::setUuid),
            new Field("spec.nodeName", "node-1", DomainConfigSpec::setNodeName),
            new Field("spec.kernel", "/boot/vmlinuz", DomainConfigSpec::setKernel),
            new Field("spec.ramdisk", "/boot/initrd.img", (s, v) -> { s.setKernel("/boot/vmlinuz"); s.setRamdisk(v); }),
            new Field("spec.cmdline", "console=ttyS0", (s, v) -> { s.setKernel("/boot/vmlinuz"); s.setCmdline(v); }),
            new Field("spec.bootOrder", "cd", DomainConfigSpec::setBootOrder),
            new Field("spec.serial", "pty", DomainConfigSpec::setSerial),
            new Field("spec.disks[0].source", "/persist/img/a.qcow2", (s, v) -> s.getDisks().getFirst().setSource(v)),
            new Field("spec.disks[0].target", "xvda", (s, v) -> s.getDisks().getFirst().setTarget(v)),
            new Field("spec.disks[0].xenOptions[0]", "discard", (s, v) -> s.getDisks().getFirst().setXenOptions(List.of(v))),
            new Field("spec.vifs[0].bridge", "br0", (s, v) -> s.getVifs().getFirst().setBridge(v)),
            new Field("spec.vifs[0].mac", "00:16:3e:00:00:01", (s, v) -> s.getVifs().getFirst().setMac(v)),
            new Field("spec.vifs[0].vifName", "vif1", (s, v) -> s.getVifs().getFirst().setVifName(v)),
            new Field("spec.vifs[0].xenOptions[0]", "mtu=1500", (s, v) -> s.getVifs().getFirst().setXenOptions(List.of(v))),
            new Field("spec.vifs[0].model", "e1000", (s, v) -> s.getVifs().getFirst().setModel(v)),
            new Field("spec.vnc.keymap", "en-us", (s, v) -> { s.setVnc(new Vnc(true, null)); s.getVnc().setKeymap(v); }),
            new Field("spec.vnc.listen", "127.0.0.1", (s, v) -> s.setVnc(new Vnc(true, v))),
            new Field("spec.startAfter[0]", "db", (s, v) -> s.setStartAfter(List.of(v))),
            new Field("spec.adapters[0]", "eth1", (s, v) -> s.setAdapters(List.of(v))),
            new Field("spec.xen.viridianGroups[0]", "base", (s, v) -> xen(s).setViridianGroups(List.of(v))),
            new Field("spec.xen.passThrough[0].key", "cpuid", (s, v) -> xen(s).setPassThrough(List.of(new XlSetting(v, "\"host\"")))),
            new Field("spec.xen.passThrough[0].value", "\"host\"", (s, v) -> xen(s).setPassThrough(List.of(new XlSetting("cpuid", v)))),
            new Field("spec.xen.pciOptions[0].adapter", "eth1", (s, v) -> {
                s.setAdapters(List.of("eth1"));
                xen(s).setPciOptions(List.of(new XenPciOptions(v, List.of("permissive=1"))));
            }),
            new Field("spec.xen.pciOptions[0].options[0]", "permissive=1", (s, v) -> {
                s.setAdapters(List.of("eth1"));
                xen(s).setPciOptions(List.of(new XenPciOptions("eth1", List.of(v))));
            }));
    }

    private static XenSettings xen(DomainConfigSpec s) {
        if (s.getXen() == null) {
            s.setXen(new XenSettings());
        }
        return s.getXen();
    }

    static Stream<Arguments> hostile() {
        List<Arguments> rows = new ArrayList<>();
        for (Field f : fields()) {
            for (String p : PAYLOADS) {
                rows.add(Arguments.of(f, p));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} + {index}")
    @MethodSource("hostile")
    void aLineOrTerminalBreakInAnyStringIsRefusedNamingTheField(Field field, String payload) {
        DomainConfigSpec clean = DomainConfigValidatorTest.valid();
        field.set().accept(clean, field.valid());
        assertThat(DomainConfigValidator.validate(clean)).as("the unpoisoned value of %s is valid", field).isEmpty();

        DomainConfigSpec spec = DomainConfigValidatorTest.valid();
        field.set().accept(spec, field.valid() + payload);
        List<FieldError> errors = DomainConfigValidator.validate(spec);
        assertThat(errors).as("%s with %s", field, payload.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList())
            .isNotEmpty().allSatisfy(e -> assertThat(e.field()).startsWith(field.path()));
        assertThat(errors).allSatisfy(e -> assertThat(e.message()).doesNotContain("\n", "\r", "\u0000", "\u001b"));
    }
}
