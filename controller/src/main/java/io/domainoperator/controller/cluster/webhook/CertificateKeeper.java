package io.domainoperator.controller.cluster.webhook;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the webhook's serving certificate and the API server's trust in it current, one round at a time:
 * <ol>
 *   <li>read the Secret; if it is missing, unreadable or due ({@link ServingCertificate#dueForRenewal}) and this
 *       replica is the writer (the leader), issue a new CA and certificate;</li>
 *   <li>first write the new CA bundle (new CA, then the previous one) into every webhook of the
 *       ValidatingWebhookConfiguration, so the API server trusts the new certificate before anyone serves it
 *       and still trusts the old one while replicas switch;</li>
 *   <li>then write the Secret, locked to the resourceVersion read (create when absent): a conflict means
 *       someone else wrote it, and the next round reads theirs;</li>
 *   <li>serve what the Secret holds, and (writer only) put its bundle back into the webhook configuration
 *       whenever it differs (a {@code helm upgrade}, a hand edit).</li>
 * </ol>
 * Every replica serves; only the writer writes, so two replicas never rotate at once. Each replica switches to
 * a new certificate one round after it first reads it (the API server must have the new bundle first); until
 * then the bundle still trusts the one it serves.
 */
public final class CertificateKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateKeeper.class);

    /**
     * @param namespace      namespace of the Secret
     * @param secretName     the Secret holding {@code tls.crt}, {@code tls.key}, {@code ca.crt}
     * @param configuration  the ValidatingWebhookConfiguration whose caBundle to keep, or null to leave it alone
     *                       (cert-manager's CA injector or the installer sets it)
     * @param hosts          names and addresses the certificate must carry
     * @param validity       lifetime of each issued certificate
     */
    public record Settings(String namespace, String secretName, String configuration, List<String> hosts, Duration validity) {
        public Settings {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(secretName, "secretName");
            configuration = configuration == null || configuration.isBlank() ? null : configuration;
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("--webhook-hosts is empty: name the Service DNS names (or the IP) the API server dials");
            }
            if (validity.compareTo(Duration.ofSeconds(30)) < 0) {
                throw new IllegalArgumentException("--webhook-cert-validity must be at least 30s, is " + validity);
            }
        }

        /** How often a round runs: often enough to renew at two thirds of the lifetime, at most once a minute. */
        public Duration period() {
            Duration tenth = validity.dividedBy(10);
            return tenth.compareTo(Duration.ofMinutes(1)) < 0 ? tenth : Duration.ofMinutes(1);
        }
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final SelfSignedIssuer issuer;
    private final Clock clock;
    private final BooleanSupplier writer;
    private final Consumer<ServingCertificate> serve;
    private volatile boolean warnedNoConfiguration;
    /** What this replica serves, and a newer certificate seen once and served from the next round on. */
    private ServingCertificate served;
    private java.security.cert.X509Certificate pending;

    public CertificateKeeper(KubernetesClient client, Settings settings, Clock clock, BooleanSupplier writer,
                             Consumer<ServingCertificate> serve) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.issuer = new SelfSignedIssuer(clock);
        this.writer = writer;
        this.serve = serve;
    }

    /** One round (called from one thread); returns what is served now (null while no certificate exists). */
    public ServingCertificate reconcile() {
        Secret secret = client.secrets().inNamespace(settings.namespace()).withName(settings.secretName()).get();
        ServingCertificate stored = secret == null ? null : ServingCertificate.fromSecretData(secret.getData());
        boolean writes = writer.getAsBoolean();
        if ((stored == null || stored.dueForRenewal(clock.instant(), settings.hosts())) && writes) {
            ServingCertificate fresh = issuer.issue(settings.hosts(), settings.validity(), stored);
            if (!publishCaBundle(fresh) || !store(secret, fresh)) {
                return stored == null ? served : serve(stored);
            }
            LOG.info("webhook: issued a serving certificate for {} valid until {} (Secret {}/{})", settings.hosts(),
                fresh.notAfter(), settings.namespace(), settings.secretName());
            return serve(fresh);
        }
        if (stored != null && writes) {
            publishCaBundle(stored);
        }
        return stored == null ? served : serve(stored);
    }

    /**
     * Switches to {@code stored} one round after first seeing it, while what is served is still valid: the
     * API server learns the new CA from its watch of the webhook configuration, and serving the new
     * certificate before that watch event arrives would fail calls (admitted unchecked under Ignore).
     */
    private ServingCertificate serve(ServingCertificate stored) {
        boolean servedStillValid = served != null && served.notAfter().isAfter(clock.instant().plus(settings.period().multipliedBy(2)));
        if (served == null || !servedStillValid || stored.certificate().equals(pending)) {
            if (!stored.certificate().equals(served == null ? null : served.certificate())) {
                serve.accept(stored);
                served = stored;
            }
            pending = null;
        } else if (!stored.certificate().equals(served.certificate())) {
            pending = stored.certificate();
        }
        return served;
    }

    private boolean store(Secret existing, ServingCertificate fresh) {
        SecretBuilder secret = existing == null
            ? new SecretBuilder().withNewMetadata().withNamespace(settings.namespace()).withName(settings.secretName())
                .addToLabels("app.kubernetes.io/part-of", "domain-operator").endMetadata().withType("kubernetes.io/tls")
            : new SecretBuilder(existing);
        secret.withData(null).withStringData(null);
        fresh.toSecretData().forEach((k, v) -> secret.addToData(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.US_ASCII))));
        try {
            var secrets = client.secrets().inNamespace(settings.namespace());
            if (existing == null) {
                secrets.resource(secret.build()).create();
            } else {
                // update() sends the resourceVersion read: a concurrent writer makes it fail with 409.
                secrets.resource(secret.build()).update();
            }
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                LOG.info("webhook: Secret {}/{} was written meanwhile, using that one", settings.namespace(), settings.secretName());
                return false;
            }
            throw e;
        }
    }

    /** False when the configuration changed under us (409); the next round tries again. */
    private boolean publishCaBundle(ServingCertificate certificate) {
        if (settings.configuration() == null) {
            return true;
        }
        String bundle = Base64.getEncoder().encodeToString(certificate.caBundlePem().getBytes(StandardCharsets.US_ASCII));
        var resource = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(settings.configuration());
        ValidatingWebhookConfiguration configuration = resource.get();
        if (configuration == null) {
            if (!warnedNoConfiguration) {
                warnedNoConfiguration = true;
                LOG.warn("webhook: ValidatingWebhookConfiguration {} does not exist; the API server does not call this webhook "
                    + "until it is installed (the chart installs it)", settings.configuration());
            }
            return true;
        }
        warnedNoConfiguration = false;
        boolean current = configuration.getWebhooks().stream().allMatch(w -> bundle.equals(w.getClientConfig().getCaBundle()));
        if (current) {
            return true;
        }
        for (ValidatingWebhook webhook : configuration.getWebhooks()) {
            webhook.getClientConfig().setCaBundle(bundle);
        }
        try {
            // Locked to the resourceVersion read.
            client.admissionRegistration().v1().validatingWebhookConfigurations().resource(configuration).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
        LOG.info("webhook: caBundle of ValidatingWebhookConfiguration {} updated ({} CA(s))", settings.configuration(),
            certificate.caBundle().size());
        return true;
    }
}
