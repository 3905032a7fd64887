package io.domainoperator.controller.metrics;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Measures the agent's /metrics scrape at many domains in process (issue 15's target: P99 <= 50 ms at 1,000): the
 * agent's registry and metrics filled as its poller fills them, the real HTTP endpoint, N sequential uncompressed
 * GETs as the bench takes them, and a poll (every running domain's CPU time moves) every 20 scrapes. Prints P50/P99,
 * the body size, the bytes the process allocated and the CPU time it used per scrape (both far less
 * load-dependent than the times; the client's share is small). Not a test:
 * run its main with the test classpath, e.g. {@code java -Xmx384m -XX:+UseSerialGC -cp ... ScrapeHarness 1000 300}.
 */
public final class ScrapeHarness {
    private ScrapeHarness() {
    }

    public static void main(String[] args) throws Exception {
        int domains = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        PrometheusMeterRegistry registry = MeterRegistries.prometheus();
        DomainMetrics metrics = new DomainMetrics(registry, "bench-node");
        for (String op : List.of("CreatePaused", "Unpause", "None", "ReportStatus")) {
            for (String result : List.of("success", "error")) {
                Timer.Sample s = metrics.startReconcile();
                metrics.reconciled(s, op, result);
            }
        }
        poll(metrics, domains, 1);
        for (int i = 0; i < domains; i++) {
            metrics.recordPhase("bench/bench-" + i, "Running");
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (MetricsServer server = new MetricsServer("127.0.0.1", 0, registry, metrics, () -> new MetricsServer.Readiness(true, "ok\n"))) {
            byte[] buffer = new byte[4 << 20];
            for (int i = 0; i < 50; i++) {
                get(server.port(), buffer);
            }
            long[] nanos = new long[scrapes];
            long allocated = 0;
            int size = 0;
            long gcsBefore = gcCount();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu = 0;
            for (int i = 0; i < scrapes; i++) {
                if (i % 20 == 0) {
                    poll(metrics, domains, i + 2);
                }
                long a0 = threads.getTotalThreadAllocatedBytes();
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                size = get(server.port(), buffer);
                nanos[i] = System.nanoTime() - t0;
                allocated += threads.getTotalThreadAllocatedBytes() - a0;
                cpu += os.getProcessCpuTime() - c0;
            }
            long gcs = gcCount() - gcsBefore;
            Arrays.sort(nanos);
            System.out.printf("domains %d, scrapes %d: P50 %.1f ms, P99 %.1f ms, max %.1f ms, size %d KiB, "
                    + "allocated %d KiB and %.1f ms of process CPU per scrape, %d GCs%n", domains, scrapes, nanos[scrapes / 2] / 1e6,
                nanos[(int) Math.ceil(scrapes * 0.99) - 1] / 1e6, nanos[scrapes - 1] / 1e6, size / 1024,
                allocated / scrapes / 1024, cpu / 1e6 / scrapes, gcs);
        }
    }

    /** One poll's samples: every domain running, its CPU time {@code tick} seconds. */
    private static void poll(DomainMetrics metrics, int domains, long tick) {
        List<DomainMetrics.DomainSample> samples = new ArrayList<>(domains);
        for (int i = 0; i < domains; i++) {
            samples.add(new DomainMetrics.DomainSample("bench", "bench-" + i, new DomainInfo(i + 1, "bench-" + i,
                new UUID(0, i), DomainState.RUNNING, tick * 1_000_000_000L + i, 1, 256L << 20, 256L << 20, true)));
        }
        metrics.recordDomains(samples);
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    /** A plain HTTP/1.0 GET read into a reused buffer, so that the client allocates next to nothing; returns the body size. */
    private static int get(int port, byte[] buffer) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            int total = 0;
            for (int n; (n = in.read(buffer, total, buffer.length - total)) > 0; ) {
                total += n;
            }
            int headerEnd = indexOf(buffer, total);
            if (headerEnd < 0 || buffer[9] != '2') {
                throw new IOException("bad response: " + new String(buffer, 0, Math.min(total, 200), StandardCharsets.US_ASCII));
            }
            return total - headerEnd;
        }
    }

    private static int indexOf(byte[] b, int len) {
        for (int i = 3; i < len; i++) {
            if (b[i - 3] == '\r' && b[i - 2] == '\n' && b[i - 1] == '\r' && b[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }
}
