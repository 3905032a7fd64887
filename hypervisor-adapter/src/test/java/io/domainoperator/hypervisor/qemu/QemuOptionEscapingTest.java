package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.qemu.QemuOptions.Accelerator;
import io.domainoperator.hypervisor.qemu.QemuOptions.VifNetworking;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import io.domainoperator.testing.Specs;

/** No disk path, however odd, can add or change a QEMU option: QEMU's own splitting gives it back whole. */
class QemuOptionEscapingTest {

    @Property(tries = 500)
    void diskPathsSurviveQemuOptionSplitting(@ForAll("paths") String path) {
        List<String> argv = render(path);
        String drive = argv.get(argv.indexOf("-drive") + 1);
        Map<String, String> options = splitLikeQemu(drive);
        assertThat(options).containsOnlyKeys("if", "id", "file", "format").containsEntry("file", path);
    }

    @Property(tries = 200)
    void relativeOrProtocolPathsAreRejected(@ForAll("notAbsolute") String path) {
        assertThatThrownBy(() -> render(path)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("spec.disks[0]").hasMessageContaining("absolute file path");
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.strings().withChars("abc/.,=:-_ {}\"'").ofMinLength(0).ofMaxLength(40).map(s -> "/" + s);
    }

    @Provide
    Arbitrary<String> notAbsolute() {
        return Arbitraries.oneOf(
            Arbitraries.strings().withChars("abc:/,=").ofMinLength(1).ofMaxLength(20).filter(s -> !s.startsWith("/")),
            Arbitraries.of("nbd://evil/export", "json:{\"driver\":\"nbd\"}", "/img/a\nb"));
    }

    private static List<String> render(String path) {
        DomainConfigSpec spec = Specs.minimal("vm1", 1, 64);
        spec.setDisks(new ArrayList<>(List.of(new Disk("/placeholder", null, "vda"))));
        DomainDefinition definition = DefinitionFromSpec.of("vm1", UUID.randomUUID(), spec, List.of(path), List.of());
        return QemuCommandLine.render("qemu-system-x86_64", definition, 1, new DomainPaths(Path.of("/s/vm1")),
            Accelerator.TCG, VifNetworking.USER).argv();
    }

    /** QEMU's QemuOpts rule: options split at a single comma, ",," is a literal comma; key=value at the first '='. */
    private static Map<String, String> splitLikeQemu(String value) {
        Map<String, String> options = new LinkedHashMap<>();
        StringBuilder current = new StringBuilder();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' && i + 1 < value.length() && value.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else if (c == ',') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        for (String part : parts) {
            int eq = part.indexOf('=');
            options.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return options;
    }
}
