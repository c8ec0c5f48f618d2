package io.virtfleet.bench;

import com.sun.tools.attach.VirtualMachine;
import io.virtfleet.operator.OperatorMain;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real operator ({@link OperatorMain}) in a JVM of its own, so that its heap and CPU are its own: started with a
 * kubeconfig and a static agent list, read through its Prometheus endpoint and, for heap and CPU, through JMX
 * (the Attach API starts the JVM's local management agent; no port is opened for it).
 */
final class OperatorProcess implements AutoCloseable {
    private final Process process;
    private final URI metrics;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private JMXConnector jmx;

    /** Heap used after a full GC, and the maximum the JVM may grow to. */
    record Heap(long usedBytes, long maxBytes) {
    }

    private OperatorProcess(Process process, URI metrics, Path log) {
        this.process = process;
        this.metrics = metrics;
        this.log = log;
    }

    /**
     * The JVM options the Helm chart gives the operator ({@code operator.javaOptions} in the chart's values), so that
     * a benchmark measures the operator as it is deployed.
     */
    static List<String> chartJavaOptions() throws IOException {
        Path values = Path.of(System.getProperty("virtfleet.repo", ".")).resolve("helm/virtfleet/values.yaml");
        String options = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(values.toFile())
                .path("operator").path("javaOptions").asText();
        return List.of(options.trim().split("\\s+"));
    }

    /**
     * @param jvmOptions e.g. the heap ceiling; the class path is this JVM's
     * @param log        where the operator's output goes
     */
    static OperatorProcess start(Path kubeconfig, String agentList, String token, List<String> jvmOptions, Path log)
            throws IOException {
        return start(kubeconfig, agentList, token, jvmOptions, Map.of(), log);
    }

    /** @param extraEnv further settings of the operator, e.g. {@code VIRTFLEET_RECHECK_SETTLED_SECONDS} */
    static OperatorProcess start(Path kubeconfig, String agentList, String token, List<String> jvmOptions,
                                 Map<String, String> extraEnv, Path log) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OperatorMain.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "KUBECONFIG", kubeconfig.toString(),
                "VIRTFLEET_AGENTS", agentList,
                "VIRTFLEET_AGENT_TOKEN", token,
                // benchmark agents run in-process over plain HTTP: measured without TLS, said so in the README
                "VIRTFLEET_AGENT_INSECURE_PLAIN_HTTP", "true",
                "VIRTFLEET_LEADER_ELECTION", "false",
                "VIRTFLEET_METRICS_PORT", Integer.toString(port),
                "VIRTFLEET_HEALTH_PORT", Integer.toString(port)));
        builder.environment().putAll(extraEnv);
        return new OperatorProcess(builder.start(), URI.create("http://127.0.0.1:" + port), log);
    }

    /** Waits until {@code /readyz} answers 200: the controllers run. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(metrics.resolve("/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the operator was not ready within " + timeout + "; see " + log);
    }

    /** The operator's Prometheus text. */
    PrometheusText scrape() throws IOException, InterruptedException {
        return new PrometheusText(http.send(HttpRequest.newBuilder(metrics.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Runs a full GC in the operator's JVM and reads its heap afterwards. */
    Heap heapAfterGc() throws IOException {
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(connection(),
                ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        memory.gc();
        var usage = memory.getHeapMemoryUsage();
        return new Heap(usage.getUsed(), usage.getMax());
    }

    /** CPU time the operator's process has used so far. */
    double cpuSeconds() throws IOException {
        var os = ManagementFactory.newPlatformMXBeanProxy(connection(),
                ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME, com.sun.management.OperatingSystemMXBean.class);
        return os.getProcessCpuTime() / 1e9;
    }

    boolean alive() {
        return process.isAlive();
    }

    private MBeanServerConnection connection() throws IOException {
        if (jmx == null) {
            try {
                VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
                try {
                    jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
                } finally {
                    vm.detach();
                }
            } catch (com.sun.tools.attach.AttachNotSupportedException e) {
                throw new IOException("cannot attach to the operator's JVM: " + e.getMessage(), e);
            }
        }
        return jmx.getMBeanServerConnection();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        try {
            if (jmx != null) {
                jmx.close();
            }
        } catch (IOException e) {
            // the process goes away next anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
