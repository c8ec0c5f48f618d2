package io.virtfleet.agent.cache;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/** Test content for the image cache's tests: image bytes, their digests, and what a fetch left on disk. */
final class CacheTestBytes {
    private CacheTestBytes() {
    }

    /** The image a fetch cached, its failure thrown as it is (not wrapped). */
    static CachedImage cachedBy(ImageFetch fetch) {
        try {
            return fetch.result().join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    static byte[] text(String text) {
        return (text + "\n").repeat(1000).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The first bytes of a qcow2 file: magic, version 3, virtual size at offset 24 (enough for the format sniff). */
    static byte[] qcow2Header(long virtualSize) {
        return ImageInspectorTest.qcow2(virtualSize);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> filesIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
