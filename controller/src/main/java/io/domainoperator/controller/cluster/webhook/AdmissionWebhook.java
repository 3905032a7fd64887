package io.domainoperator.controller.cluster.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validating admission webhook of the cluster controller, wired: caches, HTTPS server, certificate
 * keeper. Runs on every replica (validation only reads); the certificate is written by the leader only.
 */
public final class AdmissionWebhook implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionWebhook.class);
    /** Retry period while no certificate is served yet (the leader has not written one, the API is down). */
    private static final Duration STARTING_RETRY = Duration.ofSeconds(2);

    private final InformerClusterView view;
    private final WebhookServer server;
    private final CertificateKeeper keeper;
    private final CertificateKeeper.Settings settings;
    private final ScheduledExecutorService rounds;

    public AdmissionWebhook(KubernetesClient client, String host, int port, CertificateKeeper.Settings settings,
                            Clock clock, BooleanSupplier writer) throws IOException {
        this(client, host, port, settings, clock, writer, null);
    }

    /** @param metrics where admissions are counted, or null */
    public AdmissionWebhook(KubernetesClient client, String host, int port, CertificateKeeper.Settings settings,
                            Clock clock, BooleanSupplier writer, io.domainoperator.controller.metrics.ControllerMetrics metrics)
        throws IOException {
        this.settings = settings;
        this.view = new InformerClusterView(client, clock).start();
        this.server = new WebhookServer(host, port, new AdmissionReviewHandler(view,
            metrics == null ? allowed -> { } : metrics::admission));
        this.keeper = new CertificateKeeper(client, settings, clock, writer, server::use);
        this.rounds = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "webhook-certificates");
            thread.setDaemon(true);
            return thread;
        });
        rounds.execute(this::round);
        LOG.info("webhook: serving {} on https://{}:{} for {}", WebhookServer.PATH, host, server.port(), settings.hosts());
    }

    private void round() {
        Duration next = settings.period();
        try {
            if (keeper.reconcile() == null) {
                next = STARTING_RETRY;
            }
        } catch (RuntimeException e) {
            LOG.warn("webhook: certificate round failed ({}), retrying in {}", e.getMessage(), STARTING_RETRY);
            next = STARTING_RETRY;
        }
        try {
            rounds.schedule(this::round, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed meanwhile.
        }
    }

    public int port() {
        return server.port();
    }

    /** Whether a certificate is served and the caches have synced: the API server gets answers. */
    public boolean ready() {
        return server.serving() != null && view.synced();
    }

    @Override
    public void close() {
        rounds.shutdownNow();
        server.close();
        view.close();
    }
}
