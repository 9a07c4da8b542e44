package cn.yekuo.hub.demo;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The clocks and wires of the demo's billing system and units. Billing submits its applications once, a moment after
 * the start, and answers a stage a moment after it hears of it, over its own JMS connection with billing's account
 * (component {@code demo-billing}, not the hub's {@code jms}); the units read their mailboxes every half moment and
 * answer each hand-off a moment after reading it. A moment is {@code yk.demo.reply-delay}.
 */
@Component
@Profile("demo")
public class DemoRoutes extends RouteBuilder {

    private final DemoBilling billing;
    private final DemoUnits units;

    public DemoRoutes(DemoBilling billing, DemoUnits units) {
        this.billing = billing;
        this.units = units;
    }

    @Override
    public void configure() {
        long moment = billing.delay().toMillis();
        getContext().addComponent("demo-billing", JmsComponent.jmsComponent(billing.connectionFactory()));

        from("timer:demo-billing-submits?repeatCount=1&delay=" + moment).routeId("demo-billing-submits")
                .bean(billing, "applications")
                .removeHeaders("*")
                .split(body())
                    .to("demo-billing:queue:yk.billing.applications");
        from("demo-billing:queue:yk.billing.status").routeId("demo-billing-status")
                .convertBodyTo(String.class)
                .bean(billing, "answers")
                .split(body())
                    .to("seda:demo-billing-events");
        // asyncDelayed: each answer waits its own moment, not behind the ones before it
        from("seda:demo-billing-events").routeId("demo-billing-events")
                .delay(moment).asyncDelayed()
                .bean(billing, "message")
                // the status message's JMS properties (its _AMQ_DUPL_ID among them) are not the event's
                .removeHeaders("*")
                .to("demo-billing:queue:yk.billing.events");

        from("timer:demo-units-read?delay=" + moment + "&period=" + units.readEvery().toMillis()).routeId("demo-units-read")
                .bean(units, "readMailboxes")
                .split(body())
                    .to("seda:demo-unit-replies");
        from("seda:demo-unit-replies").routeId("demo-unit-replies")
                .delay(moment).asyncDelayed()
                .bean(units, "reply");
    }
}
