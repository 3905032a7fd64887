package io.domainoperator.controller.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.domainoperator.testing.TestJvm;

/**
 * The CLI as a user runs it: a separate process, through the launcher script or {@code java -jar} on the built
 * jar, its stdout and stderr kept in files (no pipe can fill up and stall it).
 */
final class CliProcess {
    /** The checkout (tests run in controller/). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path JAR = ROOT.resolve("controller/target/domain-operator.jar");
    static final Path LAUNCHER = ROOT.resolve("domain-operator");
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    private final Process process;
    private final Path out;
    private final Path err;
    private final String shown;

    private CliProcess(List<String> command, Path cwd, Map<String, String> env, Path logs) {
        try {
            Files.createDirectories(logs);
            int n = Math.toIntExact(Files.list(logs).count());
            out = logs.resolve(n + ".out");
            err = logs.resolve(n + ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(env);
            env.forEach((k, v) -> {
                if (v == null) {
                    builder.environment().remove(k);
                }
            });
            shown = String.join(" ", command);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code java -jar controller/target/domain-operator.jar ARGS}. */
    static CliProcess jar(Path cwd, Map<String, String> env, Path logs, String... args) {
        // Short-lived JVMs: quick-start options that change nothing the program does (TestJvm). The launcher run
        // (the README's quick start) keeps the user's JVM settings.
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(TestJvm.quickStart(List.of(JAR)));
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new CliProcess(command, cwd, env, logs);
    }

    /**
     * The jar's main class with test classes beside it on the classpath ({@code java -cp JAR:EXTRA... Main ARGS}; the
     * jar's manifest still brings lib/), for the test-only switches that load a stand-in from a test-jar.
     */
    static CliProcess jarWith(List<Path> extraClasspath, Path cwd, Map<String, String> env, Path logs, String... args) {
        StringBuilder cp = new StringBuilder(JAR.toString());
        extraClasspath.forEach(p -> cp.append(java.io.File.pathSeparator).append(p));
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(TestJvm.quickStart(TestJvm.entries(cp.toString())));
        command.addAll(List.of("-cp", cp.toString(), "io.domainoperator.controller.cli.Main"));
        command.addAll(List.of(args));
        return new CliProcess(command, cwd, env, logs);
    }

    /** {@code ./domain-operator ARGS}, the launcher the README shows. */
    static CliProcess launcher(Path cwd, Map<String, String> env, Path logs, String... args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return new CliProcess(command, cwd, env, logs);
    }

    /** A script of the repository ({@code scripts/...}) run as the README shows it. */
    static CliProcess script(Path cwd, Map<String, String> env, Path logs, String script, String... args) {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve(script).toString()));
        command.addAll(List.of(args));
        return new CliProcess(command, cwd, env, logs);
    }

    /** Waits for the exit; a process still running after the timeout is killed and fails the test. */
    Result finish(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(shown + " did not exit within " + seconds + " s; stderr:\n" + stderr());
            }
            return new Result(shown, process.exitValue(), Files.readString(out), stderr());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as systemd, kubelet and Ctrl-C's cousin send it, then the exit. */
    Result terminate(long seconds) {
        process.destroy();
        return finish(seconds);
    }

    boolean alive() {
        return process.isAlive();
    }

    String stderr() {
        try {
            return Files.readString(err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One finished run. */
    record Result(String command, int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return command + " -> exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
