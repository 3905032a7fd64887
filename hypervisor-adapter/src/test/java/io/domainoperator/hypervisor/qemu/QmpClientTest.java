package io.domainoperator.hypervisor.qemu;

import static io.domainoperator.hypervisor.qemu.FakeQmpServer.error;
import static io.domainoperator.hypervisor.qemu.FakeQmpServer.event;
import static io.domainoperator.hypervisor.qemu.FakeQmpServer.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QmpClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void negotiatesCapabilitiesAndReturnsTheReplyOfEachCommand() throws Exception {
        try (FakeQmpServer server = new FakeQmpServer(dir.resolve("qmp.sock"), command -> switch (command.path("execute").asText()) {
                case "query-status" -> List.of(reply(command, "{\"status\": \"prelaunch\", \"running\": false}"));
                case "human-monitor-command" -> List.of(reply(command,
                    "\"" + command.path("arguments").path("command-line").asText() + "\""));
                default -> List.of();
            });
             QmpClient client = QmpClient.connect("vm1", dir.resolve("qmp.sock"), TIMEOUT, e -> { })) {
            assertThat(client.execute("query-status").path("status").asText()).isEqualTo("prelaunch");
            assertThat(client.execute("human-monitor-command", Map.of("command-line", "info cpus")).asText())
                .isEqualTo("info cpus");
            assertThat(server.received()).containsExactly("qmp_capabilities", "query-status", "human-monitor-command");
        }
    }

    @Test
    void qemuErrorsCarryTheirClassAndDescription() throws Exception {
        try (FakeQmpServer server = new FakeQmpServer(dir.resolve("qmp.sock"),
                command -> List.of(error(command, "GenericError", "Resetting the Virtual Machine is required")));
             QmpClient client = QmpClient.connect("vm1", dir.resolve("qmp.sock"), TIMEOUT, e -> { })) {
            assertThatThrownBy(() -> client.execute("cont"))
                .isInstanceOf(QmpException.class)
                .hasMessage("cont failed: Resetting the Virtual Machine is required")
                .extracting(e -> ((QmpException) e).errorClass()).isEqualTo("GenericError");
        }
    }

    @Test
    void eventsArriveBetweenAndDuringCommands() throws Exception {
        List<QmpEvent> events = new CopyOnWriteArrayList<>();
        try (FakeQmpServer server = new FakeQmpServer(dir.resolve("qmp.sock"), command -> List.of(
                event("POWERDOWN", null), reply(command, "{}"),
                event("SHUTDOWN", "{\"guest\": true, \"reason\": \"guest-shutdown\"}")));
             QmpClient client = QmpClient.connect("vm1", dir.resolve("qmp.sock"), TIMEOUT, events::add)) {
            client.execute("system_powerdown");
            server.push(event("STOP", null));
            await("three events").atMost(TIMEOUT).until(() -> events.size() == 3);
            assertThat(events).extracting(QmpEvent::name).containsExactly("POWERDOWN", "SHUTDOWN", "STOP");
            assertThat(events.get(1).data().path("reason").asText()).isEqualTo("guest-shutdown");
            assertThat(events.get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(1700000000, 5000));
        }
    }

    @Test
    void aSilentQemuTimesOutNamingTheCommandAndTheDomain() throws Exception {
        try (FakeQmpServer server = new FakeQmpServer(dir.resolve("qmp.sock"), command -> List.of());
             QmpClient client = QmpClient.connect("vm1", dir.resolve("qmp.sock"), Duration.ofMillis(300), e -> { })) {
            assertThatThrownBy(() -> client.execute("query-status"))
                .isInstanceOf(QmpException.class).hasMessageContaining("reply to query-status from vm1");
        }
    }

    @Test
    void aHangUpFailsTheWaitingCommandAndClosesTheClient() throws Exception {
        FakeQmpServer[] holder = new FakeQmpServer[1];
        try (FakeQmpServer server = new FakeQmpServer(dir.resolve("qmp.sock"), command -> {
                try {
                    holder[0].dropClient();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return List.of();
            });
             QmpClient client = QmpClient.connect("vm1", dir.resolve("qmp.sock"), TIMEOUT, e -> { })) {
            holder[0] = server;
            assertThatThrownBy(() -> client.execute("quit")).isInstanceOf(QmpException.class)
                .hasMessageContaining("vm1");
            await("client sees the hang-up").atMost(TIMEOUT).until(() -> !client.isOpen());
            assertThatThrownBy(() -> client.execute("query-status")).hasMessageContaining("closed");
        }
    }

    @Test
    void connectingToNothingSaysWhere() {
        assertThatThrownBy(() -> QmpClient.connect("vm1", dir.resolve("absent.sock"), TIMEOUT, e -> { }))
            .isInstanceOf(QmpException.class).hasMessageContaining("absent.sock");
    }
}
