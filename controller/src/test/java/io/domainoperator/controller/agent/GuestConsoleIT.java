package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.ReadinessProbe;
import io.domainoperator.controller.TestResources;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.qemu.QemuHypervisor;
import io.domainoperator.hypervisor.qemu.QemuOptions;
import io.domainoperator.testing.TestJvm;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * One real QEMU guest (the tiny Linux of .ci/setup.d/30-qemu-guest.sh, TCG here) shared by the console and the
 * readiness proofs, to keep CI lean:
 * <ol>
 * <li>the serial readiness probe of examples/readiness/web.yaml, expecting the guest's shell prompt, plus the QEMU
 *     guest agent probe (Debian's qemu-ga in the guest, on the virtio-serial channel the probe asks for): phase
 *     Running comes first with Ready False (GuestNotReady), GuestReady and Ready turn True only once the guest printed
 *     its prompt and its qemu-ga answered a sync and a ping;</li>
 * <li>status.console names the socket and log; {@code domain-operator console NAME} run as a process (the built
 *     jar) attaches, a command typed into the guest's shell is answered, Ctrl-] detaches with exit 0 and the guest
 *     runs on;</li>
 * <li>the guest floods its console: the log on disk stays within its cap (two generations) and keeps the newest
 *     output.</li>
 * </ol>
 */
// TCG guests, one class at a time, before the classes without guests (see the failsafe configuration).
@Order(3)
@ResourceLock(TestResources.QEMU_GUESTS)
class GuestConsoleIT {
    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final String PROMPT = "domain-operator-guest# ";
    private static final long LOG_CAP = 16 * 1024;
    private static final Path JAR = Path.of("..").toAbsolutePath().normalize().resolve("controller/target/domain-operator.jar");

    @TempDir
    Path state;

    @Test
    void aProbedGuestIsReadyOnlyOnceUpAndItsConsoleAnswersAndStaysBounded() throws Exception {
        Path guest = QemuAgentIT.guest();
        assumeTrue(Files.readString(guest.resolve("VERSION")).contains("prompt="), "the test guest in " + guest
            + " predates recipe 5 (no shell on its serial console): run .ci/setup.d/30-qemu-guest.sh again");
        assumeTrue(Files.isRegularFile(guest.resolve("qemu-ga")), "the test guest in " + guest
            + " predates recipe 7 (no qemu-ga in it): run .ci/setup.d/30-qemu-guest.sh again");
        assumeTrue(Files.isRegularFile(JAR), JAR + " is not built: run this IT through `./mvnw verify` (package builds it)");
        QemuHypervisor qemu = new QemuHypervisor(QemuOptions.defaults(state)
            .withVifNetworking(QemuOptions.VifNetworking.USER).withConsoleLogMaxBytes(LOG_CAP), new ProcessCommandRunner());
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), qemu)) {
            h.apply(probedGuest(guest));

            List<String> seen = new ArrayList<>();
            long[] runningAt = {0};
            await("tiny GuestReady").atMost(BOOT).pollInterval(Duration.ofMillis(200)).until(() -> {
                DomainConfigStatus st = h.get("tiny").getStatus();
                if (st == null || st.getPhase() != DomainPhase.Running) {
                    return false;
                }
                if (runningAt[0] == 0) {
                    runningAt[0] = System.nanoTime();
                }
                Condition ready = st.condition(Conditions.READY);
                Condition guestReady = st.condition(Conditions.GUEST_READY);
                seen.add(ready.getStatus() + "/" + ready.getReason() + " GuestReady=" + guestReady.getStatus());
                return Conditions.TRUE.equals(guestReady.getStatus());
            });
            double seconds = (System.nanoTime() - runningAt[0]) / 1e9;
            System.out.printf("GuestConsoleIT: Running to GuestReady in %.1f s under %s%n", seconds, qemu.accelerator());
            assertThat(seen).as("Running with the guest not yet up comes first").first().asString()
                .startsWith("False/" + Conditions.GUEST_NOT_READY);
            DomainConfigStatus ready = h.get("tiny").getStatus();
            assertThat(ready.condition(Conditions.READY).getStatus()).isEqualTo(Conditions.TRUE);
            assertThat(Files.readString(Path.of(ready.getConsole().getSerial().getLog())))
                .as("GuestReady only once the guest printed its prompt").contains(PROMPT)
                .as("the guest found the agent's channel").contains("qemu-ga on /dev/vport");
            assertThat(ready.condition(Conditions.GUEST_READY).getMessage()).as("and once its qemu-ga answered")
                .contains("the guest agent answered (qemu-ga 7.");
            assertThat(seen).as("not ready while either check had not passed").anyMatch(s -> s.contains("GuestReady=False"));
            assertThat(ready.getConsole().getSerial().getSocket()).endsWith("/qemu/tiny/console.sock");
            assertThat(h.eventReasons("tiny")).contains(Conditions.GUEST_READY);

            String answer = consoleSession(List.of("echo hello-$((6*7))", "i=0; while [ $i -lt 2500 ]; do echo "
                + "flood-$i-abcdefghijklmnopqrstuvwxyz; i=$((i+1)); done; echo flood-done-$((1+1))"), "flood-done-2");
            assertThat(answer).as("the guest's shell evaluated the typed command").contains("hello-42");
            assertThat(qemu.listDomains()).as("the guest runs on after the detach").extracting(DomainInfo::name)
                .containsExactly("tiny");
            assertThat(qemu.listDomains().getFirst().state().isAlive()).isTrue();

            Path log = Path.of(ready.getConsole().getSerial().getLog());
            Path older = log.resolveSibling("console.log.1");
            // The console session saw the flood end on the socket; the agent's log writer may still be copying it to
            // disk (CI ci16b read the log a moment before its last lines landed), so both are awaited together.
            await("the serial log is back under its cap, with the newest output").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    assertThat(Files.size(log)).isLessThanOrEqualTo(LOG_CAP);
                    assertThat(older).exists();
                    assertThat(Files.size(older)).isLessThanOrEqualTo(LOG_CAP);
                    assertThat(Files.readString(older) + Files.readString(log)).as("the newest output is kept")
                        .contains("flood-2499-");
                });
        } finally {
            qemu.listDomains().forEach(d -> qemu.destroy(d.name()));
            qemu.close();
        }
    }

    private static DomainConfig probedGuest(Path guest) throws IOException {
        DomainConfig dc = AgentHarness.domain("tiny");
        dc.getSpec().setMemoryMiB(128);
        dc.getSpec().setKernel(guest.resolve("vmlinuz").toString());
        dc.getSpec().setRamdisk(guest.resolve("initrd.img").toString());
        dc.getSpec().setCmdline(Files.readString(guest.resolve("cmdline")).strip());
        ReadinessProbe probe = exampleProbe();
        probe.setGuestAgent(new ReadinessProbe.GuestAgentProbe());
        dc.getSpec().setReadinessProbe(probe);
        return dc;
    }

    /** The readiness probe of the repository's example (examples/readiness/web.yaml), as users copy it. */
    private static ReadinessProbe exampleProbe() throws IOException {
        Path example = Path.of("..").toAbsolutePath().normalize().resolve("examples/readiness/web.yaml");
        try (var docs = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .readerFor(DomainConfig.class).<DomainConfig>readValues(example.toFile())) {
            ReadinessProbe probe = docs.next().getSpec().getReadinessProbe();
            assertThat(probe.getSerial().getExpect()).as("the example expects the test guest's prompt").isEqualTo(PROMPT);
            return probe;
        }
    }

    /**
     * Runs {@code domain-operator console tiny} as a process, types each line, waits for {@code until} in the guest's
     * answer, detaches with Ctrl-] and checks the exit; returns what the console showed.
     */
    private String consoleSession(List<String> lines, String until) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(TestJvm.quickStart(List.of(JAR)));
        command.addAll(List.of("-jar", JAR.toString(), "console", "tiny", "--state-dir", state.toString()));
        Process p = new ProcessBuilder(command)
            .redirectError(state.resolve("console.err").toFile()).start();
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().start(() -> copy(p.getInputStream(), shown));
        OutputStream keys = p.getOutputStream();
        try {
            await("attached").atMost(Duration.ofSeconds(60)).until(() -> Files.readString(state.resolve("console.err"))
                .contains("Escape character"));
            keys.write("\n".getBytes(StandardCharsets.US_ASCII));
            keys.flush();
            await("a prompt on the attached console").atMost(Duration.ofSeconds(30)).until(() -> text(shown).contains(PROMPT));
            for (String line : lines) {
                keys.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                keys.flush();
            }
            await("the guest's answer").atMost(Duration.ofMinutes(2)).until(() -> text(shown).contains(until));
            keys.write(0x1d);
            keys.flush();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("console exits after Ctrl-]").isTrue();
            reader.join(5000);
            assertThat(p.exitValue()).as("console exit code; stderr: %s", Files.readString(state.resolve("console.err")))
                .isZero();
            assertThat(Files.readString(state.resolve("console.err"))).contains("Detached from domain tiny");
            return text(shown);
        } finally {
            p.destroyForcibly();
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
