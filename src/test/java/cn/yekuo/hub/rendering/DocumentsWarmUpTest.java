package cn.yekuo.hub.rendering;

import cn.yekuo.hub.documents.PdfInspection;
import cn.yekuo.hub.documents.SampleDocuments;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

import static org.assertj.core.api.Assertions.assertThat;

/** The hub is ready without waiting for the documents' warm-up, and the health says how the warm-up went. */
class DocumentsWarmUpTest {

    @Test
    void startReturnsAtOnceWhileASlowWarmUpRunsAndHealthSaysRunningThenDone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        DocumentsWarmUp warmUp = new DocumentsWarmUp(Map.of("slow", () -> release.await()));
        assertThat(warmUp.health().getDetails()).containsEntry("warmUp", "not started");

        long start = System.nanoTime();
        warmUp.start();
        long startMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(startMillis).as("start() does not wait for the warm-up").isLessThan(1_000);
        assertThat(warmUp.isRunning()).isTrue();
        assertThat(warmUp.health().getStatus()).isEqualTo(Status.UP);
        assertThat(warmUp.health().getDetails()).containsEntry("warmUp", "running");

        release.countDown();
        assertThat(warmUp.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(warmUp.health().getStatus()).isEqualTo(Status.UP);
        assertThat((String) warmUp.health().getDetails().get("warmUp")).matches("done in \\d+ ms");
    }

    @Test
    void aFailingStepTurnsHealthDownWithTheStepAndTheReasonAndTheOtherStepsStillRun() throws Exception {
        Map<String, DocumentsWarmUp.Step> steps = new LinkedHashMap<>();
        CountDownLatch laterStepRan = new CountDownLatch(1);
        steps.put("template scheme-reply.ftlh", () -> {
            throw new DocumentRenderingException("template scheme-reply.ftlh failed for case PLACEHOLDER",
                    new IllegalStateException("d.scheme.nope is missing"));
        });
        steps.put("template contract.ftlh", laterStepRan::countDown);
        DocumentsWarmUp warmUp = new DocumentsWarmUp(steps);

        warmUp.start();

        assertThat(warmUp.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(laterStepRan.getCount()).isZero();
        Health health = warmUp.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("warmUp", "failed");
        assertThat((String) health.getDetails().get("reason"))
                .contains("template scheme-reply.ftlh", "d.scheme.nope is missing");
    }

    @Test
    void stoppingTheContextDuringTheWarmUpIsNotReportedAsAFailure() throws Exception {
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch fontsClosed = new CountDownLatch(1);
        DocumentsWarmUp warmUp = new DocumentsWarmUp(Map.of("fonts", () -> {
            inStep.countDown();
            fontsClosed.await();
            throw new java.io.IOException("stream closed");
        }), 50);
        warmUp.start();
        assertThat(inStep.await(10, TimeUnit.SECONDS)).isTrue();

        warmUp.stop();
        fontsClosed.countDown();

        assertThat(warmUp.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(warmUp.isRunning()).isFalse();
        assertThat(warmUp.health().getStatus()).isEqualTo(Status.UP);
        assertThat(warmUp.health().getDetails()).containsEntry("warmUp", "stopped");
    }

    @Test
    void theConfiguredWarmUpBuildsTheCompactFacesAndRendersEveryTemplateInTheBackground() throws Exception {
        DocumentsConfiguration configuration = new DocumentsConfiguration();
        try (ChineseFontLibrary fonts = ChineseFontLibrary.load()) {
            DocumentRenderer renderer = configuration.documentRenderer(fonts, Clock.systemUTC(),
                    new org.springframework.boot.context.properties.bind.Binder().bindOrCreate("yk", cn.yekuo.hub.config.HubProperties.class));
            DocumentsWarmUp warmUp = configuration.documentsWarmUp(fonts, renderer);
            HealthIndicator health = configuration.documentsHealthIndicator(warmUp, fonts);

            long start = System.nanoTime();
            warmUp.start();
            long startMillis = (System.nanoTime() - start) / 1_000_000;
            Health during = health.health();
            // a document asked for meanwhile is rendered (full faces until the compact ones are built)
            byte[] pdf = renderer.render(DocumentType.CONTACT_CARD, SampleDocuments.sample(DocumentType.CONTACT_CARD));

            assertThat(startMillis).isLessThan(1_000);
            assertThat(during.getStatus()).isEqualTo(Status.UP);
            assertThat((String) during.getDetails().get("warmUp")).matches("running|done in \\d+ ms");
            assertThat(PdfInspection.compactText(pdf)).contains("业扩服务联系卡", "杭州东郊新材料有限公司");

            assertThat(warmUp.await(120, TimeUnit.SECONDS)).isTrue();
            Health after = health.health();
            assertThat(after.getStatus()).isEqualTo(Status.UP);
            assertThat((String) after.getDetails().get("warmUp")).startsWith("done in ");
            assertThat((String) after.getDetails().get("fonts")).contains("UMingCN", "WenQuanYiZenHei");
            assertThat((String) after.getDetails().get("compactFaces")).contains("UMingCN", "glyphs");
            assertThat(fonts.compactFacesCover("供电方案答复函")).isTrue();
            warmUp.stop();
        }
    }

    @Test
    void theStepsAreTheFontsFirstThenEveryTemplate() {
        DocumentsConfiguration configuration = new DocumentsConfiguration();
        List<String> names = new java.util.ArrayList<>();
        try (ChineseFontLibrary fonts = ChineseFontLibrary.load()) {
            DocumentRenderer renderer = configuration.documentRenderer(fonts, Clock.systemUTC(),
                    new org.springframework.boot.context.properties.bind.Binder().bindOrCreate("yk", cn.yekuo.hub.config.HubProperties.class));
            DocumentsWarmUp warmUp = configuration.documentsWarmUp(fonts, renderer);
            names.addAll(warmUp.stepNames());
        }
        assertThat(names).first().isEqualTo("fonts");
        assertThat(names).hasSize(1 + DocumentType.values().length).contains("template scheme-reply.ftlh");
    }
}
