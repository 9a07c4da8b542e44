package cn.yekuo.hub.rendering;

import cn.yekuo.hub.documents.PdfInspection;
import cn.yekuo.hub.documents.SampleDocuments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

/** A layout that hangs fails its document at the time limit; the renderer goes on rendering the next ones. */
class DocumentRenderTimeLimitTest {

    @Test
    void a_hung_layout_fails_at_the_limit_and_the_next_document_renders() {
        DocumentRenderer renderer = new DocumentRenderer(PdfInspection.fontLibrary(), Clock.systemUTC(), Duration.ofSeconds(1));
        CountDownLatch never = new CountDownLatch(1);
        try {
            renderer.beforeLayout(what -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long start = System.nanoTime();
            assertThatThrownBy(() -> renderer.render(DocumentType.CONTACT_CARD, SampleDocuments.sample(DocumentType.CONTACT_CARD)))
                    .isInstanceOf(DocumentRenderingException.class).hasMessageContaining("within PT1S");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the caller waited about the limit")
                    .isLessThan(Duration.ofSeconds(10));

            renderer.beforeLayout(null);
            renderer.timeLimit(Duration.ofSeconds(60));
            byte[] pdf = renderer.render(DocumentType.CONTACT_CARD, SampleDocuments.sample(DocumentType.CONTACT_CARD));
            assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        } finally {
            never.countDown();
            renderer.close();
        }
    }

    /** Layouts that ignore interruption (a CPU-bound layout cannot be stopped) keep their threads: no new ones are made. */
    @Test
    void layouts_that_never_end_hold_at_most_the_pool_and_later_renders_fail_for_now() {
        DocumentRenderer renderer = new DocumentRenderer(PdfInspection.fontLibrary(), Clock.systemUTC(), Duration.ofMillis(200));
        CountDownLatch release = new CountDownLatch(1);
        try {
            renderer.beforeLayout(what -> {
                boolean interrupted = false;
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        interrupted = true; // like a layout that does not look at its interrupt flag
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < DocumentRenderer.RENDER_THREADS_MAX + 3; i++) {
                assertThatThrownBy(() -> renderer.render(DocumentType.CONTACT_CARD, SampleDocuments.sample(DocumentType.CONTACT_CARD)))
                        .isInstanceOf(DocumentRenderingException.class);
            }
            assertThat(renderer.largestRenderThreads()).as("hung layouts do not leak a thread each")
                    .isEqualTo(DocumentRenderer.RENDER_THREADS_MAX);

            release.countDown();
            renderer.beforeLayout(null);
            renderer.timeLimit(Duration.ofSeconds(60));
            byte[] pdf = renderer.render(DocumentType.CONTACT_CARD, SampleDocuments.sample(DocumentType.CONTACT_CARD));
            assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
            assertThat(renderer.largestRenderThreads()).isEqualTo(DocumentRenderer.RENDER_THREADS_MAX);
        } finally {
            release.countDown();
            renderer.close();
        }
    }

    /** The close lets a running layout finish instead of interrupting it (Camel may still be completing its exchange). */
    @Test
    void close_lets_a_running_layout_finish() throws Exception {
        DocumentRenderer renderer = new DocumentRenderer(PdfInspection.fontLibrary(), Clock.systemUTC(), Duration.ofSeconds(30));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch closing = new CountDownLatch(1);
        renderer.beforeLayout(what -> {
            started.countDown();
            try {
                closing.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted by the close", e);
            }
        });
        java.util.concurrent.CompletableFuture<byte[]> render = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> renderer.render(DocumentType.CONTACT_CARD, SampleDocuments.sample(DocumentType.CONTACT_CARD)));
        started.await();
        Thread closer = new Thread(renderer::close, "close");
        closer.start();
        // the close is waiting for the layout: let the layout go on now
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> closer.getState() == Thread.State.TIMED_WAITING);
        closing.countDown();
        byte[] pdf = render.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        closer.join(Duration.ofSeconds(30).toMillis());
        assertThat(closer.isAlive()).isFalse();
    }
}
