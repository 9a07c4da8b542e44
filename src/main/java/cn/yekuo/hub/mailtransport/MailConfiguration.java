package cn.yekuo.hub.mailtransport;

import java.io.File;
import java.security.KeyStore;
import java.util.Properties;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import jakarta.mail.Session;

import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.config.StartupProblem;

/** Mail transport as beans: the hub's mailbox login, the composition session, and the embedded mail server. */
@Configuration(proxyBeanMethods = false)
public class MailConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MailConfiguration.class);

    static {
        MailStreamProvider.pin(); // before the first mail is composed or read
    }

    /** With real mail servers the hub's mailbox needs its password: refused at start rather than at the first login. */
    @Bean
    public MailAccount hubMailAccount(HubProperties properties) {
        HubProperties.Mail mail = properties.mail();
        if (!mail.embedded() && (mail.hubPassword() == null || mail.hubPassword().isBlank())) {
            throw new IllegalStateException("yk.mail.hub-password (YK_MAIL_HUB_PASSWORD) is required with real mail servers "
                    + "(yk.mail.embedded=false): the password of " + (mail.hubUser() == null ? mail.hubAddress() : mail.hubUser()));
        }
        return new MailAccount(mail.hubUser() == null || mail.hubUser().isBlank() ? mail.hubAddress() : mail.hubUser());
    }

    /** The trust of the mail servers' certificates, for the routes (bean {@code mailTls}) and the hub's own logins. */
    @Bean
    MailTls mailTlsTrust(HubProperties properties) {
        return new MailTls(properties.mail());
    }

    /** Camel's view of {@link MailTls}: the mail routes' {@code sslContextParameters=#mailTls} (STARTTLS and TLS). */
    @Bean
    SSLContextParameters mailTls(MailTls tls) {
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setTrustManager(tls.trust);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trust);
        return parameters;
    }

    /**
     * How the hub connects to its mail servers (yk.mail.smtp-security, imap-security): the JavaMail protocol and session
     * properties of the hub's own connections (health, releases), with the same trust as the routes. The certificate's
     * host name is always checked (Angus Mail's default); STARTTLS is required, never optional, when configured.
     */
    public static final class MailTls {

        private final HubProperties.Mail mail;
        private final X509TrustManager trust;
        private final SSLSocketFactory sockets;

        MailTls(HubProperties.Mail mail) {
            this.mail = mail;
            try {
                KeyStore store = null;
                if (mail.trustStore() != null && !mail.trustStore().isBlank()) {
                    File file = new File(mail.trustStore().trim());
                    if (!file.isFile()) {
                        throw new StartupProblem("yk.mail.trust-store=" + mail.trustStore() + " is not a file",
                                "Point yk.mail.trust-store (YK_MAIL_TRUST_STORE) at a PKCS12 or JKS trust store, or a PEM"
                                        + " file, of the mail servers' certificates, or remove it to trust the JVM's certificate authorities.");
                    }
                    String password = mail.trustStorePassword();
                    store = isPem(file) ? pemCertificates(file)
                            : KeyStore.getInstance(file, password == null ? new char[0] : password.toCharArray());
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store); // null: the JVM's trusted certificate authorities
                X509TrustManager x509 = null;
                for (TrustManager m : factory.getTrustManagers()) {
                    if (m instanceof X509TrustManager x) {
                        x509 = x;
                    }
                }
                this.trust = x509;
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {x509}, null);
                this.sockets = context.getSocketFactory();
            } catch (StartupProblem e) {
                throw e;
            } catch (Exception e) {
                throw new StartupProblem("yk.mail.trust-store " + mail.trustStore() + " cannot be read: " + e.getMessage(),
                        "Check the file and yk.mail.trust-store-password (YK_MAIL_TRUST_STORE_PASSWORD).");
            }
        }

        /** A PEM file of certificates (what a mail server keeps, e.g. its cert.pem) rather than a PKCS12/JKS store. */
        private static boolean isPem(File file) throws java.io.IOException {
            try (java.io.InputStream in = new java.io.FileInputStream(file)) {
                return new String(in.readNBytes(64), java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN ");
            }
        }

        private static KeyStore pemCertificates(File file) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            try (java.io.InputStream in = new java.io.FileInputStream(file)) {
                int n = 0;
                for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("mail-" + n++, c);
                }
            }
            return store;
        }

        /** {@code smtp}, {@code smtps}, {@code imap} or {@code imaps} for a kind ({@code smtp} or {@code imap}). */
        public String protocol(String kind) {
            return security(kind) == HubProperties.Mail.Security.TLS ? kind + "s" : kind;
        }

        /** JavaMail session properties for one connection of a kind, with its timeouts in milliseconds. */
        public Properties session(String kind, int connectMillis, int readMillis) {
            String protocol = protocol(kind);
            Properties p = new Properties();
            p.put("mail." + protocol + ".connectiontimeout", String.valueOf(connectMillis));
            p.put("mail." + protocol + ".timeout", String.valueOf(readMillis));
            HubProperties.Mail.Security security = security(kind);
            if (security != HubProperties.Mail.Security.NONE) {
                p.put("mail." + protocol + ".ssl.socketFactory", sockets);
                p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
            }
            if (security == HubProperties.Mail.Security.STARTTLS) {
                p.put("mail." + protocol + ".starttls.enable", "true");
                p.put("mail." + protocol + ".starttls.required", "true");
            }
            return p;
        }

        private HubProperties.Mail.Security security(String kind) {
            return "smtp".equals(kind) ? mail.smtpSecurity() : mail.imapSecurity();
        }
    }

    /** The hub's own mailbox login. */
    public record MailAccount(String user) {
    }

    /** The one FreeMarker configuration of the mail bodies (templates under {@code mails/}). */
    @Bean
    public MailTemplates mailTemplates() {
        return new MailTemplates();
    }

    /** A session for building and parsing messages only; sending and reading is camel-mail's. */
    @Bean
    Session mailCompositionSession() {
        Properties props = new Properties();
        props.put("mail.mime.charset", "UTF-8");
        return Session.getInstance(props);
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    @ConditionalOnProperty(name = "yk.mail.embedded", havingValue = "true", matchIfMissing = true)
    EmbeddedMailServer embeddedMailServer(HubProperties properties, MailDirectory directory) {
        return new EmbeddedMailServer(properties.mail(), directory.allMailboxes(),
                properties.dataDirAbsolute().resolve("mail").resolve("embedded"));
    }
}
