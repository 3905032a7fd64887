package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code domain-operator doctor} as a separate process, one run per failure this machine can show: xl without Xen,
 * a bridge no interface provides, a state directory others can read, KVM that does not work (TCG instead), and a
 * PATH without QEMU. Exit 0 only when the node can run what it is asked to, 1 when a check fails, 2 for bad usage.
 * The runs start side by side to keep the tier quick.
 */
class DoctorProcessIT {
    private static final long TIMEOUT = 300;
    private static final Path QEMU = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(":"))
        .map(d -> Path.of(d, "qemu-system-x86_64")).filter(Files::isExecutable).findFirst().orElse(null);

    @TempDir
    Path tmp;
    private Path privateState;
    private Path sharedState;

    @BeforeEach
    void dirs() throws IOException {
        privateState = Files.createDirectory(tmp.resolve("state-0700"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        sharedState = Files.createDirectory(tmp.resolve("state-0755"));
        Files.setPosixFilePermissions(sharedState, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Map<String, String> env() {
        return new HashMap<>(Map.of("DOMAIN_OPERATOR_LOG_LEVEL", "WARN"));
    }

    private CliProcess doctor(Map<String, String> env, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("doctor", "--image-root", tmp.resolve("img").toString()));
        all.addAll(List.of(args));
        return CliProcess.jar(tmp, env, tmp.resolve("logs"), all.toArray(String[]::new));
    }

    /** The table row of a check: "NAME  STATUS  DETAIL". */
    private static String row(CliProcess.Result r, String check) {
        return r.stdout().lines().filter(l -> l.startsWith(check + " ")).findFirst()
            .orElseThrow(() -> new AssertionError("no row '" + check + "' in\n" + r));
    }

    @Test
    void eachFailureNamesWhatIsMissingAndHowToFixIt() throws IOException {
        assumeThat(Path.of("/proc/xen")).as("this machine runs on Xen, so xl without Xen cannot be shown").doesNotExist();
        Path manifests = Files.createDirectory(tmp.resolve("manifests"));
        Files.writeString(manifests.resolve("vm.yaml"), Files.readString(CliProcess.ROOT.resolve("examples/nfs-server.yaml"))
            .replace("bridge: br0", "bridge: dobr-missing0"));
        Path emptyPath = Files.createDirectory(tmp.resolve("bin-without-qemu"));
        Map<String, String> noQemu = env();
        noQemu.put("PATH", emptyPath.toString());

        CliProcess xlWithoutXen = doctor(env(), "--hypervisor", "xl", "--state-dir", privateState.toString());
        CliProcess missingBridge = doctor(env(), "--hypervisor", "qemu", "--state-dir", privateState.toString(),
            "--manifests", manifests.toString());
        CliProcess readableState = doctor(env(), "--hypervisor", "sim", "--state-dir", sharedState.toString());
        CliProcess qemuAbsent = doctor(noQemu, "--hypervisor", "qemu", "--state-dir", privateState.toString());
        CliProcess badUsage = doctor(env(), "--hypervisor", "vmware", "--state-dir", privateState.toString());

        CliProcess.Result xl = xlWithoutXen.finish(TIMEOUT);
        assertThat(xl.exit()).as("%s", xl).isEqualTo(1);
        assertThat(row(xl, "xen hypervisor")).contains(" fail ").contains("/proc/xen does not exist").contains("--hypervisor qemu");
        assertThat(row(xl, "xenstored")).contains(" fail ").contains("systemctl start xenstored");
        assertThat(xl.stdout()).contains("check(s) failed");

        CliProcess.Result bridge = missingBridge.finish(TIMEOUT);
        assertThat(bridge.exit()).as("%s", bridge).isEqualTo(1);
        assertThat(row(bridge, "bridge dobr-missing0")).contains(" fail ").contains("no interface dobr-missing0")
            .contains("ip link add dobr-missing0 type bridge");

        CliProcess.Result state = readableState.finish(TIMEOUT);
        assertThat(state.exit()).as("%s", state).isEqualTo(1);
        assertThat(row(state, "state dir " + sharedState)).contains(" fail ").contains("rwxr-xr-x").contains("chmod 0700 " + sharedState);

        CliProcess.Result absent = qemuAbsent.finish(TIMEOUT);
        assertThat(absent.exit()).as("%s", absent).isEqualTo(1);
        assertThat(row(absent, "qemu binary")).contains(" fail ").contains("not on PATH").contains("qemu-system-x86");

        CliProcess.Result bad = badUsage.finish(TIMEOUT);
        assertThat(bad.exit()).as("%s", bad).isEqualTo(2);
        assertThat(bad.stderr()).as("%s", bad).contains("--hypervisor vmware is not a backend").doesNotContain("\tat ");
    }

    @Test
    void aNodeThatCanRunItExitsZeroAndSaysWhetherKvmWorks() {
        assumeThat(QEMU).as("qemu-system-x86_64 is not on PATH: .ci/setup.d/30-qemu-guest.sh installs it").isNotNull();
        CliProcess sim = doctor(env(), "--hypervisor", "sim", "--state-dir", privateState.toString());
        CliProcess qemu = doctor(env(), "--hypervisor", "qemu", "--state-dir", privateState.toString());

        CliProcess.Result s = sim.finish(TIMEOUT);
        assertThat(s.exit()).as("%s", s).isZero();
        assertThat(row(s, "state dir " + privateState)).contains(" ok ").contains("mode 0700");
        assertThat(s.stdout()).contains("This node can run what it is asked to run.");

        CliProcess.Result q = qemu.finish(TIMEOUT);
        assertThat(q.exit()).as("KVM not working is a warning: TCG runs the guests; %s", q).isZero();
        assertThat(row(q, "qemu binary")).contains(" ok ").contains(QEMU.toString());
        String kvm = row(q, "kvm");
        if (kvm.contains(" ok ")) {
            assertThat(kvm).as("KVM works on this machine").contains("a probe guest ran under it");
        } else {
            assertThat(kvm).contains(" warn ").contains("TCG");
        }
    }

    @Test
    void theAgentRunsTheSameChecksAtStartAndReportsThemOnReadyz() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path manifests = Files.createDirectory(tmp.resolve("none"));
        CliProcess agent = CliProcess.jar(tmp, env(), tmp.resolve("logs"), "standalone", "--manifests", manifests.toString(),
            "--hypervisor", "sim", "--state-dir", sharedState.toString(), "--image-root", tmp.resolve("img").toString(),
            "--metrics-port", String.valueOf(port));
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var readyz = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/readyz")).build();
            org.awaitility.Awaitility.await("the agent answers /readyz").atMost(java.time.Duration.ofSeconds(120))
                .pollInterval(java.time.Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
                    var r = http.send(readyz, java.net.http.HttpResponse.BodyHandlers.ofString());
                    // A readable state directory is reported, and the loop still runs: ready, with the reason listed.
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).startsWith("ok\n").contains("host check state dir " + sharedState + ": FAIL:")
                        .contains("chmod 0700 " + sharedState);
                });
            assertThat(agent.stderr()).contains("host check state dir " + sharedState + ": FAIL:");
        } finally {
            agent.terminate(TIMEOUT);
        }
    }
}
