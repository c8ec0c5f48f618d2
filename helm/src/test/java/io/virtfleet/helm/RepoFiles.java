package io.virtfleet.helm;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository files these tests check; Surefire runs with the helm module as working directory. */
public final class RepoFiles {
    public static final Path ROOT = locateRoot();
    public static final Path CHART = ROOT.resolve("helm/virtfleet");
    public static final Path CRDS = ROOT.resolve("crds");
    public static final Path EXAMPLES = ROOT.resolve("examples");
    public static final Path DOCS = ROOT.resolve("docs");

    private RepoFiles() {
    }

    public static Path crd(String plural) {
        return CRDS.resolve(plural + ".virtfleet.io-v1.yml");
    }

    private static Path locateRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("helm/virtfleet"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no helm/virtfleet above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
