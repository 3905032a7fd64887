package io.domainoperator.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.domainoperator.e2e.harness.chart.Helm;
import io.domainoperator.e2e.harness.chart.HelmExtension;

/** {@code helm lint} finds nothing to warn about, with the default values and with every option on. */
@ExtendWith(HelmExtension.class)
class ChartLintIT {

    /** Every switch the chart has, turned on (and the hypervisor and NICs set), so no branch escapes the lint. */
    static final String[] EVERYTHING_ON = {
        "--set", "metrics.serviceMonitor.enabled=true",
        "--set", "agent.restrictAdaptersToOwnNode=true",
        "--set", "agent.hypervisor=xl",
        "--set", "agent.dom0Ports={eth0,eth1}",
        "--set", "agent.priorityClassName=system-node-critical",
        "--set", "agent.extraArgs={--sim-seed=7}",
        "--set", "imagePullSecrets[0].name=regcred",
    };

    @ParameterizedTest(name = "helm lint {0}")
    @ValueSource(strings = {"", "--strict"})
    void defaultValuesLintClean(String strict, Helm helm) {
        var lint = strict.isEmpty() ? helm.lint() : helm.lint(strict);

        assertThat(lint.exitCode()).as(lint.describe()).isZero();
        assertThat(lint.stdout() + lint.stderr()).as(lint.describe())
                .contains("1 chart(s) linted, 0 chart(s) failed")
                .doesNotContain("[WARNING]").doesNotContain("[ERROR]");
    }

    @ParameterizedTest(name = "helm lint {0} with every option on")
    @ValueSource(strings = {"", "--strict"})
    void everyOptionLintsClean(String strict, Helm helm) {
        String[] flags = strict.isEmpty() ? EVERYTHING_ON : concat(EVERYTHING_ON, strict);
        var lint = helm.lint(flags);

        assertThat(lint.exitCode()).as(lint.describe()).isZero();
        assertThat(lint.stdout() + lint.stderr()).as(lint.describe()).doesNotContain("[WARNING]").doesNotContain("[ERROR]");
    }

    private static String[] concat(String[] flags, String flag) {
        String[] all = java.util.Arrays.copyOf(flags, flags.length + 1);
        all[flags.length] = flag;
        return all;
    }
}
