package io.domainoperator.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.domainoperator.e2e.harness.chart.Helm;
import io.domainoperator.e2e.harness.chart.HelmExtension;

/**
 * values.schema.json stops bad values at {@code helm template}/{@code install}, naming the value, before
 * anything reaches the cluster or an agent's ConfigMap parser.
 */
@ExtendWith(HelmExtension.class)
class ChartValuesSchemaIT {

    @ParameterizedTest(name = "--set {0} is refused at {1}")
    @CsvSource(delimiter = '|', textBlock = """
            knobs.debugEnableUsb=maybe          | /knobs/debugEnableUsb
            knobs.bootRetrySeconds=soon         | /knobs/bootRetrySeconds
            knobs.bootRetrySeconds=0            | /knobs/bootRetrySeconds
            knobs.shutdownTimeoutSeconds=100000 | /knobs/shutdownTimeoutSeconds
            knobs.pollIntervalSeconds=1.5       | /knobs/pollIntervalSeconds
            knobs.bootRetry=600                 | /knobs
            agent.hypervisor=kvm                | /agent/hypervisor
            agent.haltDeadlineSeconds=-1        | /agent/haltDeadlineSeconds
            agent.consoleLogMaxBytes=512        | /agent/consoleLogMaxBytes
            agent.consoleLogMaxBytes=1MiB       | /agent/consoleLogMaxBytes
            agent.hostPaths.imageRoot=img       | /agent/hostPaths/imageRoot
            agent.metrics.port=70000            | /agent/metrics/port
            controller.replicas=0               | /controller/replicas
            image.pullPolicy=Sometimes          | /image/pullPolicy
            agent.devicePassthrough=true        | /agent/dom0Ports
            """)
    void badValueIsRefusedNamingIt(String assignment, String path, Helm helm) {
        var result = helm.template("--set", assignment);

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).as(result.describe())
                .contains("values don't meet the specifications of the schema")
                .contains("at '" + path + "'");
        assertThat(result.stdout()).as("nothing is rendered").isBlank();
    }

    @ParameterizedTest(name = "--set {0} is accepted")
    @CsvSource(delimiter = '|', textBlock = """
            knobs.debugEnableUsb=true
            knobs.bootRetrySeconds=86400
            agent.hypervisor=qemu
            agent.hypervisor=sim
            controller.replicas=3
            agent.devicePassthrough=true,agent.dom0Ports={eth0}
            """)
    void goodValueRenders(String assignment, Helm helm) {
        var result = helm.template("--set", assignment);

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }
}
