package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * hypervisor-adapter/docs/xl-keys.md is the key table (xl-keys.tsv) as users read it; this test keeps the two
 * equal. On a difference it writes the current text to target/xl-keys.md to copy over the committed one.
 */
class XlKeyTableDocTest {
    private static final Path DOC = Path.of("docs", "xl-keys.md");

    static String render() {
        Map<XlKeys.Treatment, Long> counts = new TreeMap<>(XlKeys.all().values().stream()
            .collect(Collectors.groupingBy(XlKeys.Key::treatment, Collectors.counting())));
        StringBuilder out = new StringBuilder("""
            # xl.cfg(5) keys and what `import-xl` does with them

            Every key of xl.cfg(5) in Xen 4.17 (plus the undocumented keys `xl` itself reads, and EVE's `maxcpus`) has
            one treatment. This page is generated from
            [`xl-keys.tsv`](../src/main/resources/io/domainoperator/hypervisor/xl/xl-keys.tsv), the table the importer,
            the renderer and the round-trip property test follow (`XlKeyTableDocTest` fails when they differ).

            - **mapped**: a DomainConfig field holds the value; `export-xl` and the xl backend write it from the field.
            - **carried**: kept verbatim in `spec.xen.passThrough` (`{key, value}` with the value in xl syntax);
              `export-xl` and the xl backend parse the value again and write it back, so it can never add a line of its
              own. The QEMU backend cannot apply them and says so in its log.
            - **dropped**: left out with a warning naming the line, the key and why that is harmless.
            - **refused**: the import fails naming the line and the key.

            A key xl does not know is dropped with a warning (xl ignores it too); a key set twice keeps its last value,
            as in xl, and the earlier line is reported; `+=` appends as libxlutil does. Within a mapped key, values
            the field cannot hold are refused with the line (e.g. a disk format other than qcow2/raw, a pci key xl does not know);
            the vif and disk options xl documents (`rate=`, `script=`, `backendtype=`, ...) are carried in that device's `xenOptions`,
            and pci options (`permissive=`, `msitranslate=`, `seize=`, `power_mgmt=`, `rdm_policy=`, `@vslot`) in `spec.xen.pciOptions`.
            When Xen's libxlutil 4.17 is installed (or `DOMAIN_OPERATOR_XEN_LIBDIR` names a directory holding it),
            `import-xl` checks that xl reads the same value from the export as from the original for every mapped or
            carried key, and `export-xl` that xl reads its file as meant.

            """);
        out.append("Counts: ").append(Arrays.stream(XlKeys.Treatment.values())
            .map(t -> counts.getOrDefault(t, 0L) + " " + t.name().toLowerCase(java.util.Locale.ROOT))
            .collect(Collectors.joining(", "))).append(" (").append(XlKeys.all().size()).append(" keys).\n\n");
        out.append("| key | treatment | value | field, or why |\n|---|---|---|---|\n");
        for (XlKeys.Key key : XlKeys.all().values()) {
            out.append("| `").append(key.name()).append("` | ").append(key.treatment().name().toLowerCase(java.util.Locale.ROOT))
                .append(" | ").append(key.kind().name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                .append(key.detail().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    @Test
    void theCommittedTableIsTheKeyTable() throws IOException {
        String expected = render();
        if (!Files.exists(DOC) || !Files.readString(DOC).equals(expected)) {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "xl-keys.md"), expected);
        }
        assertThat(DOC).as("hypervisor-adapter/docs/xl-keys.md exists").exists();
        assertThat(Files.readString(DOC)).as("docs/xl-keys.md differs from xl-keys.tsv: copy target/xl-keys.md over it").isEqualTo(expected);
    }

    @Test
    void everyKeyOfTheTableHasATreatmentTheImporterKnows() {
        assertThat(XlKeys.all()).hasSizeGreaterThan(150).containsKeys("name", "vif", "sdl", "viridian", "vnuma", "device_model_args");
        for (XlKeys.Key key : XlKeys.all().values()) {
            assertThat(key.name()).matches("[a-z][a-z0-9_.]*");
            assertThat(key.detail()).isNotBlank();
        }
    }
}
