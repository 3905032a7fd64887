package io.domainoperator.device;

import java.util.List;
import java.util.Optional;

/**
 * The narrow view of sysfs the plugin needs. Paths are relative to the sysfs root, e.g.
 * {@code bus/pci/devices/0000:01:00.0/class}. Keeping the seam this small lets tests put a fake kernel behind
 * it that reacts to writes (a write to {@code bind} moves the {@code driver} link), which plain files cannot do.
 *
 * <p>Reads return the attribute without its trailing newline; absent files read as empty, so discovery
 * tolerates devices that vanish (hot unplug) between a listing and a read.
 */
public interface Sysfs {

    /** The attribute's content without trailing whitespace, or empty when the file does not exist. */
    Optional<String> read(String path);

    /**
     * Writes value to an attribute in one write(2), as the kernel expects of sysfs stores.
     *
     * @throws SysfsException when the file is absent or the kernel rejects the value (EBUSY, ENODEV, ...)
     */
    void write(String path, String value);

    /** Names in a directory, sorted; empty when the directory does not exist. */
    List<String> list(String dir);

    /** The target of a symbolic link as stored (often relative), or empty when there is no link. */
    Optional<String> readlink(String path);

    boolean exists(String path);

    /** The last path element of a link's target, e.g. {@code e1000e} for a device's {@code driver} link. */
    default Optional<String> linkName(String path) {
        return readlink(path).map(target -> {
            String t = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
            return t.substring(t.lastIndexOf('/') + 1);
        });
    }
}
