package cn.yekuo.hub.handoff;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.mailtransport.MailTemplates;
import cn.yekuo.hub.tokens.HandoffToken;

/** The hand-off mail's composer as a bean (plain text with its HTML alternative). */
@Configuration(proxyBeanMethods = false)
public class HandoffConfiguration {

    @Bean
    HandoffMailComposer handoffMailComposer(HandoffToken tokens, HubProperties hub, MailTemplates templates) {
        return new HandoffMailComposer(tokens, hub.businessZone(), true, templates);
    }
}
