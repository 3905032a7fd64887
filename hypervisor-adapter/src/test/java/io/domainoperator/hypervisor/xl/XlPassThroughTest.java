package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.api.v1alpha1.XenSettings;
import io.domainoperator.api.v1alpha1.XlSetting;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.domainoperator.testing.Specs;

/** spec.xen.passThrough as the xl backend and export-xl write it, and what they refuse to write. */
class XlPassThroughTest {

    @Test
    void theNodeAgentsFileCarriesTheSettingsBackVerbatim() {
        DomainConfigSpec spec = spec(new XlSetting("cpus", "\"0-3\""), new XlSetting("cpu_weight", "0x200"),
            new XlSetting("vnuma", "[['pnode=0', 'size=512'], ['pnode=1', 'size=512']]"));
        String text = XlConfigRenderer.renderText(DefinitionFromSpec.inPlace("a", UUID.randomUUID(), spec), XlConfigRenderer.Mode.OPERATOR);
        assertThat(text).contains("cpus = \"0-3\"\n", "cpu_weight = 0x200\n",
            "vnuma = [['pnode=0', 'size=512'], ['pnode=1', 'size=512']]\n");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "cpus       | \"0-3\"; name = \"evil\"   | spec.xen.passThrough[0].value: must be a single xl value",
        "cpus       | \"0-3                    | spec.xen.passThrough[0].value: '\"0-3' is not an xl value",
        "memory     | 512                      | spec.xen.passThrough[0].key: 'memory' has a DomainConfig field, spec.memoryMiB; set that instead",
        "sdl        | 1                        | spec.xen.passThrough[0].key: 'sdl' is dropped on import",
        "no_such    | 1                        | spec.xen.passThrough[0].key: 'no_such' is not a key of xl.cfg(5)",
    })
    void refusesWhatCouldChangeAnotherKey(String key, String value, String message) {
        DomainConfigSpec spec = spec(new XlSetting(key.strip(), value.strip()));
        assertThatThrownBy(() -> XlConfigRenderer.render(DefinitionFromSpec.inPlace("a", UUID.randomUUID(), spec), XlConfigRenderer.Mode.EXPORT))
            .isInstanceOfSatisfying(XlRenderException.class, e -> assertThat(e.getMessage()).contains(message));
    }

    @Test
    void domainsExportedWithoutAUuidGetMacsOfTheirOwn() {
        String first = XlConfigExporter.export(config("default", "web"), a -> null, java.util.Optional.empty());
        String second = XlConfigExporter.export(config("default", "db"), a -> null, java.util.Optional.empty());
        String again = XlConfigExporter.export(config("default", "web"), a -> null, java.util.Optional.empty());
        assertThat(mac(first)).isNotEqualTo(mac(second)).isNotEqualTo("00:16:3e:13:ff:86");
        assertThat(mac(again)).as("stable across exports").isEqualTo(mac(first));
        assertThat(mac(XlConfigExporter.export(config("other", "web"), a -> null, java.util.Optional.empty()))).isNotEqualTo(mac(first));
        assertThat(first).doesNotContain("uuid");
    }

    private static String mac(String text) {
        var m = java.util.regex.Pattern.compile("mac=([0-9a-f:]{17})").matcher(text);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static DomainConfig config(String namespace, String name) {
        DomainConfigSpec spec = spec();
        spec.setDisplayName(name);
        spec.setVifs(List.of(new Vif("br0", null, null)));
        DomainConfig config = new DomainConfig();
        config.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        config.setSpec(spec);
        return config;
    }

    private static DomainConfigSpec spec(XlSetting... carried) {
        DomainConfigSpec spec = Specs.minimal("a", 1, 64);
        XenSettings xen = new XenSettings();
        xen.setPassThrough(List.of(carried));
        spec.setXen(xen);
        return spec;
    }
}
