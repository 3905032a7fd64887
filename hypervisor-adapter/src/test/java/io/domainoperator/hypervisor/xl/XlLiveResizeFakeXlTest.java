package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HypervisorException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live resize on the xl backend, against the fake xl ({@code fake-xl.sh}): the argv Xen 4.17 takes
 * ({@code xl vcpu-set <domid> <n>}, {@code xl mem-set <domid> <n>m}), and the new size shows in the next poll.
 */
class XlLiveResizeFakeXlTest {
    @TempDir
    Path dir;

    @Test
    void vcpuSetAndMemSetByDomidChangeWhatTheNextPollShows() throws Exception {
        FakeXl xl = new FakeXl(dir);
        XlHypervisor backend = xl.backend();
        DomainInfo created = backend.createPaused(XlHypervisorFakeXlTest.definition("web"));
        backend.unpause("web");

        backend.resizeLive("web", 3, 384);

        DomainInfo after = backend.listDomains().stream().filter(d -> d.name().equals("web")).findFirst().orElseThrow();
        assertThat(after.vcpus()).isEqualTo(3);
        assertThat(after.memoryBytes()).isEqualTo(384L * 1024 * 1024);
        assertThat(after.domainId()).as("same domain, no restart").isEqualTo(created.domainId());
        assertThat(Files.readAllLines(xl.state.resolve("calls")))
            .contains("vcpu-set " + created.domainId() + " 3", "mem-set " + created.domainId() + " 384m");
    }

    @Test
    void aDomainThatIsGoneIsRefusedWithItsName() {
        FakeXl xl = new FakeXl(dir);
        XlHypervisor backend = xl.backend();
        assertThatThrownBy(() -> backend.resizeLive("nope", 2, 256)).isInstanceOf(HypervisorException.class)
            .hasMessageContaining("nope").hasMessageContaining("no such domain");
    }
}
