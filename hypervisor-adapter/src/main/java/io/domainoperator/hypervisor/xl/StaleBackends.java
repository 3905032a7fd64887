package io.domainoperator.hypervisor.xl;

import io.domainoperator.hypervisor.CommandResult;
import io.domainoperator.hypervisor.CommandRunner;
import io.domainoperator.hypervisor.HypervisorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disk and network backend directories in xenstore left behind by domains that no longer exist. A destroy whose
 * blkback or netback did not finish tearing down leaves {@code /local/domain/0/backend/vbd/<domid>} (or vif, qdisk,
 * vbd3) in place; the next domain given the same disk then fails in the block hotplug script ("device already in
 * use", the case in the Canterbury Xen notes) and needs an administrator's {@code xenstore-rm}. The xl backend does
 * that itself before each create: it lists the backend tree ({@code xenstore-ls -f}) <em>before</em> listing
 * the domains, so a domain created in between (libxl creates the domain before it writes its backends) is never
 * taken for dead, and removes the directories of domids that {@code xl list} does not show. Domain 0's own
 * frontends are never touched: dom0 is always listed.
 */
final class StaleBackends {
    private static final Logger LOG = LoggerFactory.getLogger(StaleBackends.class);
    static final String ROOT = "/local/domain/0/backend";
    /** The backend kinds that hold a host disk or a host network device. */
    private static final Pattern BACKEND = Pattern.compile("^" + Pattern.quote(ROOT) + "/(vbd|vbd3|qdisk|vif)/(\\d+)(?:/.*)?$");

    /** One backend directory: {@code /local/domain/0/backend/<kind>/<domid>}. */
    record Entry(String kind, int domid) implements Comparable<Entry> {
        String path() {
            return ROOT + "/" + kind + "/" + domid;
        }

        @Override
        public int compareTo(Entry o) {
            return path().compareTo(o.path());
        }
    }

    private final CommandRunner runner;
    private final String ls;
    private final String rm;
    private final Duration timeout;

    StaleBackends(CommandRunner runner, String xenstoreLs, String xenstoreRm, Duration timeout) {
        this.runner = runner;
        this.ls = xenstoreLs;
        this.rm = xenstoreRm;
        this.timeout = timeout;
    }

    /**
     * The backend directories in xenstore now. An empty tree (no backend at all: xenstore-ls reports the path
     * missing) is an empty set; a xenstore that cannot be read is a failure of the create that asked.
     */
    Set<Entry> list(String domain) {
        CommandResult r;
        try {
            r = runner.runAllowingFailure(List.of(ls, "-f", ROOT), timeout);
        } catch (io.domainoperator.hypervisor.CommandException e) {
            throw new HypervisorException("create", domain, "cannot run " + ls + " to look for stale backends: "
                + e.getMessage() + " (Xen's xenstore tools, package xenstore-utils, come with xl)", e);
        }
        if (!r.succeeded()) {
            if (r.stderr().contains("No such file or directory")) {
                return Set.of();
            }
            throw new HypervisorException("create", domain, "cannot read xenstore's backends to look for stale ones: `"
                + String.join(" ", r.argv()) + "` exited with " + r.exitCode() + ": " + r.stderr().strip()
                + " (is xenstored running? `domain-operator doctor --hypervisor xl` checks)");
        }
        return parse(r.stdout());
    }

    /** Whether a backend directory a removal failed on is no longer there (xenstore-ls reports it missing). */
    private boolean goneMeanwhile(Entry e) {
        CommandResult r = runner.runAllowingFailure(List.of(ls, "-f", e.path()), timeout);
        return !r.succeeded() && r.stderr().contains("No such file or directory");
    }

    /** Backend directories named in {@code xenstore-ls -f} output (values are ignored: they may be truncated). */
    static Set<Entry> parse(String output) {
        Set<Entry> out = new TreeSet<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf(" = ");
            String path = eq >= 0 ? line.substring(0, eq) : line.endsWith(":") ? line.substring(0, line.length() - 1) : line;
            Matcher m = BACKEND.matcher(path.strip());
            if (m.matches()) {
                out.add(new Entry(m.group(1), Integer.parseInt(m.group(2))));
            }
        }
        return out;
    }

    /**
     * Removes the directories in {@code backends} whose domid is not in {@code liveDomids}.
     *
     * @return the paths removed
     * @throws HypervisorException naming the path and the command to run when a removal fails
     */
    List<String> removeDead(String domain, Set<Entry> backends, Set<Integer> liveDomids) {
        List<String> removed = new ArrayList<>();
        for (Entry e : backends) {
            if (e.domid() == 0 || liveDomids.contains(e.domid())) {
                continue;
            }
            CommandResult r = runner.runAllowingFailure(List.of(rm, e.path()), timeout);
            if (!r.succeeded() && goneMeanwhile(e)) {
                // Another create on this node (the agent runs them in parallel) removed it first: xenstore-rm fails
                // on a path whose parent went with it. A restore failing here would set its save image aside.
                LOG.info("create {}: stale xenstore backend {} was removed meanwhile by another create", domain,
                    e.path());
                continue;
            }
            if (!r.succeeded()) {
                throw new HypervisorException("create", domain, "a stale xenstore backend of dead domain " + e.domid()
                    + " (" + e.path() + ") could not be removed: " + r.stderr().strip() + "; remove it as root with `"
                    + rm + " " + e.path() + "` and the create is retried");
            }
            LOG.warn("create {}: removed stale xenstore backend {} of domain {}, which no longer exists", domain,
                e.path(), e.domid());
            removed.add(e.path());
        }
        return removed;
    }
}
