package io.virtfleet.bench;

import io.minio.BucketExistsArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.UploadObjectArgs;
import io.virtfleet.fixtures.InProcessS3;
import io.virtfleet.fixtures.S3ServerMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The S3 server (S3Proxy, a stand-in for MinIO) in a process of its own, as MinIO would be: client and server do not
 * share a JVM, only the machine's cores (the loopback network). Stopped by {@link #close} (its input closes).
 */
final class S3ServerProcess implements AutoCloseable {
    static final String BUCKET = "bench";

    private final Process process;
    private final Path dataDir;
    private final URI endpoint;
    private final MinioClient client;

    private S3ServerProcess(Process process, Path dataDir, URI endpoint) {
        this.process = process;
        this.dataDir = dataDir;
        this.endpoint = endpoint;
        this.client = MinioClient.builder().endpoint(endpoint.toString()).region(InProcessS3.REGION)
                .credentials(InProcessS3.ACCESS_KEY, InProcessS3.SECRET_KEY).build();
    }

    static S3ServerProcess start(Path dataDir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                S3ServerMain.class.getName(), dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do { // logging may come first
            line = out.readLine();
        } while (line != null && !line.startsWith("endpoint="));
        if (line == null) {
            process.destroyForcibly();
            throw new IllegalStateException("the S3 server ended before it served");
        }
        Thread.ofPlatform().daemon().name("s3-server-output").start(() -> { // a full pipe would stall the server
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException e) {
                // the server ended
            }
        });
        S3ServerProcess server = new S3ServerProcess(process, dataDir, URI.create(line.substring("endpoint=".length())));
        if (!server.client.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build())) {
            server.client.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
        }
        return server;
    }

    URI endpoint() {
        return endpoint;
    }

    void upload(String key, Path file) throws Exception {
        client.uploadObject(UploadObjectArgs.builder().bucket(BUCKET).object(key).filename(file.toString()).build());
    }

    void put(String key, byte[] content) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(BUCKET).object(key).data(content, content.length).build());
    }

    /** A presigned GET URL, for the peers' curl. */
    String presignedGet(String key) throws Exception {
        return client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Http.Method.GET)
                .bucket(BUCKET).object(key).expiry(2, TimeUnit.HOURS).build());
    }

    /**
     * Reads the object's file in the server's store once, so that every timed download is served from memory (the
     * kernel drops the page cache within minutes here).
     */
    void preread(String key) throws IOException {
        Path blob;
        try (Stream<Path> files = Files.walk(dataDir)) {
            blob = files.filter(p -> p.getFileName().toString().equals(key) && Files.isRegularFile(p)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no file for object " + key + " under " + dataDir));
        }
        try (FileChannel in = FileChannel.open(blob)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            while (in.read(buffer) > 0) {
                buffer.clear();
            }
        }
    }

    /** Writes {@code bytes} of seeded pseudo-random data (incompressible, like a compressed qcow2) to {@code file}. */
    static void writeRandomFile(Path file, long bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long value = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        chunk[i + b] = (byte) (value >>> (8 * b));
                    }
                }
                out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
            }
        }
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
