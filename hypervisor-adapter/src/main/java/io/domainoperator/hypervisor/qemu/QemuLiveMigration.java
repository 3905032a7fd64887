package io.domainoperator.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.LiveMigration;
import io.domainoperator.hypervisor.MigrationProgress;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QEMU's live migration over TCP: the target QEMU starts with {@code -incoming tcp:HOST:PORT} and {@code -S}, so it
 * waits for the guest's memory and stays paused once it has it; the source gets {@code migrate}, and its
 * {@code query-migrate} says when the copy completed (the source is then stopped, {@code postmigrate}); the target
 * gets {@code cont}. The copy runs inside the two QEMUs, so an agent that dies mid-copy loses nothing: the next one
 * reads {@code query-migrate} again. Disks are not copied: both nodes must see the same image files (shared storage).
 */
final class QemuLiveMigration implements LiveMigration {
    private static final Logger LOG = LoggerFactory.getLogger(QemuLiveMigration.class);
    private final QemuHypervisor hypervisor;

    QemuLiveMigration(QemuHypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @Override
    public DomainInfo prepareIncoming(DomainDefinition definition, String host, int port) {
        LOG.info("domain {}: prepareIncoming: listening on {}", definition.name(), uri(host, port));
        return hypervisor.start(definition, List.of("-incoming", uri(host, port)));
    }

    @Override
    public void migrateOut(String name, String host, int port) {
        LOG.info("domain {}: migrateOut: copying to {}", name, uri(host, port));
        java.util.OptionalLong cap = hypervisor.migrationBandwidth();
        if (cap.isPresent()) {
            qmp("migrateOut", name, "migrate-set-parameters", Map.of("max-bandwidth", cap.getAsLong()));
        }
        qmp("migrateOut", name, "migrate", Map.of("uri", uri(host, port)));
    }

    @Override
    public MigrationProgress progress(String name) {
        QemuDomain domain = hypervisor.domainNamed(name);
        if (domain == null || !domain.processAlive()) {
            return MigrationProgress.NONE;
        }
        return progressOf(qmp("progress", name, "query-migrate", Map.of()));
    }

    /**
     * The outgoing copy's state from {@code query-migrate}. QEMU answers with the incoming side's state too when there is
     * no outgoing one: a guest that arrived here by migration reports {@code completed}, without the {@code ram} figures
     * an outgoing copy's completion always has (QEMU 7.2's {@code fill_destination_migration_info}). That is no copy
     * from here: taken as one, a later move off this node was recorded as handed over without a byte sent, and the
     * target resumed an empty guest (MigrationCrashE2E).
     */
    static MigrationProgress progressOf(JsonNode info) {
        if ("completed".equals(info.path("status").asText()) && !info.has("ram")) {
            return MigrationProgress.NONE;
        }
        long total = info.path("total-time").asLong(0);
        long downtime = info.path("downtime").asLong(0);
        return switch (info.path("status").asText("none")) {
            case "none" -> MigrationProgress.NONE;
            // A QEMU that received the guest reports that incoming migration as "completed" until it starts one of its
            // own (QEMU shows the destination's status while no outgoing migration ever started); only an outgoing
            // copy has a total-time. Read as outgoing, the next move of an arrived guest handed over at once,
            // having copied nothing, and left the guest running on both nodes.
            case "completed" -> info.has("total-time")
                ? new MigrationProgress(MigrationProgress.State.COMPLETED, total, downtime, null) : MigrationProgress.NONE;
            case "failed", "cancelled" -> new MigrationProgress(MigrationProgress.State.FAILED, total, downtime,
                info.path("error-desc").asText(info.path("status").asText()));
            // setup, active, device, pre-switchover, cancelling, wait-unplug, postcopy-*: still copying. QEMU gives the
            // byte figures once the RAM copy began (not in setup): the copy deadlines' measure of progress.
            default -> new MigrationProgress(MigrationProgress.State.ACTIVE, total, downtime, null,
                info.path("ram").path("transferred").asLong(MigrationProgress.UNKNOWN),
                info.path("ram").path("remaining").asLong(MigrationProgress.UNKNOWN));
        };
    }

    @Override
    public void cancel(String name) {
        qmp("cancelMigration", name, "migrate_cancel", Map.of());
    }

    @Override
    public void resume(String name) {
        qmp("resume", name, "cont", Map.of());
    }

    private JsonNode qmp(String operation, String name, String command, Map<String, ?> arguments) {
        QemuDomain domain = hypervisor.domainNamed(name);
        if (domain == null || !domain.processAlive()) {
            throw new HypervisorException(operation, name, domain == null ? "no such domain of this QEMU backend"
                : "its QEMU (pid " + domain.pid() + ") is gone");
        }
        try {
            return domain.execute(command, arguments);
        } catch (QmpException e) {
            throw new HypervisorException(operation, name, e.getMessage(), e);
        }
    }

    /** QEMU's TCP URI; an IPv6 address goes in brackets. */
    static String uri(String host, int port) {
        return "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
