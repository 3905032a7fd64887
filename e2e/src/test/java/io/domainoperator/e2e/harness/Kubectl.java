package io.domainoperator.e2e.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code kubectl}, the way users drive the product, against one kubeconfig. Each call
 * returns exit code, stdout and stderr, so tests assert on exactly what a user would read.
 */
public final class Kubectl {

    /** Generous: the machines are shared, and a slow answer is not what these tests are about. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

    private final Path executable;
    private final Map<String, String> environment;
    private final List<String> kubeconfigArgs;

    private Kubectl(Path executable, Map<String, String> environment, List<String> kubeconfigArgs) {
        this.executable = executable;
        this.environment = environment;
        this.kubeconfigArgs = kubeconfigArgs;
    }

    /**
     * kubectl using exactly this kubeconfig file, whatever the environment says. Its discovery cache sits
     * next to the file, so runs neither fill ~/.kube/cache nor see another run's stale discovery.
     */
    public Kubectl(Path kubeconfig) {
        this(executable(), Map.of("KUBECONFIG", kubeconfig.toString()), List.of(
                "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", kubeconfig.resolveSibling("kubectl-cache").toString()));
    }

    /** kubectl reading a {@code KUBECONFIG} list, merged as kubectl merges it. */
    public static Kubectl withEnvironmentKubeconfig(String kubeconfigEnv) {
        return new Kubectl(executable(), Map.of("KUBECONFIG", kubeconfigEnv), List.of());
    }

    /** The kubectl on PATH, or the one the system property {@code domainoperator.kubectl} names. */
    public static Path executable() {
        return KubeBinaries.kubectl().orElseThrow(() -> new IllegalStateException(KubeBinaries.KUBECTL_MISSING));
    }

    /** Runs {@code kubectl args...}; a non-zero exit is returned, not thrown. */
    public Result run(String... args) {
        return run(DEFAULT_TIMEOUT, null, List.of(args));
    }

    /** Runs kubectl with {@code stdin} fed to it, e.g. {@code apply -f -} with an inline manifest. */
    public Result runWithInput(String stdin, String... args) {
        return run(DEFAULT_TIMEOUT, stdin, List.of(args));
    }

    /** Runs kubectl and fails the test, showing the command and its stderr, unless it exits 0. */
    public Result ok(String... args) {
        Result result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("kubectl failed: " + result.describe());
        }
        return result;
    }

    public Result run(Duration timeout, String stdin, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(kubeconfigArgs);
        command.addAll(args);
        return exec(command, environment, stdin, timeout);
    }

    /**
     * Runs a command line tool (kubectl, helm) with extra environment and optional stdin, and collects both
     * streams; fails the test when it does not finish within timeout.
     */
    public static Result exec(List<String> command, Map<String, String> environment, String stdin, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        String tool = Path.of(command.getFirst()).getFileName().toString();
        try {
            Process process = builder.start();
            CompletableFuture<String> stdout = readAsync(process.getInputStream());
            CompletableFuture<String> stderr = readAsync(process.getErrorStream());
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(tool + " did not finish within " + timeout + ": " + String.join(" ", command)
                        + "\nstderr so far: " + stderr.getNow(""));
            }
            return new Result(List.copyOf(command), process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }

    /** What one kubectl (or helm) run produced. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** The command line, exit code and both streams, for failure messages. */
        public String describe() {
            return String.join(" ", command) + "\nexit code: " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
