package cn.yekuo.hub.tokens;

import java.util.Optional;

/**
 * What a subject says about its token: none at all, a well-formed one with a wrong HMAC (forged or
 * mistyped), an authentic one, or several different ones (refused whatever they are).
 *
 * @param distinct how many different tokens the subject carries
 */
public record TokenCheck(Status status, Optional<TokenRef> token, int distinct) {

    public enum Status { NONE, FORGED, AUTHENTIC, SEVERAL }

    static TokenCheck none() {
        return new TokenCheck(Status.NONE, Optional.empty(), 0);
    }

    static TokenCheck forged(TokenRef token) {
        return new TokenCheck(Status.FORGED, Optional.of(token), 1);
    }

    static TokenCheck authentic(TokenRef token) {
        return new TokenCheck(Status.AUTHENTIC, Optional.of(token), 1);
    }

    static TokenCheck several(TokenRef first, int distinct) {
        return new TokenCheck(Status.SEVERAL, Optional.of(first), distinct);
    }

    /** A token of the old 6-hex-digit form: good only for a task or plan older than the cut-over ({@link TokenCutover}). */
    public boolean isLegacy() {
        return token.map(TokenRef::isLegacy).orElse(false);
    }

    public boolean isAuthentic() {
        return status == Status.AUTHENTIC;
    }
}
