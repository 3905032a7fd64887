package io.domainoperator.e2e.harness;

import static io.domainoperator.e2e.harness.Domains.eventually;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The serial console of a QEMU guest the agent runs (its socket and log under the agent's state directory), typed into
 * as an administrator would with {@code domain-operator console}.
 */
public final class GuestConsole {
    private GuestConsole() {}

    /**
     * Waits for a shell prompt on domain {@code domain}'s serial console, types {@code line} and waits, still
     * connected, until the console shows {@code answer}.
     */
    public static void type(Path stateDir, String domain, String line, String answer) throws IOException {
        Path console = log(stateDir, domain);
        try (SocketChannel keys = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            keys.connect(UnixDomainSocketAddress.of(stateDir.resolve("qemu/" + domain + "/console.sock")));
            long before = Files.size(console);
            eventually("a shell prompt on the serial console").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    keys.write(ByteBuffer.wrap("\n".getBytes(StandardCharsets.US_ASCII)));
                    String text = Files.readString(console);
                    return text.length() > before && text.substring((int) Math.min(before, text.length())).contains("# ");
                });
            keys.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
            eventually("the guest answers " + answer).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Files.readString(console).substring((int) Math.min(before, Files.size(console)))
                    .contains(answer));
        }
    }

    /** The console's log, as the agent keeps it. */
    public static Path log(Path stateDir, String domain) {
        return stateDir.resolve("qemu/" + domain + "/console.log");
    }
}
