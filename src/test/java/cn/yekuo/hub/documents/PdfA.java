package cn.yekuo.hub.documents;

import java.io.ByteArrayInputStream;
import java.util.List;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

/** PDF/A-3b validation with veraPDF (its own parser, the PDF Association's rules of ISO 19005-3 level B). */
public final class PdfA {

    static {
        VeraGreenfieldFoundryProvider.initialise();
    }

    private PdfA() {
    }

    /** What veraPDF says of the file against PDF/A-3B: its failed rules, one line each (empty: compliant). */
    public static List<String> failedRules(byte[] pdf) {
        try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), PDFAFlavour.PDFA_3_B)) {
            PDFAValidator validator = Foundries.defaultInstance().createValidator(PDFAFlavour.PDFA_3_B, false);
            ValidationResult result = validator.validate(parser);
            List<String> failed = result.getTestAssertions().stream()
                    .filter(a -> a.getStatus() == TestAssertion.Status.FAILED)
                    .map(a -> a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber() + ": " + a.getMessage()
                            + (a.getErrorMessage() == null ? "" : " (" + a.getErrorMessage() + ")")
                            + " at " + a.getLocation().getContext())
                    .distinct()
                    .toList();
            if (failed.isEmpty() && !result.isCompliant()) {
                return List.of("not compliant, no failed assertion reported: " + result.getJobEndStatus());
            }
            return failed;
        } catch (Exception e) {
            throw new IllegalStateException("veraPDF cannot validate the file", e);
        }
    }
}
