package io.wgmon.delivery.http;

import org.jboss.resteasy.reactive.client.impl.ClientBuilderImpl;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;

/**
 * How receivers' certificates are checked: against the JVM trust store (the default), against it plus the
 * CA certificates of a PEM file, or not at all ({@code insecure-skip-verify}, for tests only).
 */
public final class WebhookTls {
    private final Optional<KeyStore> trustStore;
    private final boolean insecure;

    private WebhookTls(Optional<KeyStore> trustStore, boolean insecure) {
        this.trustStore = trustStore;
        this.insecure = insecure;
    }

    public static WebhookTls jvmTrustStore() {
        return new WebhookTls(Optional.empty(), false);
    }

    /** Skips every certificate and host name check. */
    public static WebhookTls insecure() {
        return new WebhookTls(Optional.empty(), true);
    }

    /**
     * Trusts the JVM's CAs and those in the PEM file.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no certificate
     */
    public static WebhookTls withCaFile(Path pemFile) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int index = 0;
            for (X509Certificate jvmCa : jvmAuthorities()) {
                store.setCertificateEntry("jvm-" + index++, jvmCa);
            }
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(pemFile)) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("wgmon.webhook.tls.ca-file=" + pemFile + " holds no certificate: "
                        + "give PEM blocks -----BEGIN CERTIFICATE-----");
            }
            index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("wgmon-ca-" + index++, certificate);
            }
            return new WebhookTls(Optional.of(store), false);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("wgmon.webhook.tls.ca-file=" + pemFile + " cannot be used: " + e.getMessage(),
                    e);
        }
    }

    public boolean isInsecure() {
        return insecure;
    }

    void apply(ClientBuilderImpl builder) {
        if (insecure) {
            builder.trustAll(true).verifyHost(false);
        }
        trustStore.ifPresent(store -> builder.trustStore(store, new char[0]));
    }

    private static X509Certificate[] jvmAuthorities() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }

    @Override
    public String toString() {
        return insecure ? "certificates NOT checked" : trustStore.isPresent() ? "JVM trust store + CA file" : "JVM trust store";
    }
}
