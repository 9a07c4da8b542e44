package cn.yekuo.hub.mail;

import java.util.Optional;

/**
 * What a subject says about its token: none at all, a well-formed one with a wrong HMAC (forged or
 * mistyped), or an authentic one.
 */
public record TokenCheck(Status status, Optional<TokenRef> token) {

    public enum Status { NONE, FORGED, AUTHENTIC }

    static TokenCheck none() {
        return new TokenCheck(Status.NONE, Optional.empty());
    }

    static TokenCheck forged(TokenRef token) {
        return new TokenCheck(Status.FORGED, Optional.of(token));
    }

    static TokenCheck authentic(TokenRef token) {
        return new TokenCheck(Status.AUTHENTIC, Optional.of(token));
    }

    public boolean isAuthentic() {
        return status == Status.AUTHENTIC;
    }
}
