package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDeviceJournalTest {
    @TempDir
    Path dir;

    @Test
    void anAbsentFileIsAnEmptyJournal() {
        assertThat(new FileDeviceJournal(dir.resolve("run/devices.json")).load()).isEqualTo(JournalState.EMPTY);
    }

    @Test
    void storesAndLoadsEveryField() {
        FileDeviceJournal journal = new FileDeviceJournal(dir.resolve("run/devices.json"));
        PendingMove move = new PendingMove("assign default/desktop",
            List.of(new DeviceMove(Machine.GPU, "nouveau", DeviceMove.Destination.PASSTHROUGH),
                new DeviceMove(Machine.GPU_AUDIO, null, DeviceMove.Destination.PASSTHROUGH)),
            "default/desktop", true, "0000:01:00.0 unbind bus/pci/drivers/nouveau/unbind");
        JournalState state = new JournalState(move, Map.of(Machine.ETH1, "net/router"), Map.of(Machine.ETH1, "igb"));

        journal.store(state);

        assertThat(new FileDeviceJournal(dir.resolve("run/devices.json")).load()).isEqualTo(state);
        assertThat(dir.resolve("run")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void aLeftoverTemporaryFileFromACrashIsIgnoredAndReplaced() throws Exception {
        FileDeviceJournal journal = new FileDeviceJournal(dir.resolve("devices.json"));
        journal.store(new JournalState(null, Map.of(Machine.GPU, "a/b"), Map.of()));
        Files.writeString(dir.resolve("devices.json.tmp"), "{ half a");

        assertThat(journal.load().holders()).containsEntry(Machine.GPU, "a/b");
        journal.store(JournalState.EMPTY);
        assertThat(journal.load()).isEqualTo(JournalState.EMPTY);
    }

    @Test
    void aCorruptJournalIsAClearError() throws Exception {
        Files.writeString(dir.resolve("devices.json"), "not json");

        assertThatThrownBy(() -> new FileDeviceJournal(dir.resolve("devices.json")).load())
            .isInstanceOf(UncheckedIOException.class).hasMessageContaining("devices.json").hasMessageContaining("unreadable");
    }
}
