package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.VirtualizationMode;
import io.domainoperator.api.v1alpha1.Vnc;
import io.domainoperator.hypervisor.ConsoleEndpoints;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Console endpoints of Xen domains, read from xenstore where Xen 4.17 publishes them, against the fake xl and its
 * fake xenstore: the HVM serial pty (what {@code xl console} attaches to), the PV console pty, VNC address and port,
 * xenconsoled's log when it keeps one, and one read per domain id.
 */
class XlConsolesFakeXlTest {
    @TempDir
    Path dir;
    private FakeXl xl;
    private XlHypervisor backend;
    private Path logDir;

    @BeforeEach
    void setUp() throws Exception {
        xl = new FakeXl(dir);
        logDir = Files.createDirectories(dir.resolve("xen-console-logs"));
        backend = new XlHypervisor(new ProcessCommandRunner(), xl.settings().withXenstoreRead(xl.xenstoreRead.toString()), logDir);
    }

    @Test
    void anHvmGuestHasItsSerialPtyAndVncFromXenstore() throws Exception {
        DomainConfigSpec spec = spec("web", VirtualizationMode.HVM);
        Vnc vnc = new Vnc(true, "0.0.0.0");
        vnc.setDisplay(7);
        spec.setVnc(vnc);
        DomainInfo created = backend.createPaused(DefinitionFromSpec.of("web", UUID.randomUUID(), spec, List.of(), List.of()));
        Files.writeString(logDir.resolve("guest-web.log"), "booting\n");

        ConsoleEndpoints consoles = backend.consoles("web", created.domainId()).orElseThrow();

        assertThat(consoles.serialPty()).isEqualTo("/dev/pts/" + (created.domainId() + 10));
        assertThat(consoles.serialSocket()).isNull();
        assertThat(consoles.serialLog()).isEqualTo(logDir.resolve("guest-web.log").toString());
        assertThat(consoles.vncListen()).isEqualTo("0.0.0.0");
        assertThat(consoles.vncPort()).isEqualTo(5907);
        assertThat(consoles.vncDisplay()).isEqualTo(7);
    }

    @Test
    void aPvGuestHasThePvConsoleAndNoVnc() {
        DomainConfigSpec spec = spec("pv1", VirtualizationMode.PV);
        spec.setKernel("/boot/vmlinuz");
        DomainInfo created = backend.createPaused(DefinitionFromSpec.of("pv1", UUID.randomUUID(), spec, List.of(), List.of()));

        ConsoleEndpoints consoles = backend.consoles("pv1", created.domainId()).orElseThrow();

        assertThat(consoles.serialPty()).isEqualTo("/dev/pts/" + (created.domainId() + 20));
        assertThat(consoles.serialLog()).as("xenconsoled keeps no log for it").isNull();
        assertThat(consoles.vncPort()).isNull();
        assertThat(consoles.vncListen()).isNull();
    }

    @Test
    void xenstoreIsReadOncePerDomainIdAndAgainAfterARecreate() throws Exception {
        DomainDefinition web = DefinitionFromSpec.of("web", UUID.randomUUID(), spec("web", VirtualizationMode.HVM), List.of(), List.of());
        DomainInfo first = backend.createPaused(web);
        backend.consoles("web", first.domainId());
        backend.consoles("web", first.domainId());
        long reads = xl.calls().stream().filter(c -> c.startsWith("xenstore-read")).count();
        assertThat(reads).as("xenstore reads for the first look only").isEqualTo(3);

        backend.destroy("web");
        DomainInfo second = backend.createPaused(web);
        assertThat(backend.consoles("web", second.domainId()).orElseThrow().serialPty())
            .isEqualTo("/dev/pts/" + (second.domainId() + 10));
    }

    @Test
    void consolesAndBackendsLiveInOneXenstoreTreeAndGoWithTheDomain() {
        DomainInfo created = backend.createPaused(DefinitionFromSpec.of("web", UUID.randomUUID(),
            spec("web", VirtualizationMode.HVM), List.of(), List.of()));
        String domain = "/local/domain/" + created.domainId();

        assertThat(xl.xenstoreLs("/local/domain")).as("one tree: the domain's consoles beside dom0's backends for it")
            .contains(domain + "/serial/0/tty = \"/dev/pts/" + (created.domainId() + 10) + "\"",
                "/local/domain/0/backend/vbd/" + created.domainId() + "/51712/params = \"/fake/web.img\"");

        backend.destroy("web");

        assertThat(xl.xenstoreLs("/local/domain")).doesNotContain(domain + "/")
            .doesNotContain("backend/vbd/" + created.domainId() + "/").doesNotContain("backend/vif/" + created.domainId() + "/");
    }

    private static DomainConfigSpec spec(String name, VirtualizationMode mode) {
        DomainConfigSpec spec = new DomainConfigSpec();
        spec.setDisplayName(name);
        spec.setVcpus(1);
        spec.setMemoryMiB(256);
        spec.setVirtualizationMode(mode);
        return spec;
    }
}
