package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzz-style properties of the importer: whatever the input, the result is a whole DomainConfig or errors that
 * each name a line inside the file (or just past its end), and no exception escapes.
 */
class XlImporterFuzzTest {
    private static final String EVE = EveExample.resource("eve-vyos-app.cfg");

    @Property(tries = 500)
    void randomTextIsImportedWholeOrRejectedWithALine(@ForAll("xlishText") String text) {
        checkOutcome(text);
    }

    @Property(tries = 500)
    void hostileEditsOfTheEveFileAreImportedWholeOrRejectedWithALine(@ForAll("hostileEdits") String text) {
        XlImport result = checkOutcome(text);
        if (result instanceof XlImport.Imported imported) {
            // Whatever got through must survive export and re-import unchanged.
            DomainConfig config = imported.config();
            String exported;
            try {
                exported = XlConfigExporter.export(config);
            } catch (XlRenderException e) {
                throw new AssertionError("an imported DomainConfig must export: " + e.getMessage(), e);
            }
            XlImport again = XlConfigImporter.importText(exported);
            assertThat(again).isInstanceOf(XlImport.Imported.class);
            assertThat(((XlImport.Imported) again).config().getSpec()).isEqualTo(config.getSpec());
        }
    }

    private static XlImport checkOutcome(String text) {
        XlImport result = XlConfigImporter.importText(text);
        int lines = text.split("\n", -1).length;
        switch (result) {
            case XlImport.Imported imported -> {
                assertThat(imported.config().getSpec()).isNotNull();
                assertThat(imported.config().getSpec().getDisplayName()).isNotNull();
            }
            case XlImport.Rejected rejected -> assertThat(rejected.errors()).allSatisfy(e -> {
                assertThat(e.line()).as(e.getMessage()).isBetween(1, lines + 1);
                assertThat(e.getMessage()).startsWith("line " + e.line());
            });
        }
        return result;
    }

    @Provide
    Arbitrary<String> xlishText() {
        Arbitrary<String> tokens = Arbitraries.of("name", "memory", "vcpus", "disk", "vif", "pci", "type", " = ", "=", "\"",
            "'", "[", "]", ",", ";", "\n", "#", "\\", "0x1f", "512", "\"hvm\"", "'/a.img,qcow2,xvda,rw'", " ", "\t", "+=",
            "\u0000", "\u00e9", "\r\n", "99999999999999999999", "'bridge=br0'", "\"07:00.0\"");
        Arbitrary<String> noise = Arbitraries.strings().all().ofMaxLength(8);
        return Arbitraries.oneOf(tokens, tokens, tokens, noise).list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> hostileEdits() {
        Arbitrary<String> insert = Arbitraries.oneOf(
            Arbitraries.of("\n", "'", "\"", ",", "]", "[", "=", "\\", "#", ";", "', '", "\",\"", "\nname = \"x\"\n",
                "\u0000", "\u2028", ",vhd", "@1", ":"),
            Arbitraries.strings().all().ofMaxLength(3));
        Arbitrary<Integer> position = Arbitraries.integers().between(0, EVE.length());
        Arbitrary<Integer> delete = Arbitraries.integers().between(0, 4);
        return Combinators.combine(position, insert, delete).as((at, text, drop) ->
            EVE.substring(0, at) + text + EVE.substring(Math.min(EVE.length(), at + drop)));
    }
}
