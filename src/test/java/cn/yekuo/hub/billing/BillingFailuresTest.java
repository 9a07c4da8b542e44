package cn.yekuo.hub.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.RejectedExecutionException;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.rendering.DocumentRenderingException;

/** A billing message failing because the hub stops is redelivered, never counted toward the poison limit (issue 15). */
class BillingFailuresTest {

    @Test
    void a_render_refused_by_a_stopping_renderer_is_transient() {
        RuntimeException refused = new IllegalStateException("transition failed",
                new DocumentRenderingException("no render thread for CONTACT_CARD of case YK1",
                        new RejectedExecutionException("Task rejected from java.util.concurrent.ThreadPoolExecutor[Shutting down]")));
        assertThat(BillingFailures.isTransient(refused)).isTrue();
        assertThat(BillingFailures.isTransient(new RejectedExecutionException("shut down"))).isTrue();
    }

    @Test
    void a_render_interrupted_by_the_shutdown_is_transient() {
        assertThat(BillingFailures.isTransient(new DocumentRenderingException("interrupted while rendering CONTRACT of case YK1",
                new InterruptedException()))).isTrue();
        assertThat(BillingFailures.isTransient(new DocumentRenderingException("cannot render CONTRACT of case YK1",
                new java.nio.channels.ClosedByInterruptException()))).isTrue();
    }

    @Test
    void a_fault_of_the_message_itself_is_not_transient() {
        assertThat(BillingFailures.isTransient(new IllegalArgumentException("unknown case YK1"))).isFalse();
        assertThat(BillingFailures.isTransient(new DocumentRenderingException("cannot render CONTRACT of case YK1 within PT60S",
                new java.util.concurrent.TimeoutException()))).isFalse();
        assertThat(BillingFailures.isTransient(null)).isFalse();
    }
}
