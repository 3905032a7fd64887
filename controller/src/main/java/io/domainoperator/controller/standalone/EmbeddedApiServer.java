package io.domainoperator.controller.standalone;

import io.domainoperator.api.v1alpha1.CustomResourceDefinitions;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * Standalone mode's stand-in for a cluster: fabric8's API server emulation in CRUD mode, on loopback, holding
 * the two CRDs. It lets the node agent run the very same java-operator-sdk loop (informers, status
 * subresource, finalizers, events) on one machine with no Kubernetes. It is not a real API server: no
 * authentication, no admission, no persistence beyond the process; the manifest folder is the source of truth
 * and the state directory keeps the journal and the status files.
 */
public final class EmbeddedApiServer implements AutoCloseable {
    /** Held: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    public EmbeddedApiServer() {
        // The emulation logs every request at INFO through java.util.logging; standalone users need none of it.
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        // One map of scripted answers, shared by the server's expect() and the dispatcher that serves them.
        var scripted = new HashMap<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), scripted,
            new KubernetesMixedDispatcher(scripted), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        for (String file : CustomResourceDefinitions.FILES) {
            try (InputStream in = CustomResourceDefinitions.open(file)) {
                CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
                client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public KubernetesClient client() {
        return client;
    }

    /** The emulation itself, for tests that script an answer (a 409, a 500) ahead of its CRUD behaviour. */
    public KubernetesMockServer mockServer() {
        return server;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
