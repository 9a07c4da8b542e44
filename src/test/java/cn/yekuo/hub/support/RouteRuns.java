package cn.yekuo.hub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;

/**
 * Waiting for a route's runs by Camel's own notifications ({@link NotifyBuilder}) instead of sleeping "long enough":
 * e.g. that a relay has really tried again while its server was down, or has run once more after a state a test wants
 * to see unchanged.
 */
public final class RouteRuns {

    private final NotifyBuilder notify;
    private final String routeId;
    private final int runs;

    private RouteRuns(NotifyBuilder notify, String routeId, int runs) {
        this.notify = notify;
        this.routeId = routeId;
        this.runs = runs;
    }

    /**
     * Starts counting the route's exchanges that end from now on (done: completed or failed). One more than asked is
     * awaited, since an exchange in flight now may end first: the {@code runs} awaited then all began after this call.
     */
    public static RouteRuns from(CamelContext camel, String routeId, int runs) {
        return new RouteRuns(new NotifyBuilder(camel).fromRoute(routeId).whenDone(runs + 1).create(), routeId, runs);
    }

    /** Waits for the runs; fails when they do not come within {@code wait}. */
    public void await(Duration wait) {
        assertThat(notify.matches(wait.toMillis(), TimeUnit.MILLISECONDS))
                .as("%d run(s) of route %s within %s", runs, routeId, wait).isTrue();
    }

    /** Waits for {@code runs} whole runs of the route that begin after this call. */
    public static void awaitRuns(CamelContext camel, String routeId, int runs, Duration wait) {
        from(camel, routeId, runs).await(wait);
    }
}
