package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.hypervisor.CommandException;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code XlHypervisor.look(name)} against the fake xl: one {@code xl list -v <name>} (xl reads that domain alone),
 * the same answer as the full list for a domain that exists, empty for a name xl says no domain has, and a look at
 * the full list for names xl would not read as a name (digits are a domid to xl).
 */
class XlLookFakeXlTest {
    @TempDir
    Path dir;
    private FakeXl xl;
    private XlHypervisor backend;

    @BeforeEach
    void setUp() {
        xl = new FakeXl(dir);
        backend = new XlHypervisor(new ProcessCommandRunner(), new XlHypervisor.Settings(dir.resolve("run"),
            xl.executable.toString(), Duration.ofSeconds(20), Duration.ofSeconds(20))
            .withXenstoreTools(xl.xenstoreLs.toString(), xl.xenstoreRm.toString()));
    }

    @Test
    void looksAtOneDomainWithoutListingEveryDomain() {
        backend.createPaused(XlHypervisorFakeXlTest.definition("web"));
        foreign("router");
        int before = xl.calls().size();

        Optional<DomainInfo> web = backend.look("web");

        assertThat(xl.calls().subList(before, xl.calls().size())).containsExactly("list -v web");
        assertThat(web).isPresent();
        assertThat(web.get().ours()).isTrue();
        assertThat(web.get().state().paused()).isTrue();
        DomainInfo listed = backend.listDomains().stream().filter(d -> d.name().equals("web")).findFirst().orElseThrow();
        assertThat(web.get().domainId()).isEqualTo(listed.domainId());
        assertThat(web.get().uuid()).isEqualTo(listed.uuid());
        assertThat(web.get().maxMemoryBytes()).isEqualTo(listed.maxMemoryBytes());
        assertThat(backend.look("router")).hasValueSatisfying(r -> assertThat(r.ours()).isFalse());
    }

    @Test
    void aNameNoDomainHasIsEmpty() {
        backend.createPaused(XlHypervisorFakeXlTest.definition("web"));

        assertThat(backend.look("gone")).isEmpty();
        backend.destroy("web");
        assertThat(backend.look("web")).isEmpty();
        assertThat(xl.calls()).contains("list -v gone");
    }

    @Test
    void aNameOfDigitsIsLookedUpInTheFullList() {
        foreign("42");
        int before = xl.calls().size();

        assertThat(backend.look("42")).hasValueSatisfying(d -> assertThat(d.name()).isEqualTo("42"));
        assertThat(xl.calls().subList(before, xl.calls().size())).containsExactly("list -v");
    }

    @Test
    void anyOtherFailureIsAFailedLookNamingTheDomain() throws Exception {
        Path broken = dir.resolve("broken-xl");
        Files.writeString(broken, "#!/bin/sh\necho 'libxl: error: cannot open libxc handle' >&2\nexit 1\n");
        broken.toFile().setExecutable(true);
        XlHypervisor failing = new XlHypervisor(new ProcessCommandRunner(), new XlHypervisor.Settings(dir.resolve("run2"),
            broken.toString(), Duration.ofSeconds(20), Duration.ofSeconds(20)));

        assertThatThrownBy(() -> failing.look("web")).isInstanceOf(HypervisorException.class)
            .hasMessageContaining("web").hasMessageContaining("cannot open libxc handle");
    }

    @Test
    void missingIsRecognisedOnlyForTheNameAsked() {
        CommandException missing = new CommandException(List.of("xl", "list", "-v", "web"), 1,
            "web is an invalid domain identifier (rc=-6)\n", "exited with 1", null);
        CommandException raced = new CommandException(List.of("xl", "list", "-v", "web"), 1,
            "Error: Domain 'web' does not exist.\n", "exited with 1", null);
        assertThat(XlLook.saysMissing(missing, "web")).isTrue();
        assertThat(XlLook.saysMissing(raced, "web")).isTrue();
        assertThat(XlLook.saysMissing(missing, "db")).isFalse();
        assertThat(XlLook.askableByName("-v")).isFalse();
        assertThat(XlLook.askableByName("web-1")).isTrue();
    }

    private void foreign(String name) {
        try {
            Path cfg = dir.resolve(name + ".cfg");
            Files.writeString(cfg, "name = \"" + name + "\"\nuuid = \"" + UUID.randomUUID() + "\"\nmemory = 128\nvcpus = 1\n");
            xl.run("create", cfg.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
