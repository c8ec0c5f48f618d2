package io.virtfleet.agent.contract.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An {@link SSLContext} for mutual TLS whose key and trust material follow the files: every handshake compares the
 * files' modification time, size and inode with what was loaded and re-reads them when any changed (Kubernetes
 * replaces a mounted Secret's files atomically when a certificate is renewed), so a renewed certificate is presented
 * and a renewed CA trusted on the next connection without a restart. Files that cannot be read (half-written, a key
 * that does not match) leave the last good material in place and are tried again on the next handshake.
 *
 * <p>Peers are checked twice: the chain must lead to the CA in {@link TlsFiles#ca()} and the leaf must carry
 * {@link TlsFiles#peerName()} ({@link PeerIdentity}); host names are not checked (agents are reached by pod IP).
 */
public final class ReloadingTls {
    private static final System.Logger LOG = System.getLogger(ReloadingTls.class.getName());

    private final TlsFiles files;
    private volatile Material current;
    private volatile Material previous;

    private ReloadingTls(TlsFiles files) throws IOException, GeneralSecurityException {
        this.files = files;
        this.current = Material.load(files, 1);
    }

    /** Loads the files now (failing when they are unusable) and returns a context that reloads them on change. */
    public static SSLContext context(TlsFiles files) throws IOException, GeneralSecurityException {
        ReloadingTls tls = new ReloadingTls(files);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new X509ExtendedKeyManager[] {tls.new Keys()}, new TrustManager[] {tls.new Trust()}, null);
        return context;
    }

    private Material material() {
        Material loaded = current;
        List<Object> seen = fingerprintOf(files);
        if (seen.equals(loaded.fingerprint())) {
            return loaded;
        }
        synchronized (this) {
            if (current != loaded) {
                return current;
            }
            try {
                Material fresh = Material.load(files, loaded.generation() + 1);
                previous = loaded;
                current = fresh;
                LOG.log(System.Logger.Level.INFO, "tls material reloaded certificate=" + files.certificate()
                        + " subject=" + fresh.chain()[0].getSubjectX500Principal().getName()
                        + " notAfter=" + fresh.chain()[0].getNotAfter().toInstant());
                return fresh;
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "tls material changed but cannot be loaded, keeping the last"
                        + " good one certificate=" + files.certificate() + " error=" + e);
                return loaded;
            }
        }
    }

    private static List<Object> fingerprintOf(TlsFiles files) {
        List<Object> parts = new ArrayList<>();
        for (Path path : List.of(files.certificate(), files.key(), files.ca())) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                parts.add(attributes.lastModifiedTime());
                parts.add(attributes.size());
                parts.add(String.valueOf(attributes.fileKey()));
            } catch (IOException e) {
                parts.add("missing");
            }
        }
        return parts;
    }

    private record Material(List<Object> fingerprint, int generation, String alias, X509Certificate[] chain,
                            PrivateKey key, X509ExtendedTrustManager trust) {
        static Material load(TlsFiles files, int generation) throws IOException, GeneralSecurityException {
            List<Object> fingerprint = fingerprintOf(files);
            List<X509Certificate> chain = PemFiles.certificates(files.certificate());
            PrivateKey key = PemFiles.privateKey(files.key());
            if (!key.getAlgorithm().equals(chain.get(0).getPublicKey().getAlgorithm())) {
                throw new GeneralSecurityException("the key in " + files.key() + " is " + key.getAlgorithm()
                        + ", the certificate's is " + chain.get(0).getPublicKey().getAlgorithm());
            }
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int i = 0;
            for (X509Certificate ca : PemFiles.certificates(files.ca())) {
                anchors.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            X509ExtendedTrustManager trust = null;
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    trust = extended;
                }
            }
            if (trust == null) {
                throw new GeneralSecurityException("no X.509 trust manager");
            }
            return new Material(fingerprint, generation, "virtfleet-" + generation,
                    chain.toArray(X509Certificate[]::new), key, trust);
        }
    }

    private final class Keys extends X509ExtendedKeyManager {
        private Material byAlias(String alias) {
            Material now = material();
            if (now.alias().equals(alias)) {
                return now;
            }
            Material before = previous;
            return before != null && before.alias().equals(alias) ? before : null;
        }

        private String alias(String[] keyTypes) {
            Material now = material();
            for (String keyType : keyTypes) {
                if (keyType != null && keyType.equalsIgnoreCase(now.key().getAlgorithm())) {
                    return now.alias();
                }
            }
            return null;
        }

        private String[] aliases(String keyType) {
            String alias = alias(new String[] {keyType});
            return alias == null ? null : new String[] {alias};
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return aliases(keyType);
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return alias(keyTypes);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return alias(keyTypes);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return aliases(keyType);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return alias(new String[] {keyType});
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return alias(new String[] {keyType});
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            Material material = byAlias(alias);
            return material == null ? null : material.chain().clone();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            Material material = byAlias(alias);
            return material == null ? null : material.key();
        }
    }

    private final class Trust extends X509ExtendedTrustManager {
        private void client(X509Certificate[] chain, String authType) throws CertificateException {
            material().trust().checkClientTrusted(chain, authType);
            PeerIdentity.require(chain[0], files.peerName());
        }

        private void server(X509Certificate[] chain, String authType) throws CertificateException {
            material().trust().checkServerTrusted(chain, authType);
            PeerIdentity.require(chain[0], files.peerName());
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            client(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            client(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            client(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            server(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            server(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            server(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return material().trust().getAcceptedIssuers();
        }
    }
}
