package io.domainoperator.controller.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One attachment to a serial console socket: bytes pass through both ways untouched until the user types the
 * escape character (Ctrl-], as virsh console and xl console use), the input ends, or the domain closes the
 * console. The terminal's raw mode is the caller's business ({@link RawTerminal}).
 */
public final class SerialConsoleSession {
    /** Ctrl-] (GS), the escape character of virsh console, xl console and telnet. */
    public static final int ESCAPE = 0x1d;

    /** How the session ended. */
    public enum End {
        /** The user typed the escape character. */
        DETACHED,
        /** Standard input ended. */
        INPUT_CLOSED,
        /** The other side closed the console (QEMU quit). */
        CONSOLE_CLOSED
    }

    private final Path socket;

    public SerialConsoleSession(Path socket) {
        this.socket = socket;
    }

    /** Attaches, passes bytes both ways and returns how it ended. */
    public End run(InputStream in, OutputStream out) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            CompletableFuture<End> ended = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("console-output").start(() -> ended.complete(pumpOutput(channel, out)));
            Thread.ofPlatform().daemon().name("console-input").start(() -> ended.complete(pumpInput(in, channel)));
            try {
                return ended.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return End.DETACHED;
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }
    }

    private static End pumpOutput(SocketChannel channel, OutputStream out) {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                out.flush();
                buffer.clear();
            }
        } catch (IOException e) {
            // closed under us: by the input side on detach, or by QEMU
        }
        return End.CONSOLE_CLOSED;
    }

    private static End pumpInput(InputStream in, SocketChannel channel) {
        byte[] buffer = new byte[1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int escape = indexOf(buffer, n, ESCAPE);
                int length = escape < 0 ? n : escape;
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, length);
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
                if (escape >= 0) {
                    return End.DETACHED;
                }
            }
            return End.INPUT_CLOSED;
        } catch (IOException e) {
            return End.CONSOLE_CLOSED;
        }
    }

    private static int indexOf(byte[] buffer, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (buffer[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
