package io.domainoperator.device;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temp dirs on tmpfs when the machine has /dev/shm: the fake sysfs is hundreds of small files per test and the
 * journal fsyncs every step, which is what production sees too (/sys and /run are in memory). Falls back to the
 * default temp dir elsewhere. Set as the default factory in junit-platform.properties.
 */
public final class TmpfsTempDirFactory implements TempDirFactory {
    private static final Path SHM = Path.of("/dev/shm");

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws Exception {
        return Files.isDirectory(SHM) && Files.isWritable(SHM)
            ? Files.createTempDirectory(SHM, "device-plugin-test")
            : Files.createTempDirectory("device-plugin-test");
    }
}
