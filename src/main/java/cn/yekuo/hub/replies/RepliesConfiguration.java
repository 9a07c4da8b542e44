package cn.yekuo.hub.replies;

import java.time.Duration;
import java.util.TimeZone;

import org.apache.camel.pollconsumer.quartz.QuartzScheduledPollConsumerScheduler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;

/** The reply reader as a bean, with the size limits it enforces before parsing (docs/reliability.md). */
@Configuration(proxyBeanMethods = false)
public class RepliesConfiguration {

    /** The Quartz trigger of the clustered reader: one key for every node, so the nodes share one trigger. */
    static final String TRIGGER = "unit-replies";

    @Bean
    UnitReplyReader unitReplyReader(HubProperties properties) {
        HubProperties.Mail mail = properties.mail();
        return new UnitReplyReader(mail.maxAttachmentBytes(), mail.maxMailBytes(), mail.maxSubjectChars(), mail.maxHeaders(),
                mail.maxBodyBytes(), mail.maxMimeDepth(), mail.maxParts());
    }

    /**
     * {@code yk.mail.reader=cluster}: the {@code unit-replies} consumer polls when camel-quartz fires its trigger in
     * the hub's clustered JDBC job store. Every node registers the same trigger key (the first stores it, the others
     * find it), the store hands each firing to one node, and the job disallows concurrent execution, so across the
     * cluster one poll runs at a time; when a node stops, the trigger stays and fires on the others.
     */
    @Bean
    QuartzScheduledPollConsumerScheduler clusteredReplyReader(HubProperties properties) {
        QuartzScheduledPollConsumerScheduler scheduler = new QuartzScheduledPollConsumerScheduler();
        scheduler.setCron(cronEvery(properties.mail().pollInterval()));
        scheduler.setTriggerId(TRIGGER);
        scheduler.setTriggerGroup("yekuo-hub");
        scheduler.setTimeZone(TimeZone.getTimeZone(properties.businessZone()));
        return scheduler;
    }

    /** A Quartz cron firing about every {@code interval} (whole seconds, at least one; minutes past a minute). */
    static String cronEvery(Duration interval) {
        long seconds = Math.max(1, (interval.toMillis() + 999) / 1000);
        if (seconds < 60) {
            return "0/" + seconds + " * * * * ?";
        }
        long minutes = Math.min(59, (seconds + 59) / 60);
        return "0 0/" + minutes + " * * * ?";
    }
}
