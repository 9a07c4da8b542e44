package cn.yekuo.hub.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

import jakarta.mail.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;

/** The mail language's objects as beans: the token secret, composer, reader; and the embedded mail server. */
@Configuration(proxyBeanMethods = false)
public class MailConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MailConfiguration.class);

    static {
        MailStreamProvider.pin(); // before the first mail is composed or read
    }

    /**
     * The configured secret, or in the embedded default one generated once and kept under the data directory
     * ({@code mail/token-secret}) so tokens stay valid across restarts. Outside the embedded default it is required.
     */
    @Bean
    public HandoffToken handoffToken(HubProperties properties) {
        String configured = properties.mail().tokenSecret();
        if (configured != null && !configured.isBlank()) {
            if (configured.length() < 16) {
                log.warn("yk.mail.token-secret is short ({} characters): use at least 32 random characters", configured.length());
            }
            return new HandoffToken(configured);
        }
        if (!properties.mail().embedded()) {
            throw new IllegalStateException("yk.mail.token-secret (YK_MAIL_TOKEN_SECRET) is required with real mail servers "
                    + "(yk.mail.embedded=false): set at least 32 random characters, the same on every hub node");
        }
        return new HandoffToken(generatedSecret(properties.dataDirAbsolute().resolve("mail").resolve("token-secret")));
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

    /** The hub's own mailbox login. */
    public record MailAccount(String user) {
    }

    static String generatedSecret(Path file) {
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (!kept.isEmpty()) {
                    return kept;
                }
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String secret = HexFormat.of().formatHex(random);
            Path temp = Files.createTempFile(file.getParent(), "token-secret", ".tmp");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system (Windows): the data directory's own permissions apply
            }
            Files.writeString(temp, secret, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            log.info("Generated the hand-off token secret in {} (embedded mode); keep it with the data", file);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the token secret in " + file, e);
        }
    }

    /** The one FreeMarker configuration of the mail bodies (templates under {@code mails/}). */
    @Bean
    MailTemplates mailTemplates() {
        return new MailTemplates();
    }

    @Bean
    HandoffMailComposer handoffMailComposer(HandoffToken tokens, HubProperties hub, MailTemplates templates) {
        return new HandoffMailComposer(tokens, hub.businessZone(), true, templates);
    }

    @Bean
    UnitReplyReader unitReplyReader(HubProperties properties) {
        HubProperties.Mail mail = properties.mail();
        return new UnitReplyReader(mail.maxAttachmentBytes(), mail.maxMailBytes(), mail.maxSubjectChars(), mail.maxHeaders(),
                mail.maxBodyBytes(), mail.maxMimeDepth(), mail.maxParts());
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
