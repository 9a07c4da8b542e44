package cn.yekuo.hub.documents;

import java.io.IOException;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;

/** Checks a sealed PDF as a relying party would, with PDFBox and BouncyCastle: one answer per check. */
public final class SealVerification {

    private SealVerification() {
    }

    /** What is wrong with the document's seal; empty when it verifies. */
    public static List<String> problems(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            List<PDSignature> signatures = doc.getSignatureDictionaries();
            if (signatures.size() != 1) {
                return List.of(signatures.size() + " signatures, expected one seal");
            }
            PDSignature s = signatures.get(0);
            if (!"ETSI.CAdES.detached".equals(s.getSubFilter())) {
                return List.of("SubFilter " + s.getSubFilter());
            }
            int[] range = s.getByteRange();
            // the byte range covers the whole file but the Contents hex string: [0, a, b, end - b]
            if (range.length != 4 || range[0] != 0 || range[2] + range[3] != pdf.length
                    || pdf[range[1]] != '<' || pdf[range[2] - 1] != '>') {
                return List.of("the byte range " + java.util.Arrays.toString(range) + " does not cover the file of "
                        + pdf.length + " bytes but the signature");
            }
            byte[] content = s.getSignedContent(pdf);
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(content), s.getContents(pdf));
            SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
            if (signer.getSignedAttributes().get(PKCSObjectIdentifiers.id_aa_signingCertificateV2) == null) {
                return List.of("no signing-certificate-v2 attribute (PAdES)");
            }
            if (signer.getSignedAttributes().get(CMSAttributes.signingTime) != null) {
                return List.of("a signing-time attribute (PAdES puts the time in M)");
            }
            @SuppressWarnings("unchecked")
            X509CertificateHolder cert = (X509CertificateHolder) cms.getCertificates().getMatches(signer.getSID()).iterator().next();
            try {
                if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert))) {
                    return List.of("the signature does not verify");
                }
            } catch (org.bouncycastle.cms.CMSSignerDigestMismatchException e) {
                return List.of("the signed bytes changed: " + e.getMessage());
            }
            return List.of();
        } catch (IOException | RuntimeException | org.bouncycastle.cms.CMSException
                 | org.bouncycastle.operator.OperatorCreationException | java.security.cert.CertificateException e) {
            return List.of("unreadable seal: " + e);
        }
    }
}
