package io.domainoperator.controller.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Prometheus' promtool, as .ci/setup.d/50-prometheus.sh provides it. */
public final class Promtool {
    private Promtool() {
    }

    public static Optional<Path> find() {
        String cache = System.getenv().getOrDefault("DOMAIN_OPERATOR_CACHE", System.getProperty("user.home") + "/.cache/domain-operator");
        for (Path p : new Path[] {Path.of(cache, "promtool/bin/promtool"), Path.of("/usr/bin/promtool")}) {
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code promtool check metrics} on the exposition text; returns its combined output ("" when clean). */
    public static String checkMetrics(Path promtool, String exposition) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("promtool did not finish");
        }
        return p.exitValue() == 0 && out.isBlank() ? "" : "exit " + p.exitValue() + ": " + out;
    }
}
