package io.domainoperator.hypervisor.xl;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Xen's own config parser, libxlutil (Xen 4.17), loaded with JNA: the authority on what {@code xl create}
 * reads from a file. Used to check rendered files; see {@link XlUtilCheck}.
 *
 * <p>The libraries need not be installed: {@link #load(Path)} takes a directory holding libxlutil and the
 * libraries it links against (libxenlight, libxenctrl, libxentoollog, ...) and loads them in dependency order by
 * absolute path, so the dynamic linker finds each dependency already loaded under its soname and no
 * {@code LD_LIBRARY_PATH} is needed.
 */
public final class LibXlUtil {
    /** Offsets in Xen 4.17's {@code libxl_device_disk} (x86_64), checked with offsetof against libxen-dev's headers. */
    private static final int DISK_SIZE = 144;
    private static final int DISK_PDEV_PATH = 16;
    private static final int DISK_VDEV = 24;
    private static final int DISK_FORMAT = 36;
    private static final int DISK_READWRITE = 52;
    private static final int DISK_IS_CDROM = 56;
    /** {@code libxl_device_pci}: uint8 func, dev, bus; int domain at 4; 32 bytes in all. */
    private static final int PCI_SIZE = 32;
    /** libxl_disk_format values. */
    private static final Map<Integer, String> DISK_FORMATS = Map.of(0, "unknown", 1, "qcow", 2, "qcow2", 3, "vhd",
        4, "raw", 5, "empty", 6, "qed");
    private static final int ESRCH = 3;

    interface XlUtil extends Library {
        Pointer xlu_cfg_init(Pointer report, String reportFilename);

        int xlu_cfg_readdata(Pointer cfg, byte[] data, int length);

        void xlu_cfg_destroy(Pointer cfg);

        int xlu_cfg_get_string(Pointer cfg, String name, PointerByReference value, int dontWarn);

        int xlu_cfg_get_long(Pointer cfg, String name, LongByReference value, int dontWarn);

        int xlu_cfg_get_list(Pointer cfg, String name, PointerByReference list, IntByReference entries, int dontWarn);

        Pointer xlu_cfg_get_listitem(Pointer list, int entry);

        int xlu_disk_parse(Pointer cfg, int nspecs, String[] specs, Pointer disk);

        int xlu_pci_parse_spec_string(Pointer cfg, Pointer pci, String spec);
    }

    interface XenLight extends Library {
        void libxl_device_disk_init(Pointer disk);

        void libxl_device_disk_dispose(Pointer disk);

        void libxl_device_pci_init(Pointer pci);

        void libxl_device_pci_dispose(Pointer pci);
    }

    interface LibC extends Library {
        Pointer fopen(String path, String mode);

        int fflush(Pointer file);

        int fclose(Pointer file);
    }

    /** A disk as xlu_disk_parse filled libxl_device_disk. */
    public record Disk(String pdevPath, String vdev, String format, boolean readWrite, boolean cdrom) {
    }

    /** A PCI device as xlu_pci_parse_spec_string filled libxl_device_pci. */
    public record Pci(int domain, int bus, int dev, int func) {
        /** The long form, {@code 0000:07:00.0}. */
        public String address() {
            return "%04x:%02x:%02x.%x".formatted(domain, bus, dev, func);
        }
    }

    private final XlUtil xlu;
    private final XenLight xl;
    private final LibC libc;

    private LibXlUtil(XlUtil xlu, XenLight xl, LibC libc) {
        this.xlu = xlu;
        this.xl = xl;
        this.libc = libc;
    }

    /**
     * Loads libxlutil from libDir.
     *
     * @throws IllegalStateException naming the library that did not load and why
     */
    public static LibXlUtil load(Path libDir) {
        Path xlutil = libDir.resolve("libxlutil.so.4.17");
        if (!Files.exists(xlutil)) {
            throw new IllegalStateException(xlutil + " does not exist; .ci/setup.d/20-xen-libs.sh unpacks Xen 4.17's libraries there");
        }
        preloadDependencies(libDir);
        Map<String, Object> options = Map.of(Library.OPTION_STRING_ENCODING, "ISO-8859-1");
        try {
            XlUtil xlu = Native.load(xlutil.toString(), XlUtil.class, options);
            XenLight xl = Native.load(libDir.resolve("libxenlight.so.4.17").toString(), XenLight.class, options);
            LibC libc = Native.load("c", LibC.class, options);
            return new LibXlUtil(xlu, xl, libc);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("libxlutil in " + libDir + " did not load: " + e.getMessage(), e);
        }
    }

    /**
     * Loads Xen 4.17's libxlutil as installed on a Xen node (Debian's libxenmisc4.17), through the dynamic linker's
     * own search path.
     *
     * @throws IllegalStateException when it is not installed
     */
    public static LibXlUtil loadInstalled() {
        Map<String, Object> options = Map.of(Library.OPTION_STRING_ENCODING, "ISO-8859-1");
        try {
            XlUtil xlu = Native.load("libxlutil.so.4.17", XlUtil.class, options);
            XenLight xl = Native.load("libxenlight.so.4.17", XenLight.class, options);
            return new LibXlUtil(xlu, xl, Native.load("c", LibC.class, options));
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("libxlutil.so.4.17 is not installed: " + e.getMessage(), e);
        }
    }

    /** Loads every shared object in libDir, retrying those whose dependencies were not loaded yet. */
    private static void preloadDependencies(Path libDir) {
        List<Path> pending;
        try (Stream<Path> files = Files.list(libDir)) {
            // Only the soname links (libfoo.so.N): loading a file twice under two names would map it twice.
            pending = new ArrayList<>(files.filter(p -> p.getFileName().toString().matches("lib.*\\.so\\.[0-9]+(\\.[0-9]+)?"))
                .filter(p -> !p.getFileName().toString().matches(".*\\.so\\.[0-9]+\\.[0-9]+\\.[0-9]+"))
                .sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> lastErrors = List.of();
        while (!pending.isEmpty()) {
            List<Path> failed = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (Path lib : pending) {
                try {
                    NativeLibrary.getInstance(lib.toString());
                } catch (UnsatisfiedLinkError e) {
                    failed.add(lib);
                    errors.add(e.getMessage());
                }
            }
            if (failed.size() == pending.size()) {
                lastErrors = errors;
                break;
            }
            pending = failed;
        }
        if (!lastErrors.isEmpty() && pending.stream().anyMatch(p -> p.getFileName().toString().startsWith("libxlutil"))) {
            throw new IllegalStateException("libraries in " + libDir + " did not load: " + String.join("; ", lastErrors));
        }
    }

    /**
     * Parses config text the way {@code xl create} does.
     *
     * @throws IllegalArgumentException with libxlutil's own report when the text does not parse
     */
    public Parsed parse(String text, String fileName) {
        Path report = tempReport();
        Pointer file = libc.fopen(report.toString(), "w+");
        if (file == null) {
            throw new IllegalStateException("cannot open " + report + " for libxlutil's report");
        }
        Pointer cfg = xlu.xlu_cfg_init(file, fileName);
        if (cfg == null) {
            libc.fclose(file);
            throw new IllegalStateException("xlu_cfg_init failed (out of memory)");
        }
        byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
        int rc = xlu.xlu_cfg_readdata(cfg, data, data.length);
        Parsed parsed = new Parsed(cfg, file, report);
        if (rc != 0) {
            String message = parsed.report();
            parsed.close();
            throw new IllegalArgumentException("libxlutil rejected " + fileName + " (errno " + rc + "): " + message.strip());
        }
        return parsed;
    }

    private static Path tempReport() {
        try {
            return Files.createTempFile("xlu-report", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A parsed file. Not thread-safe; close it to free the native config. */
    public final class Parsed implements AutoCloseable {
        private Pointer cfg;
        private final Pointer reportFile;
        private final Path reportPath;

        private Parsed(Pointer cfg, Pointer reportFile, Path reportPath) {
            this.cfg = cfg;
            this.reportFile = reportFile;
            this.reportPath = reportPath;
        }

        /** xlu_cfg_get_string; null when the key is absent. */
        public String getString(String key) {
            PointerByReference value = new PointerByReference();
            int rc = xlu.xlu_cfg_get_string(cfg, key, value, 0);
            return switch (rc) {
                case 0 -> value.getValue().getString(0, "ISO-8859-1");
                case ESRCH -> null;
                default -> throw new IllegalArgumentException("'" + key + "' is not a string (errno " + rc + "): " + report());
            };
        }

        /** xlu_cfg_get_long; null when the key is absent. */
        public Long getLong(String key) {
            LongByReference value = new LongByReference();
            int rc = xlu.xlu_cfg_get_long(cfg, key, value, 0);
            return switch (rc) {
                case 0 -> value.getValue();
                case ESRCH -> null;
                default -> throw new IllegalArgumentException("'" + key + "' is not a number (errno " + rc + "): " + report());
            };
        }

        /** xlu_cfg_get_list + xlu_cfg_get_listitem; null when the key is absent. */
        public List<String> getList(String key) {
            PointerByReference list = new PointerByReference();
            IntByReference entries = new IntByReference();
            int rc = xlu.xlu_cfg_get_list(cfg, key, list, entries, 0);
            if (rc == ESRCH) {
                return null;
            }
            if (rc != 0) {
                throw new IllegalArgumentException("'" + key + "' is not a list (errno " + rc + "): " + report());
            }
            List<String> items = new ArrayList<>();
            for (int i = 0; i < entries.getValue(); i++) {
                Pointer item = xlu.xlu_cfg_get_listitem(list.getValue(), i);
                items.add(item == null ? null : item.getString(0, "ISO-8859-1"));
            }
            return items;
        }

        /** xlu_disk_parse of one disk spec into a libxl_device_disk. */
        public Disk parseDisk(String spec) {
            Memory disk = new Memory(DISK_SIZE * 2L); // room to spare should a field be added
            disk.clear();
            xl.libxl_device_disk_init(disk);
            try {
                int rc = xlu.xlu_disk_parse(cfg, 1, new String[] {spec}, disk);
                if (rc != 0) {
                    throw new IllegalArgumentException("xlu_disk_parse rejected '" + spec + "' (errno " + rc + "): " + report().strip());
                }
                return new Disk(string(disk, DISK_PDEV_PATH), string(disk, DISK_VDEV),
                    DISK_FORMATS.getOrDefault(disk.getInt(DISK_FORMAT), "?"), disk.getInt(DISK_READWRITE) != 0,
                    disk.getInt(DISK_IS_CDROM) != 0);
            } finally {
                xl.libxl_device_disk_dispose(disk);
            }
        }

        /** xlu_pci_parse_spec_string of one pci entry into a libxl_device_pci. */
        public Pci parsePci(String spec) {
            Memory pci = new Memory(PCI_SIZE * 2L);
            pci.clear();
            xl.libxl_device_pci_init(pci);
            try {
                int rc = xlu.xlu_pci_parse_spec_string(cfg, pci, spec);
                if (rc != 0) {
                    throw new IllegalArgumentException("xlu_pci_parse_spec_string rejected '" + spec + "' (errno " + rc + "): " + report().strip());
                }
                return new Pci(pci.getInt(4), Byte.toUnsignedInt(pci.getByte(2)), Byte.toUnsignedInt(pci.getByte(1)),
                    Byte.toUnsignedInt(pci.getByte(0)));
            } finally {
                xl.libxl_device_pci_dispose(pci);
            }
        }

        private static String string(Memory struct, int offset) {
            Pointer p = struct.getPointer(offset);
            return p == null ? null : p.getString(0, "ISO-8859-1");
        }

        /** What libxlutil printed to its report stream so far (warnings, syntax errors). */
        public String report() {
            libc.fflush(reportFile);
            try {
                return Files.readString(reportPath, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return "(report unreadable: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() {
            if (cfg != null) {
                xlu.xlu_cfg_destroy(cfg);
                cfg = null;
                libc.fclose(reportFile);
                try {
                    Files.deleteIfExists(reportPath);
                } catch (IOException ignored) {
                    // a stray temp file is harmless
                }
            }
        }
    }
}
