package io.domainoperator.hypervisor.xl;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.LiveMigration;
import io.domainoperator.hypervisor.MigrationProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Xen 4.17's live migration, {@code xl migrate} and {@code xl migrate-receive}, over a transport the agents provide
 * instead of ssh. The source runs {@code xl migrate -s "" -e -p <domain> "<transport> HOST PORT"}: with an empty ssh
 * command xl runs the "host" string through sh as its channel, so the transport command (the agent's
 * {@code domain-operator migration-pipe}) connects xl's stream to the target. The target's agent listens on HOST:PORT
 * and, for the one connection it accepts, runs {@code xl migrate-receive -e -p} with the socket as its stdin and stdout:
 * {@code -p} leaves the received domain paused until the hand-over is on record ({@link #resume}).
 *
 * <p>Unlike QEMU, xl's own protocol destroys the source domain once the target acknowledged the stream, so the
 * outcome of {@code xl migrate} is kept in a file ({@code <run-dir>/migrate/<domain>.rc}): an agent restarted after
 * the copy still learns that it completed. The domain is created on the target only when the stream arrives.
 */
final class XlLiveMigration implements LiveMigration {
    private static final Logger LOG = LoggerFactory.getLogger(XlLiveMigration.class);
    private final Hypervisor hypervisor;
    private final String xl;
    private final Path dir;
    private final List<String> transport;
    /** Makes the backend count the domain as ours once it arrives (its registry of uuids). */
    private final java.util.function.Consumer<DomainDefinition> claim;
    private final Map<String, MigrationProgress> incoming = new ConcurrentHashMap<>();
    private final Map<String, Process> outgoing = new ConcurrentHashMap<>();
    /** The listeners of incoming copies no stream has reached yet. */
    private final Map<String, ServerSocket> listeners = new ConcurrentHashMap<>();
    /** Listeners replaced by a later prepareIncoming of the same name (closed on purpose). */
    private final java.util.Set<ServerSocket> replaced = ConcurrentHashMap.newKeySet();
    /** When a cancel of each outgoing copy was first asked (System.nanoTime). */
    private final Map<String, Long> cancelAsked = new ConcurrentHashMap<>();
    static final int XL_CANCEL_GRACE_SECONDS = 5;
    /** Where the transport counts the bytes it sent (the controller's MigrationPipeCommand reads this variable). */
    static final String SENT_FILE_ENV = "DOMAIN_OPERATOR_MIGRATION_SENT_FILE";

    /**
     * @param transport the command (and leading arguments) that joins its stdin and stdout to TCP {@code HOST PORT},
     *                  given as its two last arguments
     */
    XlLiveMigration(Hypervisor hypervisor, String xl, Path runDir, List<String> transport,
                    java.util.function.Consumer<DomainDefinition> claim) {
        this.claim = claim;
        this.hypervisor = hypervisor;
        this.xl = xl;
        this.dir = runDir.resolve("migrate");
        this.transport = List.copyOf(transport);
    }

    /** The argv of the source's copy, as Xen 4.17's xl takes it. */
    List<String> migrateArgv(String name, String host, int port) {
        String channel = String.join(" ", transport.stream().map(XlLiveMigration::shellQuote).toList())
            + " " + shellQuote(host) + " " + port;
        return List.of(xl, "migrate", "-s", "", "-e", "-p", name, channel);
    }

    List<String> transport() {
        return transport;
    }

    List<String> receiveArgv() {
        return List.of(xl, "migrate-receive", "-e", "-p");
    }

    @Override
    public DomainInfo prepareIncoming(DomainDefinition definition, String host, int port) {
        String name = definition.name();
        try {
            // A domain arriving here has no outgoing copy from here: records of an earlier move of the name are stale.
            Files.deleteIfExists(rcFile(name));
            Files.deleteIfExists(pidFile(name));
        } catch (IOException e) {
            throw new HypervisorException("prepareIncoming", name, "cannot clear an earlier move's record: " + e.getMessage(), e);
        }
        ServerSocket server;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new HypervisorException("prepareIncoming", name, "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        claim.accept(definition);
        ServerSocket earlier = listeners.put(name, server);
        if (earlier != null) {
            replaced.add(earlier);
            closeQuietly(earlier); // an earlier attempt's listener no stream ever reached: its port is freed
        }
        incoming.put(name, new MigrationProgress(MigrationProgress.State.ACTIVE, 0, 0, null));
        Thread.ofPlatform().daemon().name("xl-migrate-receive-" + name).start(() -> receive(name, server));
        LOG.info("domain {}: prepareIncoming: waiting on {}:{} for xl migrate", name, host, port);
        return null; // xl creates the domain from the stream
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debug("closing a migration listener: {}", e.getMessage());
        }
    }

    private void receive(String name, ServerSocket server) {
        try (server; Socket socket = server.accept()) {
            listeners.remove(name, server);
            Process p = new ProcessBuilder(receiveArgv()).redirectError(ProcessBuilder.Redirect.PIPE).start();
            Thread in = Thread.ofPlatform().daemon().start(() -> pump(socket, p.getOutputStream()));
            pump(p.getInputStream(), socket);
            in.interrupt();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int rc = p.waitFor();
            incoming.put(name, rc == 0 ? new MigrationProgress(MigrationProgress.State.COMPLETED, 0, 0, null)
                : MigrationProgress.failed("xl migrate-receive exited " + rc + ": " + err));
        } catch (IOException | InterruptedException e) {
            if (replaced.remove(server)) {
                return; // closed because a later attempt replaced it: that attempt's state is not this one's to write
            }
            incoming.put(name, MigrationProgress.failed("receiving failed: " + e.getMessage()));
        }
    }



    @Override
    public void migrateOut(String name, String host, int port) {
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(rcFile(name));
            Files.deleteIfExists(pidFile(name));
            Files.deleteIfExists(sentFile(name));
            List<String> argv = new java.util.ArrayList<>(List.of("sh", "-c", "\"$@\"; echo $? > \"$XL_MIGRATE_RC\"", "sh"));
            argv.addAll(migrateArgv(name, host, port));
            ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errFile(name).toFile());
            pb.environment().put("XL_MIGRATE_RC", rcFile(name).toString());
            // The agent's migration-pipe counts the bytes it sends there: xl itself reports nothing while it copies.
            pb.environment().put(SENT_FILE_ENV, sentFile(name).toString());
            Process wrapper = pb.start();
            outgoing.put(name, wrapper);
            // An agent restarted mid-copy finds the pair by this file: the copy runs on without the agent that began it.
            io.domainoperator.hypervisor.AtomicFiles.write(pidFile(name), Long.toString(wrapper.pid()));
            cancelAsked.remove(name);
            LOG.info("domain {}: migrateOut: {}", name, String.join(" ", migrateArgv(name, host, port)));
        } catch (IOException e) {
            throw new HypervisorException("migrateOut", name, "cannot start xl migrate: " + e.getMessage(), e);
        }
    }

    @Override
    public MigrationProgress progress(String name) {
        try {
            if (Files.exists(rcFile(name))) {
                String rc = Files.readString(rcFile(name)).strip();
                if ("0".equals(rc) && hypervisor.look(name).isPresent()) {
                    // xl destroys the sender's domain before it exits 0: a domain of that name here now is another
                    // one (booted or arrived since), and this record is of an earlier move, not its copy.
                    return MigrationProgress.NONE;
                }
                return "0".equals(rc) ? new MigrationProgress(MigrationProgress.State.COMPLETED, 0, 0, null)
                    : MigrationProgress.failed("xl migrate exited " + rc + ": " + (Files.exists(errFile(name))
                        ? Files.readString(errFile(name)).strip() : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (outgoingPair(name).isPresent()) {
            return new MigrationProgress(MigrationProgress.State.ACTIVE, 0, 0, null, sentBytes(name), MigrationProgress.UNKNOWN);
        }
        if (Files.exists(pidFile(name)) && !incoming.containsKey(name)) {
            // Started here, gone, and no exit status: the pair was killed with its sh (a node reboot, a kill by hand).
            return MigrationProgress.failed("xl migrate ended without an exit status (killed?)");
        }
        MigrationProgress arriving = incoming.getOrDefault(name, MigrationProgress.NONE);
        if (arriving.state() != MigrationProgress.State.NONE
            && hypervisor.look(name).map(d -> d.state().isAlive()).orElse(false)) {
            // An incoming domain stays paused until resumed: a running one is the guest that arrived (or came back)
            // long ago, and that record is no copy from here. Read as one, the next move off this node would be handed
            // over at once, without a byte sent (as QEMU's "completed" of an arrival was, QemuLiveMigration.progressOf).
            incoming.remove(name);
            return MigrationProgress.NONE;
        }
        return arriving;
    }

    /**
     * Ends the copy the way a broken network would: the transport is killed, so xl itself sees the stream fail and
     * resumes the domain at the sender (xl's own failure path; killing xl in the final stop-and-copy would leave the
     * domain suspended). xl still running {@value #XL_CANCEL_GRACE_SECONDS} s after the first cancel (stuck in a call
     * that does not return) is killed too; the sh around it then records a failed exit status. Each call does one
     * round, without waiting: the source agent asks again while the copy is still reported active.
     */
    @Override
    public void cancel(String name) {
        java.util.Optional<ProcessHandle> pair = outgoingPair(name);
        if (pair.isEmpty()) {
            return;
        }
        long firstAsked = cancelAsked.computeIfAbsent(name, k -> System.nanoTime());
        List<ProcessHandle> xls = pair.get().children().toList();
        // Stopped before the tree is listed: a transport that forks while it is killed (bash starting its two cats)
        // would leave a child listed too late, reparented out of reach and holding xl's pipe open, so that xl never
        // saw the stream fail (XlLiveMigrationFakeXlTest, once in CI). SIGKILL ends stopped processes too.
        signal("STOP", xls.stream().flatMap(ProcessHandle::children).toList());
        List<ProcessHandle> transport = xls.stream().flatMap(ProcessHandle::descendants).toList();
        transport.forEach(ProcessHandle::destroyForcibly);
        if (System.nanoTime() - firstAsked > java.util.concurrent.TimeUnit.SECONDS.toNanos(XL_CANCEL_GRACE_SECONDS)) {
            LOG.warn("domain {}: cancelMigration: xl migrate outlived its transport by {} s; killing it", name,
                XL_CANCEL_GRACE_SECONDS);
            xls.forEach(ProcessHandle::destroyForcibly);
        }
        LOG.info("domain {}: cancelMigration: killed the transport of xl migrate ({} processes)", name, transport.size());
    }

    /** Sends a signal the JDK has no call for; best effort (a process may have ended meanwhile). */
    private static void signal(String name, List<ProcessHandle> processes) {
        if (processes.isEmpty()) {
            return;
        }
        List<String> argv = new java.util.ArrayList<>(List.of("kill", "-" + name));
        processes.forEach(p -> argv.add(Long.toString(p.pid())));
        try {
            new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.warn("cannot send SIG{} to {}: {}", name, argv.subList(2, argv.size()), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The sh running this node's {@code xl migrate} of {@code name}, while it runs (also one an earlier agent began). */
    private java.util.Optional<ProcessHandle> outgoingPair(String name) {
        Process p = outgoing.get(name);
        if (p != null) {
            return p.isAlive() ? java.util.Optional.of(p.toHandle()) : java.util.Optional.empty();
        }
        try {
            if (!Files.exists(pidFile(name))) {
                return java.util.Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile(name)).strip());
            // A reused pid is some other process: ours is the sh whose arguments name xl migrate of this domain.
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> {
                List<String> argv = commandLine(pid);
                return argv.contains("migrate") && argv.contains(name);
            });
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** The process's argv from {@code /proc} (ProcessHandle.Info leaves the arguments out for some processes). */
    private static List<String> commandLine(long pid) {
        try {
            return List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The bytes the transport has sent, as it records them; unknown for a transport that does not. */
    private long sentBytes(String name) {
        try {
            return Long.parseLong(Files.readString(sentFile(name)).strip());
        } catch (IOException | NumberFormatException e) {
            return MigrationProgress.UNKNOWN;
        }
    }

    private Path sentFile(String name) {
        return dir.resolve(name + ".sent");
    }

    private Path pidFile(String name) {
        return dir.resolve(name + ".pid");
    }

    @Override
    public void resume(String name) {
        hypervisor.unpause(name);
        incoming.remove(name);
    }

    private Path rcFile(String name) {
        return dir.resolve(name + ".rc");
    }

    private Path errFile(String name) {
        return dir.resolve(name + ".err");
    }

    /** Socket to xl's stdin, flushed as it comes: the process's stdin is buffered, and the stream must not wait there. */
    private static void pump(Socket from, OutputStream to) {
        try (to) {
            InputStream in = from.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            LOG.debug("migration stream to xl ended: {}", e.getMessage());
        }
    }

    private static void pump(InputStream from, Socket to) throws IOException {
        from.transferTo(to.getOutputStream());
        to.shutdownOutput();
    }

    static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./:=@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
