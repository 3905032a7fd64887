package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.ReadinessProbe;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.qemu.QemuOptions.Accelerator;
import io.domainoperator.hypervisor.qemu.QemuOptions.VifNetworking;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.domainoperator.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guest agent's channel: rendered only when spec.readinessProbe.guestAgent asks, found again from domain.json. */
class GuestAgentChannelTest {
    private static final DomainPaths PATHS = new DomainPaths(Path.of("/var/lib/do/qemu/vm1"));
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @TempDir
    Path dir;

    @Test
    void aGuestAgentProbeGivesTheDomainTheVirtioSerialPortQemuGaLooksFor() {
        List<String> argv = render(probed(true)).argv();

        assertThat(String.join(" ", argv)).contains(
            "-chardev socket,id=qga0,path=/var/lib/do/qemu/vm1/qga.sock,server=on,wait=off"
                + " -device virtio-serial-pci,id=qga-serial0"
                + " -device virtserialport,bus=qga-serial0.0,chardev=qga0,name=org.qemu.guest_agent.0");
        assertThat(GuestAgentChannel.socketOf(new DomainRecord(7, "tcg", argv, definition(probed(true))), PATHS))
            .contains("/var/lib/do/qemu/vm1/qga.sock");
    }

    @Test
    void withoutTheProbeThereIsNoChannel() {
        List<String> argv = render(probed(false)).argv();

        assertThat(String.join(" ", argv)).doesNotContain("qga").doesNotContain("virtio-serial");
        assertThat(GuestAgentChannel.socketOf(new DomainRecord(7, "tcg", argv, definition(probed(false))), PATHS)).isEmpty();
    }

    @Test
    void theChannelSurvivesTheRecordAndARecordOfAnOlderAgentHasNone() throws Exception {
        DomainDefinition definition = definition(probed(true));
        Path file = dir.resolve("domain.json");
        Files.writeString(file, JSON.writeValueAsString(new DomainRecord(7, "tcg", render(probed(true)).argv(), definition)));
        assertThat(DomainRecord.read(JSON, file).definition().console().guestAgentChannel()).isTrue();

        ObjectNode older = (ObjectNode) JSON.readTree(file.toFile());
        ((ObjectNode) older.path("definition").path("console")).remove("guestAgentChannel");
        Files.writeString(file, older.toString());
        assertThat(DomainRecord.read(JSON, file).definition().console().guestAgentChannel()).isFalse();
    }

    private static DomainConfigSpec probed(boolean guestAgent) {
        DomainConfigSpec spec = Specs.minimal("vm1", 1, 128);
        ReadinessProbe probe = new ReadinessProbe();
        probe.setSerial(new ReadinessProbe.SerialProbe("login: "));
        if (guestAgent) {
            probe.setGuestAgent(new ReadinessProbe.GuestAgentProbe());
        }
        spec.setReadinessProbe(probe);
        return spec;
    }

    private static DomainDefinition definition(DomainConfigSpec spec) {
        return DefinitionFromSpec.inPlace("vm1", UUID.fromString("6f3a1d2e-0000-4000-8000-00000000ab12"), spec);
    }

    private static QemuCommandLine.Launch render(DomainConfigSpec spec) {
        return QemuCommandLine.render("qemu-system-x86_64", definition(spec), 7, PATHS, Accelerator.TCG, VifNetworking.USER);
    }
}
