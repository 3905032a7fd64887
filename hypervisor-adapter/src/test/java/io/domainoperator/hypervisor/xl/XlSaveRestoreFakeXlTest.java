package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.hypervisor.DomainInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Save and restore on the xl backend against the fake xl: {@code xl save <domid> <image>} ends the domain and keeps
 * the image; {@code xl restore -p <xl file> <image>} brings it back paused under a new domid, with its vCPU time
 * (it was not booted again).
 */
class XlSaveRestoreFakeXlTest {
    @TempDir
    Path dir;

    @Test
    void savesToAnImageAndRestoresPausedUnderANewDomid() throws Exception {
        FakeXl xl = new FakeXl(dir);
        XlHypervisor backend = xl.backend();
        DomainInfo created = backend.createPaused(XlHypervisorFakeXlTest.definition("web"));
        backend.unpause("web");
        long cpu = backend.listDomains().stream().filter(d -> d.name().equals("web")).findFirst().orElseThrow()
            .cpuTimeNanos();
        Path image = dir.resolve("save/web.img");
        Files.createDirectories(image.getParent());

        backend.saveToFile("web", image.toString());
        assertThat(backend.listDomains()).noneMatch(d -> d.name().equals("web"));
        assertThat(image).exists();

        DomainInfo restored = backend.restorePaused(XlHypervisorFakeXlTest.definition("web"), image.toString());
        assertThat(restored.state().paused()).isTrue();
        assertThat(restored.domainId()).isNotEqualTo(created.domainId());
        assertThat(restored.cpuTimeNanos()).as("the saved guest's CPU time: not a new boot").isGreaterThanOrEqualTo(cpu);
        assertThat(image).as("the image is the caller's to delete").exists();
        assertThat(Files.readAllLines(xl.state.resolve("calls")))
            .contains("save " + created.domainId() + " " + image)
            .contains("restore -p " + backend.configFile("web") + " " + image);
    }
}
