package cn.yekuo.hub.documents;

import cn.yekuo.hub.rendering.DocumentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

import static cn.yekuo.hub.documents.PdfInspection.renderer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The electronic seal: a PAdES-B signature that verifies, fails on a changed byte, and keeps the file PDF/A-3b. */
class DocumentSealTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path dataDir;

    @Test
    void aSealedDocumentVerifiesAndStaysPdfA3b() throws Exception {
        DocumentSeal seal = DocumentSeal.embedded(dataDir, SampleDocuments.COMPANY, Clock.systemUTC(), ZONE);
        var d = SampleDocuments.sample(DocumentType.SCHEME_REPLY);
        byte[] rendered = renderer().render(DocumentType.SCHEME_REPLY, d);

        byte[] sealed = seal.seal(rendered, d.documentNo());

        assertThat(seal.selfSigned()).isTrue();
        assertThat(sealed).startsWith(rendered); // an incremental update: the rendered file is untouched
        assertThat(SealVerification.problems(sealed)).isEmpty();
        assertThat(PdfA.failedRules(sealed)).isEmpty();
        assertThat(PdfInspection.compactText(sealed)).contains(d.documentNo());
    }

    @Test
    void aChangedByteBreaksTheSeal() throws Exception {
        DocumentSeal seal = DocumentSeal.embedded(dataDir, SampleDocuments.COMPANY, Clock.systemUTC(), ZONE);
        var d = SampleDocuments.sample(DocumentType.CONTACT_CARD);
        byte[] sealed = seal.seal(renderer().render(DocumentType.CONTACT_CARD, d), d.documentNo());
        byte[] tampered = tamper(sealed);

        assertThat(SealVerification.problems(sealed)).isEmpty();
        assertThat(SealVerification.problems(tampered)).singleElement().asString().contains("changed");
    }

    @Test
    void popplersPdfsigFindsTheSealValidAndATamperedCopyNot() throws Exception {
        DocumentSeal seal = DocumentSeal.embedded(dataDir, SampleDocuments.COMPANY, Clock.systemUTC(), ZONE);
        var d = SampleDocuments.sample(DocumentType.ENERGIZATION_NOTICE);
        byte[] sealed = seal.seal(renderer().render(DocumentType.ENERGIZATION_NOTICE, d), d.documentNo());
        Path good = dataDir.resolve("good.pdf");
        Files.write(good, sealed);
        byte[] tampered = tamper(sealed);
        Path bad = dataDir.resolve("bad.pdf");
        Files.write(bad, tampered);

        assertThat(pdfsig(good)).contains("Signature Validation: Signature is Valid.", "ETSI.CAdES.detached");
        assertThat(pdfsig(bad)).doesNotContain("Signature is Valid.").contains("Signature Validation:");
    }

    @Test
    void theEmbeddedKeyIsGeneratedOnceAndKept() {
        DocumentSeal first = DocumentSeal.embedded(dataDir, SampleDocuments.COMPANY, Clock.systemUTC(), ZONE);
        DocumentSeal again = DocumentSeal.embedded(dataDir, SampleDocuments.COMPANY, Clock.systemUTC(), ZONE);

        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(dataDir.resolve(DocumentSeal.EMBEDDED_FILE)).exists();
    }

    @Test
    void aConfiguredKeystoreWithTheWrongPasswordStopsNamingTheFileNotThePassword() {
        DocumentSeal.embedded(dataDir, SampleDocuments.COMPANY, Clock.systemUTC(), ZONE);
        Path p12 = dataDir.resolve(DocumentSeal.EMBEDDED_FILE);

        assertThatThrownBy(() -> DocumentSeal.fromKeystore(p12, "wrong-secret".toCharArray(), null, Clock.systemUTC(), ZONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(p12.toString())
                .hasMessageNotContaining("wrong-secret");
    }

    /** One byte of the signed range changed where the file stays readable: a letter of the XMP's producer (y → Y). */
    static byte[] tamper(byte[] sealed) {
        String text = new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("<pdf:Producer>yekuo-hub");
        assertThat(at).isPositive();
        byte[] tampered = sealed.clone();
        tampered[at + "<pdf:Producer>".length()] = 'Y';
        return tampered;
    }

    static String pdfsig(Path pdf) throws Exception {
        Process p = new ProcessBuilder("pdfsig", pdf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
