package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which start-up probe failures are timeouts, asked again, and which end the probe at once. */
class ClusterConnectionTest {

    @Test
    void aConnectTimeoutOfTheJdkClientIsATimeout() {
        // As the JDK client reports it (found in CI: a cold agent JVM in a container, under load).
        HttpConnectTimeoutException connect = new HttpConnectTimeoutException("HTTP connect timed out");
        connect.initCause(new ConnectException("HTTP connect timed out"));

        assertThat(ClusterConnection.timedOut(new KubernetesClientException("An error has occurred.", connect))).isTrue();
        assertThat(ClusterConnection.timedOut(new KubernetesClientException("x", new TimeoutException()))).isTrue();
    }

    @Test
    void aRefusedConnectionOrAnErrorAnswerIsNot() {
        assertThat(ClusterConnection.timedOut(new KubernetesClientException("x", new ConnectException("Connection refused"))))
            .isFalse();
        assertThat(ClusterConnection.timedOut(new KubernetesClientException("Failure executing: GET", 500, null))).isFalse();
    }
}
