package cn.yekuo.hub.replies;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;

/** The reply reader as a bean, with the size limits it enforces before parsing (docs/reliability.md). */
@Configuration(proxyBeanMethods = false)
public class RepliesConfiguration {

    @Bean
    UnitReplyReader unitReplyReader(HubProperties properties) {
        HubProperties.Mail mail = properties.mail();
        return new UnitReplyReader(mail.maxAttachmentBytes(), mail.maxMailBytes(), mail.maxSubjectChars(), mail.maxHeaders(),
                mail.maxBodyBytes(), mail.maxMimeDepth(), mail.maxParts());
    }
}
