package io.domainoperator.device;

import io.domainoperator.hypervisor.AtomicFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The journal as one JSON file, replaced atomically: write a temporary file beside it, fsync it, rename it over
 * the old one, fsync the directory. Put it on tmpfs ({@code /run/domain-operator/devices.json}): it describes
 * kernel state, which a reboot clears as well.
 */
public final class FileDeviceJournal implements DeviceJournal {
    private static final ObjectMapper JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;

    public FileDeviceJournal(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    @Override
    public JournalState load() {
        try {
            return JSON.readValue(Files.readAllBytes(file), JournalState.class);
        } catch (NoSuchFileException e) {
            return JournalState.EMPTY;
        } catch (IOException e) {
            throw new UncheckedIOException("device journal " + file + " is unreadable (" + e.getMessage()
                + "); it is only ever replaced atomically, so something else wrote it. Check the file; deleting it "
                + "makes the agent forget which domain holds which device", e);
        }
    }

    @Override
    public void store(JournalState state) {
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("cannot serialize device journal " + file + " (" + e.getMessage() + ")", e);
        }
    }
}
