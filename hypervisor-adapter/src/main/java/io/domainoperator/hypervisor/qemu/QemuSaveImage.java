package io.domainoperator.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A domain's memory and device state in a file, as {@code xl save}/{@code xl restore} keep it: saved by migrating
 * the stopped VM into {@code exec:cat > image} (QEMU 7.2 has no {@code file:} URI yet), restored by starting QEMU
 * with {@code -incoming defer} and migrating {@code exec:cat image} in. The guest does not boot again: it goes on
 * where it was stopped. The image is only written and read here; deleting it is the caller's decision, taken
 * once a restore succeeded.
 */
final class QemuSaveImage {
    /** Added to the command line of a QEMU that is to receive a saved image. */
    static final String[] INCOMING_ARGS = {"-incoming", "defer"};
    private static final Duration POLL = Duration.ofMillis(100);

    private QemuSaveImage() {
    }

    /** Stops the vCPUs and writes the VM's state to {@code image}; returns once QEMU reports the migration done. */
    static void save(QmpClient qmp, Path image, Duration timeout) {
        qmp.execute("stop");
        qmp.execute("migrate", Map.of("uri", "exec:cat > " + shellQuoted(image)));
        awaitMigration(qmp, "saving to " + image, timeout);
    }

    /** Reads {@code image} into a QEMU started with {@link #INCOMING_ARGS}; the VM stays paused afterwards. */
    static void restore(QmpClient qmp, Path image, Duration timeout) {
        qmp.execute("migrate-incoming", Map.of("uri", "exec:cat " + shellQuoted(image)));
        awaitMigration(qmp, "restoring from " + image, timeout);
    }

    private static void awaitMigration(QmpClient qmp, String what, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode status = qmp.execute("query-migrate");
            String state = status.path("status").asText("");
            switch (state) {
                case "completed" -> {
                    return;
                }
                case "failed", "cancelled" -> throw new IllegalStateException(what + " failed: "
                    + status.path("error-desc").asText(state));
                default -> {
                    // "" (an incoming migration not yet begun), setup, active, device, ...: still going
                }
            }
            if (state.isEmpty() && qmp.execute("query-status").path("status").asText("").equals("paused")
                && what.startsWith("restoring")) {
                return; // an incoming migration that finished reports its end through the run state
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(what + " did not complete within " + timeout.toSeconds()
                    + " s (last state '" + state + "')");
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /** The path in single quotes for /bin/sh, which QEMU runs the exec: command with. */
    static String shellQuoted(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
