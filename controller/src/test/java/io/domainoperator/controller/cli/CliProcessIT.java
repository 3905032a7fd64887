package io.domainoperator.controller.cli;

import static io.domainoperator.controller.cli.ReadmeRun.TIMEOUT;
import static io.domainoperator.controller.cli.ReadmeRun.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.domainoperator.controller.TestResources;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Every command as a user runs it: separate processes through {@code ./domain-operator} and
 * {@code java -jar controller/target/domain-operator.jar} (failsafe runs after package, so the jar is the one
 * shipped), checking stdout, stderr and the exit code: 0 success, 1 runtime failure, 2 usage or input error.
 * Short commands run side by side to keep the tier quick.
 */
// No guest: it runs beside the guest classes (the README's real VMs are CliQemuProcessIT's), but not beside that
// class's launcher run, as both may take the README's metrics port.
@ResourceLock(TestResources.README_METRICS_PORT)
class CliProcessIT {
    private static final Path EXAMPLES = ReadmeRun.EXAMPLES;
    private static final Path EVE_XL = CliProcess.ROOT.resolve("hypervisor-adapter/src/test/resources/xl/eve-vyos-app.cfg");
    private static final Path TYPICAL_XL = Path.of("src/test/resources/xl").toAbsolutePath();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final List<String> SUBCOMMANDS = List.of("agent", "controller", "standalone", "doctor", "console", "import-xl", "export-xl");

    @TempDir
    Path tmp;

    private Path logs() {
        return tmp.resolve("logs");
    }

    @Test
    void helpOfTheLauncherAndOfEverySubcommand() {
        CliProcess top = CliProcess.launcher(tmp, env(), logs(), "--help");
        Map<String, CliProcess> subs = new LinkedHashMap<>();
        SUBCOMMANDS.forEach(sub -> subs.put(sub, CliProcess.jar(tmp, env(), logs(), sub, "--help")));
        CliProcess help = CliProcess.jar(tmp, env(), logs(), "help", "export-xl");
        CliProcess version = CliProcess.jar(tmp, env(), logs(), "--version");

        CliProcess.Result t = top.finish(TIMEOUT);
        assertThat(t.exit()).as("%s", t).isZero();
        assertThat(t.stdout()).as("%s", t).contains("Usage: domain-operator").contains("Exit codes:")
            .contains(SUBCOMMANDS.toArray(String[]::new));
        subs.forEach((sub, p) -> {
            CliProcess.Result r = p.finish(TIMEOUT);
            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.stdout()).as("%s", r).startsWith("Usage: domain-operator " + sub).contains("-h, --help");
            assertThat(r.stderr()).as("%s", r).isEmpty();
        });
        CliProcess.Result h = help.finish(TIMEOUT);
        assertThat(h.exit()).as("%s", h).isZero();
        assertThat(h.stdout()).as("%s", h).startsWith("Usage: domain-operator export-xl");
        CliProcess.Result v = version.finish(TIMEOUT);
        assertThat(v.exit()).as("%s", v).isZero();
        assertThat(v.stdout()).as("%s", v).startsWith("domain-operator ");
    }

    @Test
    void usageAndInputErrorsExitTwoNamingTheProblem() throws IOException {
        Path badXl = Files.writeString(tmp.resolve("bad.cfg"), "name = \"vm\"\nmemory = \"lots\"\nvcpus = 1\n");
        CliProcess unknown = CliProcess.jar(tmp, env(), logs(), "frobnicate");
        CliProcess missingOption = CliProcess.jar(tmp, env(), logs(), "standalone");
        CliProcess missingFile = CliProcess.jar(tmp, env(), logs(), "import-xl", tmp.resolve("absent.cfg").toString());
        CliProcess badFile = CliProcess.jar(tmp, env(), logs(), "import-xl", badXl.toString());
        CliProcess badDuration = CliProcess.jar(tmp, env(), logs(), "standalone", "--manifests", ".", "--boot-retry", "soon");

        assertExit(unknown.finish(TIMEOUT), 2, "Unmatched argument");
        assertExit(missingOption.finish(TIMEOUT), 2, "Missing required option: '--manifests=DIR'");
        assertExit(missingFile.finish(TIMEOUT), 2, "absent.cfg: cannot read the file");
        assertExit(badFile.finish(TIMEOUT), 2, "bad.cfg:");
        assertExit(badDuration.finish(TIMEOUT), 2, "Invalid value for option '--boot-retry'");
        assertThat(badDuration.stderr()).contains("a duration (e.g. 30s, 5m, 1h or PT30S)").contains("is 'soon'");
    }

    @Test
    void importXlPrintsTheManifestAndTheRoundTripIsStable() throws IOException {
        Map<Path, String> names = new LinkedHashMap<>();
        names.put(EVE_XL, "vyos-app.1");
        names.put(TYPICAL_XL.resolve("pv-debian.cfg"), "debian-pv");
        names.put(TYPICAL_XL.resolve("hvm-windows.cfg"), "win-hvm");
        Map<Path, CliProcess> imports = new LinkedHashMap<>();
        names.keySet().forEach(f -> imports.put(f, CliProcess.jar(tmp, env(), logs(), "import-xl", f.toString())));

        Map<Path, String> firstImport = new LinkedHashMap<>();
        for (var e : imports.entrySet()) {
            CliProcess.Result r = e.getValue().finish(TIMEOUT);
            assertThat(r.exit()).as("%s", r).isZero();
            JsonNode manifest = YAML.readTree(r.stdout());
            assertThat(manifest.path("kind").asText()).as("%s", r).isEqualTo("DomainConfig");
            assertThat(manifest.path("spec").path("displayName").asText()).as("%s", r).isEqualTo(names.get(e.getKey()));
            firstImport.put(e.getKey(), r.stdout());
        }
        assertThat(imports.get(EVE_XL).stderr()).contains("note: pci devices [0000:07:00.0] became spec.adapters [pci-0000-07-00-0]");

        // import -> export -> import gives the same manifest
        for (var e : firstImport.entrySet()) {
            Path yaml = Files.writeString(tmp.resolve(names.get(e.getKey()) + ".yaml"), e.getValue());
            CliProcess.Result exported = CliProcess.jar(tmp, env(), logs(), "export-xl", yaml.toString()).finish(TIMEOUT);
            assertThat(exported.exit()).as("%s", exported).isZero();
            Path cfg = Files.writeString(tmp.resolve(names.get(e.getKey()) + ".cfg"), exported.stdout());
            CliProcess.Result again = CliProcess.jar(tmp, env(), logs(), "import-xl", cfg.toString()).finish(TIMEOUT);
            assertThat(again.exit()).as("%s", again).isZero();
            assertThat(again.stdout()).as("round trip of %s", e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void exportXlOnEveryExample() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        Map<Path, CliProcess> exports = new LinkedHashMap<>();
        examples.forEach(f -> exports.put(f, CliProcess.jar(tmp, env(), logs(), "export-xl", f.toString())));
        CliProcess withAdapters = CliProcess.jar(tmp, env(), logs(), "export-xl", EXAMPLES.resolve("vyos-app.yaml").toString(),
            "--adapters", EXAMPLES.toString());

        for (var e : exports.entrySet()) {
            CliProcess.Result r = e.getValue().finish(TIMEOUT);
            JsonNode doc = YAML.readTree(e.getKey().toFile());
            String file = e.getKey().getFileName().toString();
            if (!doc.path("kind").asText().equals("DomainConfig")) {
                assertExit(r, 2, file + ": holds 0 DomainConfigs and 4 other objects; export-xl needs exactly one DomainConfig");
            } else if (doc.path("spec").path("adapters").size() > 0) {
                assertExit(r, 2, "'edge-1-eth1' has no known PCI address; pass --adapters");
            } else {
                assertThat(r.exit()).as("%s", r).isZero();
                assertThat(r.stdout()).as("%s", r).contains("name = \"" + doc.path("spec").path("displayName").asText() + "\"");
                assertThat(r.stderr()).as("%s", r).isEmpty();
            }
        }
        CliProcess.Result vyos = withAdapters.finish(TIMEOUT);
        assertThat(vyos.exit()).as("%s", vyos).isZero();
        assertThat(vyos.stdout()).as("%s", vyos).contains("name = \"vyos-app.1\"").contains("pci = ['0000:07:00.0']");
    }

    @Test
    void agentAndControllerWithoutAReachableClusterSaySoAndExitOne() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """.formatted(closedPort));
        Map<String, String> env = env();
        env.put("KUBECONFIG", kubeconfig.toString());
        Map<String, String> missing = env();
        missing.put("KUBECONFIG", tmp.resolve("no-such-kubeconfig").toString());
        CliProcess agent = CliProcess.jar(tmp, env, logs(), "agent", "--node", "n1", "--hypervisor", "sim",
            "--state-dir", tmp.resolve("state").toString(), "--metrics-port", "0");
        CliProcess controller = CliProcess.jar(tmp, env, logs(), "controller", "--metrics-port", "0");
        CliProcess agentNoConfig = CliProcess.jar(tmp, missing, logs(), "agent", "--node", "n1", "--hypervisor", "sim");

        for (CliProcess p : List.of(agent, controller)) {
            assertExit(p.finish(TIMEOUT), 1, "cannot reach the Kubernetes API server at https://127.0.0.1:" + closedPort);
            assertThat(p.stderr()).contains("Set KUBECONFIG").contains("standalone --manifests DIR");
        }
        assertExit(agentNoConfig.finish(TIMEOUT), 2, "no-such-kubeconfig' names no readable file");
    }

    @Test
    void xlOnAMachineWithoutXenSaysWhatToCheck() throws IOException {
        assumeThat(Path.of("/proc/xen")).as("this machine runs Xen; the test is for machines without it").doesNotExist();
        Path manifests = Files.createDirectories(tmp.resolve("manifests"));
        Files.copy(EXAMPLES.resolve("pv-guest.yaml"), manifests.resolve("pv-guest.yaml"));
        CliProcess plain = CliProcess.jar(tmp, env(), logs(), "standalone", "--manifests", manifests.toString(), "--hypervisor", "xl",
            "--metrics-port", "0");
        CliProcess halting = CliProcess.jar(tmp, env(), logs(), "standalone", "--manifests", manifests.toString(), "--hypervisor", "xl",
            "--halt-on-exit", "--metrics-port", "0");

        for (CliProcess p : List.of(plain, halting)) {
            assertExit(p.finish(TIMEOUT), 1, "Xen is not running on this machine (/proc/xen does not exist)");
            assertThat(p.stderr()).contains("xl info").contains("--hypervisor qemu or sim");
        }
    }

    /**
     * The README's quick start, verbatim, through the launcher (bounded: stopped once the README's promises
     * hold), beside the jar with --halt-on-exit and a broken manifest in its folder.
     */
    @Test
    void readmeQuickStartAndAStandaloneRunWithABrokenManifest() throws IOException {
        Path quick = Files.createDirectories(tmp.resolve("quick"));
        ReadmeRun.copyExamples(quick.resolve("examples"));
        CliProcess quickStart = CliProcess.launcher(quick, env(), logs(),
            ReadmeRun.args("standalone", "--manifests", "examples", "--hypervisor", "sim"));

        Path other = Files.createDirectories(tmp.resolve("other"));
        Path folder = Files.createDirectories(other.resolve("manifests"));
        Files.copy(EXAMPLES.resolve("pv-guest.yaml"), folder.resolve("pv-guest.yaml"));
        Files.writeString(folder.resolve("bad.yaml"), """
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainConfig
            metadata: {name: bad}
            spec:
              displayName: bad
              vcpus: 1
              memoryMiB: 64
              virtualizationMode: XYZ
            """);
        CliProcess halting = CliProcess.jar(other, env(), logs(), "standalone", "--manifests", "manifests", "--hypervisor", "sim",
            "--halt-on-exit", "--metrics-port", "0");

        await("README: nfs-server, pv-guest and nfs-client Running, vyos-app Broken").atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(quickStart.alive()).as("quick start still running; stderr:\n%s", quickStart.stderr()).isTrue();
                Path status = quick.resolve("state/status");
                assertThat(ReadmeRun.phase(status, "nfs-server")).isEqualTo("Running");
                assertThat(ReadmeRun.phase(status, "pv-guest")).isEqualTo("Running");
                assertThat(ReadmeRun.phase(status, "nfs-client")).isEqualTo("Running");
                assertThat(ReadmeRun.phase(status, "vyos-app")).isEqualTo("Broken");
            });
        await("pv-guest Running beside a broken manifest").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> {
                assertThat(halting.alive()).as("standalone still running; stderr:\n%s", halting.stderr()).isTrue();
                assertThat(ReadmeRun.phase(other.resolve("state/status"), "pv-guest")).isEqualTo("Running");
            });
        assertThat(halting.stderr()).contains(folder.getFileName() + "/bad.yaml (document 1), line 8: spec.virtualizationMode: 'XYZ' is not one of HVM, PV, PVH");

        for (CliProcess p : List.of(quickStart, halting)) {
            CliProcess.Result r = p.terminate(TIMEOUT);
            assertThat(r.exit()).as("%s", r).isIn(0, ReadmeRun.SIGTERM_EXIT);
            assertThat(r.stderr()).as("%s", r).doesNotContain("\tat ").doesNotContain("Exception");
        }
        assertThat(halting.stderr()).contains("pv-guest");
    }

    private static void assertExit(CliProcess.Result r, int exit, String stderrPart) {
        assertThat(r.exit()).as("%s", r).isEqualTo(exit);
        assertThat(r.stderr()).as("%s", r).contains(stderrPart).doesNotContain("\tat ");
        assertThat(r.stdout()).as("%s", r).isEmpty();
    }
}
