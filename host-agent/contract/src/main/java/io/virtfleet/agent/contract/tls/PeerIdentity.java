package io.virtfleet.agent.contract.tls;

import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The one name a peer's certificate must carry: a DNS or URI subject alternative name, or the subject's CN, equal to
 * the expected name. Agents are reached by pod IP, so the operator checks this name instead of the host name; the
 * agent accepts only the operator's name, not any certificate its CA signed.
 */
public final class PeerIdentity {
    private PeerIdentity() {
    }

    public static void require(X509Certificate leaf, String expected) throws CertificateException {
        List<String> names = names(leaf);
        if (!names.contains(expected)) {
            throw new CertificateException("peer certificate names " + names + ", expected " + expected);
        }
    }

    /** The DNS and URI subject alternative names and the subject's common names of a certificate. */
    public static List<String> names(X509Certificate certificate) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
        if (alternatives != null) {
            for (List<?> alternative : alternatives) {
                int type = (Integer) alternative.get(0);
                if (type == 2 || type == 6) { // dNSName, uniformResourceIdentifier
                    names.add((String) alternative.get(1));
                }
            }
        }
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            throw new CertificateParsingException(e);
        }
        return names;
    }
}
