package cn.yekuo.hub.mailtransport;

import java.util.Properties;

import jakarta.mail.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;

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
