package io.domainoperator.hypervisor.qemu;

import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.qemu.QemuOptions.VifNetworking;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One node's QEMU backend for a real-QEMU IT ({@code @RegisterExtension QemuNode node = new QemuNode()}): before each
 * test, a state directory of its own and the backend over it with user networking, as an agent holds it; after each
 * test every domain destroyed, re-attaching first when the test left the backend closed, so that no QEMU outlives
 * the test. The test stops and starts "the agent" with {@link #detach()} and {@link #attach()}; QEMUs run on
 * meanwhile, as they do on a node. Skips the test when QEMU is absent.
 */
final class QemuNode implements BeforeEachCallback, AfterEachCallback {
    private Path stateDir;
    private QemuOptions options;
    private QemuHypervisor backend;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        TestGuest.assumeQemu();
        // Short, under /tmp: the QMP and console sockets live below it, within the unix socket path limit.
        stateDir = Files.createTempDirectory("qemu-node-");
        options = QemuOptions.defaults(stateDir).withVifNetworking(VifNetworking.USER);
        attach();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (stateDir == null) {
            return;
        }
        try {
            QemuHypervisor last = backend != null ? backend : attach();
            last.listDomains().forEach(d -> last.destroy(d.name()));
            detach();
        } finally {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(QemuNode::delete);
            }
        }
    }

    /** The backend the test's "agent" holds now; fails when the test detached it. */
    QemuHypervisor backend() {
        if (backend == null) {
            throw new IllegalStateException("the backend is detached (no agent runs): attach() first");
        }
        return backend;
    }

    /** A new backend over the same state directory, as an agent that starts: it re-attaches to the QEMUs there. */
    QemuHypervisor attach() {
        if (backend != null) {
            throw new IllegalStateException("a backend is attached already: one agent per state directory");
        }
        backend = new QemuHypervisor(options, new ProcessCommandRunner());
        return backend;
    }

    /** {@link #attach()} with other options, from now on (e.g. shorter QMP timeouts). */
    QemuHypervisor attach(UnaryOperator<QemuOptions> change) {
        options = change.apply(options);
        return attach();
    }

    /** Closes the backend, as an agent that stops: its QEMUs keep running. */
    void detach() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    /** {@link #detach()} then {@link #attach()}: an agent restarted. */
    QemuHypervisor restart() {
        detach();
        return attach();
    }

    Path stateDir() {
        return stateDir;
    }

    QemuOptions options() {
        return options;
    }

    /** Where the domain's runtime files are (sockets, pidfile, console log). */
    DomainPaths paths(String domain) {
        return new DomainPaths(options.domainsDir().resolve(domain));
    }

    /** The domain's serial console log so far, read from the file (no backend needed); empty when there is none. */
    String console(String domain) {
        Path log = paths(domain).consoleLog();
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + path, e);
        }
    }
}
