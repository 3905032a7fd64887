package io.domainoperator.hypervisor.sim;

import static io.domainoperator.hypervisor.sim.SimulatedHypervisorTest.definition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.testing.ManualClock;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator keeps one file per domain ({@link SimulatorStateFile}): a change writes only its domain's file, a
 * restart finds what the last process left, ids are never reused, the old single file is migrated, a bad file stops
 * the start with its name.
 */
class SimulatorStateFilesTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    @TempDir
    Path dir;

    private Path stateFile() {
        return dir.resolve("sim/domains.json");
    }

    private Path domains() {
        return dir.resolve("sim/domains.d");
    }

    private SimulatedHypervisor sim() {
        return SimulatedHypervisor.builder().clock(clock).stateFile(stateFile()).build();
    }

    @Test
    void aRestartFindsTheSameDomainsIdsPhasesAndVcpuTime() {
        SimulatedHypervisor first = sim();
        first.createPaused(definition("paused", 1, 64));
        first.createPaused(definition("running", 2, 128));
        first.unpause("running");
        first.createPaused(definition("stopped", 1, 64));
        first.unpause("stopped");
        first.powerOff("stopped");
        clock.advance(Duration.ofSeconds(10));
        List<DomainInfo> before = first.listDomains();

        List<DomainInfo> after = sim().listDomains();
        assertThat(after).as("same names, ids, phases and vCPU time: a running guest's time was not written by the "
            + "list, and is worked out from when it was written").isEqualTo(before);
        assertThat(after).extracting(DomainInfo::state).containsExactly(DomainState.PAUSED, DomainState.RUNNING,
            DomainState.shutdown(io.domainoperator.hypervisor.ShutdownReason.POWEROFF));
        assertThat(after.get(1).cpuTimeNanos()).isPositive();
    }

    @Test
    void idsAreNotReusedAfterTheHighestDomainIsDestroyedAndTheSimulatorRestarts() {
        SimulatedHypervisor first = sim();
        first.createPaused(definition("a", 1, 64));
        assertThat(first.createPaused(definition("b", 1, 64)).domainId()).isEqualTo(2);
        first.destroy("b");

        SimulatedHypervisor second = sim();
        assertThat(second.createPaused(definition("c", 1, 64)).domainId()).as("b's id stays spent").isEqualTo(3);
        second.destroy("c");
        second.destroy("a");
        assertThat(sim().createPaused(definition("d", 1, 64)).domainId()).as("with no domain left either").isEqualTo(4);
    }

    @Test
    void aChangeToOneDomainWritesThatDomainsFileOnly() {
        SimulatedHypervisor sim = sim();
        for (String name : List.of("a", "b", "c")) {
            sim.createPaused(definition(name, 1, 64));
            sim.unpause(name);
        }
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        sim.onStateWrite(file -> written.add(file.getFileName().toString()));

        sim.pause("b");
        assertThat(written).containsExactly("b.json");
        written.clear();
        clock.advance(Duration.ofMinutes(1));
        sim.listDomains();
        assertThat(written).as("vCPU time that grew is not a change to write").isEmpty();
        sim.requestShutdown("c");
        sim.destroy("a");
        sim.createPaused(definition("d", 1, 64));
        assertThat(written).containsExactly("c.json", "a.json", SimulatorStateFile.NEXT_ID, "d.json");
        written.clear();
        clock.advance(Duration.ofMinutes(5));
        sim.listDomains();
        assertThat(written).as("the shutdown that took effect, nothing else").containsExactly("c.json");
        assertThat(Files.exists(domains().resolve("a.json"))).as("a destroyed domain's file is deleted").isFalse();
    }

    @Test
    void theOldSingleFileIsMigratedToOneFilePerDomain() throws Exception {
        Files.createDirectories(stateFile().getParent());
        // As the simulator before per-domain files wrote it: next id 4, domain 3 destroyed.
        Files.writeString(stateFile(), """
            {"nextId":4,"domains":[
             {"id":1,"name":"web","uuid":"00000000-0000-0000-0000-000000000001","vcpus":2,"memoryBytes":268435456,
              "maxMemoryBytes":268435456,"ours":true,"load":0.5,"phase":"RUNNING","reason":"NONE","cpuNanos":7000000000,
              "shutdownAtMillis":null},
             {"id":2,"name":"db","uuid":"00000000-0000-0000-0000-000000000002","vcpus":1,"memoryBytes":67108864,
              "maxMemoryBytes":67108864,"ours":true,"load":0.5,"phase":"PAUSED","reason":"NONE","cpuNanos":0,
              "shutdownAtMillis":null}]}
            """);

        List<DomainInfo> migrated = sim().listDomains();
        assertThat(migrated).extracting(DomainInfo::name, DomainInfo::domainId, DomainInfo::state)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("web", 1, DomainState.RUNNING),
                org.assertj.core.groups.Tuple.tuple("db", 2, DomainState.PAUSED));
        assertThat(migrated.get(0).cpuTimeNanos()).as("the vCPU time the old file had").isEqualTo(7_000_000_000L);
        assertThat(stateFile()).as("renamed aside").doesNotExist();
        assertThat(dir.resolve("sim/domains.json.migrated")).exists();
        assertThat(domains().resolve("web.json")).exists();
        assertThat(domains().resolve("db.json")).exists();

        SimulatedHypervisor again = sim();
        assertThat(again.listDomains()).extracting(DomainInfo::name).containsExactly("web", "db");
        assertThat(again.createPaused(definition("new", 1, 64)).domainId()).as("the old file's next id").isEqualTo(4);
    }

    @Test
    void aFileThatCannotBeReadStopsTheStartNamingItAndTheFix() throws Exception {
        SimulatedHypervisor first = sim();
        first.createPaused(definition("web", 1, 64));
        first.createPaused(definition("db", 1, 64));
        Path bad = domains().resolve("db.json");
        Files.writeString(bad, "{\"id\":2,\"name\":\"db\",");

        assertThatThrownBy(this::sim).hasMessageContaining(bad.toString()).hasMessageContaining("move it aside");
        Files.move(bad, dir.resolve("db.json.bad"));
        assertThat(sim().listDomains()).extracting(DomainInfo::name).containsExactly("web");
    }

    @Test
    void aFileHoldingAnotherDomainIsRefusedAsWell() throws Exception {
        sim().createPaused(definition("web", 1, 64));
        Files.copy(domains().resolve("web.json"), domains().resolve("web2.json"));
        assertThatThrownBy(this::sim).hasMessageContaining("web2.json").hasMessageContaining("holds domain web");
    }

    @Test
    void aWriteCutShortByAKilledProcessLeavesTheFileBeforeIt() throws Exception {
        sim().createPaused(definition("web", 1, 64));
        Path temp = domains().resolve(".web.json.tmp");
        Files.writeString(temp, "{\"id\":1,\"na"); // the agent was killed while writing web's next version

        assertThat(sim().listDomains()).extracting(DomainInfo::name, DomainInfo::state)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("web", DomainState.PAUSED));
        assertThat(temp).as("cleared at start").doesNotExist();
    }

    @Test
    void aBatchThatCouldNotBeWrittenIsWrittenWithTheNextOne() throws Exception {
        SimulatedHypervisor sim = sim();
        sim.createPaused(definition("a", 1, 64));
        Path aside = dir.resolve("aside");
        Files.move(domains(), aside);
        Files.writeString(domains(), "not a directory"); // every write into it fails

        assertThatThrownBy(() -> sim.createPaused(definition("b", 1, 64))).isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining(domains().toString());
        Files.delete(domains());
        Files.move(aside, domains());
        sim.createPaused(definition("c", 1, 64));
        assertThat(sim().listDomains()).extracting(DomainInfo::name, DomainInfo::domainId)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 1), org.assertj.core.groups.Tuple.tuple("b", 2),
                org.assertj.core.groups.Tuple.tuple("c", 3));
    }

    @Test
    void fileNamesAreTheDomainNamesWithNoSeparatorOrLeadingDot() {
        assertThat(DomainFileNames.of("web-1_a.b")).isEqualTo("web-1_a.b.json");
        assertThat(DomainFileNames.of("ns/web")).isEqualTo("ns%2Fweb.json");
        assertThat(DomainFileNames.of("..")).isEqualTo("%2E..json");
        assertThat(DomainFileNames.of(".hidden")).isEqualTo("%2Ehidden.json");
        assertThat(DomainFileNames.of("a%2Fb")).as("a percent sign is encoded too, so no two names share a file")
            .isEqualTo("a%252Fb.json").isNotEqualTo(DomainFileNames.of("a/b"));
        assertThat(DomainFileNames.of("é")).isEqualTo("%C3%A9.json");
        assertThat(DomainFileNames.of("")).isEqualTo("%.json");
        String longName = "x".repeat(300);
        assertThat(DomainFileNames.of(longName)).hasSizeLessThan(255).isNotEqualTo(DomainFileNames.of(longName + "y"));
    }
}
