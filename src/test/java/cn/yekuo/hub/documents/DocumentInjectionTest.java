package cn.yekuo.hub.documents;

import cn.yekuo.hub.rendering.DocumentData;
import cn.yekuo.hub.rendering.DocumentRenderer;
import cn.yekuo.hub.rendering.DocumentType;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static cn.yekuo.hub.documents.PdfInspection.renderer;
import static cn.yekuo.hub.documents.PdfInspection.text;
import static org.assertj.core.api.Assertions.assertThat;

/** A value is data, never markup; and the layout engine loads nothing, whatever markup reaches it. */
class DocumentInjectionTest {

    private static final String SENTINEL = "SENTINEL7f3a";

    @TempDir
    Path dir;
    private Path sentinelImage;
    private Path sentinelCss;
    private Path sentinelText;
    private HttpServer http;
    private final AtomicInteger httpRequests = new AtomicInteger();

    @BeforeEach
    void sentinels() throws Exception {
        sentinelImage = dir.resolve("sentinel.png");
        BufferedImage img = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, 200, 200);
        g.dispose();
        ImageIO.write(img, "png", sentinelImage.toFile());
        sentinelCss = dir.resolve("sentinel.css");
        Files.writeString(sentinelCss, "body::before { content: \"" + SENTINEL + "\"; } body { background-image: url('"
                + sentinelImage.toUri() + "'); }");
        sentinelText = dir.resolve("sentinel.txt");
        Files.writeString(sentinelText, SENTINEL, StandardCharsets.UTF_8);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            httpRequests.incrementAndGet();
            byte[] body = Files.readAllBytes(sentinelImage);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private String httpUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/x.png";
    }

    @ParameterizedTest
    @ValueSource(strings = {"<img src=\"file:///etc/passwd\">", "</td><script>alert(1)</script>",
            "A&amp;B &lt;b&gt; \"quoted\" 'single'", "]]><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;"})
    void customerNameWithMarkupAppearsAsLiteralText(String name) throws Exception {
        DocumentData data = SampleDocuments.sample(DocumentType.SCHEME_REPLY);
        data = new DocumentData(data.caseNo(), data.documentNo(), data.issueDate(), data.issuer(),
                new DocumentData.Customer("1", name, name, name, name, name), data.application(),
                data.missingMaterials(), data.stepsAhead(), data.scheme(), data.acceptance(), data.contract(),
                data.energization(), data.limits());

        byte[] pdf = renderer().render(DocumentType.SCHEME_REPLY, data);

        assertThat(text(pdf).replaceAll("\\s+", "")).contains(name.replaceAll("\\s+", ""));
        assertThat(text(pdf)).doesNotContain("root:x:0:0");
        assertThat(PdfInspection.imageCount(pdf)).isZero();
    }

    @ParameterizedTest
    @EnumSource(DocumentType.class)
    void valuesPointingAtLocalFilesAndUrlsLoadNothingInAnyDocument(DocumentType type) throws Exception {
        String hostile = "<img src=\"" + sentinelImage.toUri() + "\"/><link rel=\"stylesheet\" href=\""
                + sentinelCss.toUri() + "\"/><img src=\"" + httpUrl() + "\"/>";
        DocumentData d = SampleDocuments.sample(type);
        d = new DocumentData(d.caseNo(), d.documentNo(), d.issueDate(),
                new DocumentData.Issuer(d.issuer().companyName(), hostile, hostile, d.issuer().representative()),
                new DocumentData.Customer(hostile, "客户" + hostile, hostile, hostile, hostile, hostile),
                d.application(), d.missingMaterials(), d.stepsAhead(), d.scheme(), d.acceptance(), d.contract(),
                d.energization(), d.limits());

        byte[] pdf = renderer().render(type, d);

        assertThat(text(pdf)).contains(sentinelImage.toUri().toString()).doesNotContain(SENTINEL + "\n");
        assertThat(PdfInspection.imageCount(pdf)).isZero();
        assertThat(httpRequests).hasValue(0);
    }

    @Test
    void layoutEngineRefusesFilesAndUrlsEvenWhenMarkupReachesIt() throws Exception {
        String xhtml = "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head>"
                + "<link rel=\"stylesheet\" href=\"" + sentinelCss.toUri() + "\"/>"
                + "<link rel=\"stylesheet\" href=\"sentinel.css\"/>"
                + "<style>@import url('" + sentinelCss.toUri() + "'); p.x { background-image: url('"
                + sentinelImage.toUri() + "'); }</style></head>"
                + "<body style=\"font-family: yk-song\"><p>正文</p>"
                + "<img src=\"" + sentinelImage.toUri() + "\" style=\"width:100px;height:100px\"/>"
                + "<img src=\"" + httpUrl() + "\" style=\"width:100px;height:100px\"/>"
                + "<img src=\"classpath:documents/documents.css\"/>"
                + "<object data=\"" + sentinelText.toUri() + "\" type=\"text/plain\"></object>"
                + "<p class=\"x\" style=\"height: 50px\">x</p></body></html>";
        DocumentData data = SampleDocuments.sample(DocumentType.MATERIALS_NOTICE);

        byte[] pdf = renderer().layOut(DocumentType.MATERIALS_NOTICE, data, xhtml);

        assertThat(text(pdf)).contains("正文").doesNotContain(SENTINEL);
        assertThat(PdfInspection.imageCount(pdf)).isZero();
        assertThat(httpRequests).hasValue(0);
        // the black sentinel image, drawn at 100×100 px, would darken much of the page
        assertThat(PdfInspection.inkRatio(PdfInspection.firstPage(pdf, 50))).isLessThan(0.02);
    }

    @ParameterizedTest
    @EnumSource(DocumentType.class)
    void templatesAreAutoEscapedAndNeverSwitchEscapingOff(DocumentType type) throws Exception {
        assertThat(type.template()).endsWith(".ftlh");
        for (String name : new String[] {type.template(), "layout.ftlh"}) {
            try (var in = DocumentRenderer.class.getResourceAsStream("/documents/" + name)) {
                assertThat(in).as(name).isNotNull();
                String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(template).as(name).doesNotContain("no_esc", "noautoesc", "noAutoEsc", "outputformat");
            }
        }
    }

    @Test
    void controlCharactersInValuesAreDroppedInsteadOfBreakingTheDocument() {
        DocumentData d = SampleDocuments.sample(DocumentType.CONTACT_CARD);
        d = new DocumentData(d.caseNo(), d.documentNo(), d.issueDate(), d.issuer(),
                new DocumentData.Customer("1", "东郊\u0000新材料\u0007有限公司\uD800", null, null, null, null),
                d.application(), d.missingMaterials(), d.stepsAhead(), d.scheme(), d.acceptance(), d.contract(),
                d.energization(), d.limits());

        byte[] pdf = renderer().render(DocumentType.CONTACT_CARD, d);

        assertThat(text(pdf)).contains("东郊新材料有限公司");
    }
}
