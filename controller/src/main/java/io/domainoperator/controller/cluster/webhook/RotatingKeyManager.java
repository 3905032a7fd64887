package io.domainoperator.controller.cluster.webhook;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Hands every new TLS handshake the serving certificate current at that moment, so a rotated certificate is
 * served without restarting the HTTPS server (connections already open keep theirs).
 */
final class RotatingKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "webhook";
    private final AtomicReference<ServingCertificate> current = new AtomicReference<>();

    void use(ServingCertificate certificate) {
        current.set(certificate);
    }

    ServingCertificate current() {
        return current.get();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        ServingCertificate certificate = current.get();
        return certificate != null && certificate.key().getAlgorithm().equals(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = chooseServerAlias(keyType, issuers, null);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ServingCertificate certificate = current.get();
        return certificate == null ? null : new X509Certificate[] {certificate.certificate()};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ServingCertificate certificate = current.get();
        return certificate == null ? null : certificate.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
