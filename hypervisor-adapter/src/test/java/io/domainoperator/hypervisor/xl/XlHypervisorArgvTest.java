package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.hypervisor.HypervisorException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact argv the xl backend runs for each operation, with canned xl output. */
class XlHypervisorArgvTest {
    private static final String HEADER = "Name                                        ID   Mem VCPUs\tState\tTime(s)   UUID                            Reason-Code\tSecurity Label\n";
    private static final String WEB_PAUSED = HEADER
        + "web                                          7   256     2     --p---       0.0 4a144db0-6b63-405a-b884-7760042023b1        -                -\n";
    private static final String NONE = HEADER;

    @TempDir
    Path dir;
    private RecordingRunner runner;
    private XlHypervisor backend;

    @BeforeEach
    void setUp() {
        runner = new RecordingRunner();
        backend = new XlHypervisor(runner, XlHypervisor.Settings.defaults().withRunDir(dir).withXl("/usr/sbin/xl"));
    }

    @Test
    void createWritesTheFileThenRunsCreatePaused() {
        runner.answer(0, "", "").answer(0, NONE, "").answer(0, "", "Parsing config from x\n").answer(0, WEB_PAUSED, "");
        backend.createPaused(XlHypervisorFakeXlTest.definition("web"));
        assertThat(runner.calls).containsExactly(
            List.of("xenstore-ls", "-f", "/local/domain/0/backend"),
            List.of("/usr/sbin/xl", "list", "-v"),
            List.of("/usr/sbin/xl", "create", "-p", dir.resolve("web.cfg").toString()),
            List.of("/usr/sbin/xl", "list", "-v"));
        assertThat(dir.resolve("web.cfg")).exists();
        assertThat(dir.resolve("domains.registry")).content().startsWith("4a144db0-6b63-405a-b884-7760042023b1 web 536870912");
    }

    @Test
    void actsOnTheDomidItCheckedAndNeverWaitsForShutdown() {
        createWeb();
        runner.calls.clear();
        runner.answer(0, WEB_PAUSED, "").answer(0, "", "")
            .answer(0, WEB_PAUSED, "").answer(0, "", "")
            .answer(0, WEB_PAUSED, "").answer(0, "", "");
        backend.unpause("web");
        backend.pause("web");
        backend.requestShutdown("web");
        assertThat(runner.calls).containsExactly(
            List.of("/usr/sbin/xl", "list", "-v"), List.of("/usr/sbin/xl", "unpause", "7"),
            List.of("/usr/sbin/xl", "list", "-v"), List.of("/usr/sbin/xl", "pause", "7"),
            List.of("/usr/sbin/xl", "list", "-v"), List.of("/usr/sbin/xl", "shutdown", "-F", "7"));
    }

    @Test
    void destroyIsIdempotentAndToleratesARace() {
        createWeb();
        runner.calls.clear();
        runner.answer(0, NONE, "");
        backend.destroy("web");
        assertThat(runner.calls).containsExactly(List.of("/usr/sbin/xl", "list", "-v"));

        createWeb();
        runner.calls.clear();
        // The domain goes away between our check and xl destroy: still a success.
        runner.answer(0, WEB_PAUSED, "").answer(1, "", "libxl: error: Domain 7:Non-existant domain\n").answer(0, NONE, "");
        backend.destroy("web");
        assertThat(runner.calls).containsExactly(List.of("/usr/sbin/xl", "list", "-v"),
            List.of("/usr/sbin/xl", "destroy", "7"), List.of("/usr/sbin/xl", "list", "-v"));
    }

    @Test
    void aDestroyThatFailsWhileTheDomainRemainsIsAnError() {
        createWeb();
        runner.answer(0, WEB_PAUSED, "").answer(1, "", "libxl: error: device model did not exit\n").answer(0, WEB_PAUSED, "");
        assertThatThrownBy(() -> backend.destroy("web")).isInstanceOf(HypervisorException.class)
            .hasMessageContaining("/usr/sbin/xl destroy 7").hasMessageContaining("device model did not exit");
    }

    @Test
    void pollsWithOneCommandAndReadsHostInfoFromXlInfo() {
        runner.answer(0, WEB_PAUSED, "");
        assertThat(backend.listDomains()).singleElement().satisfies(d -> assertThat(d.ours()).isFalse());
        assertThat(runner.calls).containsExactly(List.of("/usr/sbin/xl", "list", "-v"));

        runner.calls.clear();
        runner.answer(0, "nr_cpus : 4\ntotal_memory : 8000\nfree_memory : 100\n", "").answer(0, HEADER
            + "Domain-0                                     0  2048     4     r-----    1234.5 00000000-0000-0000-0000-000000000000        -                -\n", "");
        assertThat(backend.hostInfo()).isEqualTo(new io.domainoperator.hypervisor.HostInfo(4, 8000L << 20, 100L << 20, 1_234_500_000_000L));
        assertThat(runner.calls).containsExactly(List.of("/usr/sbin/xl", "info"), List.of("/usr/sbin/xl", "list", "-v"));
    }

    @Test
    void createRemovesTheBackendsOfDeadDomainsOnlyAndNeverDom0s() {
        runner.answer(0, """
            /local/domain/0/backend/vbd = ""
            /local/domain/0/backend/vbd/0 = ""
            /local/domain/0/backend/vbd/0/51712/params = "/dev/vg/dom0-scratch"
            /local/domain/0/backend/vbd/3 = ""
            /local/domain/0/backend/vbd/3/51712/params = "/persist/img/a-very-long-name-that-xenstore-ls-truncates-at-eighty\\..."
            /local/domain/0/backend/vif/3/0/mac = "00:16:3e:00:00:03"
            /local/domain/0/backend/vif/7/0/mac = "00:16:3e:00:00:07"
            /local/domain/0/backend/console/3/0/protocol = "vt100"
            """, "").answer(0, WEB_PAUSED, "").answer(0, "", "").answer(0, "", "");
        assertThatThrownBy(() -> backend.createPaused(XlHypervisorFakeXlTest.definition("web")))
            .as("a web exists (domid 7): refused after the cleanup").hasMessageContaining("with this name exists");
        assertThat(runner.calls).containsExactly(
            List.of("xenstore-ls", "-f", "/local/domain/0/backend"),
            List.of("/usr/sbin/xl", "list", "-v"),
            List.of("xenstore-rm", "/local/domain/0/backend/vbd/3"),
            List.of("xenstore-rm", "/local/domain/0/backend/vif/3"));
    }

    @Test
    void aStaleBackendThatCannotBeRemovedFailsTheCreateNamingItAndTheCommand() {
        runner.answer(0, "/local/domain/0/backend/vbd/3/51712/state = \"6\"\n", "").answer(0, NONE, "")
            .answer(1, "", "xenstore-rm: could not remove path /local/domain/0/backend/vbd/3\n")
            .answer(0, "/local/domain/0/backend/vbd/3/51712/state = \"6\"\n", ""); // still there: not removed meanwhile
        assertThatThrownBy(() -> backend.createPaused(XlHypervisorFakeXlTest.definition("web")))
            .isInstanceOf(HypervisorException.class).hasMessageContaining("dead domain 3")
            .hasMessageContaining("xenstore-rm /local/domain/0/backend/vbd/3");
        assertThat(runner.calls).noneMatch(c -> c.contains("create"));
    }

    @Test
    void noBackendTreeAtAllIsNothingToClean() {
        runner.answer(1, "", "xenstore-ls: xs_directory (/local/domain/0/backend): No such file or directory\n")
            .answer(0, NONE, "").answer(0, "", "").answer(0, WEB_PAUSED, "");
        backend.createPaused(XlHypervisorFakeXlTest.definition("web"));
        assertThat(runner.calls).noneMatch(c -> c.get(0).equals("xenstore-rm"));
    }

    @Test
    void refusesAllDigitNamesThatXlWouldReadAsDomids() {
        runner.answer(0, "", "").answer(0, NONE, "");
        assertThatThrownBy(() -> backend.createPaused(XlHypervisorFakeXlTest.definition("42")))
            .isInstanceOf(HypervisorException.class).hasMessageContaining("all digits");
    }

    @Test
    void anUnwritableRunDirIsAnErrorNamingIt() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("not-a-dir"), "");
        XlHypervisor broken = new XlHypervisor(runner, XlHypervisor.Settings.defaults().withRunDir(dir.resolve("not-a-dir")));
        runner.answer(0, "", "").answer(0, NONE, "");
        assertThatThrownBy(() -> broken.createPaused(XlHypervisorFakeXlTest.definition("web")))
            .isInstanceOf(HypervisorException.class).hasMessageContaining("run dir").hasMessageContaining("not-a-dir");
        assertThat(runner.calls).containsExactly(List.of("xenstore-ls", "-f", "/local/domain/0/backend"),
            List.of("xl", "list", "-v"));
    }

    @Test
    void usesTheConfiguredTimeouts() {
        var settings = new XlHypervisor.Settings(dir, "xl", Duration.ofSeconds(3), Duration.ofSeconds(90));
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(XlHypervisor.Settings.defaults().runDir()).isEqualTo(Path.of("/run/domainmgr/xen"));
    }

    private void createWeb() {
        runner.answer(0, "", "").answer(0, NONE, "").answer(0, "", "").answer(0, WEB_PAUSED, "");
        backend.createPaused(XlHypervisorFakeXlTest.definition("web"));
    }
}
