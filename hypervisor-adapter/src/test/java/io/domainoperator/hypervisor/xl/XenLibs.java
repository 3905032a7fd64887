package io.domainoperator.hypervisor.xl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds Xen 4.17's libxlutil where {@code .ci/setup.d/20-xen-libs.sh} unpacks it: {@code $DOMAIN_OPERATOR_CACHE/xen-4.17/lib}
 * (system property {@code domainoperator.cache} first, then the environment, then ~/.cache/domain-operator).
 */
final class XenLibs {
    /** Skips a jqwik property when the libraries are absent (an assumption per try would exhaust the property). */
    public static final class Required implements net.jqwik.api.lifecycle.SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(net.jqwik.api.lifecycle.LifecycleContext context) {
            return present() ? SkipResult.doNotSkip() : SkipResult.skip(absentReason());
        }
    }

    private static LibXlUtil loaded;

    private XenLibs() {
    }

    static Path libDir() {
        String cache = System.getProperty("domainoperator.cache", System.getenv("DOMAIN_OPERATOR_CACHE"));
        Path root = cache == null || cache.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache", "domain-operator") : Path.of(cache);
        return root.resolve("xen-4.17").resolve("lib");
    }

    static boolean present() {
        return Files.exists(libDir().resolve("libxlutil.so.4.17"));
    }

    static String absentReason() {
        return "Xen 4.17's libxlutil is absent from " + libDir() + "; run .ci/setup.d/20-xen-libs.sh (CI does) to unpack it";
    }

    /** The loaded library, or the test is skipped saying how to provide it. */
    static synchronized LibXlUtil libxlutil() {
        Path dir = libDir();
        assumeTrue(present(), absentReason());
        if (loaded == null) {
            loaded = LibXlUtil.load(dir);
        }
        return loaded;
    }
}
