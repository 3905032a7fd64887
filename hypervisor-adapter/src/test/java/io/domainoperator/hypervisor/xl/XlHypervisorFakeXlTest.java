package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.hypervisor.CommandException;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.ShutdownReason;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.domainoperator.testing.Specs;

/**
 * The xl backend driving a <em>fake</em> {@code xl}: Xen cannot run on the build machines (no hypervisor under
 * the test VMs), so {@code src/test/resources/xl/fake-xl.sh} stands in for the xl tool. It keeps domains in files
 * and mimics Xen 4.17's argv, exit codes, stderr and {@code xl list -v}/{@code xl info} output, so these tests
 * prove the command contract through the real {@link ProcessCommandRunner}: create -p, unpause, pause, shutdown
 * without waiting, idempotent destroy, one list per poll, foreign domains left alone, errors with stderr. What xl
 * itself reads from the rendered file is proven separately against Xen's libxlutil ({@link XlRenderedFilesIT}).
 */
class XlHypervisorFakeXlTest {
    private static final UUID ID = UUID.fromString("4a144db0-6b63-405a-b884-7760042023b1");

    @TempDir
    Path dir;
    private FakeXl xl;
    private XlHypervisor backend;

    @BeforeEach
    void setUp() {
        xl = new FakeXl(dir);
        backend = newBackend();
    }

    private XlHypervisor newBackend() {
        return xl.backend();
    }

    @Test
    void drivesADomainThroughItsWholeLife() throws Exception {
        DomainInfo created = backend.createPaused(definition("web"));
        assertThat(created.ours()).isTrue();
        assertThat(created.state().paused()).isTrue();
        assertThat(created.looksHalfCreated()).isTrue();
        assertThat(created.uuid()).isEqualTo(ID);
        assertThat(created.maxMemoryBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(Files.readString(backend.configFile("web")))
            .isEqualTo(XlConfigRenderer.renderText(definition("web"), XlConfigRenderer.Mode.OPERATOR));

        backend.unpause("web");
        long first = domain("web").cpuTimeNanos();
        DomainInfo running = domain("web");
        assertThat(running.state().isAlive()).isTrue();
        assertThat(running.cpuTimeNanos()).isGreaterThan(first);

        backend.pause("web");
        assertThat(domain("web").state().paused()).isTrue();
        backend.unpause("web");

        backend.requestShutdown("web");
        DomainInfo down = domain("web");
        assertThat(down.state().shutdown()).isTrue();
        assertThat(down.state().shutdownReason()).isEqualTo(ShutdownReason.POWEROFF);

        backend.destroy("web");
        assertThat(find("web")).isEmpty();
        assertThat(backend.configFile("web")).doesNotExist();
        assertThatCode(() -> backend.destroy("web")).as("destroy is idempotent").doesNotThrowAnyException();

        assertThat(xl.calls()).contains("create -p " + backend.configFile("web"), "shutdown -F 1", "destroy 1")
            .noneMatch(call -> call.matches("shutdown.* (-w|--wait).*"));
    }

    @Test
    void reportsCrashesWithTheirReason() {
        backend.createPaused(definition("web"));
        backend.unpause("web");
        xl.run("fake-crash", "web");
        DomainInfo crashed = domain("web");
        assertThat(crashed.state().crashed()).isTrue();
        assertThat(crashed.state().shutdownReason()).isEqualTo(ShutdownReason.CRASH);
        assertThat(crashed.state().hasStopped()).isTrue();
    }

    @Test
    void neverTouchesAForeignDomain() throws Exception {
        Path foreignCfg = dir.resolve("foreign.cfg");
        Files.writeString(foreignCfg, "name = \"router\"\nuuid = \"" + UUID.randomUUID() + "\"\nmemory = 128\nvcpus = 1\n");
        xl.run("create", foreignCfg.toString());

        DomainInfo foreign = domain("router");
        assertThat(foreign.ours()).isFalse();
        assertThat(domain("Domain-0").ours()).isFalse();
        for (var operation : new String[] {"unpause", "pause", "shutdown", "destroy"}) {
            assertThatThrownBy(() -> {
                switch (operation) {
                    case "unpause" -> backend.unpause("router");
                    case "pause" -> backend.pause("router");
                    case "shutdown" -> backend.requestShutdown("router");
                    default -> backend.destroy("router");
                }
            }).isInstanceOf(HypervisorException.class).hasMessageContaining("not created by this operator");
        }
        assertThatThrownBy(() -> backend.createPaused(definition("router")))
            .isInstanceOf(HypervisorException.class).hasMessageContaining("foreign domain with this name exists");
        assertThat(xl.calls()).noneMatch(call -> call.matches("(unpause|pause|shutdown|destroy) .*"));
        assertThat(domain("router").state().isAlive()).isTrue();
    }

    @Test
    void remembersItsDomainsAcrossAgentRestarts() {
        backend.createPaused(definition("web"));
        XlHypervisor restarted = newBackend();
        assertThat(restarted.listDomains()).filteredOn(d -> d.name().equals("web")).singleElement()
            .satisfies(d -> assertThat(d.ours()).isTrue());
        restarted.destroy("web");
    }

    @Test
    void failuresCarryTheCommandExitCodeAndStderr() {
        xl.touch("fail-create", "libxl: error: libxl_pci.c:1478: PCI device 0000:07:00.0 is not assignable\n");
        assertThatThrownBy(() -> backend.createPaused(definition("web")))
            .isInstanceOfSatisfying(HypervisorException.class, e -> {
                assertThat(e.operation()).isEqualTo("create");
                assertThat(e.domain()).isEqualTo("web");
                assertThat(e.getMessage()).contains(xl.executable + " create -p", "is not assignable");
                assertThat(e.getCause()).isInstanceOfSatisfying(CommandException.class,
                    c -> assertThat(c.exitCode()).isEqualTo(1));
            });
        assertThatThrownBy(() -> backend.unpause("nothere")).isInstanceOf(HypervisorException.class)
            .hasMessage("unpause nothere: no such domain");
    }

    @Test
    void aShutdownTheGuestIgnoresLeavesItRunning() {
        xl.touch("ignore-shutdown", "");
        backend.createPaused(definition("web"));
        backend.unpause("web");
        backend.requestShutdown("web");
        assertThat(domain("web").state().isAlive()).isTrue();
        backend.destroy("web");
        assertThat(find("web")).isEmpty();
    }

    /**
     * A destroy whose backends did not tear down (the fake's stuck-backends switch) leaves backend/vbd/1 and
     * backend/vif/1 in xenstore, and xl then refuses the same disk to the next domain ("device already in use").
     * The next create removes them first and succeeds; a live domain's backends are kept.
     */
    @Test
    void removesTheStaleBackendsOfADeadDomainBeforeTheNextCreate() throws Exception {
        Path otherCfg = dir.resolve("other.cfg");
        Files.writeString(otherCfg, "name = \"other\"\nuuid = \"" + UUID.randomUUID() + "\"\nmemory = 128\nvcpus = 1\n");
        xl.run("create", otherCfg.toString());
        backend.createPaused(definition("web"));
        xl.touch("stuck-backends", "");
        backend.destroy("web");
        assertThat(xl.xenstoreLs("/local/domain/0/backend")).contains("/local/domain/0/backend/vbd/2/51712/params",
            "/local/domain/0/backend/vif/2/0/state");
        Path webCfg = dir.resolve("web-by-hand.cfg");
        Files.writeString(webCfg, "name = \"web\"\nuuid = \"" + ID + "\"\nmemory = 256\nvcpus = 2\n");
        assertThatThrownBy(() -> xl.run("create", "-p", webCfg.toString())).as("what a create meets without the cleanup")
            .hasMessageContaining("device already in use");

        DomainInfo again = backend.createPaused(definition("web"));
        assertThat(again.domainId()).isEqualTo(4);
        assertThat(xl.calls()).contains("xenstore-rm /local/domain/0/backend/vbd/2", "xenstore-rm /local/domain/0/backend/vif/2")
            .noneMatch(c -> c.startsWith("xenstore-rm") && c.matches(".*/(1|4)$"));
        String backends = xl.xenstoreLs("/local/domain/0/backend");
        assertThat(backends).doesNotContain("/backend/vbd/2").doesNotContain("/backend/vif/2")
            .contains("/local/domain/0/backend/vbd/1/51712/params = \"/fake/other.img\"")
            .contains("/local/domain/0/backend/vbd/4/51712/params = \"/fake/web.img\"");
    }

    @Test
    void readsHostInfo() {
        HostInfo host = backend.hostInfo();
        assertThat(host.cpus()).isEqualTo(8);
        assertThat(host.totalMemoryBytes()).isEqualTo(16303L * 1024 * 1024);
        assertThat(host.freeMemoryBytes()).isEqualTo(12034L * 1024 * 1024);
        assertThat(host.cpuTimeNanos()).isPositive();
    }

    private DomainInfo domain(String name) {
        return find(name).orElseThrow(() -> new AssertionError(name + " not listed"));
    }

    private Optional<DomainInfo> find(String name) {
        return backend.listDomains().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    static DomainDefinition definition(String name) {
        DomainConfigSpec spec = Specs.minimal(name, 2, 256, s -> s.setMaxMemoryMiB(512));
        return DefinitionFromSpec.inPlace(name, ID, spec);
    }
}
