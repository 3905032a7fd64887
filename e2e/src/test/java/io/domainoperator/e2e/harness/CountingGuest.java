package io.domainoperator.e2e.harness;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tiny guest as a witness that it was never rebooted: a shell loop typed on its serial console prints
 * {@code COUNT n} every second. The loop lives in the guest's memory only, so a guest that moved keeps counting from
 * where it was on the new node's console log, and a guest booted again would not count at all.
 * A QEMU agent keeps the console of domain {@code d} at {@code <state-dir>/qemu/d/console.sock} (keys in) and
 * {@code console.log} (output).
 */
public final class CountingGuest {
    private static final Pattern COUNT = Pattern.compile("COUNT (\\d+)");
    private static final Duration RETYPE_AFTER = Duration.ofSeconds(20);

    private CountingGuest() {}

    public static Path consoleLog(Path stateDir, String domain) {
        return stateDir.resolve("qemu").resolve(domain).resolve("console.log");
    }

    /** Waits for the guest's init to finish (slow under TCG), then types the counting loop and waits for it to count. */
    public static void startCounting(Path stateDir, String domain, Duration boot) throws IOException {
        Path log = consoleLog(stateDir, domain);
        // Running is not booted: under TCG on shared cores the guest's init takes a while after the domain starts.
        await("the guest's init is done").atMost(boot).pollInterval(Duration.ofSeconds(1))
            .until(() -> Files.exists(log) && Files.readString(log).contains("DOMAIN-OPERATOR-GUEST-READY"));
        // Twice at most, each on a connection of its own: the counting loop failed to start in two of about eight CI
        // runs, its typed lines reaching the console (no error) and no count for two minutes; the console log was
        // gone with the test's directory, so a failure now prints its end. A second connection rules out a stuck one.
        for (int attempt = 1; ; attempt++) {
            try (SocketChannel keys = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                keys.connect(UnixDomainSocketAddress.of(stateDir.resolve("qemu").resolve(domain).resolve("console.sock")));
                if (typeUntilCounting(keys, stateDir, domain, log)) {
                    return;
                }
            }
            if (attempt == 2) {
                throw new AssertionError("the guest " + domain + " did not count after its loop was typed on two "
                    + "connections; its console log ends with:\n" + tail(log));
            }
        }
    }

    /** Types the loop (again after {@link #RETYPE_AFTER} without a count); whether it counted within a minute and a half. */
    private static boolean typeUntilCounting(SocketChannel keys, Path stateDir, String domain, Path log)
        throws IOException {
        try {
            await("a shell prompt on the serial console").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    keys.write(ByteBuffer.wrap("\n".getBytes(StandardCharsets.US_ASCII)));
                    return Files.readString(log).contains("# ");
                });
            // Looked at every second, typed again after 20 s without a count: on a loaded machine the first line can
            // reach the shell before its prompt. (A 20 s poll interval cost 40 s per guest: Awaitility's first look
            // waits one interval too.)
            typeLoop(keys);
            long[] typedAt = {System.nanoTime()};
            await("the guest counts").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                if (lastCount(stateDir, domain) >= 2) {
                    return true;
                }
                if (System.nanoTime() - typedAt[0] >= RETYPE_AFTER.toNanos()) {
                    typeLoop(keys);
                    typedAt[0] = System.nanoTime();
                }
                return false;
            });
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.err.println("CountingGuest: " + domain + ": " + e.getMessage() + "; console log ends with:\n" + tail(log));
            return false;
        }
    }

    private static void typeLoop(SocketChannel keys) throws IOException {
        // No Ctrl-C to clear a half line: this guest's console shell exits on it (its respawn loop starts another,
        // and the line typed after it is lost), which made every try fail.
        keys.write(ByteBuffer.wrap("\ni=0; while true; do echo COUNT $i; i=$((i+1)); sleep 1; done &\n"
            .getBytes(StandardCharsets.US_ASCII)));
    }

    private static String tail(Path log) {
        try {
            String all = Files.readString(log, StandardCharsets.ISO_8859_1);
            return all.substring(Math.max(0, all.length() - 2000));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The last count on the console log of the domain's QEMU under {@code stateDir}; -1 when there is none (yet). */
    public static int lastCount(Path stateDir, String domain) {
        Path log = consoleLog(stateDir, domain);
        try {
            if (!Files.exists(log)) {
                return -1;
            }
            Matcher m = COUNT.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
            int last = -1;
            while (m.find()) {
                last = Integer.parseInt(m.group(1));
            }
            return last;
        } catch (java.nio.file.NoSuchFileException gone) {
            return -1; // the copy was destroyed while we looked
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
