package cn.yekuo.hub.documents;

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
}
