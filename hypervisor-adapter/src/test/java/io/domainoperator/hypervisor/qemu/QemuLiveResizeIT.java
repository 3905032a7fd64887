package io.domainoperator.hypervisor.qemu;

import static io.domainoperator.hypervisor.qemu.TestGuest.console;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainoperator.hypervisor.DomainInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live resize on real QEMU with the tiny Linux guest (one guest, to keep CI lean): a vCPU hotplugged and the
 * balloon moved are visible from QMP ({@code query-cpus-fast}, {@code query-balloon}, asked over a connection of
 * the test's own) while the same QEMU process keeps running and the guest never boots again.
 */
class QemuLiveResizeIT {
    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final long MIB = 1024L * 1024L;

    @RegisterExtension
    final QemuNode node = new QemuNode();

    @Test
    void hotpluggedCpuAndBalloonShowInQmpWithoutAReboot() throws Exception {
        Path guest = TestGuest.assumeGuest();
        assumeTrue(Pattern.compile("(?m)^recipe=([7-9]|\\d\\d+)$").matcher(Files.readString(guest.resolve("VERSION")))
            .find(), "the test guest in " + guest + " predates its virtio_balloon driver (before recipe 7): run "
            + ".ci/setup.d/30-qemu-guest.sh again");
        DomainInfo created = node.backend().createPaused(TestGuest.linux("grow", guest, spec -> {
            spec.setMaxVcpus(2);
            spec.setMaxMemoryMiB(256);
        }));
        node.backend().unpause("grow");
        await("guest booted (console marker)").atMost(BOOT).pollInterval(Duration.ofMillis(500))
            .until(() -> console(node.backend(), "grow").contains(TestGuest.READY_MARKER));
        Path socket = node.paths("grow").qmpSocket();
        long pid = Long.parseLong(Files.readString(node.paths("grow").pidFile()).strip());
        // QMP takes one client at a time: the backend lets go of it (QEMU outlives it) while the test asks.
        node.detach();
        await("the guest's balloon driver took the initial 128 MiB target").atMost(STEP)
            .until(() -> qmp(socket, c -> c.execute("query-balloon")).path("actual").asLong() == 128 * MIB);
        assertThat(qmp(socket, c -> c.execute("query-cpus-fast")).size()).isEqualTo(1);

        node.attach();
        node.backend().resizeLive("grow", 2, 192);
        assertThat(node.backend().listDomains().get(0).vcpus()).isEqualTo(2);
        node.detach();
        await("query-cpus-fast lists the hotplugged vCPU").atMost(STEP)
            .until(() -> qmp(socket, c -> c.execute("query-cpus-fast")).size() == 2);
        await("query-balloon shows 192 MiB").atMost(STEP)
            .until(() -> qmp(socket, c -> c.execute("query-balloon")).path("actual").asLong() == 192 * MIB);
        assertThat(qmp(socket, c -> c.execute("query-status")).path("status").asText()).isEqualTo("running");

        node.attach();
        DomainInfo after = node.backend().listDomains().get(0);
        assertThat(after.domainId()).as("the same domain").isEqualTo(created.domainId());
        assertThat(after.vcpus()).as("a re-attached backend learns the CPUs from QMP").isEqualTo(2);
        assertThat(after.memoryBytes()).as("and the memory from the balloon").isEqualTo(192 * MIB);
        assertThat(Files.readString(node.paths("grow").pidFile()).strip())
            .as("the same QEMU process").isEqualTo(Long.toString(pid));
        String log = console(node.backend(), "grow");
        assertThat(log.split(Pattern.quote(TestGuest.READY_MARKER), -1).length - 1)
            .as("the guest booted once: no reboot applied the change").isEqualTo(1);
    }

    private static JsonNode qmp(Path socket, Function<QmpClient, JsonNode> query) {
        try (QmpClient client = QmpClient.connect("grow", socket, Duration.ofSeconds(10), event -> { })) {
            return query.apply(client);
        }
    }
}
