package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.LiveMigration;
import io.domainoperator.hypervisor.MigrationProgress;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.domainoperator.hypervisor.xl.XlHypervisor;
import io.domainoperator.testing.Specs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hidden {@code migration-pipe} subcommand as {@code xl migrate -s ""} runs it on a source node: a separate process
 * of the shipped jar ({@code java -jar controller/target/domain-operator.jar}), its exit codes, the bytes it carries
 * both ways, and a whole xl live migration between two fake xl nodes with it as the channel (Xen cannot run on the build
 * machines; {@code hypervisor-adapter/src/test/resources/xl/fake-xl.sh} speaks Xen 4.17's argv).
 */
class MigrationPipeProcessIT {
    private static final long TIMEOUT = 120;
    private static final Path FAKES = CliProcess.ROOT.resolve("hypervisor-adapter/src/test/resources/xl");

    @TempDir
    Path tmp;

    @Test
    void badArgumentsExitTwoAndAnUnreachableTargetExitsOneNamingIt() throws IOException {
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        CliProcess missing = CliProcess.jar(tmp, Map.of(), tmp.resolve("logs"), "migration-pipe", "127.0.0.1");
        CliProcess notANumber = CliProcess.jar(tmp, Map.of(), tmp.resolve("logs"), "migration-pipe", "127.0.0.1", "http");
        CliProcess outOfRange = CliProcess.jar(tmp, Map.of(), tmp.resolve("logs"), "migration-pipe", "127.0.0.1", "70000");
        CliProcess refused = CliProcess.jar(tmp, Map.of(), tmp.resolve("logs"), "migration-pipe", "127.0.0.1",
            Integer.toString(closed));

        assertExit(missing.finish(TIMEOUT), 2, "Missing required parameter: 'PORT'");
        assertExit(notANumber.finish(TIMEOUT), 2, "'http' is not an int");
        assertExit(outOfRange.finish(TIMEOUT), 2, "PORT must be 1 to 65535, got 70000");
        assertExit(refused.finish(TIMEOUT), 1, "cannot reach the migration target 127.0.0.1:" + closed);
    }

    @Test
    void carriesEveryByteToTheTargetAndItsAnswerBackThenExitsZero() throws Exception {
        byte[] stream = new byte[3 * 1024 * 1024 + 17];
        new Random(18).nextBytes(stream);
        try (ServerSocket target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = target.accept()) {
                    byte[] all = s.getInputStream().readAllBytes(); // until the pipe passes on its stdin's end
                    s.getOutputStream().write("RECEIVED\n".getBytes(StandardCharsets.US_ASCII));
                    return all;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ProcessBuilder started = new ProcessBuilder(command("127.0.0.1", target.getLocalPort()))
                .redirectError(tmp.resolve("pipe.err").toFile());
            started.environment().put(MigrationPipeCommand.SENT_FILE_ENV, tmp.resolve("sent").toString());
            Process pipe = started.start();
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> {
                try (InputStream out = pipe.getInputStream()) {
                    return out.readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (OutputStream in = pipe.getOutputStream()) {
                in.write(stream);
            }
            assertThat(pipe.waitFor(TIMEOUT, TimeUnit.SECONDS)).as("the pipe ends").isTrue();
            assertThat(pipe.exitValue()).as(Files.readString(tmp.resolve("pipe.err"))).isZero();
            assertThat(sha256(received.get(TIMEOUT, TimeUnit.SECONDS))).as("what the target read").isEqualTo(sha256(stream));
            assertThat(new String(answer.get(TIMEOUT, TimeUnit.SECONDS), StandardCharsets.US_ASCII)).isEqualTo("RECEIVED\n");
            assertThat(Files.readString(tmp.resolve("sent"))).as("the bytes sent, as the source agent reads them")
                .isEqualTo(Long.toString(stream.length));
        }
    }

    /**
     * A target that takes the stream and never answers (hung): the copy over migration-pipe stays active with the bytes
     * it sent on record (the progress deadline's figure on xl, which reports none), and a cancel ends it, the domain
     * still running at the sender.
     */
    @Test
    void aCopyToAHungTargetRecordsItsBytesSentAndIsCancelled() throws Exception {
        XlHypervisor a = fakeXlNode(tmp.resolve("a"));
        DomainDefinition def = DefinitionFromSpec.inPlace("mover", UUID.randomUUID(), Specs.minimal("mover", 1, 256));
        a.createPaused(def);
        a.unpause("mover");
        try (ServerSocket hung = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LiveMigration from = a.liveMigration().orElseThrow();
            from.migrateOut("mover", "127.0.0.1", hung.getLocalPort());
            try (Socket accepted = hung.accept()) {
                await("the bytes sent are on record").atMost(Duration.ofSeconds(TIMEOUT))
                    .until(() -> from.progress("mover").sentBytes() > 0);
                MigrationProgress copying = from.progress("mover");
                assertThat(copying.state()).isEqualTo(MigrationProgress.State.ACTIVE);
                assertThat(copying.remainingBytes()).as("xl gives no remainder").isEqualTo(MigrationProgress.UNKNOWN);
                from.cancel("mover");
                await("the cancelled copy failed").atMost(Duration.ofSeconds(TIMEOUT))
                    .until(() -> from.progress("mover").state() == MigrationProgress.State.FAILED);
            }
        }
        assertThat(a.listDomains().stream().filter(d -> d.name().equals("mover")).findFirst().orElseThrow().state().isAlive())
            .isTrue();
    }

    @Test
    void isTheChannelOfAnXlLiveMigrationBetweenTwoFakeXlNodes() throws Exception {
        XlHypervisor a = fakeXlNode(tmp.resolve("a"));
        XlHypervisor b = fakeXlNode(tmp.resolve("b"));
        DomainDefinition def = DefinitionFromSpec.inPlace("mover", UUID.fromString("9d0c3c4e-4e0e-4b8e-9a43-0b0d1c3f1e18"),
            Specs.minimal("mover", 1, 256));
        a.createPaused(def);
        a.unpause("mover");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        LiveMigration to = b.liveMigration().orElseThrow();
        LiveMigration from = a.liveMigration().orElseThrow();
        to.prepareIncoming(def, "127.0.0.1", port);
        from.migrateOut("mover", "127.0.0.1", port);
        await("the copy over migration-pipe completed").atMost(Duration.ofSeconds(TIMEOUT))
            .until(() -> from.progress("mover").state() != MigrationProgress.State.ACTIVE);
        assertThat(from.progress("mover").state()).as(from.progress("mover").error()).isEqualTo(MigrationProgress.State.COMPLETED);

        assertThat(a.listDomains()).noneMatch(d -> d.name().equals("mover"));
        DomainInfo arrived = b.listDomains().stream().filter(d -> d.name().equals("mover")).findFirst().orElseThrow();
        assertThat(arrived.state().paused()).isTrue();
        assertThat(Files.readAllLines(tmp.resolve("a/xl-state/calls")))
            .anyMatch(c -> c.startsWith("migrate -s  -e -p mover ") && c.contains("domain-operator.jar") && c.contains("migration-pipe"));
    }

    /** A node with the fake xl, its xenstore tools, and the shipped jar's migration-pipe as the transport. */
    private static XlHypervisor fakeXlNode(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path state = dir.resolve("xl-state");
        Path xl = install(dir.resolve("xl"), "fake-xl.sh", state);
        List<Path> tools = new ArrayList<>();
        for (String tool : List.of("xenstore-read", "xenstore-ls", "xenstore-rm")) {
            tools.add(install(dir.resolve(tool), "fake-xenstore.sh", state));
        }
        return new XlHypervisor(new ProcessCommandRunner(), new XlHypervisor.Settings(dir.resolve("run"), xl.toString(),
            Duration.ofSeconds(30), Duration.ofSeconds(30), tools.get(0).toString(), tools.get(1).toString(),
            tools.get(2).toString())).migrationTransport(List.of(CliProcess.JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
            CliProcess.JAR.toString(), "migration-pipe"));
    }

    private static Path install(Path to, String fake, Path state) throws IOException {
        Files.writeString(to, Files.readString(FAKES.resolve(fake)).replace("@STATE@", state.toString()));
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        return to;
    }

    private static List<String> command(String host, int port) {
        return List.of(CliProcess.JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", CliProcess.JAR.toString(),
            "migration-pipe", host, Integer.toString(port));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void assertExit(CliProcess.Result r, int exit, String stderrPart) {
        assertThat(r.exit()).as("%s", r).isEqualTo(exit);
        assertThat(r.stderr()).as("%s", r).contains(stderrPart);
    }
}
