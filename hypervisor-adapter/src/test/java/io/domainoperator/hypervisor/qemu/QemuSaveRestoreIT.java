package io.domainoperator.hypervisor.qemu;

import static io.domainoperator.hypervisor.qemu.TestGuest.console;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Save and restore on real QEMU with the tiny guest (one guest): a value written into the guest's tmpfs before the
 * save is read back after the domain was saved to a file, its QEMU ended, the backend closed and a new backend
 * restored it. A new QEMU process runs it, and the guest did not boot again.
 */
class QemuSaveRestoreIT {
    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Duration STEP = Duration.ofSeconds(60);

    @RegisterExtension
    final QemuNode node = new QemuNode();

    @Test
    void aSavedGuestGoesOnAfterRestoreWithoutABoot() throws Exception {
        Path guest = TestGuest.assumeGuest();
        DomainDefinition definition = TestGuest.linux("keep", guest);
        DomainInfo first = node.backend().createPaused(definition);
        node.backend().unpause("keep");
        await("guest booted (console marker)").atMost(BOOT).pollInterval(Duration.ofMillis(500))
            .until(() -> console(node.backend(), "keep").contains(TestGuest.READY_MARKER));
        String pidBefore = Files.readString(node.paths("keep").pidFile()).strip();
        String log = writeAndRead("echo kept-$((6*7)) > /tmp/value", "kept-42");

        Path image = node.stateDir().resolve("save/keep.img");
        Files.createDirectories(image.getParent());
        node.backend().saveToFile("keep", image.toString());
        assertThat(node.backend().listDomains()).as("the saved domain is gone").isEmpty();
        assertThat(Files.size(image)).as("the image holds the guest's memory").isGreaterThan(1L << 20);
        node.detach();

        node.attach();
        DomainInfo restored = node.backend().restorePaused(definition, image.toString());
        assertThat(restored.state().paused()).as("restored paused: %s", restored.state()).isTrue();
        node.backend().unpause("keep");
        String pidAfter = Files.readString(node.paths("keep").pidFile()).strip();
        assertThat(pidAfter).as("a new QEMU process").isNotEqualTo(pidBefore);
        assertThat(restored.domainId()).as("a new domain id").isNotEqualTo(first.domainId());
        String after = writeAndRead("true", "kept-42");
        assertThat(count(after, TestGuest.READY_MARKER)).as("the restored guest did not boot again: %s", after)
            .isZero();
        assertThat(Files.exists(image)).as("the backend never deletes the image").isTrue();
        assertThat(log).contains("kept-42");
    }

    /** Types a command on the guest's serial shell (its console socket) and waits for {@code expected} in the log. */
    private String writeAndRead(String command, String expected) throws Exception {
        Path socket = node.paths("keep").consoleSocket();
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap((command + "; cat /tmp/value\n").getBytes(StandardCharsets.US_ASCII)));
            await("guest answered " + expected).atMost(STEP).pollInterval(Duration.ofMillis(500))
                .until(() -> console(node.backend(), "keep").contains(expected));
        }
        return console(node.backend(), "keep");
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }
}
