package io.domainoperator.controller.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code domain-operator migration-pipe HOST PORT}: joins its stdin and stdout to a TCP connection. It is the channel
 * {@code xl migrate -s ""} runs on the source node (the xl backend's live migration, instead of ssh); the target node's
 * agent listens on HOST:PORT and feeds {@code xl migrate-receive}. Not for people: hidden from the help. Exit 0 once the
 * target closed the stream, 1 when the target cannot be reached, 2 for bad arguments.
 *
 * <p>With {@value #SENT_FILE_ENV} set (the xl backend sets it on {@code xl migrate}, whose children inherit it) the
 * count of bytes sent to the target is kept in that file, a few times a second: xl reports no figures while it copies,
 * and this count is how the source agent sees a copy stop moving (its progress deadline).
 */
@Command(name = "migration-pipe", hidden = true, mixinStandardHelpOptions = true,
    description = "Join stdin and stdout to TCP HOST:PORT (the xl backend's live migration channel).")
public final class MigrationPipeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Parameters(index = "1", paramLabel = "PORT")
    int port;

    public static final String SENT_FILE_ENV = "DOMAIN_OPERATOR_MIGRATION_SENT_FILE";
    private static final long SENT_WRITE_INTERVAL_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(250);

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            throw new Main.InvalidInputException("PORT must be 1 to 65535, got " + port);
        }
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(host, port), 10_000);
            } catch (IOException e) {
                // xl shows the transport's stderr in its own error: say which target could not be reached.
                throw new IOException("cannot reach the migration target " + host + ":" + port + ": " + e.getMessage(), e);
            }
            String sentFile = System.getenv(SENT_FILE_ENV);
            Thread out = Thread.ofPlatform().daemon().start(() -> copy(System.in, socket,
                sentFile == null || sentFile.isBlank() ? null : java.nio.file.Path.of(sentFile)));
            // Flushed as it comes: xl waits for each answer of the receiver before it sends on.
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                System.out.write(buffer, 0, n);
                System.out.flush();
            }
            out.interrupt();
        }
        return 0;
    }

    private static void copy(InputStream in, Socket socket, java.nio.file.Path sentFile) {
        long sent = 0;
        long lastWrite = System.nanoTime() - SENT_WRITE_INTERVAL_NANOS - 1; // the first bytes are recorded at once
        try {
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                sent += n;
                if (sentFile != null && System.nanoTime() - lastWrite > SENT_WRITE_INTERVAL_NANOS) {
                    io.domainoperator.hypervisor.AtomicFiles.write(sentFile, Long.toString(sent));
                    lastWrite = System.nanoTime();
                }
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            // The receiver closed first: the stream's end is its answer, not an error of ours.
        }
        if (sentFile != null) {
            io.domainoperator.hypervisor.AtomicFiles.write(sentFile, Long.toString(sent));
        }
    }
}
