package cn.yekuo.hub.documents;

import cn.yekuo.hub.rendering.ArchivalPdf;
import cn.yekuo.hub.rendering.DocumentType;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static cn.yekuo.hub.documents.PdfInspection.renderer;
import static org.assertj.core.api.Assertions.assertThat;

/** The customer documents are PDF/A-3b, as veraPDF sees them, with the document and case numbers in their XMP. */
class ArchivalDocumentsTest {

    @ParameterizedTest
    @EnumSource(DocumentType.class)
    void eachDocumentIsPdfA3b(DocumentType type) {
        byte[] pdf = renderer().render(type, SampleDocuments.sample(type));

        assertThat(PdfA.failedRules(pdf)).as(type + ": failed PDF/A-3B rules").isEmpty();
    }

    @Test
    void theContractMergedWithItsAssetTransferAgreementIsPdfA3b() throws Exception {
        var d = SampleDocuments.sample(DocumentType.CONTRACT);
        byte[] merged = CustomerDocuments.merged(d.caseNo(), renderer().render(DocumentType.CONTRACT, d),
                renderer().render(DocumentType.ASSET_TRANSFER_AGREEMENT, d));

        assertThat(PdfA.failedRules(merged)).isEmpty();
        try (PDDocument doc = PdfInspection.load(merged)) {
            assertThat(doc.getDocumentCatalog().getOutputIntents()).hasSize(1);
            assertThat(xmp(doc)).contains("<yk:documentNo>" + d.documentNo() + "</yk:documentNo>",
                    "<yk:documentType>CONTRACT</yk:documentType>");
        }
    }

    @Test
    void theXmpCarriesTheDocumentAndCaseNumbersAsTheInformationDictionaryDoes() throws Exception {
        var d = SampleDocuments.sample(DocumentType.SCHEME_REPLY);
        byte[] pdf = renderer().render(DocumentType.SCHEME_REPLY, d);

        try (PDDocument doc = PdfInspection.load(pdf)) {
            PDDocumentInformation info = doc.getDocumentInformation();
            String xmp = xmp(doc);
            assertThat(xmp).contains("<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
                    "<dc:identifier>" + d.documentNo() + "</dc:identifier>",
                    "<yk:documentNo>" + d.documentNo() + "</yk:documentNo>",
                    "<yk:caseNo>" + SampleDocuments.CASE_NO + "</yk:caseNo>",
                    "<yk:documentType>SCHEME_REPLY</yk:documentType>",
                    "xmlns:yk=\"" + ArchivalPdf.NAMESPACE + "\"",
                    ">" + info.getTitle() + "</rdf:li>", "<pdf:Keywords>" + info.getKeywords() + "</pdf:Keywords>");
            assertThat(info.getKeywords()).contains(d.documentNo(), SampleDocuments.CASE_NO);
            List<PDOutputIntent> intents = doc.getDocumentCatalog().getOutputIntents();
            assertThat(intents).singleElement().satisfies(i -> assertThat(i.getOutputConditionIdentifier()).contains("sRGB"));
        }
    }

    @Test
    void aDocumentThatBreaksARuleFailsTheValidation() throws Exception {
        byte[] pdf = renderer().render(DocumentType.CONTACT_CARD, SampleDocuments.sample(DocumentType.CONTACT_CARD));
        byte[] withoutIntent;
        try (PDDocument doc = PdfInspection.load(pdf)) {
            doc.getDocumentCatalog().getCOSObject().removeItem(org.apache.pdfbox.cos.COSName.OUTPUT_INTENTS);
            var out = new java.io.ByteArrayOutputStream();
            doc.save(out);
            withoutIntent = out.toByteArray();
        }

        assertThat(PdfA.failedRules(withoutIntent)).isNotEmpty();
    }

    static String xmp(PDDocument doc) throws Exception {
        return new String(doc.getDocumentCatalog().getMetadata().toByteArray(), StandardCharsets.UTF_8);
    }
}
