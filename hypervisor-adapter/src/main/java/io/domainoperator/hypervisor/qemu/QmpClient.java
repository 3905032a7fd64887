package io.domainoperator.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small client for the QEMU Machine Protocol over a unix socket: line-delimited JSON, a greeting, capability
 * negotiation, then commands answered by {@code return} or {@code error}, interleaved with asynchronous events.
 *
 * <p>One reader thread takes every message off the socket: replies complete the command waiting for them
 * (matched by the {@code id} we send), events go to the listener. Events are therefore seen even while no
 * command runs, which is how a guest's poweroff or reboot reason is caught the moment it happens.
 * QEMU serves one QMP client per socket at a time; the owner keeps this connection open for the domain's life.
 */
public final class QmpClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QmpClient.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final String domain;
    private final SocketChannel channel;
    private final OutputStream out;
    private final Duration timeout;
    private final Consumer<QmpEvent> events;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicLong nextId = new AtomicLong(1);

    private QmpClient(String domain, SocketChannel channel, Duration timeout, Consumer<QmpEvent> events) {
        this.domain = domain;
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        this.timeout = timeout;
        this.events = events;
    }

    /**
     * Connects, reads the greeting and negotiates capabilities, so that the returned client receives events.
     *
     * @param domain   used in log lines and messages only
     * @param timeout  bound for the greeting and for every command's reply
     * @param events   called on the reader thread for each event; must not block
     */
    public static QmpClient connect(String domain, Path socket, Duration timeout, Consumer<QmpEvent> events) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new QmpException("cannot connect to QMP socket " + socket + ": " + e.getMessage(), e);
        }
        QmpClient client = new QmpClient(domain, channel, timeout, events);
        Thread.ofVirtual().name("qmp-" + domain).start(client::readLoop);
        try {
            client.await(client.greeting, "QMP greeting");
            client.execute("qmp_capabilities");
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** Runs a command without arguments and returns its {@code return} value. */
    public JsonNode execute(String command) {
        return execute(command, null);
    }

    /**
     * Runs a command and returns its {@code return} value.
     *
     * @throws QmpException when QEMU answers with an error (carrying QEMU's class and description), does not
     *                      answer within the timeout, or the connection is closed
     */
    public JsonNode execute(String command, Map<String, ?> arguments) {
        long id = nextId.getAndIncrement();
        ObjectNode message = JSON.createObjectNode().put("execute", command).put("id", id);
        if (arguments != null && !arguments.isEmpty()) {
            message.set("arguments", JSON.valueToTree(arguments));
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            if (closed.isDone()) {
                throw new QmpException("QMP connection of " + domain + " is closed", null);
            }
            synchronized (out) {
                out.write((message + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            JsonNode answer = await(reply, "reply to " + command);
            if (answer.has("error")) {
                JsonNode error = answer.get("error");
                throw new QmpException(command + " failed: " + error.path("desc").asText("(no description)"),
                    error.path("class").asText(null), null);
            }
            return answer.path("return");
        } catch (IOException e) {
            throw new QmpException("cannot send " + command + " to " + domain + ": " + e.getMessage(), e);
        } finally {
            pending.remove(id);
        }
    }

    /** False once QEMU closed the socket (it exited) or {@link #close()} was called. */
    public boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("qmp {}: close: {}", domain, e.toString());
        }
        finish(new QmpException("QMP connection of " + domain + " was closed", null));
    }

    private JsonNode await(CompletableFuture<JsonNode> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new QmpException("no " + what + " from " + domain + " within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof QmpException q ? q
                : new QmpException("waiting for " + what + " from " + domain + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted waiting for " + what + " from " + domain, e);
        }
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    dispatch(line);
                }
            }
            finish(new QmpException("QEMU closed the QMP connection of " + domain, null));
        } catch (IOException e) {
            finish(new QmpException("QMP connection of " + domain + " broke: " + e.getMessage(), e));
        }
    }

    private void dispatch(String line) {
        JsonNode message;
        try {
            message = JSON.readTree(line);
        } catch (IOException e) {
            LOG.warn("qmp {}: ignoring a line that is not JSON: {}", domain, line);
            return;
        }
        if (message.has("QMP")) {
            greeting.complete(message);
        } else if (message.has("event")) {
            QmpEvent event = QmpEvent.fromMessage(message);
            try {
                events.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("qmp {}: event listener failed on {}", domain, event.name(), e);
            }
        } else if (message.has("return") || message.has("error")) {
            CompletableFuture<JsonNode> reply = pending.get(message.path("id").asLong(-1));
            if (reply != null) {
                reply.complete(message);
            } else {
                LOG.debug("qmp {}: reply nobody waits for: {}", domain, line);
            }
        } else {
            LOG.debug("qmp {}: ignoring unknown message: {}", domain, line);
        }
    }

    private void finish(QmpException reason) {
        if (closed.complete(null)) {
            LOG.debug("qmp {}: {}", domain, reason.getMessage());
        }
        greeting.completeExceptionally(reason);
        pending.values().forEach(f -> f.completeExceptionally(reason));
    }
}
