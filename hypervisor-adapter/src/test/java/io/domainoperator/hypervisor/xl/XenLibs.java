package io.domainoperator.hypervisor.xl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds Xen 4.17's libxlutil where {@code .ci/setup.d/20-xen-libs.sh} unpacks it: {@code $DOMAIN_OPERATOR_CACHE/xen-4.17/lib}
 * (system property {@code domainoperator.cache} first, then the environment, then ~/.cache/domain-operator).
 */
final class XenLibs {
    private static LibXlUtil loaded;

    private XenLibs() {
    }

    static Path libDir() {
        String cache = System.getProperty("domainoperator.cache", System.getenv("DOMAIN_OPERATOR_CACHE"));
        Path root = cache == null || cache.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache", "domain-operator") : Path.of(cache);
        return root.resolve("xen-4.17").resolve("lib");
    }

    /** The loaded library, or the test is skipped saying how to provide it. */
    static synchronized LibXlUtil libxlutil() {
        Path dir = libDir();
        assumeTrue(Files.exists(dir.resolve("libxlutil.so.4.17")),
            "Xen 4.17's libxlutil is absent from " + dir + "; run .ci/setup.d/20-xen-libs.sh (CI does) to unpack it");
        if (loaded == null) {
            loaded = LibXlUtil.load(dir);
        }
        return loaded;
    }
}
