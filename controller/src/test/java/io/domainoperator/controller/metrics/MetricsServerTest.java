package io.domainoperator.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** /metrics over real HTTP: gzip when the scraper asks for it (Prometheus always does), plain text otherwise. */
class MetricsServerTest {

    private static HttpResponse<byte[]> get(int port, String acceptEncoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void gzipWhenAskedTheSameTextOtherwise() throws Exception {
        PrometheusMeterRegistry registry = MeterRegistries.prometheus();
        Counter.builder("domainoperator.test.events").description("test").register(registry).increment();
        try (MetricsServer server = new MetricsServer("127.0.0.1", 0, registry, () -> true)) {
            HttpResponse<byte[]> plain = get(server.port(), null);
            HttpResponse<byte[]> zipped = get(server.port(), "gzip, deflate");

            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
            String text = new String(plain.body(), StandardCharsets.UTF_8);
            assertThat(text).contains("domainoperator_test_events_total 1.0");
            assertThat(zipped.statusCode()).isEqualTo(200);
            assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gunzip(zipped.body())).contains("domainoperator_test_events_total 1.0");
            assertThat(zipped.body().length).as("gzip shrinks the scrape").isLessThan(plain.body().length / 3);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        gzip                        | true
        identity, GZIP              | true
        deflate;q=1.0, gzip;q=0.5   | true
        gzip;q=0                    | false
        gzip; q=0.0                 | false
        deflate, br                 | false
        gzip;q=oops                 | true
        ''                          | false
        """)
    void readsAcceptEncoding(String header, boolean gzip) {
        assertThat(MetricsServer.acceptsGzip(List.of(header))).isEqualTo(gzip);
    }
}
