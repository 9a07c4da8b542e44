package cn.yekuo.hub.tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;

/** The subject tokens' secret as a bean: configured, or generated once and kept in the embedded default. */
@Configuration(proxyBeanMethods = false)
public class TokenConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TokenConfiguration.class);

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

    public static String generatedSecret(Path file) {
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
}
