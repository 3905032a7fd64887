package io.domainoperator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the scenarios named by {@code -Dbench.scenarios} (all but the 10,000-domain one by default), prints the figures
 * as a table and writes them to {@code bench/RESULTS.md} with the machine, JDK, date, commit and command.
 */
public final class BenchMain {
    /** Every scenario, by the name that selects it. */
    static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        add(new CreationScenario("create-100", 100, 10, 0.9, 1.2, false, null, AtRestProbe.Targets.NONE));
        add(new CreationScenario("create-1000", 1000, 50, 1.5, 3, true, null,
            new AtRestProbe.Targets(1, 50, Double.NaN)));
        add(new HeadOfLineScenario("hol-shutdown", "shutdown"));
        add(new HeadOfLineScenario("hol-list", "list"));
        add(new CreationScenario("scale-10000", Integer.getInteger("bench.scale.domains", 10_000), 100, Double.NaN, Double.NaN,
            true, Duration.ofMinutes(5), new AtRestProbe.Targets(Double.NaN, Double.NaN, 512)));
    }

    private static void add(Scenario s) {
        SCENARIOS.put(s.name(), s);
    }

    private BenchMain() {
    }

    public static void main(String[] args) throws IOException {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        List<Scenario> selected = select(System.getProperty("bench.scenarios", "create-100,create-1000,hol-shutdown,hol-list"));
        Files.createDirectories(settings.workDir());
        String command = System.getProperty("bench.command", "./mvnw -B -pl bench -am verify -Pbench");
        Map<String, String> machine = MachineInfo.describe(settings.repoRoot(), settings.workDir(), command);
        if (MachineInfo.fileSystemType(settings.workDir()).contains("tmpfs")) {
            System.err.println("bench: WARNING the state directory " + settings.workDir() + " is on tmpfs: journals would not"
                + " touch a disk; point -Dbench.work at a real disk");
        }
        List<Figure> figures = new ArrayList<>();
        Map<String, String> loads = new LinkedHashMap<>();
        for (Scenario s : selected) {
            String before = MachineInfo.loadAverage();
            long start = System.nanoTime();
            System.out.println("bench: " + s.name() + ": " + s.description() + " (load average " + before + ")");
            try {
                figures.addAll(s.run(settings));
            } catch (RuntimeException e) {
                e.printStackTrace();
                figures.add(Figure.info(s.name(), "FAILED", String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
            }
            loads.put(s.name(), before + " -> " + MachineInfo.loadAverage() + " (" + (System.nanoTime() - start) / 1_000_000_000 + " s)");
        }
        String table = ResultsReport.text(figures);
        System.out.println();
        System.out.println(table);
        Path results = Path.of(System.getProperty("bench.results", settings.repoRoot().resolve("bench/RESULTS.md").toString()));
        String previous = Files.exists(results) ? Files.readString(results) : null;
        Files.writeString(results, ResultsMarkdown.prepend(previous,
            ResultsMarkdown.render(machine, settings, selected, loads, figures)));
        System.out.println("bench: figures written to " + results);
    }

    static List<Scenario> select(String names) {
        List<Scenario> out = new ArrayList<>();
        for (String n : Arrays.stream(names.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            Scenario s = SCENARIOS.get(n);
            if (s == null) {
                throw new IllegalArgumentException("bench.scenarios: no scenario '" + n + "'; there are " + SCENARIOS.keySet());
            }
            out.add(s);
        }
        return out;
    }
}
