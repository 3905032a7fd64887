package io.domainoperator.controller.crash;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST ONLY. Kills this process with a real SIGKILL the n-th time it reaches a named {@link CrashPoint}, so the
 * restart-safety tests can stop the agent at each boundary of its loop, as a power cut or the OOM killer would.
 * Armed by the environment variable {@value #ENV} = {@code <POINT>[:<n>]} (n counts from 1, default 1); inert
 * unless it is set, and nothing in the chart, the image or the launcher sets it.
 *
 * <p>Static, read once at class load, on purpose: each boundary costs the loop's code one line
 * ({@code CrashSwitch.reached(point)}) and no constructor parameter threaded through classes that have nothing
 * to do with testing; when the variable is unset that line is a null check.
 */
public final class CrashSwitch {
    public static final String ENV = "DOMAIN_OPERATOR_CRASH_AT";
    private static final Optional<Armed> ARMED = parse(System.getenv(ENV));

    private CrashSwitch() {
    }

    /** The boundary the switch is armed at, and how many times it is passed before the kill. */
    public record Armed(CrashPoint point, int nth, AtomicInteger seen) {
    }

    /** Parses {@code POINT[:n]}; a value that names no point stops the process: a typo must not pass as a clean run. */
    static Optional<Armed> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String[] parts = value.strip().split(":", 2);
        try {
            int nth = parts.length == 2 ? Integer.parseInt(parts[1]) : 1;
            if (nth < 1) {
                throw new IllegalArgumentException("n must be 1 or more");
            }
            return Optional.of(new Armed(CrashPoint.valueOf(parts[0]), nth, new AtomicInteger()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ENV + "='" + value + "' is not POINT[:n] with POINT one of "
                + java.util.Arrays.toString(CrashPoint.values()) + " (a test-only switch; unset it)", e);
        }
    }

    /** Logs that the switch is armed (and fails a misspelt value at start rather than in the loop). */
    public static void announce() {
        ARMED.ifPresent(a -> org.slf4j.LoggerFactory.getLogger(CrashSwitch.class).warn(
            "{} is set: this agent kills itself with SIGKILL at {} (time {}); a test-only switch", ENV, a.point(), a.nth()));
    }

    /** The loop reached {@code point} (null: an operation with no effect); kills the process when armed there. */
    public static void reached(CrashPoint point) {
        if (ARMED.isEmpty() || point != ARMED.get().point()) {
            return;
        }
        Armed armed = ARMED.get();
        int count = armed.seen().incrementAndGet();
        if (count == armed.nth()) {
            sigkill(point, count);
        }
    }

    private static void sigkill(CrashPoint point, int count) {
        long pid = ProcessHandle.current().pid();
        System.err.println("CrashSwitch: SIGKILL at " + point + " (time " + count + ") [" + ENV + ", test only]");
        System.err.flush();
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start();
            kill.waitFor(10, TimeUnit.SECONDS);
            // SIGKILL is asynchronous to this thread: wait for it rather than run one more step of the loop.
            Thread.sleep(10_000);
        } catch (IOException e) {
            System.err.println("CrashSwitch: kill failed (" + e.getMessage() + "); halting with 137 instead");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(137);
    }
}
