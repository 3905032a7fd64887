package io.domainoperator.controller.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The controlling terminal in raw mode for a console session (keys go to the guest as typed: Ctrl-C interrupts the
 * guest's program, not this one), restored on close, also when the JVM is stopped. Java has no termios, so this
 * runs {@code stty} on the inherited standard input, as {@code virsh console} does through cfmakeraw. Without a terminal (input from a
 * pipe) it does nothing.
 */
public final class RawTerminal implements AutoCloseable {
    private final String saved;
    private final Thread restoreOnExit;

    private RawTerminal(String saved) {
        this.saved = saved;
        this.restoreOnExit = saved == null ? null : new Thread(this::restore, "console-terminal-restore");
        if (restoreOnExit != null) {
            Runtime.getRuntime().addShutdownHook(restoreOnExit);
        }
    }

    /** Raw mode when standard input is a terminal; a no-op otherwise. */
    public static RawTerminal enter() {
        if (!stdinIsTerminal()) {
            return new RawTerminal(null);
        }
        try {
            String saved = stty("-g").strip();
            stty("raw", "-echo");
            return new RawTerminal(saved);
        } catch (IOException e) {
            return new RawTerminal(null);
        }
    }

    /**
     * Whether this process's standard input is a terminal ({@code test -t 0} on the inherited descriptor: since
     * JDK 22 {@link System#console()} is not null for redirected input either).
     */
    public static boolean stdinIsTerminal() {
        try {
            return new ProcessBuilder("test", "-t", "0").redirectInput(ProcessBuilder.Redirect.INHERIT).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isRaw() {
        return saved != null;
    }

    @Override
    public void close() {
        if (saved != null) {
            restore();
            try {
                Runtime.getRuntime().removeShutdownHook(restoreOnExit);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }
    }

    private void restore() {
        try {
            stty(saved);
        } catch (IOException e) {
            System.err.println("could not restore the terminal (run `stty sane`): " + e.getMessage());
        }
    }

    private static String stty(String... args) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of("stty"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " exited with " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }
}
