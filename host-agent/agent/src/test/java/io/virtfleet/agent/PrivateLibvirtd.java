package io.virtfleet.agent;

import static org.awaitility.Awaitility.await;

import io.virtfleet.fixtures.HostPrerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/**
 * A libvirtd of the test's own that it may kill and restart: the shared system daemon must never be touched. A second
 * daemon as root cannot be had (the QEMU driver's state lives in fixed places, {@code /run/libvirt/qemu} and
 * {@code /var/lib/libvirt/qemu}, which a second privileged daemon would share with the system one), so this one runs
 * in session mode as the dedicated unprivileged user {@value #USER} with every directory of its own
 * ({@code XDG_RUNTIME_DIR}, {@code XDG_CONFIG_HOME}, ...) under one temporary folder, and root reaches it through
 * {@code qemu+unix:///session?socket=...}. Domains run as that user with TCG (type qemu), so the files they open (the
 * pool, console logs) live in folders that user owns ({@link #workDir}).
 */
public final class PrivateLibvirtd implements AutoCloseable {
    static final String USER = "vftest-libvirtd";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private final Path pidFile;
    private final Path socket;

    private PrivateLibvirtd(Path home) {
        this.home = home;
        this.pidFile = home.resolve("run/libvirtd.pid");
        this.socket = home.resolve("run/libvirt/libvirt-sock");
    }

    /** Skips (fails under CI=true) unless run as root with libvirtd and qemu-img installed; creates {@value #USER}. */
    public static PrivateLibvirtd start() throws IOException, InterruptedException {
        HostPrerequisites.require("root".equals(System.getProperty("user.name")) ? Optional.empty()
                : Optional.of("a private libvirtd under its own user needs root"));
        HostPrerequisites.require(HostPrerequisites.executableProblem("libvirtd"));
        HostPrerequisites.requireQemuImg();
        ensureUser();
        Path home = Files.createTempDirectory(Path.of("/var/tmp"), "vf-libvirtd-");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String dir : List.of("run", "config", "cache", "data")) {
            Files.createDirectories(home.resolve(dir));
        }
        run("chown", "-R", USER + ":" + USER, home.toString());
        PrivateLibvirtd daemon = new PrivateLibvirtd(home);
        daemon.launch();
        return daemon;
    }

    /** The URI root uses to reach this daemon. */
    public String uri() {
        return "qemu+unix:///session?socket=" + socket;
    }

    /**
     * A folder for an agent's work ({@code LibvirtSandbox.agentConfig}) whose pool and console folders the daemon's
     * user can write: the daemon builds the pool there and its QEMU writes the console log.
     */
    public Path workDir(String name) throws IOException, InterruptedException {
        Path work = home.resolve(name);
        Files.createDirectories(work.resolve("agent/state/consoles"));
        run("chown", "-R", USER + ":" + USER, work.toString());
        return work;
    }

    /** Kills the daemon with SIGKILL (a crash) and waits until it is gone. Running guests stay up. */
    public void kill() throws IOException {
        stop(true);
    }

    /** Stops the daemon with SIGTERM, as a package upgrade's restart does, and waits until it is gone. */
    public void terminate() throws IOException {
        stop(false);
    }

    /** Starts the daemon again on the same folders (it finds its pools and running guests there). */
    public void restart() throws IOException, InterruptedException {
        launch();
    }

    public boolean running() throws IOException {
        return pid().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    private void launch() throws IOException, InterruptedException {
        run("setpriv", "--reuid=" + USER, "--regid=" + USER, "--clear-groups", "env", "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + home,
                "XDG_RUNTIME_DIR=" + home.resolve("run"), "XDG_CONFIG_HOME=" + home.resolve("config"),
                "XDG_CACHE_HOME=" + home.resolve("cache"), "XDG_DATA_HOME=" + home.resolve("data"),
                "libvirtd", "--daemon", "--pid-file", pidFile.toString());
        await().atMost(START_TIMEOUT).ignoreExceptions().until(() -> {
            Connect probe = new Connect(uri());
            probe.close();
            return true;
        });
    }

    private void stop(boolean forcibly) throws IOException {
        Optional<ProcessHandle> daemon = pid().flatMap(ProcessHandle::of);
        daemon.ifPresent(process -> {
            if (forcibly) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            await().atMost(START_TIMEOUT).until(() -> !process.isAlive());
        });
    }

    private Optional<ProcessHandle> handle(Path file) throws IOException {
        return pidIn(file).flatMap(ProcessHandle::of);
    }

    private Optional<Long> pid() throws IOException {
        return pidIn(pidFile);
    }

    private static Optional<Long> pidIn(Path file) throws IOException {
        return Files.exists(file) ? Optional.of(Long.parseLong(Files.readString(file).trim())) : Optional.empty();
    }

    /** Destroys the daemon's domains, stops it and the log daemon it spawned, and removes every folder. */
    @Override
    public void close() throws IOException, LibvirtException {
        if (running()) {
            Connect connect = new Connect(uri());
            try {
                for (var domain : connect.listAllDomains(0)) {
                    if (domain.isActive() == 1) {
                        domain.destroy();
                    }
                }
            } finally {
                connect.close();
            }
            terminate();
        }
        Optional<ProcessHandle> logDaemon = handle(home.resolve("run/libvirt/virtlogd.pid"));
        logDaemon.ifPresent(process -> {
            process.destroy();
            await().atMost(START_TIMEOUT).until(() -> !process.isAlive());
        });
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void ensureUser() throws IOException, InterruptedException {
        if (exitCode(List.of("id", "-u", USER)) != 0) {
            run("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
                    "/usr/sbin/nologin", USER);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        int exit = exitCode(List.of(command));
        if (exit != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + exit);
        }
    }

    private static int exitCode(List<String> command) throws IOException, InterruptedException {
        return new ProcessBuilder(new ArrayList<>(command)).inheritIO().start().waitFor();
    }
}
