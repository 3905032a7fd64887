package io.domainoperator.hypervisor.xl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Xen's own parser for import-xl and export-xl at run time, when the machine has it: every Xen node does
 * (Debian's libxenmisc4.17). {@code DOMAIN_OPERATOR_XEN_LIBDIR} points at an unpacked copy instead (as CI's
 * cache). Absent, the commands work as before and say the check was skipped.
 */
public final class XlUtilRuntime {
    public static final String LIBDIR_ENV = "DOMAIN_OPERATOR_XEN_LIBDIR";
    private static Optional<LibXlUtil> installed;
    private static String absentReason = "";

    private XlUtilRuntime() {
    }

    /** The library, loaded once; empty when neither the directory nor an installed copy loads. */
    public static synchronized Optional<LibXlUtil> installed() {
        if (installed == null) {
            installed = locate(System.getenv(LIBDIR_ENV));
        }
        return installed;
    }

    /** Why {@link #installed()} is empty. */
    public static synchronized String absentReason() {
        installed();
        return absentReason;
    }

    static Optional<LibXlUtil> locate(String libDir) {
        try {
            if (libDir != null && !libDir.isBlank() && Files.isDirectory(Path.of(libDir))) {
                return Optional.of(LibXlUtil.load(Path.of(libDir)));
            }
            return Optional.of(LibXlUtil.loadInstalled());
        } catch (IllegalStateException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            absentReason = "Xen's libxlutil 4.17 is not installed (" + e.getMessage() + "); the file was not checked with xl's own parser";
            return Optional.empty();
        }
    }
}
