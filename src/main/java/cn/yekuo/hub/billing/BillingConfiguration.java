package cn.yekuo.hub.billing;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;

@Configuration(proxyBeanMethods = false)
public class BillingConfiguration {

    @Bean
    BillingMessageReader billingMessageReader(HubProperties hub) {
        return new BillingMessageReader(hub.intake().maxMessageBytes());
    }

    @Bean
    StatusMessages statusMessages(ObjectMapper json, HubProperties hub) {
        return new StatusMessages(json, hub.businessZone());
    }
}
