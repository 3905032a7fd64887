package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.hypervisor.qemu.GuestAgentClient.GuestAgentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest agent protocol against a scripted agent on a unix socket (the real qemu-ga: {@code GuestAgentClientIT},
 * and a real guest's: {@code GuestConsoleIT}): stale replies in the channel are skipped, silence is a timeout naming
 * qemu-ga, an error reply is reported.
 */
class GuestAgentClientTest {
    private static final Pattern SYNC_ID = Pattern.compile("\"guest-sync-delimited\",\"arguments\":\\{\"id\":(\\d+)}");

    @TempDir
    Path dir;

    private final List<String> received = new CopyOnWriteArrayList<>();

    @Test
    void syncsPastStaleRepliesThenPings() throws Exception {
        Path socket = agent(command -> {
            Matcher sync = SYNC_ID.matcher(command);
            if (sync.find()) {
                // what an earlier client left unread, then the delimited answer
                return "{\"return\": 4711}\n{\"error\": {\"class\": \"GenericError\", \"desc\": \"stray\"}}\n\u00ff{\"return\": 99}\n"
                    + "\u00ff{\"return\": " + sync.group(1) + "}\n";
            }
            if (command.contains("guest-ping")) {
                return "{\"return\": {}}\n";
            }
            return command.contains("guest-info") ? "{\"return\": {\"version\": \"7.2.22\", \"supported_commands\": []}}\n" : null;
        });

        assertThat(GuestAgentClient.ping(socket, Duration.ofSeconds(5))).isEqualTo("7.2.22");
        assertThat(received.getFirst()).as("the sentinel resets the agent's parser first").startsWith("\u00ff");
        assertThat(String.join("", received)).contains("guest-sync-delimited", "guest-ping");
    }

    @Test
    void aSilentChannelIsATimeoutThatNamesQemuGa() throws Exception {
        Path socket = agent(command -> null);

        assertThatThrownBy(() -> GuestAgentClient.ping(socket, Duration.ofMillis(300)))
            .isInstanceOf(GuestAgentException.class)
            .hasMessageContaining("no answer to guest-sync-delimited within 300 ms: is qemu-ga running in the guest?");
    }

    @Test
    void aRefusedPingIsReported() throws Exception {
        Path socket = agent(command -> {
            Matcher sync = SYNC_ID.matcher(command);
            if (sync.find()) {
                return "\u00ff{\"return\": " + sync.group(1) + "}\n";
            }
            return command.contains("guest-ping")
                ? "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command guest-ping has been disabled\"}}\n" : null;
        });

        assertThatThrownBy(() -> GuestAgentClient.ping(socket, Duration.ofSeconds(5)))
            .isInstanceOf(GuestAgentException.class)
            .hasMessage("the guest agent refused guest-ping: The command guest-ping has been disabled");
    }

    @Test
    void noSocketIsAConnectError() {
        Path missing = dir.resolve("qga.sock");
        assertThatThrownBy(() -> GuestAgentClient.ping(missing, Duration.ofSeconds(1)))
            .isInstanceOf(GuestAgentException.class)
            .hasMessageStartingWith("cannot connect to the guest agent channel " + missing);
    }

    /** A scripted agent answering each complete line (bytes as Latin-1, so 0xFF is one char) with what the script says. */
    private Path agent(Function<String, String> script) throws IOException {
        Path socket = dir.resolve("qga.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().start(() -> {
            try (server; SocketChannel client = server.accept()) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                ByteBuffer buffer = ByteBuffer.allocate(1);
                while (client.read(buffer.clear()) > 0) {
                    line.write(buffer.get(0));
                    if (buffer.get(0) != '\n') {
                        continue;
                    }
                    String command = line.toString(StandardCharsets.ISO_8859_1);
                    line.reset();
                    received.add(command);
                    String reply = script.apply(command);
                    if (reply != null) {
                        client.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.ISO_8859_1)));
                    }
                }
            } catch (IOException e) {
                // the client went
            }
        });
        return socket;
    }
}
