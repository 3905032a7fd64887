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
 */
@Command(name = "migration-pipe", hidden = true, mixinStandardHelpOptions = true,
    description = "Join stdin and stdout to TCP HOST:PORT (the xl backend's live migration channel).")
public final class MigrationPipeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Parameters(index = "1", paramLabel = "PORT")
    int port;

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
            Thread out = Thread.ofPlatform().daemon().start(() -> copy(System.in, socket));
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

    private static void copy(InputStream in, Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            in.transferTo(out);
            socket.shutdownOutput();
        } catch (IOException e) {
            // The receiver closed first: the stream's end is its answer, not an error of ours.
        }
    }
}
