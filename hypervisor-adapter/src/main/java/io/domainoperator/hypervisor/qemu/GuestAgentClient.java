package io.domainoperator.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One exchange with a QEMU guest agent (qemu-ga) over the host end of its channel, as libvirt and KubeVirt talk to
 * it: {@code guest-sync-delimited} with a fresh id, then {@code guest-ping}, all within one timeout.
 *
 * <p>The channel is a byte stream that outlives both ends: a reply to an earlier client that gave up, or half a
 * command, may still be in it. So the client first sends the 0xFF sentinel (qemu-ga's parser drops what it held),
 * then the sync; qemu-ga answers it with 0xFF followed by the reply, and everything before the last 0xFF, or any
 * reply not carrying our id, is stale and skipped. Only then does {@code guest-ping} mean this guest answers now.
 * A guest without a running qemu-ga leaves the sync unanswered: that is a timeout, not an error of ours.
 */
public final class GuestAgentClient {
    private static final byte SENTINEL = (byte) 0xFF;

    private GuestAgentClient() {
    }

    /** What went wrong talking to the guest agent; the message says what to check. */
    public static final class GuestAgentException extends Exception {
        GuestAgentException(String message) {
            super(message);
        }
    }

    /**
     * Syncs with the agent behind {@code socket} and pings it.
     *
     * @return the agent's version as {@code guest-info} tells it, or "" when that command is blocked in the guest
     * @throws GuestAgentException when it cannot connect, the agent does not answer in time, or answers with an error
     */
    public static String ping(Path socket, Duration timeout) throws GuestAgentException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new GuestAgentException("cannot connect to the guest agent channel " + socket + ": " + e.getMessage());
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            Exchange exchange = new Exchange(channel, selector, deadline, timeout);
            long id = ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
            exchange.send(new byte[] {SENTINEL});
            exchange.send(("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":" + id + "}}\n").getBytes(StandardCharsets.US_ASCII));
            exchange.awaitSync(id);
            exchange.send("{\"execute\":\"guest-ping\"}\n".getBytes(StandardCharsets.US_ASCII));
            JsonNode ping = exchange.awaitReply("guest-ping");
            if (ping.has("error")) {
                throw new GuestAgentException("the guest agent refused guest-ping: " + describe(ping));
            }
            exchange.send("{\"execute\":\"guest-info\"}\n".getBytes(StandardCharsets.US_ASCII));
            JsonNode info = exchange.awaitReply("guest-info");
            return info.path("return").path("version").asText(""); // "" when guest-info is blocked (an error)
        } catch (IOException e) {
            throw new GuestAgentException("guest agent channel " + socket + ": " + e.getMessage());
        }
    }

    private static String describe(JsonNode reply) {
        return reply.path("error").path("desc").asText(reply.path("error").toString());
    }

    /** The bytes read so far and the deadline they must arrive by. */
    private static final class Exchange {
        private final SocketChannel channel;
        private final Selector selector;
        private final long deadline;
        private final Duration timeout;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final ByteBuffer buffer = ByteBuffer.allocate(4096);

        Exchange(SocketChannel channel, Selector selector, long deadline, Duration timeout) {
            this.channel = channel;
            this.selector = selector;
            this.deadline = deadline;
            this.timeout = timeout;
        }

        void send(byte[] bytes) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                // A unix socket's send buffer takes a few short commands at once; no need to select for writing.
                channel.write(out);
            }
        }

        /** Waits for {@code {"return": id}} after the agent's 0xFF, skipping whatever came before. */
        void awaitSync(long id) throws IOException, GuestAgentException {
            boolean delimited = false;
            while (true) {
                byte[] bytes = pending.toByteArray();
                int last = lastIndexOf(bytes, SENTINEL);
                if (last >= 0) {
                    delimited = true;
                    pending.reset();
                    pending.write(bytes, last + 1, bytes.length - last - 1);
                }
                if (delimited) {
                    JsonNode reply;
                    while ((reply = nextLine()) != null) {
                        if (reply.path("return").asLong(-1) == id) {
                            return;
                        }
                    }
                }
                readSome("guest-sync-delimited");
            }
        }

        JsonNode awaitReply(String command) throws IOException, GuestAgentException {
            while (true) {
                JsonNode reply = nextLine();
                if (reply != null) {
                    if (reply.has("error") || reply.has("return")) {
                        return reply;
                    }
                    continue; // not a reply (qemu-ga sends no events, but a future one might)
                }
                readSome(command);
            }
        }

        /** The next complete line of what was read, parsed, or null while none is complete. */
        private JsonNode nextLine() throws GuestAgentException {
            byte[] bytes = pending.toByteArray();
            int newline = indexOf(bytes, (byte) '\n');
            if (newline < 0) {
                return null;
            }
            pending.reset();
            pending.write(bytes, newline + 1, bytes.length - newline - 1);
            String line = new String(bytes, 0, newline, StandardCharsets.UTF_8).strip();
            if (line.isEmpty()) {
                return nextLine();
            }
            try {
                return QmpClient.JSON.readTree(line);
            } catch (IOException e) {
                throw new GuestAgentException("the guest agent sent something that is not JSON: " + abbreviate(line));
            }
        }

        private void readSome(String waitingFor) throws IOException, GuestAgentException {
            long left = deadline - System.nanoTime();
            if (left <= 0 || selector.select(Math.max(1, left / 1_000_000)) == 0 && System.nanoTime() >= deadline) {
                throw new GuestAgentException("no answer to " + waitingFor + " within " + timeout.toMillis()
                    + " ms: is qemu-ga running in the guest?");
            }
            selector.selectedKeys().clear();
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                throw new GuestAgentException("the guest agent channel closed while waiting for " + waitingFor);
            }
            pending.write(buffer.array(), 0, n);
        }

        private static int indexOf(byte[] bytes, byte b) {
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            return -1;
        }

        private static int lastIndexOf(byte[] bytes, byte b) {
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            return -1;
        }

        private static String abbreviate(String s) {
            return s.length() > 120 ? s.substring(0, 120) + "..." : s;
        }
    }
}
