package io.domainoperator.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A QMP server on a unix socket that speaks like QEMU 7.2 (greeting, replies carrying the client's id) and
 * answers each command with what the test's script returns: reply and event lines, or nothing to stay silent.
 */
final class FakeQmpServer implements AutoCloseable {
    static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7},"
        + " \"package\": \"\"}, \"capabilities\": [\"oob\"]}}";

    private final ServerSocketChannel server;
    private final Function<JsonNode, List<String>> script;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile SocketChannel client;

    FakeQmpServer(Path socket, Function<JsonNode, List<String>> script) throws IOException {
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        this.server.bind(UnixDomainSocketAddress.of(socket));
        this.script = script;
        Thread.ofVirtual().start(this::serve);
    }

    /** {"return": value, "id": <the command's id>} */
    static String reply(JsonNode command, String returnJson) {
        return "{\"return\": " + returnJson + ", \"id\": " + command.path("id") + "}";
    }

    static String error(JsonNode command, String errorClass, String desc) {
        return "{\"error\": {\"class\": \"" + errorClass + "\", \"desc\": \"" + desc + "\"}, \"id\": "
            + command.path("id") + "}";
    }

    static String event(String name, String dataJson) {
        return "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 5}, \"event\": \"" + name + "\""
            + (dataJson == null ? "" : ", \"data\": " + dataJson) + "}";
    }

    /** The commands received, by name, in order. */
    List<String> received() {
        return received;
    }

    /** Sends a line unprompted (an event). */
    void push(String line) throws IOException {
        OutputStream out = Channels.newOutputStream(client);
        synchronized (this) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Hangs up on the client, as QEMU does when it exits. */
    void dropClient() throws IOException {
        client.close();
    }

    private void serve() {
        try {
            client = server.accept();
            OutputStream out = Channels.newOutputStream(client);
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                StandardCharsets.UTF_8));
            out.write((GREETING + "\n").getBytes(StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode command = QmpClient.JSON.readTree(line);
                received.add(command.path("execute").asText());
                List<String> answer = command.path("execute").asText().equals("qmp_capabilities")
                    ? List.of(reply(command, "{}")) : script.apply(command);
                synchronized (this) {
                    for (String l : answer) {
                        out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException e) {
            // the test closed the server or the client
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (client != null) {
            client.close();
        }
    }
}
