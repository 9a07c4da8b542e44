package cn.yekuo.hub.tokens;

import java.time.YearMonth;

/** A well-formed token found in a subject; whether it is authentic is {@link HandoffToken}'s call. */
public sealed interface TokenRef permits TokenRef.Task, TokenRef.ReturnVisit {

    /** The text the HMAC is computed over, e.g. {@code YK-2026-000017/T3}. */
    String signedPart();

    /** The hex digits (12, or 6 in tokens written before 48-bit tags) as they appeared in the subject. */
    String mac();

    /** A token of the old 6-hex-digit form, good only for what existed before the cut-over ({@link TokenCutover}). */
    default boolean isLegacy() {
        return mac().length() == HandoffToken.LEGACY_MAC_HEX_DIGITS;
    }

    /** The token as written in a subject, brackets included. */
    default String text() {
        return "[" + signedPart() + "/" + mac() + "]";
    }

    /** Token of a hand-off task: {@code [YK-2026-000017/T3/9f2a1c]}. */
    record Task(String caseNo, int taskNo, String mac) implements TokenRef {
        @Override
        public String signedPart() {
            return caseNo + "/T" + taskNo;
        }
    }

    /** Token of a monthly return-visit plan: {@code [YK-RV-2026-11/dongjiao/9f2a1c]}. */
    record ReturnVisit(YearMonth month, String station, String mac) implements TokenRef {
        @Override
        public String signedPart() {
            return "RV-" + month + "/" + station;
        }

        @Override
        public String text() {
            return "[YK-" + signedPart() + "/" + mac + "]";
        }
    }
}
